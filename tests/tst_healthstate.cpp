// The monitor's pure parts: rolling windows over the probe history, the health classification and its
// hysteresis, and the "monitor" object of a campaign file.
#include "monitor/healthstate.h"
#include "monitor/monitorconfig.h"
#include "monitor/probehistory.h"

#include <QJsonDocument>
#include <QtTest>

using namespace relaybench;

Q_DECLARE_METATYPE(relaybench::HealthState)

namespace {

ProbeSample sample(qint64 atMs, Outcome outcome, float latencyMs = 100.0f, float ttftMs = 20.0f)
{
    ProbeSample s;
    s.atMs = atMs;
    s.outcome = outcome;
    s.latencyMs = outcome == Outcome::Ok ? latencyMs : std::numeric_limits<float>::quiet_NaN();
    s.ttftMs = outcome == Outcome::Ok ? ttftMs : std::numeric_limits<float>::quiet_NaN();
    return s;
}

WindowFigures window(qint64 probes, qint64 successes, bool lastOk, double p95 = 100.0)
{
    WindowFigures f;
    f.windowS = 300.0;
    f.probes = probes;
    f.successes = successes;
    f.latencyP95Ms = successes > 0 ? p95 : notApplicable;
    f.lastProbeOk = lastOk;
    return f;
}

} // namespace

class TestHealthState : public QObject
{
    Q_OBJECT

private slots:
    void windowFigures();
    void windowExcludesOldProbes();
    void ringBufferIsBounded();
    void fullDay();
    void capacity_data();
    void capacity();
    void classify_data();
    void classify();
    void hysteresis_data();
    void hysteresis();
    void leavingDownNeedsSuccess();
    void config_data();
    void config();
    void configDefaults();
};

void TestHealthState::windowFigures()
{
    ProbeHistory history(100);
    // 20 probes, one a second: latency 10, 20, ..., 190 ms for the 19 ok ones, one 500 at t = 5 s.
    for (int i = 0; i < 20; ++i)
        history.add(sample(1000 * i, i == 5 ? Outcome::ServerError : Outcome::Ok, float(10 * (i < 5 ? i + 1 : i)),
                           float(i < 5 ? i + 1 : i)));
    const WindowFigures f = history.figures(19000, 60.0);
    QCOMPARE(f.probes, 20);
    QCOMPARE(f.successes, 19);
    QCOMPARE(f.successRate(), 0.95);
    QCOMPARE(f.outcomes[size_t(Outcome::ServerError)], 1);
    QCOMPARE(f.outcomes[size_t(Outcome::Ok)], 19);
    QVERIFY(f.lastProbeOk);
    // Nearest rank over the 19 latencies 10..50, 60..190: p50 = 10th value, p95 = 19th, p99 = 19th.
    QCOMPARE(f.latencyP50Ms, 100.0);
    QCOMPARE(f.latencyP95Ms, 190.0);
    QCOMPARE(f.latencyP99Ms, 190.0);
    QCOMPARE(f.ttftP50Ms, 10.0);
}

void TestHealthState::windowExcludesOldProbes()
{
    ProbeHistory history(100);
    for (int i = 0; i < 10; ++i)
        history.add(sample(1000 * i, i < 5 ? Outcome::Timeout : Outcome::Ok));
    // (9000 - 5000, 9000]: t = 5..9 s, all ok.
    const WindowFigures recent = history.figures(9000, 5.0);
    QCOMPARE(recent.probes, 5);
    QCOMPARE(recent.successes, 5);
    const WindowFigures all = history.figures(9000, 3600.0);
    QCOMPARE(all.probes, 10);
    QCOMPARE(all.outcomes[size_t(Outcome::Timeout)], 5);
    const WindowFigures none = history.figures(100000, 5.0);
    QCOMPARE(none.probes, 0);
    QVERIFY(std::isnan(none.successRate()));
    QVERIFY(std::isnan(none.latencyP50Ms));
}

void TestHealthState::ringBufferIsBounded()
{
    ProbeHistory history(50);
    for (int i = 0; i < 1000; ++i)
        history.add(sample(i, i % 2 == 0 ? Outcome::Ok : Outcome::NetworkError));
    QCOMPARE(history.size(), 50);
    QCOMPARE(history.capacity(), 50);
    const WindowFigures f = history.figures(999, 3600.0);
    QCOMPARE(f.probes, 50); // the newest 50 only
    QCOMPARE(f.successes, 25);
    QVERIFY(!f.lastProbeOk); // probe 999 failed
}

void TestHealthState::fullDay()
{
    // A day of probes at the smallest interval (1 s), then one more: the oldest goes, memory stays put.
    ProbeHistory history(ProbeHistory::capacityFor(1.0));
    const qint64 start = 1'800'000'000'000;
    for (qint64 i = 0; i <= 86400; ++i)
        history.add(sample(start + i * 1000, i % 100 == 0 ? Outcome::Timeout : Outcome::Ok, float(i % 1000)));
    QCOMPARE(history.size(), 86401);
    history.add(sample(start + 86401 * 1000, Outcome::Ok, 5.0f));
    QCOMPARE(history.size(), 86401);
    QElapsedTimer timer;
    timer.start();
    const WindowFigures day = history.figures(start + 86401 * 1000, ProbeHistory::spanS);
    const qint64 dayNs = timer.nsecsElapsed();
    // (now - 24 h, now]: probes 2 .. 86401 (probe 1 ended exactly 24 h ago).
    QCOMPARE(day.probes, 86400);
    QCOMPARE(day.outcomes[size_t(Outcome::Timeout)], 864);
    timer.restart();
    const WindowFigures fiveMinutes = history.figures(start + 86401 * 1000, 300.0);
    const qint64 fiveMinutesNs = timer.nsecsElapsed();
    QCOMPARE(fiveMinutes.probes, 300);
    qInfo("figures over 86,400 probes: %.2f ms; over 300: %.3f ms; ring %zu bytes", double(dayNs) / 1e6,
          double(fiveMinutesNs) / 1e6, size_t(history.capacity()) * sizeof(ProbeSample));
}

void TestHealthState::capacity_data()
{
    QTest::addColumn<double>("intervalS");
    QTest::addColumn<qsizetype>("capacity");
    QTest::addRow("30 s") << 30.0 << qsizetype(2881);
    QTest::addRow("1 s") << 1.0 << qsizetype(86401);
    QTest::addRow("below the minimum") << 0.05 << qsizetype(86401);
    QTest::addRow("an hour") << 3600.0 << qsizetype(25);
}

void TestHealthState::capacity()
{
    QFETCH(double, intervalS);
    QFETCH(qsizetype, capacity);
    QCOMPARE(ProbeHistory::capacityFor(intervalS), capacity);
    QCOMPARE(sizeof(ProbeSample), size_t(24));
}

void TestHealthState::classify_data()
{
    QTest::addColumn<qint64>("probes");
    QTest::addColumn<qint64>("successes");
    QTest::addColumn<double>("p95");
    QTest::addColumn<HealthState>("expected");
    QTest::addRow("empty") << qint64(0) << qint64(0) << 0.0 << HealthState::Unknown;
    QTest::addRow("all ok") << qint64(10) << qint64(10) << 100.0 << HealthState::Healthy;
    QTest::addRow("exactly 95 percent") << qint64(20) << qint64(19) << 100.0 << HealthState::Healthy;
    QTest::addRow("90 percent") << qint64(10) << qint64(9) << 100.0 << HealthState::Degraded;
    QTest::addRow("exactly 50 percent") << qint64(10) << qint64(5) << 100.0 << HealthState::Degraded;
    QTest::addRow("40 percent") << qint64(10) << qint64(4) << 100.0 << HealthState::Down;
    QTest::addRow("none ok") << qint64(3) << qint64(0) << 0.0 << HealthState::Down;
    QTest::addRow("slow") << qint64(10) << qint64(10) << 2500.0 << HealthState::Degraded;
}

void TestHealthState::classify()
{
    QFETCH(qint64, probes);
    QFETCH(qint64, successes);
    QFETCH(double, p95);
    QFETCH(HealthState, expected);
    HealthThresholds thresholds;
    thresholds.degradedP95Ms = 2000.0;
    QCOMPARE(classifyWindow(window(probes, successes, true, p95), thresholds), expected);
}

void TestHealthState::hysteresis_data()
{
    // Each step: the window's success count out of 10 probes; expected: the state after each step.
    QTest::addColumn<int>("hold");
    QTest::addColumn<QList<int>>("successes");
    QTest::addColumn<QList<int>>("expected");
    const int H = int(HealthState::Healthy);
    const int D = int(HealthState::Degraded);
    const int X = int(HealthState::Down);
    const int U = int(HealthState::Unknown);
    QTest::addRow("first state also waits for the hold") << 2 << QList<int>{10, 10, 10} << QList<int>{U, H, H};
    QTest::addRow("one blip does not flap") << 2 << QList<int>{10, 10, 8, 10, 8, 10} << QList<int>{U, H, H, H, H, H};
    QTest::addRow("two in a row change it") << 2 << QList<int>{10, 10, 8, 8, 8} << QList<int>{U, H, H, D, D};
    QTest::addRow("hold 1 follows every evaluation") << 1 << QList<int>{10, 8, 10, 2} << QList<int>{H, D, H, X};
    QTest::addRow("a different wish restarts the streak")
        << 3 << QList<int>{10, 10, 10, 8, 2, 8, 8, 8} << QList<int>{U, U, H, H, H, H, H, D};
    QTest::addRow("healthy to degraded to down to healthy")
        << 2 << QList<int>{10, 10, 8, 8, 1, 1, 10, 10} << QList<int>{U, H, H, D, D, X, X, H};
}

void TestHealthState::hysteresis()
{
    QFETCH(int, hold);
    QFETCH(QList<int>, successes);
    QFETCH(QList<int>, expected);
    HealthThresholds thresholds;
    thresholds.holdEvaluations = hold;
    HealthStateMachine machine(thresholds);
    QList<int> states;
    for (int ok : successes) {
        const HealthState before = machine.state();
        const bool changed = machine.evaluate(window(10, ok, true));
        QCOMPARE(changed, machine.state() != before);
        if (changed)
            QCOMPARE(machine.previous(), before);
        states.append(int(machine.state()));
    }
    QCOMPARE(states, expected);
}

void TestHealthState::leavingDownNeedsSuccess()
{
    HealthThresholds thresholds;
    thresholds.holdEvaluations = 1;
    HealthStateMachine machine(thresholds);
    QVERIFY(machine.evaluate(window(10, 0, false)));
    QCOMPARE(machine.state(), HealthState::Down);
    // The failures age out of the window, but the newest probe still failed: stays down.
    QVERIFY(!machine.evaluate(window(10, 9, false)));
    QVERIFY(!machine.evaluate(window(10, 10, false)));
    QCOMPARE(machine.state(), HealthState::Down);
    QVERIFY(machine.evaluate(window(10, 10, true)));
    QCOMPARE(machine.state(), HealthState::Healthy);
    QCOMPARE(machine.previous(), HealthState::Down);
}

void TestHealthState::config_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::addRow("not an object") << QByteArray("[1]") << QStringLiteral("c.json: monitor: must be an object, got");
    QTest::addRow("interval too small") << QByteArray(R"({"interval_s": 0.5})")
                                        << QStringLiteral("c.json: monitor.interval_s: must be");
    QTest::addRow("prompt empty") << QByteArray(R"({"prompt": " "})")
                                  << QStringLiteral("c.json: monitor.prompt: must not be empty");
    QTest::addRow("bad rate") << QByteArray(R"({"thresholds": {"healthy_success_rate": 1.5}})")
                              << QStringLiteral("c.json: monitor.thresholds.healthy_success_rate: must be");
    QTest::addRow("down above healthy")
        << QByteArray(R"({"thresholds": {"healthy_success_rate": 0.8, "down_success_rate": 0.9}})")
        << QStringLiteral("c.json: monitor.thresholds.down_success_rate: must not be above");
    QTest::addRow("webhooks not an array")
        << QByteArray(R"({"webhooks": "http://x"})") << QStringLiteral("c.json: monitor.webhooks: must be an array");
    QTest::addRow("webhook without url") << QByteArray(R"({"webhooks": [{"format": "slack"}]})")
                                         << QStringLiteral("c.json: monitor.webhooks[0].url: is required");
    QTest::addRow("webhook ftp") << QByteArray(R"({"webhooks": [{"url": "ftp://h/x"}]})")
                                 << QStringLiteral(
                                        "c.json: monitor.webhooks[0].url: must be an http:// or https:// URL");
    QTest::addRow("webhook format") << QByteArray(R"({"webhooks": [{"url": "http://h/x", "format": "teams"}]})")
                                    << QStringLiteral(
                                           "c.json: monitor.webhooks[0].format: must be \"slack\" or \"json\"");
    QTest::addRow("max_tries") << QByteArray(R"({"alerts": {"max_tries": 0}})")
                               << QStringLiteral("c.json: monitor.alerts.max_tries: must be");
    QTest::addRow("hold") << QByteArray(R"({"hold_evaluations": "two"})")
                          << QStringLiteral("c.json: monitor.hold_evaluations: must be");
    QTest::addRow("full") << QByteArray(
                                 R"({"interval_s": 10, "prompt": "hi", "max_tokens": 4, "stream": false, "timeout_s": 5,
                          "window_s": 60, "hold_evaluations": 3,
                          "thresholds": {"healthy_success_rate": 0.9, "down_success_rate": 0.2, "degraded_p95_ms": 1500},
                          "webhooks": [{"url": "https://hooks.example/T/B/secret", "format": "slack"}, {"url": "http://127.0.0.1:9/x"}],
                          "alerts": {"max_per_target": 3, "per_s": 600, "max_tries": 4, "retry_base_s": 0.5, "timeout_s": 2}})")
                          << QString();
}

void TestHealthState::config()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const QJsonValue value = QJsonDocument::fromJson("[" + json + "]").array().first();
    const MonitorConfigResult result = parseMonitorConfig(value, QStringLiteral("c.json"));
    if (!error.isEmpty()) {
        QVERIFY(!result.config);
        QVERIFY2(!result.errors.isEmpty() && result.errors.first().startsWith(error),
                 qPrintable(result.errors.join(u'\n')));
        return;
    }
    QVERIFY2(result.config, qPrintable(result.errors.join(u'\n')));
    QVERIFY(result.warnings.isEmpty());
    const MonitorConfig &c = *result.config;
    QCOMPARE(c.intervalS, 10.0);
    QCOMPARE(c.prompt, QStringLiteral("hi"));
    QCOMPARE(c.maxTokens, 4);
    QCOMPARE(c.stream, false);
    QCOMPARE(c.probeTimeoutS(), 5.0);
    QCOMPARE(c.windowS, 60.0);
    QCOMPARE(c.thresholds.holdEvaluations, 3);
    QCOMPARE(c.thresholds.healthySuccessRate, 0.9);
    QCOMPARE(c.thresholds.downSuccessRate, 0.2);
    QCOMPARE(c.thresholds.degradedP95Ms.value_or(0.0), 1500.0);
    QCOMPARE(c.webhooks.size(), 2);
    QCOMPARE(c.webhooks.at(0).format, WebhookSpec::Format::Slack);
    QCOMPARE(c.webhooks.at(1).format, WebhookSpec::Format::Json);
    QCOMPARE(c.alerts.maxPerTarget, 3);
    QCOMPARE(c.alerts.perS, 600.0);
    QCOMPARE(c.alerts.maxTries, 4);
    QCOMPARE(c.alerts.retryBaseS, 0.5);
    QCOMPARE(c.alerts.timeoutS, 2.0);
}

void TestHealthState::configDefaults()
{
    const MonitorConfigResult result = parseMonitorConfig(QJsonValue(QJsonValue::Undefined), QStringLiteral("c.json"));
    QVERIFY(result.config);
    const MonitorConfig &c = *result.config;
    QCOMPARE(c.intervalS, 30.0);
    QCOMPARE(c.maxTokens, 8);
    QCOMPARE(c.stream, true);
    QCOMPARE(c.probeTimeoutS(), 30.0);
    QCOMPARE(c.windowS, 300.0);
    QCOMPARE(c.thresholds.healthySuccessRate, 0.95);
    QCOMPARE(c.thresholds.downSuccessRate, 0.5);
    QVERIFY(!c.thresholds.degradedP95Ms);
    QCOMPARE(c.thresholds.holdEvaluations, 2);
    QVERIFY(c.webhooks.isEmpty());
    const MonitorConfigResult typo =
        parseMonitorConfig(QJsonObject{{QStringLiteral("intervall_s"), 5}}, QStringLiteral("c.json"));
    QVERIFY(typo.config);
    QCOMPARE(typo.warnings.size(), 1);
    QVERIFY(typo.warnings.first().contains(QLatin1String("intervall_s")));
}

QTEST_GUILESS_MAIN(TestHealthState)
#include "tst_healthstate.moc"
