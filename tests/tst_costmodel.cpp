#include "pricing/costmodel.h"

#include <QTest>

#include <cmath>

using namespace relaybench;

// The cost calculator's sums, checked against the articles' figures (notes/pricing.md) and by hand.
class TestCostModel : public QObject
{
    Q_OBJECT

private slots:
    void articlesTenMillionOutputTokens_data();
    void articlesTenMillionOutputTokens();
    void savingsAgainstBaseline();
    void planFeeSpreadPerMillionTokens_data();
    void planFeeSpreadPerMillionTokens();
    void longContextRequestRepricedWhole_data();
    void longContextRequestRepricedWhole();
    void cachedShare_data();
    void cachedShare();
    void batchRetriesAndReasoning_data();
    void batchRetriesAndReasoning();
    void currencyConversion();
    void yuanPerDollarRelay();
    void growthCompoundsOverTheYear();
    void breakEvenBetweenDirectAndFlatPlan();
    void costCurveIsLinearWithoutPlan();
    void formatting_data();
    void formatting();
};

namespace {

const PriceCatalog &catalog()
{
    static const PriceCatalog shipped = PriceCatalog::shipped();
    return shipped;
}

CostOption direct(const char *id)
{
    return CostOption{*catalog().find(QLatin1String(id)), std::nullopt};
}

CostOption through(const char *id, const Plan &plan)
{
    return CostOption{*catalog().find(QLatin1String(id)), plan};
}

// 10,000 requests of 1,000 output tokens: the articles' "10M output tokens a month".
Workload tenMillionOutput()
{
    Workload w;
    w.requestsPerMonth = 10000;
    w.outputTokensPerRequest = 1000;
    return w;
}

bool near(double actual, double expected)
{
    return std::abs(actual - expected) <= 1e-9 * std::max(1.0, std::abs(expected));
}

} // namespace

void TestCostModel::articlesTenMillionOutputTokens_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<double>("monthly");
    QTest::addColumn<QString>("working");
    // $4.20 / $25 / $80 / $150, not thousands of dollars as one seed document has it.
    QTest::addRow("deepseek-chat") << QStringLiteral("deepseek-chat") << 4.20
                                   << QStringLiteral("10M output tokens × $0.42/M = $4.20");
    QTest::addRow("gemini-2.5-flash") << QStringLiteral("gemini-2.5-flash") << 25.00
                                      << QStringLiteral("10M output tokens × $2.50/M = $25.00");
    QTest::addRow("gpt-4.1") << QStringLiteral("gpt-4.1") << 80.00
                             << QStringLiteral("10M output tokens × $8.00/M = $80.00");
    QTest::addRow("claude-sonnet-4.5") << QStringLiteral("claude-sonnet-4.5") << 150.00
                                       << QStringLiteral("10M output tokens × $15.00/M = $150.00");
}

void TestCostModel::articlesTenMillionOutputTokens()
{
    QFETCH(QString, id);
    QFETCH(double, monthly);
    QFETCH(QString, working);
    const CostRow row = costRow(tenMillionOutput(), CostOption{*catalog().find(id), std::nullopt});
    QVERIFY2(near(row.monthlyUsd, monthly), qPrintable(QString::number(row.monthlyUsd, 'g', 17)));
    QVERIFY(near(row.annualUsd, 12 * monthly));
    QVERIFY(row.effectiveUsdPerMtokOutput);
    QVERIFY(near(*row.effectiveUsdPerMtokOutput, monthly / 10)); // = the output price
    QVERIFY(row.costPer1kRequestsUsd);
    QVERIFY(near(*row.costPer1kRequestsUsd, monthly / 10));
    QCOMPARE(row.monthlyWorking.first(), working);
    QCOMPARE(row.plan, QStringLiteral("direct"));
    QVERIFY(!row.savingsPct); // no baseline asked for
}

void TestCostModel::savingsAgainstBaseline()
{
    const QList<CostRow> rows =
        compareCosts(tenMillionOutput(), {direct("deepseek-chat"), direct("gpt-4.1")}, direct("gpt-4.1"));
    QCOMPARE(rows.size(), 2);
    QVERIFY(rows[0].savingsPct && rows[0].savingsUsd);
    QVERIFY2(near(*rows[0].savingsPct, 94.75), qPrintable(QString::number(*rows[0].savingsPct, 'g', 17)));
    QVERIFY(near(*rows[0].savingsUsd, 75.80));
    QCOMPARE(rows[0].savingsWorking,
             QStringLiteral("$80.00 (gpt-4.1, direct) − $4.20 = $75.80 a month; $75.80 ÷ $80.00 = 94.75%"));
    QVERIFY(near(*rows[1].savingsPct, 0.0));
}

void TestCostModel::planFeeSpreadPerMillionTokens_data()
{
    QTest::addColumn<double>("fee");
    QTest::addColumn<double>("includedTokens");
    QTest::addColumn<double>("requests");
    QTest::addColumn<double>("monthly");
    QTest::addColumn<double>("perMtok");
    // $199 over 10M tokens is $19.90 per million (not $0.0199, as one seed document has it).
    QTest::addRow("$199 for 10M") << 199.0 << 10e6 << 10000.0 << 199.0 << 19.90;
    QTest::addRow("$29 for 1M") << 29.0 << 1e6 << 1000.0 << 29.0 << 29.0;
    // Half the included volume used: the whole fee is still due, over half the tokens.
    QTest::addRow("$199, 5M used") << 199.0 << 10e6 << 5000.0 << 199.0 << 39.80;
    // 1M included, 10M used: 9M metered at deepseek-chat's list price, 9 x $0.42.
    QTest::addRow("$29 for 1M, 10M used") << 29.0 << 1e6 << 10000.0 << 29.0 + 9 * 0.42 << (29.0 + 9 * 0.42) / 10;
}

void TestCostModel::planFeeSpreadPerMillionTokens()
{
    QFETCH(double, fee);
    QFETCH(double, includedTokens);
    QFETCH(double, requests);
    QFETCH(double, monthly);
    QFETCH(double, perMtok);
    Plan plan;
    plan.name = QStringLiteral("relay");
    plan.monthlyFee = fee;
    plan.includedTokens = includedTokens;
    Workload w = tenMillionOutput();
    w.requestsPerMonth = requests;
    const CostRow row = costRow(w, through("deepseek-chat", plan));
    QVERIFY2(near(row.monthlyUsd, monthly), qPrintable(QString::number(row.monthlyUsd, 'g', 17)));
    QVERIFY(near(*row.effectiveUsdPerMtokOutput, perMtok));
    QCOMPARE(row.plan, QStringLiteral("relay"));
}

void TestCostModel::longContextRequestRepricedWhole_data()
{
    QTest::addColumn<double>("promptTokens");
    QTest::addColumn<double>("usd");
    QTest::addColumn<bool>("longContext");
    // claude-sonnet-4.5: 3.00 / 15.00, and above 200K input 6.00 / 22.50 on the WHOLE request.
    QTest::addRow("200K: standard") << 200000.0 << (200000 * 3.00 + 1000 * 15.00) / 1e6 << false;
    QTest::addRow("200,001: all long") << 200001.0 << (200001 * 6.00 + 1000 * 22.50) / 1e6 << true;
    QTest::addRow("250K: all long") << 250000.0 << (250000 * 6.00 + 1000 * 22.50) / 1e6 << true;
}

void TestCostModel::longContextRequestRepricedWhole()
{
    QFETCH(double, promptTokens);
    QFETCH(double, usd);
    QFETCH(bool, longContext);
    Workload w;
    w.requestsPerMonth = 1;
    w.inputTokensPerRequest = promptTokens;
    w.outputTokensPerRequest = 1000;
    QStringList working;
    const double cost = monthlyCostUsd(w, direct("claude-sonnet-4.5"), 1, Currency::usd(), &working);
    QVERIFY2(near(cost, usd), qPrintable(QString::number(cost, 'g', 17)));
    QCOMPARE(working.join(QLatin1Char('\n')).contains(QLatin1String("long-context")), longContext);
    // The engine prices an attempt the same way.
    const Price price = catalog().find(QStringLiteral("claude-sonnet-4.5"))->price;
    QVERIFY(near(attemptCostUsd(price, qint64(promptTokens), 0, 1000), usd));
}

void TestCostModel::cachedShare_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<double>("share");
    QTest::addColumn<double>("usd");
    // 1,000 requests x 1,000 prompt tokens = 1M prompt tokens, no output.
    QTest::addRow("gpt-4.1 none cached") << QStringLiteral("gpt-4.1") << 0.0 << 2.00;
    QTest::addRow("gpt-4.1 40 pct cached") << QStringLiteral("gpt-4.1") << 0.4 << 0.6 * 2.00 + 0.4 * 0.50;
    QTest::addRow("deepseek all cached") << QStringLiteral("deepseek-chat") << 1.0 << 0.028;
    QTest::addRow("claude 90 pct cached") << QStringLiteral("claude-sonnet-4.5") << 0.9 << 0.1 * 3.00 + 0.9 * 0.30;
}

void TestCostModel::cachedShare()
{
    QFETCH(QString, id);
    QFETCH(double, share);
    QFETCH(double, usd);
    Workload w;
    w.requestsPerMonth = 1000;
    w.inputTokensPerRequest = 1000;
    w.cachedInputShare = share;
    const double cost = monthlyCostUsd(w, CostOption{*catalog().find(id), std::nullopt}, w.requestsPerMonth);
    QVERIFY2(near(cost, usd), qPrintable(QString::number(cost, 'g', 17)));
}

void TestCostModel::batchRetriesAndReasoning_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<double>("batchShare");
    QTest::addColumn<double>("retries");
    QTest::addColumn<double>("reasoning");
    QTest::addColumn<double>("usd");
    // 1,000 requests x (1,000 in + 1,000 out): 1M input and 1M output tokens.
    QTest::addRow("gpt-4.1 list") << QStringLiteral("gpt-4.1") << 0.0 << 0.0 << 0.0 << 2.00 + 8.00;
    QTest::addRow("gpt-4.1 all batch") << QStringLiteral("gpt-4.1") << 1.0 << 0.0 << 0.0 << 1.00 + 4.00;
    QTest::addRow("gpt-4.1 half batch") << QStringLiteral("gpt-4.1") << 0.5 << 0.0 << 0.0 << 0.5 * 10.0 + 0.5 * 5.0;
    QTest::addRow("no batch price: list") << QStringLiteral("deepseek-chat") << 1.0 << 0.0 << 0.0 << 0.28 + 0.42;
    QTest::addRow("0.5 retries per success") << QStringLiteral("gpt-4.1") << 0.0 << 0.5 << 0.0 << 1.5 * 10.0;
    QTest::addRow("reasoning as output") << QStringLiteral("deepseek-chat") << 0.0 << 0.0 << 2000.0
                                         << 0.28 + 0.42 + 2 * 0.42;
    QTest::addRow("gemini reasoning price")
        << QStringLiteral("gemini-2.5-flash") << 0.0 << 0.0 << 1000.0 << 0.30 + 2.50 + 2.50;
}

void TestCostModel::batchRetriesAndReasoning()
{
    QFETCH(QString, id);
    QFETCH(double, batchShare);
    QFETCH(double, retries);
    QFETCH(double, reasoning);
    QFETCH(double, usd);
    Workload w;
    w.requestsPerMonth = 1000;
    w.inputTokensPerRequest = 1000;
    w.outputTokensPerRequest = 1000;
    w.batchShare = batchShare;
    w.retryOverhead = retries;
    w.reasoningTokensPerRequest = reasoning;
    const double cost = monthlyCostUsd(w, CostOption{*catalog().find(id), std::nullopt}, w.requestsPerMonth);
    QVERIFY2(near(cost, usd), qPrintable(QString::number(cost, 'g', 17)));
}

void TestCostModel::currencyConversion()
{
    const Currency cny = Currency::cny(7.3);
    QCOMPARE(formatMoney(4.20, cny), QStringLiteral("¥30.66"));
    QCOMPARE(formatMoney(80.0, Currency::cny(7.0)), QStringLiteral("¥560.00"));
    const CostRow row = costRow(tenMillionOutput(), direct("deepseek-chat"), cny);
    QVERIFY(near(row.monthlyUsd, 4.20)); // figures stay in USD, the working is in yuan
    QCOMPARE(row.monthlyWorking.first(), QStringLiteral("10M output tokens × ¥3.07/M = ¥30.66"));
}

void TestCostModel::yuanPerDollarRelay()
{
    // The articles' relay bills ¥1 per $1 of list-price usage while a dollar costs ¥7.3.
    Plan relay;
    relay.name = QStringLiteral("yuan-per-dollar");
    relay.currency = QStringLiteral("CNY");
    relay.exchangeRate = 7.3;
    relay.usageRate = 1.0;
    const CostRow row = costRow(tenMillionOutput(), through("gpt-4.1", relay));
    QVERIFY(near(row.monthlyUsd, 80.0 / 7.3));
    QVERIFY(row.monthlyWorking.contains(QStringLiteral("¥80.00 ÷ ¥7.30 per $ = $10.96")));
    const QList<CostRow> rows = compareCosts(tenMillionOutput(), {through("gpt-4.1", relay)}, direct("gpt-4.1"));
    QVERIFY(near(*rows[0].savingsPct, (1.0 - 1.0 / 7.3) * 100.0)); // ~86.3%, the articles' "~86% cheaper"
    // A top-up fee and a markup add to the metered part only.
    Plan card;
    card.name = QStringLiteral("card");
    card.topUpFeePct = 5.5;
    card.markupPct = 10;
    card.monthlyFee = 1;
    QVERIFY(near(costRow(tenMillionOutput(), through("gpt-4.1", card)).monthlyUsd, 1 + 80.0 * 1.1 * 1.055));
}

void TestCostModel::growthCompoundsOverTheYear()
{
    Workload w = tenMillionOutput();
    w.monthlyGrowth = 0.10;
    const CostRow row = costRow(w, direct("gpt-4.1"));
    double expected = 0;
    for (int k = 0; k < 12; ++k)
        expected += 80.0 * std::pow(1.1, k);
    QVERIFY(near(row.monthlyUsd, 80.0));
    QVERIFY2(near(row.annualUsd, expected), qPrintable(QString::number(row.annualUsd, 'g', 17)));
    QVERIFY(row.annualWorking.startsWith(QLatin1String("12 months, requests growing 10% a month")));
}

void TestCostModel::breakEvenBetweenDirectAndFlatPlan()
{
    // gpt-4.1 directly: $0.008 a request (1,000 output tokens); a $40 flat plan: equal at 5,000 requests.
    Plan flat;
    flat.name = QStringLiteral("flat");
    flat.monthlyFee = 40;
    flat.includedTokens = 1e12;
    const QList<double> crossings =
        breakEvenRequestsPerMonth(tenMillionOutput(), direct("gpt-4.1"), through("gpt-4.1", flat), 20000);
    QCOMPARE(crossings.size(), 1);
    QVERIFY2(std::abs(crossings.first() - 5000.0) < 1e-6, qPrintable(QString::number(crossings.first(), 'g', 17)));
    // A 1M-token plan runs out at 1,000 requests and then costs list price on top: it never meets direct again.
    Plan small;
    small.name = QStringLiteral("small");
    small.monthlyFee = 4;
    small.includedTokens = 1e6;
    const QList<double> twice =
        breakEvenRequestsPerMonth(tenMillionOutput(), direct("gpt-4.1"), through("gpt-4.1", small), 20000);
    QCOMPARE(twice.size(), 1);
    QVERIFY(std::abs(twice.first() - 500.0) < 1e-6);
    QVERIFY(breakEvenRequestsPerMonth(tenMillionOutput(), direct("gpt-4.1"), direct("deepseek-chat"), 20000).isEmpty());
}

void TestCostModel::costCurveIsLinearWithoutPlan()
{
    const QList<QPointF> curve = costCurve(tenMillionOutput(), direct("deepseek-chat"), 20000, 5);
    QCOMPARE(curve.size(), 5);
    QCOMPARE(curve.first(), QPointF(0, 0));
    QVERIFY(near(curve.last().x(), 20000));
    QVERIFY(near(curve.last().y(), 8.40));
    QVERIFY(near(curve[2].y(), 4.20));
}

void TestCostModel::formatting_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("money");
    QTest::addColumn<QString>("tokens");
    QTest::addRow("4.2") << 4.2 << QStringLiteral("$4.20") << QStringLiteral("4.2");
    QTest::addRow("1234.5") << 1234.5 << QStringLiteral("$1,234.50") << QStringLiteral("1.2345K");
    QTest::addRow("tiny") << 0.0042 << QStringLiteral("$0.0042") << QStringLiteral("0.0042");
    QTest::addRow("10M") << 1e7 << QStringLiteral("$10,000,000.00") << QStringLiteral("10M");
    QTest::addRow("negative") << -70.0 << QStringLiteral("-$70.00") << QStringLiteral("-70");
    QTest::addRow("zero") << 0.0 << QStringLiteral("$0.00") << QStringLiteral("0");
}

void TestCostModel::formatting()
{
    QFETCH(double, value);
    QFETCH(QString, money);
    QFETCH(QString, tokens);
    QCOMPARE(formatMoney(value, Currency::usd()), money);
    QCOMPARE(formatTokens(value), tokens);
}

QTEST_GUILESS_MAIN(TestCostModel)
#include "tst_costmodel.moc"
