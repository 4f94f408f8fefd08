#include "pricing/litellmimport.h"
#include "pricing/userpricecatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace relaybench;

// The catalogue beyond the shipped file: the user's own entries, LiteLLM imports and export.
class TestUserCatalog : public QObject
{
    Q_OBJECT

private slots:
    void realLiteLlmExcerptImported();
    void liteLlmTiersAndBatchPrices();
    void liteLlmWithoutChatModelsFails();
    void userEntriesOverrideShippedAndSurviveReload();
    void hiddenShippedEntryStaysHidden();
    void effectiveCatalogueReadsTheDataDirectory();
    void brokenUserFileIsReportedNotFatal();
    void exportReadsBackWhole();
    void anyFormatIsRecognised();

private:
    QTemporaryDir m_dir;
};

namespace {

QByteArray readTestFile(const QString &relative)
{
    QFile file(QStringLiteral(RELAYBENCH_TEST_DATA "/") + relative);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

CatalogEntry entry(const QString &id, double input, double output)
{
    CatalogEntry e;
    e.id = id;
    e.name = id;
    e.provider = QStringLiteral("mine");
    e.price = Price(input, input, output);
    return e;
}

} // namespace

void TestUserCatalog::realLiteLlmExcerptImported()
{
    QString error;
    const auto imported = importLiteLlm(readTestFile(QStringLiteral("litellm/model_prices_excerpt.json")),
                                        QStringLiteral("litellm.json"), &error);
    QVERIFY2(imported, qPrintable(error));
    QCOMPARE(imported->catalog.ids(),
             (QStringList{QStringLiteral("ai21.jamba-1-5-large-v1:0"), QStringLiteral("amazon.nova-2-lite-v1:0"),
                          QStringLiteral("us.writer.palmyra-x5-v1:0")}));
    QCOMPARE(imported->skipped.size(), 2);
    QVERIFY(imported->skipped.filter(QStringLiteral("sample_spec")).size() == 1);
    QVERIFY(imported->skipped.filter(QStringLiteral("1024-x-1024/dall-e-2: mode \"image_generation\"")).size() == 1);

    const auto jamba = imported->catalog.find(QStringLiteral("ai21.jamba-1-5-large-v1:0"));
    QVERIFY(jamba);
    QCOMPARE(jamba->provider, QStringLiteral("bedrock"));
    QCOMPARE(jamba->price.input, 2.0); // 2e-06 per token x 1e6
    QCOMPARE(jamba->price.output, 8.0);
    QCOMPARE(jamba->price.cachedInput, 2.0); // no cache price: no discount
    QCOMPARE(jamba->contextTokens, qint64(256000));
    QCOMPARE(jamba->price.longContextThreshold, qint64(0));

    const auto nova = imported->catalog.find(QStringLiteral("amazon.nova-2-lite-v1:0"));
    QVERIFY(nova);
    QCOMPARE(nova->price.input, 0.3); // 3e-07 x 1e6, exactly as written, not 0.30000000000000004
    QCOMPARE(nova->price.cachedInput, 0.075);
    QCOMPARE(nova->price.output, 2.5);
    // Unknown keys are kept as LiteLLM wrote them.
    QCOMPARE(nova->extra.value(QLatin1String("supports_vision")).toBool(), true);
    QCOMPARE(nova->extra.value(QLatin1String("max_output_tokens")).toInt(), 64000);
    QCOMPARE(nova->extra.value(QLatin1String("mode")).toString(), QStringLiteral("chat"));
    QVERIFY(!nova->extra.contains(QLatin1String("input_cost_per_token"))); // mapped, not duplicated
}

void TestUserCatalog::liteLlmTiersAndBatchPrices()
{
    // Entries as notes/pricing.md quotes them from LiteLLM (2026-07).
    QString error;
    const auto imported = importLiteLlm(R"({
        "gpt-4.1": {"input_cost_per_token": 2e-06, "cache_read_input_token_cost": 5e-07, "output_cost_per_token": 8e-06,
                    "input_cost_per_token_batches": 1e-06, "output_cost_per_token_batches": 4e-06,
                    "litellm_provider": "openai", "max_input_tokens": 1047576, "max_output_tokens": 32768, "mode": "chat"},
        "claude-sonnet-4-5": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                    "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
                    "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
                    "litellm_provider": "anthropic", "max_input_tokens": 200000, "max_output_tokens": 64000, "mode": "chat"},
        "gemini/gemini-2.5-flash": {"input_cost_per_token": 3e-07, "cache_read_input_token_cost": 3e-08,
                    "output_cost_per_token": 2.5e-06, "output_cost_per_reasoning_token": 2.5e-06,
                    "litellm_provider": "gemini", "max_input_tokens": 1048576, "max_output_tokens": 65535, "mode": "chat"}
    })",
                                        QStringLiteral("litellm.json"), &error);
    QVERIFY2(imported, qPrintable(error));
    const auto gpt = imported->catalog.find(QStringLiteral("gpt-4.1"));
    QCOMPARE(gpt->batchInput.value_or(-1), 1.0);
    QCOMPARE(gpt->batchOutput.value_or(-1), 4.0);
    QCOMPARE(gpt->price.cachedInput, 0.5);
    const auto claude = imported->catalog.find(QStringLiteral("claude-sonnet-4-5"));
    QCOMPARE(claude->price.longContextThreshold, qint64(200000));
    QCOMPARE(claude->price.longContextInput, 6.0);
    QCOMPARE(claude->price.longContextOutput, 22.5);
    QCOMPARE(claude->price.longContextCachedInput, 0.6); // the cache discount kept at the tier
    QCOMPARE(claude->extra.value(QLatin1String("cache_creation_input_token_cost")).toDouble(), 3.75e-06);
    const auto gemini = imported->catalog.find(QStringLiteral("gemini/gemini-2.5-flash"));
    QCOMPARE(gemini->reasoningOutput.value_or(-1), 2.5);
    QCOMPARE(gemini->provider, QStringLiteral("gemini"));
}

void TestUserCatalog::liteLlmWithoutChatModelsFails()
{
    QString error;
    QVERIFY(!importLiteLlm(R"({"sample_spec": {}, "e": {"mode": "embedding", "input_cost_per_token": 1e-07}})",
                           QStringLiteral("x.json"), &error));
    QCOMPARE(error, QStringLiteral("x.json: no chat model with input and output prices found"));
    QVERIFY(!importLiteLlm("[1]", QStringLiteral("x.json"), &error));
    QVERIFY(error.startsWith(QLatin1String("x.json: ")));
}

void TestUserCatalog::userEntriesOverrideShippedAndSurviveReload()
{
    const QString path = m_dir.filePath(QStringLiteral("override/prices.user.json"));
    {
        UserPriceCatalog user(path);
        QString error;
        QVERIFY(user.load(&error)); // no file yet: empty
        QVERIFY(user.entries().isEmpty());
        CatalogEntry cheaper = *PriceCatalog::shipped().find(QStringLiteral("deepseek-chat"));
        cheaper.price.output = 0.21;
        user.upsert(cheaper);
        user.upsert(entry(QStringLiteral("my-model"), 1.0, 2.0));
        QVERIFY2(user.save(&error), qPrintable(error));
    }
    UserPriceCatalog reloaded(path);
    QString error;
    QVERIFY2(reloaded.load(&error), qPrintable(error));
    const PriceCatalog merged = reloaded.mergedOver(PriceCatalog::shipped());
    QCOMPARE(merged.find(QStringLiteral("deepseek-chat"))->price.output, 0.21); // the user wins
    QCOMPARE(merged.find(QStringLiteral("my-model"))->price.output, 2.0);
    QCOMPARE(merged.find(QStringLiteral("gpt-4.1"))->price.output, 8.0); // the rest as shipped
    QCOMPARE(merged.ids().first(), QStringLiteral("deepseek-chat"));     // shipped order, new ids after
    QCOMPARE(merged.ids().last(), QStringLiteral("my-model"));
    // Deleting the user's edit brings the shipped price back.
    QVERIFY(reloaded.remove(QStringLiteral("deepseek-chat")));
    QVERIFY(!reloaded.remove(QStringLiteral("deepseek-chat")));
    QCOMPARE(reloaded.mergedOver(PriceCatalog::shipped()).find(QStringLiteral("deepseek-chat"))->price.output, 0.42);
}

void TestUserCatalog::hiddenShippedEntryStaysHidden()
{
    const QString path = m_dir.filePath(QStringLiteral("hidden/prices.user.json"));
    UserPriceCatalog user(path);
    user.hide(QStringLiteral("gpt-4.1"));
    QString error;
    QVERIFY(user.save(&error));
    UserPriceCatalog reloaded(path);
    QVERIFY(reloaded.load(&error));
    QCOMPARE(reloaded.hiddenIds(), QStringList{QStringLiteral("gpt-4.1")});
    QVERIFY(!reloaded.mergedOver(PriceCatalog::shipped()).contains(QStringLiteral("gpt-4.1")));
    reloaded.upsert(entry(QStringLiteral("gpt-4.1"), 1, 1)); // re-adding it shows it again
    QCOMPARE(reloaded.mergedOver(PriceCatalog::shipped()).find(QStringLiteral("gpt-4.1"))->price.output, 1.0);
}

void TestUserCatalog::effectiveCatalogueReadsTheDataDirectory()
{
    const QString data = m_dir.filePath(QStringLiteral("data"));
    qputenv("RELAYBENCH_DATA_DIR", data.toUtf8());
    QCOMPARE(UserPriceCatalog::defaultPath(), data + QStringLiteral("/prices.user.json"));
    UserPriceCatalog user;
    user.importCatalog(importLiteLlm(readTestFile(QStringLiteral("litellm/model_prices_excerpt.json")),
                                     QStringLiteral("litellm.json"), nullptr)
                           ->catalog);
    QString error;
    QVERIFY(user.save(&error));
    QString warning;
    const PriceCatalog effective = effectivePriceCatalog(&warning);
    QVERIFY(warning.isEmpty());
    QVERIFY(effective.contains(QStringLiteral("amazon.nova-2-lite-v1:0")));
    QVERIFY(effective.contains(QStringLiteral("claude-sonnet-4.5")));
    qunsetenv("RELAYBENCH_DATA_DIR");
}

void TestUserCatalog::brokenUserFileIsReportedNotFatal()
{
    const QString data = m_dir.filePath(QStringLiteral("broken"));
    QDir().mkpath(data);
    QFile file(data + QStringLiteral("/prices.user.json"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"models": [{"id": "x", "input": -1, "output": 1}]})");
    file.close();
    qputenv("RELAYBENCH_DATA_DIR", data.toUtf8());
    QString warning;
    const PriceCatalog effective = effectivePriceCatalog(&warning);
    qunsetenv("RELAYBENCH_DATA_DIR");
    QVERIFY2(warning.endsWith(QLatin1String("prices.user.json: models[0].input: must be a number >= 0, got -1")),
             qPrintable(warning));
    QVERIFY(effective.contains(QStringLiteral("deepseek-chat"))); // the shipped prices still work
    QVERIFY(!effective.contains(QStringLiteral("x")));
}

void TestUserCatalog::exportReadsBackWhole()
{
    PriceCatalog catalog = PriceCatalog::shipped();
    catalog.mergeFrom(importLiteLlm(readTestFile(QStringLiteral("litellm/model_prices_excerpt.json")),
                                    QStringLiteral("litellm.json"), nullptr)
                          ->catalog);
    QString error;
    const auto back = PriceCatalog::fromJson(catalog.toJson(), QStringLiteral("export.json"), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->ids(), catalog.ids());
    for (const CatalogEntry &original : catalog.entries()) {
        const CatalogEntry copy = *back->find(original.id);
        QCOMPARE(copy.name, original.name);
        QCOMPARE(copy.provider, original.provider);
        QCOMPARE(copy.price.input, original.price.input);
        QCOMPARE(copy.price.cachedInput, original.price.cachedInput);
        QCOMPARE(copy.price.output, original.price.output);
        QCOMPARE(copy.price.longContextThreshold, original.price.longContextThreshold);
        QCOMPARE(copy.price.longContextOutput, original.price.longContextOutput);
        QCOMPARE(copy.batchInput, original.batchInput);
        QCOMPARE(copy.reasoningOutput, original.reasoningOutput);
        QCOMPARE(copy.sourceUrl, original.sourceUrl);
        QCOMPARE(copy.checked, original.checked);
        QCOMPARE(copy.extra, original.extra);
    }
}

void TestUserCatalog::anyFormatIsRecognised()
{
    QString error;
    const auto litellm = PriceCatalog::fromAnyJson(readTestFile(QStringLiteral("litellm/model_prices_excerpt.json")),
                                                   QStringLiteral("l.json"), &error);
    QVERIFY2(litellm, qPrintable(error));
    QCOMPARE(litellm->ids().size(), 3);
    const auto own = PriceCatalog::fromAnyJson(R"({"models": [{"id": "a", "input": 1, "output": 2}]})",
                                               QStringLiteral("o.json"), &error);
    QVERIFY2(own, qPrintable(error));
    QCOMPARE(own->ids(), QStringList{QStringLiteral("a")});
}

QTEST_GUILESS_MAIN(TestUserCatalog)
#include "tst_usercatalog.moc"
