#include "pricing/pricecatalog.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace relaybench;

class TestPriceCatalog : public QObject
{
    Q_OBJECT

private slots:
    void shippedPrices_data();
    void shippedPrices();
    void shippedIdsInFileOrder();
    void unknownIdIsNotFound();
    void attemptCost_data();
    void attemptCost();
    void catalogueFromJson();
    void brokenCatalogueNamesTheField_data();
    void brokenCatalogueNamesTheField();
    void everyProblemIsReported();
};

namespace {

const PriceCatalog &shipped()
{
    static const PriceCatalog catalog = PriceCatalog::shipped();
    return catalog;
}

Price priceOf(const char *id)
{
    const auto entry = shipped().find(QLatin1String(id));
    return entry ? entry->price : Price{-1.0, -1.0, -1.0};
}

} // namespace

void TestPriceCatalog::shippedPrices_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<double>("input");
    QTest::addColumn<double>("cachedInput");
    QTest::addColumn<double>("output");
    // USD per million tokens (notes/pricing.md, with each source and date in resources/prices.json).
    QTest::addRow("deepseek-chat") << QStringLiteral("deepseek-chat") << QStringLiteral("deepseek") << 0.28 << 0.028
                                   << 0.42;
    QTest::addRow("deepseek-reasoner") << QStringLiteral("deepseek-reasoner") << QStringLiteral("deepseek") << 0.28
                                       << 0.028 << 0.42;
    QTest::addRow("gpt-4.1") << QStringLiteral("gpt-4.1") << QStringLiteral("openai") << 2.00 << 0.50 << 8.00;
    QTest::addRow("claude-sonnet-4.5") << QStringLiteral("claude-sonnet-4.5") << QStringLiteral("anthropic") << 3.00
                                       << 0.30 << 15.00;
    QTest::addRow("gemini-2.5-flash") << QStringLiteral("gemini-2.5-flash") << QStringLiteral("google") << 0.30 << 0.03
                                      << 2.50;
}

void TestPriceCatalog::shippedPrices()
{
    QFETCH(QString, id);
    QFETCH(QString, provider);
    QFETCH(double, input);
    QFETCH(double, cachedInput);
    QFETCH(double, output);
    const auto entry = shipped().find(id);
    QVERIFY(entry);
    QCOMPARE(entry->id, id);
    QCOMPARE(entry->provider, provider);
    QVERIFY(!entry->name.isEmpty());
    QCOMPARE(entry->price.input, input);
    QCOMPARE(entry->price.cachedInput, cachedInput);
    QCOMPARE(entry->price.output, output);
}

void TestPriceCatalog::shippedIdsInFileOrder()
{
    QCOMPARE(shipped().ids(), (QStringList{QStringLiteral("deepseek-chat"), QStringLiteral("deepseek-reasoner"),
                                           QStringLiteral("gpt-4.1"), QStringLiteral("claude-sonnet-4.5"),
                                           QStringLiteral("gemini-2.5-flash")}));
}

void TestPriceCatalog::unknownIdIsNotFound()
{
    QVERIFY(!shipped().find(QStringLiteral("gpt-5")));
    QVERIFY(!shipped().find(QString()));
    QVERIFY(!shipped().find(QStringLiteral("GPT-4.1"))); // ids are exact
}

void TestPriceCatalog::attemptCost_data()
{
    QTest::addColumn<Price>("price");
    QTest::addColumn<qint64>("prompt");
    QTest::addColumn<qint64>("cached");
    QTest::addColumn<qint64>("completion");
    QTest::addColumn<double>("usd");
    // 10M output tokens: $4.20, $80, $150, $25 (not thousands of dollars, as one seed document has it).
    QTest::addRow("10M out, deepseek-chat")
        << priceOf("deepseek-chat") << qint64(0) << qint64(0) << qint64(10000000) << 4.20;
    QTest::addRow("10M out, gpt-4.1") << priceOf("gpt-4.1") << qint64(0) << qint64(0) << qint64(10000000) << 80.0;
    QTest::addRow("10M out, claude-sonnet-4.5")
        << priceOf("claude-sonnet-4.5") << qint64(0) << qint64(0) << qint64(10000000) << 150.0;
    QTest::addRow("10M out, gemini-2.5-flash")
        << priceOf("gemini-2.5-flash") << qint64(0) << qint64(0) << qint64(10000000) << 25.0;
    QTest::addRow("1M in, gpt-4.1") << priceOf("gpt-4.1") << qint64(1000000) << qint64(0) << qint64(0) << 2.0;
    QTest::addRow("cached at the cached price")
        << priceOf("gpt-4.1") << qint64(1000000) << qint64(400000) << qint64(0) << 0.6 * 2.0 + 0.4 * 0.5;
    QTest::addRow("all cached") << priceOf("deepseek-chat") << qint64(1000000) << qint64(1000000) << qint64(0) << 0.028;
    QTest::addRow("one request") << priceOf("deepseek-chat") << qint64(2006) << qint64(1920) << qint64(300)
                                 << (86 * 0.28 + 1920 * 0.028 + 300 * 0.42) / 1e6;
    QTest::addRow("cached above prompt is clamped")
        << priceOf("deepseek-chat") << qint64(1000) << qint64(5000) << qint64(0) << 1000 * 0.028 / 1e6;
    QTest::addRow("negative cached is none")
        << priceOf("deepseek-chat") << qint64(1000) << qint64(-5) << qint64(0) << 1000 * 0.28 / 1e6;
    QTest::addRow("nothing") << priceOf("claude-sonnet-4.5") << qint64(0) << qint64(0) << qint64(0) << 0.0;
    QTest::addRow("free") << Price{} << qint64(123456) << qint64(0) << qint64(789) << 0.0;
    // Above 200K prompt tokens claude-sonnet-4.5 bills the WHOLE request at 6.00 / 22.50 (cache: 0.60).
    QTest::addRow("200K prompt: standard")
        << priceOf("claude-sonnet-4.5") << qint64(200000) << qint64(0) << qint64(1000) << (200000 * 3.0 + 15000) / 1e6;
    QTest::addRow("250K prompt: long context, whole request")
        << priceOf("claude-sonnet-4.5") << qint64(250000) << qint64(0) << qint64(1000) << (250000 * 6.0 + 22500) / 1e6;
    QTest::addRow("long context, cached") << priceOf("claude-sonnet-4.5") << qint64(250000) << qint64(200000)
                                          << qint64(0) << (50000 * 6.0 + 200000 * 0.6) / 1e6;
}

void TestPriceCatalog::attemptCost()
{
    QFETCH(Price, price);
    QFETCH(qint64, prompt);
    QFETCH(qint64, cached);
    QFETCH(qint64, completion);
    QFETCH(double, usd);
    QVERIFY(price.input >= 0.0);
    const double cost = attemptCostUsd(price, prompt, cached, completion);
    QVERIFY2(std::abs(cost - usd) <= 1e-12 * std::max(1.0, usd), qPrintable(QString::number(cost, 'g', 17)));
}

void TestPriceCatalog::catalogueFromJson()
{
    QString error;
    const auto catalog = PriceCatalog::fromJson(R"({"models": [
        {"id": "a", "name": "Model A", "provider": "p", "input": 1, "cached_input": 0.1, "output": 2, "context": 8192},
        {"id": "b", "input": 4, "output": 5}
    ]})",
                                                QStringLiteral("mine.json"), &error);
    QVERIFY2(catalog, qPrintable(error));
    QCOMPARE(catalog->ids(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    const auto a = catalog->find(QStringLiteral("a"));
    QVERIFY(a);
    QCOMPARE(a->name, QStringLiteral("Model A"));
    QCOMPARE(a->price.cachedInput, 0.1);
    const auto b = catalog->find(QStringLiteral("b"));
    QVERIFY(b);
    QCOMPARE(b->name, QStringLiteral("b")); // the id when no name is given
    QCOMPARE(b->price.cachedInput, 4.0);    // no cache discount unless one is given
    QVERIFY(b->provider.isEmpty());
}

void TestPriceCatalog::brokenCatalogueNamesTheField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addRow("not json") << QByteArray(R"({"models": [)")
                              << QStringLiteral("prices.json: line 1, column 13: unterminated array");
    QTest::addRow("array") << QByteArray("[]")
                           << QStringLiteral(R"(prices.json: must be a JSON object with a "models" array)");
    QTest::addRow("no models") << QByteArray("{}")
                               << QStringLiteral("prices.json: models: is required: a non-empty array of models");
    QTest::addRow("empty models") << QByteArray(R"({"models": []})")
                                  << QStringLiteral("prices.json: models: must be a non-empty array of models, got an "
                                                    "empty array");
    QTest::addRow("models object") << QByteArray(R"({"models": {"a": 1}})")
                                   << QStringLiteral("prices.json: models: must be a non-empty array of models, got an "
                                                     "object");
    QTest::addRow("model not object") << QByteArray(R"({"models": [5]})")
                                      << QStringLiteral("prices.json: models[0]: must be an object, got 5");
    QTest::addRow("no id") << QByteArray(R"({"models": [{"input": 1, "output": 2}]})")
                           << QStringLiteral(R"(prices.json: models[0].id: is required (a short id like "gpt-4.1"))");
    QTest::addRow("id not string") << QByteArray(R"({"models": [{"id": 7, "input": 1, "output": 2}]})")
                                   << QStringLiteral("prices.json: models[0].id: must be a non-empty string, got 7");
    QTest::addRow("output as text")
        << QByteArray(R"({"models": [{"id": "a", "input": 1, "output": 2}, {"id": "b", "input": 1, "output": "8"}]})")
        << QStringLiteral(R"(prices.json: models[1].output: must be a number >= 0, got "8")");
    QTest::addRow("negative input") << QByteArray(R"({"models": [{"id": "a", "input": -1, "output": 2}]})")
                                    << QStringLiteral("prices.json: models[0].input: must be a number >= 0, got -1");
    QTest::addRow("negative cached") << QByteArray(R"({"models": [{"id": "a", "input": 1, "cached_input": -0.5, )"
                                                   R"("output": 2}]})")
                                     << QStringLiteral("prices.json: models[0].cached_input: must be a number >= 0, "
                                                       "got -0.5");
    QTest::addRow("output missing") << QByteArray(R"({"models": [{"id": "a", "input": 1, "ouptut": 2}]})")
                                    << QStringLiteral("prices.json: models[0].output: is required (USD per million "
                                                      "tokens)");
    QTest::addRow("duplicate id")
        << QByteArray(R"({"models": [{"id": "a", "input": 1, "output": 2}, {"id": "a", "input": 3, "output": 4}]})")
        << QStringLiteral(R"(prices.json: models[1].id: duplicate id "a")");
}

void TestPriceCatalog::brokenCatalogueNamesTheField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!PriceCatalog::fromJson(json, QStringLiteral("prices.json"), &actual));
    QCOMPARE(actual, error);
    QVERIFY(!PriceCatalog::fromJson(json, QStringLiteral("prices.json"), nullptr)); // no message wanted: no crash
}

void TestPriceCatalog::everyProblemIsReported()
{
    QString error;
    QVERIFY(!PriceCatalog::fromJson(R"({"models": [{"id": "a", "input": "x", "output": 2}, {"input": 1},
                                                    {"id": "c", "input": 1, "output": -2}]})",
                                    QStringLiteral("prices.json"), &error));
    QCOMPARE(error.split(QLatin1Char('\n')),
             (QStringList{QStringLiteral(R"(prices.json: models[0].input: must be a number >= 0, got "x")"),
                          QStringLiteral(R"(prices.json: models[1].id: is required (a short id like "gpt-4.1"))"),
                          QStringLiteral("prices.json: models[2].output: must be a number >= 0, got -2")}));
}

QTEST_GUILESS_MAIN(TestPriceCatalog)
#include "tst_pricecatalog.moc"
