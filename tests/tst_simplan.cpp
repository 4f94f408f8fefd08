#include "sim/simplan.h"
#include "sim/simprofile.h"

#include <QTest>

#include <algorithm>

using namespace relaybench;

class TestSimPlan : public QObject
{
    Q_OBJECT

private slots:
    void sameSeedAndIndexGiveTheSamePlan();
    void maxTokensIsHonoured_data();
    void maxTokensIsHonoured();
    void streamOnlyFaultsBecomeMalformedWithoutAStream();
    void forcedFaultWins();
    void chunkTimesFollowTheProfile();
    void shippedProfilesMatchTheirClaims_data();
    void shippedProfilesMatchTheirClaims();
    void peakWindowSlowsDownAndFailsMore();
};

namespace {

SimProfile profileFrom(const QByteArray &json)
{
    QString error;
    auto profile = parseSimProfile(json, QStringLiteral("test"), &error);
    if (!profile)
        qFatal("%s", qPrintable(error));
    return *profile;
}

SimChatRequest chat(bool stream = false, int maxTokens = 0)
{
    SimChatRequest request;
    request.model = QStringLiteral("m");
    request.stream = stream;
    request.maxTokens = maxTokens;
    request.promptChars = 40;
    request.messageCount = 1;
    return request;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[size_t(p * double(values.size() - 1))];
}

} // namespace

void TestSimPlan::sameSeedAndIndexGiveTheSamePlan()
{
    const SimProfile profile = *loadSimProfile(QStringLiteral("flaky"), nullptr);
    SimPlanner planner(profile);
    const QTime noon(12, 0);
    for (quint64 index = 0; index < 50; ++index) {
        const SimPlan a = planner.plan(chat(true), index, 1.0, noon);
        const SimPlan b = planner.plan(chat(true), index, 1.0, noon);
        QCOMPARE(a.fault, b.fault);
        QCOMPARE(a.ttftMs, b.ttftMs);
        QCOMPARE(a.contentTokens, b.contentTokens);
        QCOMPARE(a.faultAtChunk, b.faultAtChunk);
    }
    QVERIFY(planner.plan(chat(), 1, 1.0, noon).ttftMs != planner.plan(chat(), 2, 1.0, noon).ttftMs);
}

void TestSimPlan::maxTokensIsHonoured_data()
{
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<int>("reasoning");
    QTest::addColumn<int>("expectedContent");
    QTest::addColumn<int>("expectedReasoning");
    QTest::addColumn<QString>("finish");
    QTest::addRow("no limit") << 0 << 0 << 30 << 0 << "stop";
    QTest::addRow("limit above answer") << 100 << 0 << 30 << 0 << "stop";
    QTest::addRow("limit exactly the answer") << 30 << 0 << 30 << 0 << "stop";
    QTest::addRow("limit cuts the answer") << 7 << 0 << 7 << 0 << "length";
    QTest::addRow("reasoning counts toward the limit") << 25 << 20 << 5 << 20 << "length";
    QTest::addRow("limit inside the reasoning") << 10 << 20 << 0 << 10 << "length";
}

void TestSimPlan::maxTokensIsHonoured()
{
    QFETCH(int, maxTokens);
    QFETCH(int, reasoning);
    QFETCH(int, expectedContent);
    QFETCH(int, expectedReasoning);
    QFETCH(QString, finish);
    const SimProfile profile =
        profileFrom("{\"completion_tokens\": 30, \"reasoning_tokens\": " + QByteArray::number(reasoning) + "}");
    const SimPlan plan = SimPlanner(profile).plan(chat(true, maxTokens), 0, 0.0, QTime(12, 0));
    QCOMPARE(plan.contentTokens, expectedContent);
    QCOMPARE(plan.reasoningTokens, expectedReasoning);
    QCOMPARE(QString(plan.finishReason()), finish);
}

void TestSimPlan::streamOnlyFaultsBecomeMalformedWithoutAStream()
{
    const SimProfile profile = profileFrom("{\"faults\": {\"stream_cut\": 1.0}}");
    SimPlanner planner(profile);
    QCOMPARE(planner.plan(chat(true), 0, 0.0, QTime(12, 0)).fault, SimFault::StreamCut);
    QCOMPARE(planner.plan(chat(false), 0, 0.0, QTime(12, 0)).fault, SimFault::MalformedJson);
}

void TestSimPlan::forcedFaultWins()
{
    const SimProfile profile = profileFrom("{\"faults\": {\"hang\": 1.0}}");
    SimPlanner planner(profile);
    QCOMPARE(planner.plan(chat(), 0, 0.0, QTime(12, 0), SimFault::None).fault, SimFault::None);
    QCOMPARE(planner.plan(chat(), 0, 0.0, QTime(12, 0), SimFault::Reset).fault, SimFault::Reset);
}

void TestSimPlan::chunkTimesFollowTheProfile()
{
    const SimProfile profile = profileFrom(
        "{\"headers_ms\": 500, \"ttft_ms\": 100, \"tpot_ms\": 10, \"completion_tokens\": 9, \"tokens_per_chunk\": 2}");
    const SimPlan plan = SimPlanner(profile).plan(chat(true), 0, 0.0, QTime(12, 0));
    QCOMPARE(plan.headersMs, 100.0); // never after the first token
    QCOMPARE(plan.tokenChunks(), 5);
    QCOMPARE(plan.chunkMs(0), 100.0);
    QCOMPARE(plan.chunkMs(1), 120.0);
    QCOMPARE(plan.endMs(), 180.0);
    QCOMPARE(plan.promptTokens, 10 + 4); // 40 characters / 4 + 4 for the one message
}

void TestSimPlan::shippedProfilesMatchTheirClaims_data()
{
    // The figures each shipped profile promises in its description (and the source articles claim).
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("meanLatencyMs");
    QTest::addColumn<double>("p99LatencyMs");
    QTest::addColumn<double>("hangRate");
    QTest::addColumn<double>("rateLimitedRate");
    QTest::addColumn<double>("faultRate");
    QTest::addRow("relay") << "relay" << 48.0 << 140.0 << 0.001 << 0.0 << 0.003;
    QTest::addRow("direct-peak") << "direct-peak" << 2300.0 << 8000.0 << 0.09 << 0.03 << 0.127;
}

void TestSimPlan::shippedProfilesMatchTheirClaims()
{
    QFETCH(QString, name);
    QFETCH(double, meanLatencyMs);
    QFETCH(double, p99LatencyMs);
    QFETCH(double, hangRate);
    QFETCH(double, rateLimitedRate);
    QFETCH(double, faultRate);
    const SimProfile profile = *loadSimProfile(name, nullptr);
    SimPlanner planner(profile);
    const int n = 200000;
    std::vector<double> latencies;
    int hangs = 0;
    int limited = 0;
    int faults = 0;
    for (int i = 0; i < n; ++i) {
        const SimPlan plan = planner.plan(chat(false, 256), quint64(i), 0.0, QTime(12, 0));
        hangs += plan.fault == SimFault::Hang;
        limited += plan.fault == SimFault::RateLimited;
        faults += plan.fault != SimFault::None;
        if (plan.fault == SimFault::None)
            latencies.push_back(plan.endMs());
    }
    double mean = 0.0;
    for (double l : latencies)
        mean += l / double(latencies.size());
    const double p99 = percentile(latencies, 0.99);
    qInfo("%s: mean %.1f ms, p99 %.1f ms, hang %.4f, 429 %.4f, faults %.4f", qPrintable(name), mean, p99,
          double(hangs) / n, double(limited) / n, double(faults) / n);
    QVERIFY2(std::abs(mean / meanLatencyMs - 1.0) < 0.08, "mean latency");
    QVERIFY2(std::abs(p99 / p99LatencyMs - 1.0) < 0.10, "p99 latency");
    QVERIFY(std::abs(double(hangs) / n - hangRate) < 0.002 + hangRate * 0.05);
    QVERIFY(std::abs(double(limited) / n - rateLimitedRate) < 0.002 + rateLimitedRate * 0.05);
    QVERIFY(std::abs(double(faults) / n - faultRate) < 0.002 + faultRate * 0.05);
}

void TestSimPlan::peakWindowSlowsDownAndFailsMore()
{
    const SimProfile profile = profileFrom("{\"ttft_ms\": 100, \"faults\": {\"server_error\": 0.1},"
                                           " \"peak_windows\": [{\"start_s\": 10, \"duration_s\": 10,"
                                           " \"latency_factor\": 3, \"fault_factor\": 4}]}");
    SimPlanner planner(profile);
    int calmFaults = 0;
    int peakFaults = 0;
    for (quint64 i = 0; i < 20000; ++i) {
        const SimPlan calm = planner.plan(chat(), i, 5.0, QTime(12, 0));
        const SimPlan peak = planner.plan(chat(), i, 15.0, QTime(12, 0));
        QCOMPARE(calm.ttftMs, 100.0);
        QCOMPARE(peak.ttftMs, 300.0);
        QVERIFY(peak.inPeakWindow && !calm.inPeakWindow);
        calmFaults += calm.fault != SimFault::None;
        peakFaults += peak.fault != SimFault::None;
    }
    QVERIFY2(std::abs(calmFaults / 20000.0 - 0.1) < 0.01, qPrintable(QString::number(calmFaults)));
    QVERIFY2(std::abs(peakFaults / 20000.0 - 0.4) < 0.015, qPrintable(QString::number(peakFaults)));
}

QTEST_GUILESS_MAIN(TestSimPlan)
#include "tst_simplan.moc"
