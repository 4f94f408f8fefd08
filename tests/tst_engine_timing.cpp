#include "enginetesthelpers.h"

#include <QTest>

using namespace relaybench;
using namespace enginetest;

// The engine's clocks against a server whose delays are known exactly. Margins are a few ms
// (loopback and timer resolution); docs/PERFORMANCE.md has the measured errors.
class TestEngineTiming : public QObject
{
    Q_OBJECT

private slots:
    void streamedTimingMatchesTheServer_data();
    void streamedTimingMatchesTheServer();
    void nonStreamedLatencyMatchesTheServer();
    void serverSeesTheConfiguredConcurrency_data();
    void serverSeesTheConfiguredConcurrency();
    void openLoopKeepsItsScheduleWhileTheServerSlows();
    void responseTimeIncludesQueueingAndRetries();
    void warmupIsFlaggedAndLeftOutOfTheStatistics();
    void targetsRunTheSamePromptsAtTheSameTime();
};

void TestEngineTiming::streamedTimingMatchesTheServer_data()
{
    QTest::addColumn<int>("concurrency");
    QTest::addRow("one at a time") << 1;
    QTest::addRow("16 in flight") << 16;
}

void TestEngineTiming::streamedTimingMatchesTheServer()
{
    QFETCH(int, concurrency);
    // headers at 10 ms, first token at 80 ms, then one token every 10 ms: 10 tokens end at 170 ms.
    auto sim = startSimulator("{\"headers_ms\": 10, \"ttft_ms\": 80, \"tpot_ms\": 10, \"completion_tokens\": 10}", 2);
    const RunOutput out = run(campaignFor({sim->baseUrl().toString()}, concurrency, 4 * concurrency));
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 4 * concurrency);
    QList<double> ttfb, ttft, latency, gaps;
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.completionTokens, 10);
        QCOMPARE(r.tokenSource, TokenSource::Server);
        QCOMPARE(r.interTokenMs.size(), 9);
        ttfb.append(r.ttfbMs());
        ttft.append(r.ttftMs());
        latency.append(r.latencyMs());
        for (float gap : r.interTokenMs)
            gaps.append(double(gap));
    }
    const double tolerance = RELAYBENCH_TIMING_TOLERANCE_MS;
    QVERIFY2(std::abs(median(ttfb) - 10.0) < tolerance, qPrintable(QString::number(median(ttfb))));
    QVERIFY2(std::abs(median(ttft) - 80.0) < tolerance, qPrintable(QString::number(median(ttft))));
    QVERIFY2(std::abs(median(latency) - 170.0) < tolerance, qPrintable(QString::number(median(latency))));
    QVERIFY2(std::abs(median(gaps) - 10.0) < 1.5, qPrintable(QString::number(median(gaps))));
    const QJsonObject target = out.summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    QVERIFY(std::abs(target.value(QLatin1String("tpot_ms")).toObject().value(QLatin1String("p50")).toDouble() - 10.0) <
            1.5);
}

void TestEngineTiming::nonStreamedLatencyMatchesTheServer()
{
    auto sim = startSimulator("{\"ttft_ms\": 60, \"tpot_ms\": 5, \"completion_tokens\": 9}");
    Campaign campaign = campaignFor({sim->baseUrl().toString()}, 2, 10);
    campaign.request.stream = false;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QList<double> latency;
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(r.outcome, Outcome::Ok);
        QVERIFY(!applies(r.firstTokenMs)); // no stream, no first token
        latency.append(r.latencyMs());
    }
    QVERIFY2(std::abs(median(latency) - 100.0) < RELAYBENCH_TIMING_TOLERANCE_MS,
             qPrintable(QString::number(median(latency))));
}

void TestEngineTiming::serverSeesTheConfiguredConcurrency_data()
{
    QTest::addColumn<int>("concurrency");
    QTest::addRow("6, one lane") << 6;
    QTest::addRow("7, two lanes") << 7;
    QTest::addRow("64") << 64;
}

void TestEngineTiming::serverSeesTheConfiguredConcurrency()
{
    QFETCH(int, concurrency);
    auto sim = startSimulator("{\"ttft_ms\": 300, \"tpot_ms\": 1, \"completion_tokens\": 4}", 2);
    const RunOutput out = run(campaignFor({sim->baseUrl().toString()}, concurrency, 2 * concurrency));
    QVERIFY(out.finished);
    QCOMPARE(sim->stats().peakInFlight, qint64(concurrency));
    const QJsonObject target = out.summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    QCOMPARE(target.value(QLatin1String("peak_in_flight")).toInt(), concurrency);
    // Two rounds of 300 ms. With Qt's hidden 6-per-host queue the last would wait ceil(C/6) rounds
    // (3.3 s at 64); the margin leaves room for a loaded machine, not for a hidden queue.
    QList<double> latency;
    for (const AttemptRecord &r : out.records)
        latency.append(r.latencyMs());
    QVERIFY2(*std::max_element(latency.begin(), latency.end()) < 900.0, "requests were queued somewhere");
}

void TestEngineTiming::openLoopKeepsItsScheduleWhileTheServerSlows()
{
    // 20 requests/s for 40 requests against a server that takes 600 ms: about 12 in flight at once.
    auto sim = startSimulator("{\"ttft_ms\": 600, \"tpot_ms\": 1, \"completion_tokens\": 3}", 2);
    Campaign campaign = campaignFor({sim->baseUrl().toString()}, 0, 40);
    campaign.load.mode = LoadSpec::Mode::Open;
    campaign.load.rate = 20.0;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 40);
    QList<double> scheduled;
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(r.outcome, Outcome::Ok);
        scheduled.append(r.scheduledMs);
        // Had the engine waited for answers, requests would queue for about 600 ms each.
        QVERIFY2(r.queueMs() < 100.0,
                 qPrintable(QStringLiteral("request %1 waited %2 ms").arg(r.requestId).arg(r.queueMs())));
    }
    std::sort(scheduled.begin(), scheduled.end());
    for (int i = 1; i < scheduled.size(); ++i)
        QVERIFY(std::abs(scheduled[i] - scheduled[i - 1] - 50.0) < 0.001);
    QVERIFY(sim->stats().peakInFlight >= 11);
}

void TestEngineTiming::responseTimeIncludesQueueingAndRetries()
{
    // Every first attempt gets a 429 with Retry-After: 1; the retry succeeds.
    auto sim = startSimulator("{\"ttft_ms\": 20, \"tpot_ms\": 1, \"completion_tokens\": 3, \"retry_after_s\": 1}");
    Campaign campaign = campaignFor({sim->baseUrl().toString()}, 1, 3);
    campaign.retry.maxAttempts = 2;
    campaign.targets[0].headers.append({QStringLiteral("X-Sim-Fault"), QStringLiteral("rate_limited")});
    // The forced fault applies to every attempt; so check the retry bookkeeping rather than success.
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 6);
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(r.outcome, Outcome::RateLimited);
        QCOMPARE(r.status, 429);
        if (r.attempt == 1) {
            QCOMPARE(r.retryDelayMs, 1000.0); // Retry-After honoured exactly
        } else {
            QVERIFY(!applies(r.retryDelayMs));
        }
    }
    for (const AttemptRecord &second : out.records) {
        if (second.attempt != 2)
            continue;
        const auto first = std::find_if(out.records.begin(), out.records.end(), [&](const AttemptRecord &r) {
            return r.requestId == second.requestId && r.attempt == 1;
        });
        QVERIFY(first != out.records.end());
        QVERIFY(std::abs(second.scheduledMs - (first->endMs + 1000.0)) < 0.001);
        QVERIFY2(second.sentMs - second.scheduledMs < 15.0, "the retry left on time");
    }
    const QJsonObject target = out.summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    QCOMPARE(target.value(QLatin1String("requests")).toInt(), 3);
    QCOMPARE(target.value(QLatin1String("attempts")).toInt(), 6);
    QCOMPARE(target.value(QLatin1String("outcomes")).toObject().value(QLatin1String("rate_limited")).toInt(), 3);
}

void TestEngineTiming::warmupIsFlaggedAndLeftOutOfTheStatistics()
{
    auto sim = startSimulator("{\"ttft_ms\": 5, \"tpot_ms\": 1, \"completion_tokens\": 3}");
    Campaign campaign = campaignFor({sim->baseUrl().toString()}, 2, 6);
    campaign.load.warmupRequests = 4;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 10);
    int warm = 0;
    for (const AttemptRecord &r : out.records)
        warm += r.warmup ? 1 : 0;
    QCOMPARE(warm, 4);
    const QJsonObject target = out.summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    QCOMPARE(target.value(QLatin1String("requests")).toInt(), 6);
    QCOMPARE(target.value(QLatin1String("attempts")).toInt(), 6);
}

void TestEngineTiming::targetsRunTheSamePromptsAtTheSameTime()
{
    auto a = startSimulator("{\"ttft_ms\": 5, \"tpot_ms\": 1, \"completion_tokens\": 3}");
    auto b = startSimulator("{\"ttft_ms\": 50, \"tpot_ms\": 1, \"completion_tokens\": 3}");
    Campaign campaign = campaignFor({a->baseUrl().toString(), b->baseUrl().toString()}, 2, 6);
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(ofTarget(out.records, 0).size(), 6);
    QCOMPARE(ofTarget(out.records, 1).size(), 6);
    // Both started at once: the slow target's first request was not held back by the fast one.
    QVERIFY(ofTarget(out.records, 1).first().scheduledMs < 20.0);
    QCOMPARE(a->stats().chatRequests, 6u);
    QCOMPARE(b->stats().chatRequests, 6u);
}

QTEST_GUILESS_MAIN(TestEngineTiming)
#include "tst_engine_timing.moc"
