// `relaybench monitor` as a user runs it: field errors and bad options exit 2; a real run against an
// in-process simulator that always fails prints the state change, posts the alert to a local webhook,
// serves relaybench_health_state, stops cleanly on SIGTERM and leaves a "monitor" run in the history.
#include "webhookreceiver.h"

#include "history/runstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace relaybench;

namespace {

struct Finished
{
    int exitCode = -1;
    QString out;
    QString err;
};

QProcessEnvironment environmentFor(const QString &dataDir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RELAYBENCH_DATA_DIR"), dataDir);
    return env;
}

Finished runToEnd(const QStringList &arguments, const QString &dataDir)
{
    QProcess process;
    process.setProcessEnvironment(environmentFor(dataDir));
    process.start(QStringLiteral(RELAYBENCH_BINARY), QStringList{QStringLiteral("monitor")} + arguments);
    Finished result;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    return path;
}

} // namespace

class TestMonitorCli : public QObject
{
    Q_OBJECT

private slots:
    void help();
    void invalidInput_data();
    void invalidInput();
    void monitorsAlertsExportsAndRecords();
};

void TestMonitorCli::help()
{
    QTemporaryDir dir;
    const Finished result = runToEnd({QStringLiteral("--help")}, dir.path());
    QCOMPARE(result.exitCode, 0);
    for (const char *option :
         {"--interval", "--window", "--webhook", "--webhook-format", "--metrics-port", "--no-history"})
        QVERIFY2(result.out.contains(QLatin1String(option)), option);
}

void TestMonitorCli::invalidInput_data()
{
    QTest::addColumn<QByteArray>("monitor"); // the "monitor" object of the campaign
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::addRow("field error") << QByteArray(R"({"interval_s": 0})") << QStringList()
                                 << QStringLiteral("c.json: monitor.interval_s: must be");
    QTest::addRow("webhook format") << QByteArray(R"({"webhooks": [{"url": "http://127.0.0.1:1/x", "format": "xml"}]})")
                                    << QStringList() << QStringLiteral("c.json: monitor.webhooks[0].format: must be");
    QTest::addRow("--interval") << QByteArray("{}") << QStringList{QStringLiteral("--interval"), QStringLiteral("0.2")}
                                << QStringLiteral("relaybench monitor: --interval: \"0.2\" is not a number");
    QTest::addRow("--webhook") << QByteArray("{}")
                               << QStringList{QStringLiteral("--webhook"), QStringLiteral("mailto:x@y")}
                               << QStringLiteral("relaybench monitor: --webhook: not an http:// or https:// URL");
    QTest::addRow("--webhook-format") << QByteArray("{}")
                                      << QStringList{QStringLiteral("--webhook-format"), QStringLiteral("teams")}
                                      << QStringLiteral("relaybench monitor: --webhook-format: must be");
    QTest::addRow("--metrics-port") << QByteArray("{}")
                                    << QStringList{QStringLiteral("--metrics-port"), QStringLiteral("x")}
                                    << QStringLiteral("relaybench monitor: --metrics-port:");
}

void TestMonitorCli::invalidInput()
{
    QFETCH(QByteArray, monitor);
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString campaign = writeFile(
        dir, QStringLiteral("c.json"),
        R"({"targets": [{"name": "a", "base_url": "sim://relay", "model": "m"}], "monitor": )" + monitor + "}");
    const Finished result = runToEnd(QStringList{campaign} + options, dir.path());
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QVERIFY(result.out.isEmpty());
    QVERIFY2(!result.err.contains(QLatin1String("unknown key")), qPrintable(result.err)); // "monitor" is known
}

void TestMonitorCli::monitorsAlertsExportsAndRecords()
{
    QTemporaryDir dir;
    // Every answer a 503: the target's first verdict is "down".
    writeFile(dir, QStringLiteral("down.json"),
              R"({"name": "down", "ttft_ms": 1, "faults": {"service_unavailable": 1}})");
    const QString campaign = writeFile(dir, QStringLiteral("c.json"), R"({
        "name": "cli-monitor",
        "targets": [{"name": "ok", "base_url": "sim://relay", "model": "m"},
                    {"name": "bad", "base_url": "sim://down.json", "model": "m"}],
        "monitor": {"interval_s": 1, "window_s": 10, "hold_evaluations": 1, "max_tokens": 4,
                    "alerts": {"retry_base_s": 0.1}}
    })");
    WebhookReceiver receiver;
    QVERIFY(receiver.start());
    receiver.statuses = {500}; // the first delivery fails and is retried

    QProcess process;
    process.setProcessEnvironment(environmentFor(dir.path()));
    process.start(QStringLiteral(RELAYBENCH_BINARY),
                  {QStringLiteral("monitor"), campaign, QStringLiteral("--metrics-port"), QStringLiteral("0"),
                   QStringLiteral("--webhook"), QString::fromLatin1(receiver.url("/alerts"))});
    QVERIFY(process.waitForStarted(10000));
    QString out;
    QString err;
    auto drain = [&] {
        out += QString::fromUtf8(process.readAllStandardOutput());
        err += QString::fromUtf8(process.readAllStandardError());
    };
    QTRY_VERIFY_WITH_TIMEOUT((drain(), out.contains(QLatin1String("bad: unknown -> down"))), 20000);
    // The alert arrives after one retry; the healthy start of "ok" raises none.
    QTRY_COMPARE_WITH_TIMEOUT(receiver.received.size(), 2, 20000);
    for (const WebhookReceiver::Received &request : std::as_const(receiver.received)) {
        const QJsonObject alert = QJsonDocument::fromJson(request.body).object();
        QCOMPARE(alert.value(QLatin1String("target")).toString(), QStringLiteral("bad"));
        QCOMPARE(alert.value(QLatin1String("old_state")).toString(), QStringLiteral("unknown"));
        QCOMPARE(alert.value(QLatin1String("new_state")).toString(), QStringLiteral("down"));
        QCOMPARE(alert.value(QLatin1String("window")).toObject().value(QLatin1String("success_rate")).toDouble(), 0.0);
    }

    // The exporter serves the state.
    const QRegularExpressionMatch address =
        QRegularExpression(QStringLiteral("metrics at (http://\\S+/metrics)")).match(err);
    QVERIFY2(address.hasMatch(), qPrintable(err));
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(QUrl(address.captured(1))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    const QByteArray metrics = reply->readAll();
    reply->deleteLater();
    QVERIFY2(metrics.contains("relaybench_health_state{target=\"bad\"} 2\n"), metrics.constData());
    QVERIFY2(metrics.contains("relaybench_requests_total{target=\"bad\",outcome=\"server_error\"}"),
             metrics.constData());
    if (const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool")); !promtool.isEmpty()) {
        QProcess check;
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(check.waitForStarted(10000));
        check.write(metrics);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        QVERIFY2(check.exitCode() == 0, check.readAll().constData());
    } else {
        qInfo("promtool not installed: the exposition's format is not checked here");
    }

    process.terminate(); // SIGTERM
    QVERIFY(process.waitForFinished(20000));
    drain();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(err.contains(QLatin1String("recorded as run")), qPrintable(err));
    // One line per state change, timestamped; the simulated relay's first answers are fine.
    QVERIFY2(
        out.contains(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\S+Z ok: unknown -> healthy \\(10 s: "),
                                        QRegularExpression::MultilineOption)),
        qPrintable(out));

    RunStore store;
    QString error;
    QVERIFY2(store.open(QDir(dir.path()).filePath(QStringLiteral("history.sqlite")), &error), qPrintable(error));
    const QList<RecordedRun> runs = store.runs(&error);
    QCOMPARE(runs.size(), 1);
    const RecordedRun &run = runs.first();
    QCOMPARE(run.kind, QStringLiteral("monitor"));
    QCOMPARE(run.state, QStringLiteral("stopped"));
    QCOMPARE(run.stopReason, QStringLiteral("signal"));
    QCOMPARE(run.campaignName, QStringLiteral("cli-monitor"));
    QVERIFY(run.attempts >= 2);
    qint64 serverErrors = 0;
    QVERIFY(store.forEachAttempt(
        run.id, [&](const AttemptRecord &record) { serverErrors += record.outcome == Outcome::ServerError; }, &error));
    QVERIFY(serverErrors >= 1);
}

QTEST_GUILESS_MAIN(TestMonitorCli)
#include "tst_monitor_cli.moc"
