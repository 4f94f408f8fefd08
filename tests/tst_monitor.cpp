// Monitor mode against the in-process simulator: probes go through the engine's Attempt, the simulator's
// fault profiles drive the health state healthy -> degraded -> down -> (degraded ->) healthy, the exporter
// follows, and stop() cancels a probe in flight.
#include "campaign/campaign.h"
#include "engine/recordsink.h"
#include "exporter/metricsregistry.h"
#include "monitor/monitor.h"
#include "monitor/monitormetrics.h"
#include "sim/simprofile.h"
#include "sim/simserver.h"

#include <QSignalSpy>
#include <QtTest>

using namespace relaybench;

namespace {

struct CollectingSink : RecordSink
{
    void write(const AttemptRecord &record) override { records.append(record); }
    QList<AttemptRecord> records;
};

Campaign simCampaign(int targets = 1)
{
    Campaign campaign;
    campaign.name = QStringLiteral("monitor-test");
    for (int i = 0; i < targets; ++i) {
        Target target;
        target.name = QStringLiteral("sim%1").arg(i);
        target.baseUrl = QStringLiteral("sim://relay");
        target.model = QStringLiteral("sim-model");
        campaign.targets.append(target);
    }
    return campaign;
}

// Fast and deterministic: 1 ms to the first token, 4 tokens, no faults unless asked for.
SimProfile quickProfile(SimFault fault = SimFault::None, double rate = 0.0)
{
    SimProfile profile;
    profile.name = QStringLiteral("quick");
    profile.ttftMs = Distribution::fixed(1.0);
    profile.tpotMs = Distribution::fixed(0.0);
    profile.completionTokens = Distribution::fixed(4.0);
    if (fault != SimFault::None)
        profile.faultRates[size_t(fault)] = rate;
    return profile;
}

MonitorConfig fastConfig()
{
    MonitorConfig config;
    config.intervalS = 0.05; // below the file's minimum of 1 s: tests only
    config.windowS = 2.0;
    config.timeoutS = 3.0;
    config.thresholds.holdEvaluations = 2;
    return config;
}

} // namespace

class TestMonitor : public QObject
{
    Q_OBJECT

private slots:
    void faultProfilesDriveTheState();
    void probesUseTheConfiguredRequest();
    void timeoutsAreProbeOutcomes();
    void stopCancelsTheProbeInFlight();
    void badProfileFailsPrepare();
};

void TestMonitor::faultProfilesDriveTheState()
{
    Monitor monitor(simCampaign(), fastConfig(), {});
    QString error;
    QVERIFY2(monitor.prepare(&error), qPrintable(error));
    SimServer *sim = monitor.simulator(0);
    QVERIFY(sim);
    sim->setProfile(quickProfile());
    CollectingSink sink;
    monitor.addSink(&sink);
    MetricsRegistry registry;
    exportMonitorMetrics(&monitor, &registry);
    QList<QPair<HealthState, HealthState>> changes;
    QList<WindowFigures> figuresAtChange;
    connect(&monitor, &Monitor::stateChanged, this,
            [&](int target, HealthState from, HealthState to, const WindowFigures &figures) {
                QCOMPARE(target, 0);
                changes.append({from, to});
                figuresAtChange.append(figures);
            });
    monitor.start();

    QTRY_COMPARE_WITH_TIMEOUT(monitor.state(0), HealthState::Healthy, 15000);
    QVERIFY(registry.exposition().contains("relaybench_health_state{target=\"sim0\"} 0\n"));
    // 25% of answers are 500s: about 75% success in the window.
    sim->setProfile(quickProfile(SimFault::InternalError, 0.25));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.state(0), HealthState::Degraded, 20000);
    QVERIFY(registry.exposition().contains("relaybench_health_state{target=\"sim0\"} 1\n"));
    sim->setProfile(quickProfile(SimFault::Unavailable, 1.0));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.state(0), HealthState::Down, 20000);
    QVERIFY(registry.exposition().contains("relaybench_health_state{target=\"sim0\"} 2\n"));
    sim->setProfile(quickProfile());
    QTRY_COMPARE_WITH_TIMEOUT(monitor.state(0), HealthState::Healthy, 20000);
    QVERIFY(registry.exposition().contains("relaybench_health_state{target=\"sim0\"} 0\n"));

    QSignalSpy stopped(&monitor, &Monitor::stopped);
    monitor.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 10000);
    QVERIFY(!monitor.isRunning());

    // The window slides, so recovery usually passes through degraded (0% -> 50..95% -> 100% success); a stall
    // of the loaded machine longer than the window can skip it, so both endings are accepted.
    using S = HealthState;
    const QList<QPair<S, S>> start{{S::Unknown, S::Healthy}, {S::Healthy, S::Degraded}, {S::Degraded, S::Down}};
    const QList<QPair<S, S>> viaDegraded =
        start + QList<QPair<S, S>>{{S::Down, S::Degraded}, {S::Degraded, S::Healthy}};
    const QList<QPair<S, S>> direct = start + QList<QPair<S, S>>{{S::Down, S::Healthy}};
    QVERIFY2(changes == viaDegraded || changes == direct, qPrintable(QString::number(changes.size())));
    HealthThresholds thresholds = fastConfig().thresholds;
    for (int i = 0; i < changes.size(); ++i)
        QCOMPARE(classifyWindow(figuresAtChange.at(i), thresholds), changes.at(i).second);
    QVERIFY(figuresAtChange.at(3).lastProbeOk); // leaving down needed a success

    // Every probe reached the sinks, with the engine's outcome classes.
    QCOMPARE(qint64(sink.records.size()), monitor.probesSent(0));
    QHash<Outcome, int> outcomes;
    for (const AttemptRecord &record : std::as_const(sink.records))
        ++outcomes[record.outcome];
    QVERIFY(outcomes.value(Outcome::Ok) > 0);
    QVERIFY(outcomes.value(Outcome::ServerError) > 0);
    QCOMPARE(outcomes.value(Outcome::ServerError) + outcomes.value(Outcome::Ok) + outcomes.value(Outcome::Cancelled),
             sink.records.size());
    const QJsonObject summary = monitor.summary();
    QCOMPARE(summary.value(QLatin1String("kind")).toString(), QStringLiteral("monitor"));
    const QJsonObject target = summary.value(QLatin1String("targets")).toArray().first().toObject();
    QCOMPARE(target.value(QLatin1String("name")).toString(), QStringLiteral("sim0"));
    QCOMPARE(target.value(QLatin1String("state")).toString(), QStringLiteral("healthy"));
    QVERIFY(target.value(QLatin1String("requests")).toInteger() >= sink.records.size() - 1);
}

void TestMonitor::probesUseTheConfiguredRequest()
{
    MonitorConfig config = fastConfig();
    config.intervalS = 0.1;
    config.stream = false;
    config.maxTokens = 3;
    Monitor monitor(simCampaign(2), config, {});
    QString error;
    QVERIFY2(monitor.prepare(&error), qPrintable(error));
    SimProfile profile = quickProfile();
    profile.completionTokens = Distribution::fixed(50.0); // capped by max_tokens
    monitor.simulator(0)->setProfile(profile);
    monitor.simulator(1)->setProfile(profile);
    QList<AttemptRecord> records;
    connect(&monitor, &Monitor::probeFinished, this, [&](int, const AttemptRecord &record) { records.append(record); });
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(monitor.probesSent(0) >= 5 && monitor.probesSent(1) >= 5, 15000);
    monitor.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!monitor.isRunning(), 10000);
    QVERIFY(records.size() >= 8);
    for (const AttemptRecord &record : std::as_const(records)) {
        QCOMPARE(record.outcome, Outcome::Ok);
        QCOMPARE(record.completionTokens, 3);
        QVERIFY(record.latencyMs() >= 0.0);
    }
    // Each simulator saw only its own target's probes, none streamed. A probe sent just before stop() may be
    // cancelled before or after it reached the server, and is not in the windows.
    const qint64 answered =
        std::count_if(records.begin(), records.end(), [](const AttemptRecord &record) { return record.target == 0; });
    const qint64 received = qint64(monitor.simulator(0)->stats().chatRequests);
    QVERIFY2(received >= answered && received <= monitor.probesSent(0),
             qPrintable(QStringLiteral("%1 answered, %2 received, %3 sent")
                            .arg(answered)
                            .arg(received)
                            .arg(monitor.probesSent(0))));
    QVERIFY(monitor.probesSent(0) - answered <= 1);
    QCOMPARE(monitor.simulator(0)->stats().streamed, quint64(0));
    const WindowFigures figures = monitor.figures(0, 300.0);
    QCOMPARE(figures.probes, answered);
    QCOMPARE(figures.successRate(), 1.0);
}

void TestMonitor::timeoutsAreProbeOutcomes()
{
    MonitorConfig config = fastConfig();
    config.intervalS = 0.2;
    config.timeoutS = 0.15;
    config.thresholds.holdEvaluations = 1;
    Monitor monitor(simCampaign(), config, {});
    QString error;
    QVERIFY2(monitor.prepare(&error), qPrintable(error));
    monitor.simulator(0)->setProfile(quickProfile(SimFault::Hang, 1.0));
    QList<AttemptRecord> records;
    connect(&monitor, &Monitor::probeFinished, this, [&](int, const AttemptRecord &record) { records.append(record); });
    monitor.start();
    QTRY_COMPARE_WITH_TIMEOUT(monitor.state(0), HealthState::Down, 15000);
    QVERIFY(!records.isEmpty());
    QCOMPARE(records.first().outcome, Outcome::Timeout);
    QCOMPARE(monitor.figures(0, 60.0).outcomes[size_t(Outcome::Timeout)], qint64(records.size()));
}

void TestMonitor::stopCancelsTheProbeInFlight()
{
    MonitorConfig config = fastConfig();
    config.intervalS = 1.0;
    config.timeoutS = 30.0;
    Monitor monitor(simCampaign(), config, {});
    QString error;
    QVERIFY2(monitor.prepare(&error), qPrintable(error));
    monitor.simulator(0)->setProfile(quickProfile(SimFault::Hang, 1.0));
    CollectingSink sink;
    monitor.addSink(&sink);
    QSignalSpy stopped(&monitor, &Monitor::stopped);
    monitor.start();
    QTRY_COMPARE_WITH_TIMEOUT(monitor.simulator(0)->stats().inFlight, qint64(1), 10000);
    monitor.stop(QStringLiteral("signal"));
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 10000);
    QCOMPARE(monitor.stopReason(), QStringLiteral("signal"));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.records.first().outcome, Outcome::Cancelled);
    QCOMPARE(monitor.state(0), HealthState::Unknown); // a cancelled probe says nothing about the target
}

void TestMonitor::badProfileFailsPrepare()
{
    Campaign campaign = simCampaign();
    campaign.targets[0].baseUrl = QStringLiteral("sim://no-such-profile");
    Monitor monitor(campaign, fastConfig(), {});
    QString error;
    QVERIFY(!monitor.prepare(&error));
    QVERIFY2(error.startsWith(QLatin1String("target \"sim0\": ")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestMonitor)
#include "tst_monitor.moc"
