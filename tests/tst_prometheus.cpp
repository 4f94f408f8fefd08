#include "exporter/metricsregistry.h"
#include "exporter/prometheusexporter.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

#include <cmath>

using namespace relaybench;

// The exporter's text format (checked line by line and by the real promtool) and its HTTP server.
class TestPrometheus : public QObject
{
    Q_OBJECT

private slots:
    void exposition_data();
    void exposition();
    void labelValuesAreEscaped();
    void everyOutcomeSeriesExistsFromTheStart();
    void gauges();
    void promtoolAcceptsTheOutput();
    void http_data();
    void http();
    void badHostIsNamed();
};

namespace {

AttemptRecord attempt(Outcome outcome, double latencyMs, double ttftMs, qint64 completion = 0)
{
    AttemptRecord record;
    record.outcome = outcome;
    record.status = outcome == Outcome::Ok ? 200 : 429;
    record.sentMs = 1000.0;
    record.endMs = 1000.0 + latencyMs;
    if (applies(ttftMs))
        record.firstTokenMs = 1000.0 + ttftMs;
    record.promptTokens = 10;
    record.completionTokens = completion;
    record.cachedTokens = 4;
    record.reasoningTokens = 1;
    record.costUsd = 0.25;
    return record;
}

// The value of the one sample line `series` (name + labels exactly as printed), or NaN when absent.
double sample(const QByteArray &text, const QByteArray &series)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toDouble();
    }
    return std::nan("");
}

} // namespace

void TestPrometheus::exposition_data()
{
    QTest::addColumn<QList<double>>("okLatenciesMs");
    QTest::addColumn<int>("rateLimited");
    QTest::addColumn<QByteArray>("series");
    QTest::addColumn<double>("expected");

    // Buckets are cumulative and inclusive of their upper bound ("le").
    QTest::newRow("ok counted") << QList<double>{120, 80} << 0
                                << QByteArray("relaybench_requests_total{target=\"a\",outcome=\"ok\"}") << 2.0;
    QTest::newRow("429 counted by outcome")
        << QList<double>{120} << 3 << QByteArray("relaybench_requests_total{target=\"a\",outcome=\"rate_limited\"}")
        << 3.0;
    QTest::newRow("bucket below") << QList<double>{120, 80, 3000} << 0
                                  << QByteArray("relaybench_request_duration_seconds_bucket{target=\"a\",le=\"0.1\"}")
                                  << 1.0;
    QTest::newRow("bucket at bound is inclusive")
        << QList<double>{250, 80} << 0
        << QByteArray("relaybench_request_duration_seconds_bucket{target=\"a\",le=\"0.25\"}") << 2.0;
    QTest::newRow("+Inf holds all") << QList<double>{120, 80, 400000} << 0
                                    << QByteArray(
                                           "relaybench_request_duration_seconds_bucket{target=\"a\",le=\"+Inf\"}")
                                    << 3.0;
    QTest::newRow("failures stay out of the latency histogram")
        << QList<double>{120} << 5 << QByteArray("relaybench_request_duration_seconds_count{target=\"a\"}") << 1.0;
    QTest::newRow("sum in seconds") << QList<double>{1500, 500} << 0
                                    << QByteArray("relaybench_request_duration_seconds_sum{target=\"a\"}") << 2.0;
    QTest::newRow("ttft half of latency")
        << QList<double>{400} << 0 << QByteArray("relaybench_ttft_seconds_bucket{target=\"a\",le=\"0.2\"}") << 1.0;
    QTest::newRow("prompt tokens of every attempt")
        << QList<double>{100, 100} << 1 << QByteArray("relaybench_tokens_total{target=\"a\",type=\"prompt\"}") << 30.0;
    QTest::newRow("completion tokens") << QList<double>{100, 100} << 0
                                       << QByteArray("relaybench_tokens_total{target=\"a\",type=\"completion\"}")
                                       << 14.0;
    QTest::newRow("cost") << QList<double>{100} << 1 << QByteArray("relaybench_cost_usd_total{target=\"a\"}") << 0.5;
}

void TestPrometheus::exposition()
{
    QFETCH(QList<double>, okLatenciesMs);
    QFETCH(int, rateLimited);
    QFETCH(QByteArray, series);
    QFETCH(double, expected);

    MetricsRegistry registry;
    for (double latency : okLatenciesMs)
        registry.observe(QStringLiteral("a"), attempt(Outcome::Ok, latency, latency / 2.0, 7));
    for (int i = 0; i < rateLimited; ++i)
        registry.observe(QStringLiteral("a"), attempt(Outcome::RateLimited, 5.0, notApplicable));
    const double value = sample(registry.exposition(), series);
    QVERIFY2(!std::isnan(value), series.constData());
    QCOMPARE(value, expected);
}

void TestPrometheus::labelValuesAreEscaped()
{
    MetricsRegistry registry;
    registry.addTarget(QStringLiteral("we\"ird\\name\nx"));
    const QByteArray text = registry.exposition();
    QVERIFY(text.contains("relaybench_cost_usd_total{target=\"we\\\"ird\\\\name\\nx\"} 0"));
}

void TestPrometheus::everyOutcomeSeriesExistsFromTheStart()
{
    MetricsRegistry registry;
    registry.addTarget(QStringLiteral("relay"));
    const QByteArray text = registry.exposition();
    for (Outcome outcome : allOutcomes()) {
        const QByteArray series =
            "relaybench_requests_total{target=\"relay\",outcome=\"" + QByteArray(outcomeName(outcome).data()) + "\"}";
        QCOMPARE(sample(text, series), 0.0);
    }
    QCOMPARE(sample(text, "relaybench_request_duration_seconds_bucket{target=\"relay\",le=\"+Inf\"}"), 0.0);
    // No health state until a monitor sets one: 0 would claim "healthy".
    QVERIFY(!text.contains("relaybench_health_state{"));
}

void TestPrometheus::gauges()
{
    MetricsRegistry registry;
    registry.setInFlight(QStringLiteral("relay"), 7);
    registry.setCircuitOpen(QStringLiteral("relay"), true);
    registry.setHealthState(QStringLiteral("relay"), 2);
    const QByteArray text = registry.exposition();
    QCOMPARE(sample(text, "relaybench_in_flight{target=\"relay\"}"), 7.0);
    QCOMPARE(sample(text, "relaybench_circuit_open{target=\"relay\"}"), 1.0);
    QCOMPARE(sample(text, "relaybench_health_state{target=\"relay\"}"), 2.0);
}

void TestPrometheus::promtoolAcceptsTheOutput()
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (promtool.isEmpty())
        QSKIP("promtool not installed (Debian package prometheus; scripts/test.sh installs it)");
    MetricsRegistry registry;
    for (int i = 0; i < 50; ++i)
        registry.observe(QStringLiteral("relay"), attempt(Outcome::Ok, 40.0 * i, 10.0 * i, 30));
    registry.observe(QStringLiteral("direct \"peak\""), attempt(Outcome::ServerError, 5.0, notApplicable));
    registry.setInFlight(QStringLiteral("relay"), 3);
    registry.setHealthState(QStringLiteral("relay"), 1);

    QProcess process;
    process.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(process.waitForStarted());
    process.write(registry.exposition());
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(30000));
    // promtool prints lint problems (naming, missing HELP, ...) and exits non-zero on any of them.
    QVERIFY2(process.exitCode() == 0,
             QByteArray(process.readAllStandardOutput() + process.readAllStandardError()).constData());
}

void TestPrometheus::http_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("bodyContains");

    QTest::newRow("metrics") << QByteArray("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") << 200
                             << QByteArray("relaybench_requests_total{target=\"relay\",outcome=\"ok\"} 1");
    QTest::newRow("metrics with query") << QByteArray("GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n") << 200
                                        << QByteArray("# TYPE relaybench_ttft_seconds histogram");
    QTest::newRow("HEAD has no body") << QByteArray("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n") << 200 << QByteArray();
    QTest::newRow("root points to metrics")
        << QByteArray("GET / HTTP/1.1\r\n\r\n") << 200 << QByteArray("href=\"/metrics\"");
    QTest::newRow("unknown path") << QByteArray("GET /api HTTP/1.1\r\n\r\n") << 404 << QByteArray("/metrics");
    QTest::newRow("POST refused") << QByteArray("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n") << 405
                                  << QByteArray("only GET");
    QTest::newRow("garbage") << QByteArray("\x01\x02 nonsense\r\n\r\n") << 400 << QByteArray();
}

void TestPrometheus::http()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, bodyContains);

    MetricsRegistry registry;
    registry.observe(QStringLiteral("relay"), attempt(Outcome::Ok, 100.0, 20.0, 5));
    PrometheusExporter exporter(&registry);
    QString error;
    QVERIFY2(exporter.listen(QStringLiteral("127.0.0.1"), 0, &error), qPrintable(error));
    QVERIFY(exporter.address().startsWith(QLatin1String("http://127.0.0.1:")));

    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), exporter.serverPort());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(request);
    QByteArray response;
    // The server closes after one response; read until it does (the event loop serves it meanwhile).
    QTRY_VERIFY_WITH_TIMEOUT((response += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState),
                             10000);
    response += socket.readAll();
    const QByteArray statusLine = response.left(response.indexOf("\r\n"));
    QVERIFY2(statusLine.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status))), statusLine.constData());
    const qsizetype split = response.indexOf("\r\n\r\n");
    QVERIFY(split > 0);
    const QByteArray body = response.mid(split + 4);
    const QRegularExpression length(QStringLiteral("Content-Length: (\\d+)"));
    const auto match = length.match(QString::fromLatin1(response.left(split)));
    QVERIFY(match.hasMatch());
    if (!request.startsWith("HEAD"))
        QCOMPARE(body.size(), match.captured(1).toLongLong());
    else
        QVERIFY(body.isEmpty());
    if (status == 200 && request.contains("/metrics"))
        QVERIFY(response.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"));
    QVERIFY2(body.contains(bodyContains), body.left(300).constData());
}

void TestPrometheus::badHostIsNamed()
{
    MetricsRegistry registry;
    PrometheusExporter exporter(&registry);
    QString error;
    QVERIFY(!exporter.listen(QStringLiteral("example.org"), 0, &error));
    QVERIFY2(error.contains(QLatin1String("example.org")), qPrintable(error));

    PrometheusExporter first(&registry);
    QVERIFY(first.listen(QStringLiteral("127.0.0.1"), 0, &error));
    PrometheusExporter second(&registry);
    QVERIFY(!second.listen(QStringLiteral("127.0.0.1"), first.serverPort(), &error));
    QVERIFY2(error.contains(QString::number(first.serverPort())), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
