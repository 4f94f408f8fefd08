#include "campaign/campaignestimate.h"
#include "campaign/campaignloader.h"
#include "pricing/pricecatalog.h"

#include <QElapsedTimer>
#include <QTest>

using namespace relaybench;

class TestCampaignEstimate : public QObject
{
    Q_OBJECT

private slots:
    void requestsAndWorstCaseAttempts();
    void costSumsCataloguePrices();
    void openLoopDuration_data();
    void openLoopDuration();
    void closedLoopAssumesLatencyForRealEndpoints();
    void closedLoopUsesTheSimulatorsMean();
    void durationLimitCapsTheRun();
    void textSaysItAll();
    void fastEnoughForEveryKeystroke();
    void describeDuration_data();
    void describeDuration();
};

namespace {

const PriceCatalog &catalog()
{
    static const PriceCatalog shipped = PriceCatalog::shipped();
    return shipped;
}

Campaign campaignFrom(const QByteArray &json)
{
    const CampaignLoadResult result = parseCampaign(json, QStringLiteral("test.json"), QString(), catalog());
    if (!result.campaign)
        qFatal("bad test campaign: %s", qPrintable(result.errors.join(QLatin1Char('\n'))));
    return *result.campaign;
}

} // namespace

void TestCampaignEstimate::requestsAndWorstCaseAttempts()
{
    const Campaign campaign = campaignFrom(R"({"targets": [
        {"name": "a", "base_url": "sim://relay", "model": "m"}, {"name": "b", "base_url": "sim://relay", "model": "m"}],
        "load": {"requests": 1000, "warmup_requests": 10}, "retry": {"max_attempts": 3}})");
    const CampaignEstimate estimate = estimateCampaign(campaign);
    QCOMPARE(estimate.targets, 2);
    QCOMPARE(estimate.requests, 2 * 1010);
    QCOMPARE(estimate.worstCaseAttempts, 3 * 2 * 1010);
    QCOMPARE(estimate.unpricedTargets, 2);
    QCOMPARE(estimate.maxCostUsd, 0.0);
}

void TestCampaignEstimate::costSumsCataloguePrices()
{
    // Prompts of 40 and 2 characters: ceil(chars / 4) + 4 per message = 14 and 5 tokens, as the engine
    // estimates them. 3 requests: prompts 1, 2, 1 -> 33 prompt tokens; output at most 3 x 128.
    const Campaign campaign = campaignFrom(R"({"targets": [
        {"name": "catalogue", "base_url": "sim://relay", "model": "m", "price": "deepseek-chat"},
        {"name": "inline", "base_url": "sim://relay", "model": "m", "price": {"input": 3, "output": 15}},
        {"name": "free", "base_url": "sim://relay", "model": "m"}],
        "load": {"requests": 3}, "retry": {"max_attempts": 2},
        "request": {"prompts": ["0123456789012345678901234567890123456789", "ab"], "max_tokens": 128}})");
    const Price deepseek = catalog().find(QStringLiteral("deepseek-chat"))->price;
    const double expected = (33.0 * deepseek.input + 384.0 * deepseek.output) / 1e6 + (33.0 * 3 + 384.0 * 15) / 1e6;
    const CampaignEstimate estimate = estimateCampaign(campaign);
    QVERIFY(deepseek.input > 0.0 && deepseek.output > 0.0);
    QVERIFY2(qFuzzyCompare(estimate.maxCostUsd, expected),
             qPrintable(QStringLiteral("%1 vs %2").arg(estimate.maxCostUsd).arg(expected)));
    QVERIFY(qFuzzyCompare(estimate.worstCaseCostUsd, 2 * expected));
    QCOMPARE(estimate.unpricedTargets, 1);
    QCOMPARE(estimate.requests, 9);
}

void TestCampaignEstimate::openLoopDuration_data()
{
    QTest::addColumn<QByteArray>("load");
    QTest::addColumn<double>("seconds");
    QTest::addRow("constant") << QByteArray(R"({"mode": "open", "rate": 5, "requests": 100})") << 20.0;
    QTest::addRow("poisson, warm-up") << QByteArray(R"({"mode": "open", "rate": 4, "arrival": "poisson",
                                                     "requests": 100, "warmup_requests": 20})")
                                      << 30.0;
    // 10 s at a mean of 52.5% of 5/s sends 26.25 requests; the other 73.75 take 14.75 s at full rate.
    QTest::addRow("ramp") << QByteArray(R"({"mode": "open", "rate": 5, "requests": 100, "ramp_up_s": 10})") << 24.75;
    // Fewer requests than the ramp holds: 5 * (0.05 t + 0.475 t^2 / 10) = 10 -> t = 5.98 s.
    QTest::addRow("inside the ramp") << QByteArray(R"({"mode": "open", "rate": 5, "requests": 10, "ramp_up_s": 10})")
                                     << 5.9762;
}

void TestCampaignEstimate::openLoopDuration()
{
    QFETCH(QByteArray, load);
    QFETCH(double, seconds);
    const Campaign campaign = campaignFrom(
        R"({"targets": [{"name": "a", "base_url": "https://api.example.com/v1", "model": "m"}], "load": )" + load +
        "}");
    const CampaignEstimate estimate = estimateCampaign(campaign);
    QVERIFY2(std::abs(estimate.durationS - seconds) < 0.01, qPrintable(QString::number(estimate.durationS)));
    QVERIFY(estimate.latencyAssumption.isEmpty()); // the open loop does not depend on the server's latency
}

void TestCampaignEstimate::closedLoopAssumesLatencyForRealEndpoints()
{
    const Campaign campaign = campaignFrom(R"({"targets": [
        {"name": "real", "base_url": "https://api.example.com/v1", "model": "m"}],
        "load": {"concurrency": 4, "requests": 100}})");
    const CampaignEstimate estimate = estimateCampaign(campaign);
    QCOMPARE(estimate.durationS, 100 * assumedLatencyS / 4);
    QVERIFY(estimate.latencyAssumption.contains(QLatin1String("assuming 2 s per request for real")));
    QVERIFY(estimate.text.contains(estimate.latencyAssumption));
}

void TestCampaignEstimate::closedLoopUsesTheSimulatorsMean()
{
    // relay: about 48 ms mean when it answers (tst_simplan checks the profile's claim from 200,000 draws);
    // its 0.1% hangs last the total timeout, 1 s here.
    const Campaign campaign = campaignFrom(R"({"targets": [{"name": "sim", "base_url": "sim://relay", "model": "m"}],
        "load": {"concurrency": 2, "requests": 1000}, "request": {"stream": false}, "timeouts": {"total_s": 1}})");
    const double mean = simulatedMeanLatencyS(campaign, campaign.targets.first(), QString());
    QVERIFY2(mean > 0.035 && mean < 0.065, qPrintable(QString::number(mean)));
    // With the default 60 s timeout the hangs add about 0.001 x 60 s = 60 ms.
    Campaign longTimeout = campaign;
    longTimeout.timeouts.totalS = 60.0;
    const double withHangs = simulatedMeanLatencyS(longTimeout, campaign.targets.first(), QString());
    QVERIFY2(withHangs > mean + 0.03 && withHangs < mean + 0.1, qPrintable(QString::number(withHangs)));
    const CampaignEstimate estimate = estimateCampaign(campaign);
    QVERIFY(qFuzzyCompare(estimate.durationS, 1000 * mean / 2));
    QVERIFY(estimate.latencyAssumption.isEmpty());

    // A hang ends in the total timeout: direct-peak's 9% hangs at 8 s weigh more than its 2.3 s mean.
    const Campaign peak = campaignFrom(R"({"targets": [{"name": "p", "base_url": "sim://direct-peak", "model": "m"}],
        "timeouts": {"total_s": 8}})");
    const double peakMean = simulatedMeanLatencyS(peak, peak.targets.first(), QString());
    QVERIFY2(peakMean > 2.0 && peakMean < 4.0, qPrintable(QString::number(peakMean)));
    // A profile that cannot be loaded falls back to the stated assumption.
    const Campaign missing =
        campaignFrom(R"({"targets": [{"name": "x", "base_url": "sim://no-such.json", "model": "m"}]})");
    QVERIFY(estimateCampaign(missing).latencyAssumption.contains(QLatin1String("for x")));
}

void TestCampaignEstimate::durationLimitCapsTheRun()
{
    const Campaign open = campaignFrom(R"({"targets": [{"name": "a", "base_url": "https://h.example/v1", "model": "m"}],
        "load": {"mode": "open", "rate": 5, "requests": 1000, "duration_s": 10}})");
    CampaignEstimate estimate = estimateCampaign(open);
    QCOMPARE(estimate.durationS, 10.0);
    QVERIFY(estimate.durationCappedByLimit);
    QCOMPARE(estimate.requests, 50);

    const Campaign unlimited =
        campaignFrom(R"({"targets": [{"name": "a", "base_url": "https://h.example/v1", "model": "m"}],
        "load": {"concurrency": 4, "requests": 0, "duration_s": 60}})");
    estimate = estimateCampaign(unlimited);
    QCOMPARE(estimate.durationS, 60.0);
    QCOMPARE(estimate.requests, qint64(60 * 4 / assumedLatencyS));
}

void TestCampaignEstimate::textSaysItAll()
{
    const Campaign campaign = campaignFrom(R"({"targets": [
        {"name": "a", "base_url": "https://a.example/v1", "model": "m", "price": "deepseek-chat"},
        {"name": "b", "base_url": "https://b.example/v1", "model": "m", "price": "deepseek-chat"}],
        "load": {"mode": "open", "rate": 5, "requests": 1000}})");
    const CampaignEstimate estimate = estimateCampaign(campaign);
    QVERIFY2(estimate.text.startsWith(QStringLiteral("2,000 requests to 2 targets, at most $%1 at catalogue prices, "
                                                     "about 3 minutes")
                                          .arg(estimate.maxCostUsd, 0, 'f', 2)),
             qPrintable(estimate.text));
}

void TestCampaignEstimate::fastEnoughForEveryKeystroke()
{
    // The editor estimates on every edit, on the GUI thread: the demo (two simulated targets) must stay cheap.
    CampaignLoadResult demo = loadCampaignFile(QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/demo.json"), catalog());
    QVERIFY(demo.campaign);
    QElapsedTimer timer;
    timer.start();
    constexpr int rounds = 20;
    for (int i = 0; i < rounds; ++i)
        QVERIFY(estimateCampaign(*demo.campaign).requests == 200);
    const double ms = double(timer.nsecsElapsed()) / 1e6 / rounds;
    qInfo("estimate of the demo campaign: %.2f ms", ms);
    QVERIFY2(ms < 50.0, qPrintable(QString::number(ms)));
}

void TestCampaignEstimate::describeDuration_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");
    QTest::addRow("under a second") << 0.2 << "about 1 second";
    QTest::addRow("seconds") << 42.4 << "about 42 seconds";
    QTest::addRow("minutes") << 200.0 << "about 3 minutes";
    QTest::addRow("hours") << 9000.0 << "about 2.5 hours";
}

void TestCampaignEstimate::describeDuration()
{
    QFETCH(double, seconds);
    QFETCH(QString, text);
    QCOMPARE(relaybench::describeDuration(seconds), text);
}

QTEST_GUILESS_MAIN(TestCampaignEstimate)
#include "tst_campaignestimate.moc"
