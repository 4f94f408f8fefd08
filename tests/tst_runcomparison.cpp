#include "history/runcomparison.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace relaybench;

// compareRuns: which metrics, matched how, in which order, and when a change is flagged as too few samples
// to tell (docs/history.md, "Comparing runs").
class TestRunComparison : public QObject
{
    Q_OBJECT

private slots:
    void percentileNeedsEnoughSamples_data();
    void percentileNeedsEnoughSamples();
    void successRateChangeOutsideTheNoise_data();
    void successRateChangeOutsideTheNoise();
    void targetsAreMatchedByName();
    void headlineMetricsComeFirstWithUnitsAndDirection();
    void changeFromZeroHasNoPercent();
    void runWithoutSummaryComparesNothing();
};

namespace {

// One summary.json target: `requests` requests of which `succeeded` succeeded, one attempt each.
QJsonObject target(const QString &name, qint64 requests, qint64 succeeded, double latencyP50 = 100.0)
{
    const auto stats = [](double p50) {
        return QJsonObject{{QStringLiteral("min"), p50 / 2},   {QStringLiteral("mean"), p50 * 1.1},
                           {QStringLiteral("p50"), p50},       {QStringLiteral("p90"), p50 * 1.5},
                           {QStringLiteral("p95"), p50 * 1.8}, {QStringLiteral("p99"), p50 * 2.5},
                           {QStringLiteral("max"), p50 * 4.0}};
    };
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("requests"), double(requests)},
        {QStringLiteral("attempts"), double(requests)},
        {QStringLiteral("succeeded"), double(succeeded)},
        {QStringLiteral("failed"), double(requests - succeeded)},
        {QStringLiteral("success_rate"), requests ? double(succeeded) / double(requests) : 0.0},
        {QStringLiteral("attempt_outcomes"), QJsonObject{{QStringLiteral("ok"), double(succeeded)},
                                                         {QStringLiteral("timeout"), double(requests - succeeded)}}},
        {QStringLiteral("latency_ms"), stats(latencyP50)},
        {QStringLiteral("response_time_ms"), stats(latencyP50 + 1.0)},
        {QStringLiteral("ttft_ms"), stats(latencyP50 / 4.0)},
        {QStringLiteral("throughput"), QJsonObject{{QStringLiteral("requests_per_s"), double(succeeded) / 10.0},
                                                   {QStringLiteral("output_tokens_per_s"), 50.0}}},
        {QStringLiteral("cost_usd"), 0.25},
    };
}

RecordedRun runWith(qint64 id, const QList<QJsonObject> &targets)
{
    RecordedRun run;
    run.id = id;
    QJsonArray array;
    for (const QJsonObject &t : targets)
        array.append(t);
    run.summary = QJsonObject{{QStringLiteral("targets"), array}};
    return run;
}

MetricChange find(const QList<MetricChange> &changes, const QString &targetName, const QString &metric)
{
    for (const MetricChange &change : changes) {
        if (change.target == targetName && change.metric == metric)
            return change;
    }
    return {};
}

} // namespace

void TestRunComparison::percentileNeedsEnoughSamples_data()
{
    QTest::addColumn<qint64>("samplesBefore");
    QTest::addColumn<qint64>("samplesAfter");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<bool>("flagged");
    QTest::newRow("p50, 10 and 10") << qint64(10) << qint64(10) << QStringLiteral("latency_ms.p50") << false;
    QTest::newRow("p50, 9 before") << qint64(9) << qint64(500) << QStringLiteral("latency_ms.p50") << true;
    QTest::newRow("mean, 9 after") << qint64(500) << qint64(9) << QStringLiteral("latency_ms.mean") << true;
    QTest::newRow("p95, 20 and 20") << qint64(20) << qint64(20) << QStringLiteral("latency_ms.p95") << false;
    QTest::newRow("p95, 19 after") << qint64(200) << qint64(19) << QStringLiteral("ttft_ms.p95") << true;
    QTest::newRow("p99, 99 before") << qint64(99) << qint64(1000) << QStringLiteral("latency_ms.p99") << true;
    QTest::newRow("p99, 100 and 100") << qint64(100) << qint64(100) << QStringLiteral("ttft_ms.p99") << false;
    QTest::newRow("response time p90, 10")
        << qint64(10) << qint64(10) << QStringLiteral("response_time_ms.p90") << false;
    QTest::newRow("max, any count") << qint64(100000) << qint64(100000) << QStringLiteral("latency_ms.max") << true;
}

void TestRunComparison::percentileNeedsEnoughSamples()
{
    QFETCH(qint64, samplesBefore);
    QFETCH(qint64, samplesAfter);
    QFETCH(QString, metric);
    QFETCH(bool, flagged);
    const QList<MetricChange> changes =
        compareRuns(runWith(1, {target(QStringLiteral("a"), samplesBefore, samplesBefore, 100.0)}),
                    runWith(2, {target(QStringLiteral("a"), samplesAfter, samplesAfter, 130.0)}));
    const MetricChange change = find(changes, QStringLiteral("a"), metric);
    QCOMPARE(change.metric, metric);
    QCOMPARE(change.unit, QStringLiteral("ms"));
    QVERIFY(change.lowerIsBetter);
    QCOMPARE(change.tooFewSamples, flagged);
    QCOMPARE(change.why.isEmpty(), !flagged);
    QVERIFY(change.change > 0.0);
}

void TestRunComparison::successRateChangeOutsideTheNoise_data()
{
    QTest::addColumn<qint64>("requestsBefore");
    QTest::addColumn<qint64>("okBefore");
    QTest::addColumn<qint64>("requestsAfter");
    QTest::addColumn<qint64>("okAfter");
    QTest::addColumn<bool>("flagged");
    QTest::addColumn<QString>("why");
    // z = (0.90 - 0.95) / sqrt(0.925 * 0.075 * (2 / 100)) = -1.34
    QTest::newRow("95% -> 90% of 100") << qint64(100) << qint64(95) << qint64(100) << qint64(90) << true
                                       << QStringLiteral("z = -1.34");
    // the same rates over 1,000 requests each: z = -4.25
    QTest::newRow("95% -> 90% of 1000") << qint64(1000) << qint64(950) << qint64(1000) << qint64(900) << false
                                        << QString();
    QTest::newRow("100% -> 100%") << qint64(500) << qint64(500) << qint64(400) << qint64(400) << false << QString();
    QTest::newRow("9 requests") << qint64(9) << qint64(9) << qint64(1000) << qint64(10) << true
                                << QStringLiteral("fewer than 10 requests");
}

void TestRunComparison::successRateChangeOutsideTheNoise()
{
    QFETCH(qint64, requestsBefore);
    QFETCH(qint64, okBefore);
    QFETCH(qint64, requestsAfter);
    QFETCH(qint64, okAfter);
    QFETCH(bool, flagged);
    QFETCH(QString, why);
    const QList<MetricChange> changes = compareRuns(runWith(1, {target(QStringLiteral("a"), requestsBefore, okBefore)}),
                                                    runWith(2, {target(QStringLiteral("a"), requestsAfter, okAfter)}));
    const MetricChange change = find(changes, QStringLiteral("a"), QStringLiteral("success_rate"));
    QCOMPARE(change.unit, QStringLiteral("%"));
    QVERIFY(!change.lowerIsBetter);
    QCOMPARE(change.before, 100.0 * double(okBefore) / double(requestsBefore));
    QCOMPARE(change.after, 100.0 * double(okAfter) / double(requestsAfter));
    QCOMPARE(change.tooFewSamples, flagged);
    QVERIFY2(change.why.contains(why), qPrintable(change.why));
}

void TestRunComparison::targetsAreMatchedByName()
{
    const QList<MetricChange> changes =
        compareRuns(runWith(1, {target(QStringLiteral("b"), 50, 50), target(QStringLiteral("a"), 50, 50),
                                target(QStringLiteral("gone"), 50, 50)}),
                    runWith(2, {target(QStringLiteral("a"), 60, 60), target(QStringLiteral("new"), 50, 50),
                                target(QStringLiteral("b"), 70, 70)}));
    QStringList order;
    for (const MetricChange &change : changes) {
        if (order.isEmpty() || order.last() != change.target)
            order.append(change.target);
    }
    QCOMPARE(order, QStringList({QStringLiteral("b"), QStringLiteral("a")})); // before's order, shared only
    QCOMPARE(find(changes, QStringLiteral("a"), QStringLiteral("requests")).after, 60.0);
    QCOMPARE(find(changes, QStringLiteral("b"), QStringLiteral("requests")).after, 70.0);
}

void TestRunComparison::headlineMetricsComeFirstWithUnitsAndDirection()
{
    const QList<MetricChange> changes = compareRuns(runWith(1, {target(QStringLiteral("a"), 500, 490)}),
                                                    runWith(2, {target(QStringLiteral("a"), 500, 480)}));
    QVERIFY(changes.size() > 10);
    QCOMPARE(changes.at(0).metric, QStringLiteral("success_rate"));
    QCOMPARE(changes.at(1).metric, QStringLiteral("latency_ms.p50"));
    QCOMPARE(changes.at(2).metric, QStringLiteral("latency_ms.p95"));
    QCOMPARE(changes.at(3).metric, QStringLiteral("latency_ms.p99"));
    QCOMPARE(changes.at(4).metric, QStringLiteral("ttft_ms.p50"));
    const MetricChange throughput = find(changes, QStringLiteral("a"), QStringLiteral("throughput.requests_per_s"));
    QCOMPARE(throughput.unit, QStringLiteral("/s"));
    QVERIFY(!throughput.lowerIsBetter);
    QCOMPARE(throughput.change, -1.0);
    const MetricChange cost = find(changes, QStringLiteral("a"), QStringLiteral("cost_usd"));
    QCOMPARE(cost.unit, QStringLiteral("$"));
    QVERIFY(cost.lowerIsBetter);
    QVERIFY(!cost.tooFewSamples);
    QVERIFY(find(changes, QStringLiteral("a"), QStringLiteral("failed")).lowerIsBetter);
    QVERIFY(find(changes, QStringLiteral("a"), QStringLiteral("attempt_outcomes.timeout")).lowerIsBetter);
    QVERIFY(!find(changes, QStringLiteral("a"), QStringLiteral("attempt_outcomes.ok")).lowerIsBetter);
    // Everything after the headline rows is in alphabetical order.
    for (qsizetype i = 11; i < changes.size(); ++i)
        QVERIFY2(changes.at(i - 1).metric < changes.at(i).metric, qPrintable(changes.at(i).metric));
}

void TestRunComparison::changeFromZeroHasNoPercent()
{
    const QList<MetricChange> changes = compareRuns(runWith(1, {target(QStringLiteral("a"), 100, 100)}),
                                                    runWith(2, {target(QStringLiteral("a"), 100, 97)}));
    const MetricChange failed = find(changes, QStringLiteral("a"), QStringLiteral("failed"));
    QCOMPARE(failed.before, 0.0);
    QCOMPARE(failed.after, 3.0);
    QVERIFY(std::isnan(failed.changePercent));
    const MetricChange requests = find(changes, QStringLiteral("a"), QStringLiteral("latency_ms.p50"));
    QCOMPARE(requests.changePercent, 0.0);
}

void TestRunComparison::runWithoutSummaryComparesNothing()
{
    RecordedRun interrupted;
    interrupted.id = 3;
    QVERIFY(compareRuns(interrupted, runWith(2, {target(QStringLiteral("a"), 100, 100)})).isEmpty());
    QVERIFY(compareRuns(runWith(2, {target(QStringLiteral("a"), 100, 100)}), interrupted).isEmpty());
}

QTEST_GUILESS_MAIN(TestRunComparison)
#include "tst_runcomparison.moc"
