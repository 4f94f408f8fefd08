#include "enginetesthelpers.h"

#include <QElapsedTimer>
#include <QTest>

using namespace relaybench;
using namespace enginetest;

// Load shapes: the concurrency cap of the open loop, ramps, durations, Poisson arrivals, client limits.
class TestEngineLoad : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void openLoopCapQueuesAndCountsTheWait();
    void closedLoopRampsUp();
    void durationEndsTheRun();
    void poissonArrivalsHaveTheRequestedMean();
    void clientRequestLimitSpacesRequests();
    void everyPromptIsUsedInTurn();

private:
    std::unique_ptr<SimServer> m_fast;
};

void TestEngineLoad::initTestCase()
{
    m_fast = startSimulator("{\"ttft_ms\": 2, \"tpot_ms\": 0, \"completion_tokens\": 2}", 2);
}

void TestEngineLoad::openLoopCapQueuesAndCountsTheWait()
{
    // 50 requests/s into a 200 ms server with at most 2 in flight: the server can take 10/s, so
    // requests queue in the engine and their response time grows while their latency does not.
    auto slow = startSimulator("{\"ttft_ms\": 200, \"tpot_ms\": 0, \"completion_tokens\": 1}");
    Campaign campaign = campaignFor({slow->baseUrl().toString()}, 2, 20);
    campaign.load.mode = LoadSpec::Mode::Open;
    campaign.load.rate = 50.0;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(slow->stats().peakInFlight, 2);
    double lastQueue = 0.0;
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(r.outcome, Outcome::Ok);
        QVERIFY(r.latencyMs() < 260.0);
        lastQueue = std::max(lastQueue, r.queueMs());
    }
    // The 20th arrival (at 380 ms) is sent when the 10th pair finishes, at about 2 s.
    QVERIFY2(lastQueue > 1400.0, qPrintable(QString::number(lastQueue)));
    const QJsonObject target = out.summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    QVERIFY(target.value(QLatin1String("response_time_ms")).toObject().value(QLatin1String("max")).toDouble() > 1600.0);
    QVERIFY(target.value(QLatin1String("latency_ms")).toObject().value(QLatin1String("max")).toDouble() < 260.0);
}

void TestEngineLoad::closedLoopRampsUp()
{
    auto slow = startSimulator("{\"ttft_ms\": 100, \"tpot_ms\": 0, \"completion_tokens\": 1}", 2);
    Campaign campaign = campaignFor({slow->baseUrl().toString()}, 10, 60);
    campaign.load.rampUpS = 1.0;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    // Concurrency at time t is ceil(10 t / 1 s): the first 100 ms carry one or two requests.
    int early = 0;
    for (const AttemptRecord &r : out.records)
        early += r.scheduledMs < 100.0;
    QVERIFY2(early <= 2, qPrintable(QString::number(early)));
    QCOMPARE(slow->stats().peakInFlight, 10);
}

void TestEngineLoad::durationEndsTheRun()
{
    Campaign campaign = campaignFor({m_fast->baseUrl().toString()}, 4, 0);
    campaign.load.durationS = 0.5;
    QElapsedTimer clock;
    clock.start();
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QVERIFY(clock.elapsed() < 2000);
    QVERIFY(out.records.size() > 20);
    for (const AttemptRecord &r : out.records)
        QVERIFY(r.scheduledMs <= 500.0 + 1.0);
    QCOMPARE(out.summary.value(QLatin1String("stopped_early")).toBool(), false);
}

void TestEngineLoad::poissonArrivalsHaveTheRequestedMean()
{
    Campaign campaign = campaignFor({m_fast->baseUrl().toString()}, 0, 200);
    campaign.load.mode = LoadSpec::Mode::Open;
    campaign.load.rate = 200.0;
    campaign.load.arrival = LoadSpec::Arrival::Poisson;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QList<double> scheduled;
    for (const AttemptRecord &r : out.records)
        scheduled.append(r.scheduledMs);
    std::sort(scheduled.begin(), scheduled.end());
    QList<double> gaps;
    for (int i = 1; i < scheduled.size(); ++i)
        gaps.append(scheduled[i] - scheduled[i - 1]);
    double mean = 0.0;
    for (double gap : gaps)
        mean += gap / double(gaps.size());
    // 199 exponential gaps of mean 5 ms: the sample mean lies within about +-1 ms (3 sigma ~ 1.06).
    QVERIFY2(std::abs(mean - 5.0) < 1.1, qPrintable(QString::number(mean)));
    QVERIFY2(median(gaps) < mean, "exponential gaps: median below mean"); // ln 2 * mean
}

void TestEngineLoad::clientRequestLimitSpacesRequests()
{
    // 240 requests/min: the bucket starts with a minute's allowance (240 go at once), then refills
    // at 4 per second.
    Campaign campaign = campaignFor({m_fast->baseUrl().toString()}, 4, 250);
    campaign.rateLimit.requestsPerMinute = 240.0;
    const RunOutput out = run(campaign, 60000);
    QVERIFY(out.finished);
    QList<double> sent;
    for (const AttemptRecord &r : out.records)
        sent.append(r.sentMs);
    std::sort(sent.begin(), sent.end());
    // The first 240 go at once; the last 10 at the refill rate of 4/s: 250 ms apart.
    const double spacing = (sent.last() - sent.at(240)) / 9.0;
    QVERIFY2(std::abs(spacing - 250.0) < 20.0, qPrintable(QString::number(spacing)));
    QVERIFY(out.records.last().queueMs() > 100.0);
}

void TestEngineLoad::everyPromptIsUsedInTurn()
{
    Campaign campaign = campaignFor({m_fast->baseUrl().toString()}, 1, 6);
    campaign.request.conversations.clear();
    for (const char *prompt : {"a", "bbbbbbbb", "cccccccccccccccc"}) {
        campaign.request.conversations.append(QJsonArray{QJsonObject{
            {QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QLatin1String(prompt)}}});
    }
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    // The simulator counts ceil(chars / 4) + 4 prompt tokens: 5, 6, 8, then again.
    QList<qint64> prompts;
    QList<AttemptRecord> records = out.records;
    std::sort(records.begin(), records.end(),
              [](const AttemptRecord &a, const AttemptRecord &b) { return a.requestId < b.requestId; });
    for (const AttemptRecord &r : records)
        prompts.append(r.promptTokens);
    QCOMPARE(prompts, (QList<qint64>{5, 6, 8, 5, 6, 8}));
}

QTEST_GUILESS_MAIN(TestEngineLoad)
#include "tst_engine_load.moc"
