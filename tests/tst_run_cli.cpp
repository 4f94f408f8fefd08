#include "storage/requestscsvwriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// `relaybench run` as scripts use it: a real process, its files, exit codes and messages.
class TestRunCli : public QObject
{
    Q_OBJECT

private slots:
    void badCampaignIsOneClearMessage_data();
    void badCampaignIsOneClearMessage();
    void runWritesBothFilesAndTheTable();
    void failedSloExitsWithOne();
    void interruptKeepsCompleteFiles();
    void examplesAreValidCampaigns_data();
    void examplesAreValidCampaigns();

private:
    QTemporaryDir m_dir;
};

namespace {

const QString secret = QStringLiteral("sk-test-4f8a1c-very-secret-key");

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

Result run(const QStringList &arguments, bool withKey = true)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (withKey)
        env.insert(QStringLiteral("RELAYBENCH_TEST_KEY"), secret);
    else
        env.remove(QStringLiteral("RELAYBENCH_TEST_KEY"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(RELAYBENCH_BINARY), arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QString data(const char *name)
{
    return QStringLiteral(RELAYBENCH_TEST_DATA "/campaigns/") + QLatin1String(name);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

void TestRunCli::badCampaignIsOneClearMessage_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<QString>("expected");
    const QByteArray target = "\"targets\": [{\"name\": \"t\", \"base_url\": \"sim://relay\", \"model\": \"m\"}]";
    QTest::addRow("not json") << QByteArray("{\"targets\": [") << true << "bad.json: line 1, column 14: ";
    QTest::addRow("concurrency as text") << "{" + target + ", \"load\": {\"concurrency\": \"eight\"}}" << true
                                         << "bad.json: load.concurrency: must be an integer >= 1, got \"eight\"";
    QTest::addRow("no targets") << QByteArray("{\"targets\": []}") << true << "bad.json: targets: must be a non-empty";
    QTest::addRow("bad url") << QByteArray(
                                    "{\"targets\": [{\"name\": \"t\", \"base_url\": \"ftp://x\", \"model\": \"m\"}]}")
                             << true << "bad.json: targets[0].base_url: must be an http:// or https:// URL";
    QTest::addRow("unknown profile")
        << QByteArray("{\"targets\": [{\"name\": \"t\", \"base_url\": \"sim://nope\", \"model\": \"m\"}]}") << true
        << "target \"t\": profile \"nope\": no such shipped profile";
    QTest::addRow("missing key variable")
        << QByteArray("{\"targets\": [{\"name\": \"t\", \"base_url\": \"sim://relay\", \"model\": \"m\","
                      " \"api_key_env\": \"RELAYBENCH_TEST_KEY\"}]}")
        << false << "target \"t\": the environment variable RELAYBENCH_TEST_KEY (api_key_env) is not set";
}

void TestRunCli::badCampaignIsOneClearMessage()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, withKey);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(QStringLiteral("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(json);
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("bad-out"));
    const Result result = run({QStringLiteral("run"), path, QStringLiteral("--out"), out}, withKey);
    QCOMPARE(result.exitCode, 2);
    const QString firstLine = result.err.section(QLatin1Char('\n'), 0, 0);
    QVERIFY2(firstLine.startsWith(QStringLiteral("relaybench run: ")), qPrintable(result.err));
    QVERIFY2(firstLine.contains(expected), qPrintable(result.err));
    QVERIFY(!QFile::exists(out + QStringLiteral("/summary.json"))); // nothing was run
}

void TestRunCli::runWritesBothFilesAndTheTable()
{
    const QString out = m_dir.filePath(QStringLiteral("fast"));
    const Result result = run({QStringLiteral("run"), data("fast-sim.json"), QStringLiteral("--out"), out});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QLatin1String("local")) && result.out.contains(QLatin1String("relay")),
             qPrintable(result.out));
    const QByteArray csv = readAll(out + QStringLiteral("/requests.csv"));
    QVERIFY(csv.startsWith(relaybench::RequestsCsvWriter::header()));
    const QJsonObject summary = QJsonDocument::fromJson(readAll(out + QStringLiteral("/summary.json"))).object();
    QCOMPARE(summary.value(QLatin1String("schema")).toString(), QStringLiteral("relaybench.summary/1"));
    QCOMPARE(summary.value(QLatin1String("stopped_early")).toBool(), false);
    int attempts = 0;
    for (const QJsonValue &target : summary.value(QLatin1String("targets")).toArray()) {
        QCOMPARE(target.toObject().value(QLatin1String("requests")).toInt(), 12);
        attempts += target.toObject().value(QLatin1String("attempts")).toInt();
        for (const char *key : {"latency_ms", "response_time_ms", "ttfb_ms", "ttft_ms", "itl_ms", "tpot_ms"})
            QVERIFY2(target.toObject().value(QLatin1String(key)).toObject().contains(QLatin1String("p99")), key);
    }
    QCOMPARE(csv.count("\r\n") - 1, attempts);
    // The key was sent to the local target, and appears nowhere.
    for (const QByteArray &text :
         {csv, readAll(out + QStringLiteral("/summary.json")), result.out.toUtf8(), result.err.toUtf8()})
        QVERIFY(!text.contains(secret.toUtf8()));
}

void TestRunCli::failedSloExitsWithOne()
{
    const QString out = m_dir.filePath(QStringLiteral("slo"));
    const Result result = run({QStringLiteral("run"), data("strict-slo.json"), QStringLiteral("--out"), out});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.contains(QLatin1String("FAIL")));
    const QJsonObject slo = QJsonDocument::fromJson(readAll(out + QStringLiteral("/summary.json")))
                                .object()
                                .value(QLatin1String("targets"))
                                .toArray()
                                .at(0)
                                .toObject()
                                .value(QLatin1String("slo"))
                                .toObject();
    QCOMPARE(slo.value(QLatin1String("passed")).toBool(), false);
    QCOMPARE(slo.value(QLatin1String("checks")).toArray().at(0).toObject().value(QLatin1String("metric")).toString(),
             QStringLiteral("latency_p95_ms"));
}

void TestRunCli::interruptKeepsCompleteFiles()
{
    const QString out = m_dir.filePath(QStringLiteral("interrupted"));
    QProcess process;
    process.start(QStringLiteral(RELAYBENCH_BINARY),
                  {QStringLiteral("run"), data("slow-sim.json"), QStringLiteral("--out"), out});
    QVERIFY(process.waitForStarted());
    QTest::qWait(1500); // each answer takes 540 ms: about eight have finished, four are in flight
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(15000));
    QCOMPARE(process.exitCode(), 3);
    const QJsonObject summary = QJsonDocument::fromJson(readAll(out + QStringLiteral("/summary.json"))).object();
    QCOMPARE(summary.value(QLatin1String("stopped_early")).toBool(), true);
    QCOMPARE(summary.value(QLatin1String("stop_reason")).toString(), QStringLiteral("interrupted"));
    const QJsonObject target = summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    const QByteArray csv = readAll(out + QStringLiteral("/requests.csv"));
    QCOMPARE(csv.count("\r\n") - 1, target.value(QLatin1String("attempts")).toInt());
    QCOMPARE(target.value(QLatin1String("attempt_outcomes")).toObject().value(QLatin1String("cancelled")).toInt(), 4);
    QVERIFY(target.value(QLatin1String("succeeded")).toInt() >= 4);
    QVERIFY(csv.endsWith("\r\n")); // no half-written row
}

void TestRunCli::examplesAreValidCampaigns_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    QVERIFY(files.size() >= 2);
    for (const QString &file : files)
        QTest::addRow("%s", qPrintable(file)) << dir.filePath(file);
}

void TestRunCli::examplesAreValidCampaigns()
{
    // `run` with a missing --out validates nothing; so load through a dry path: an unwritable out
    // folder fails after validation, while an invalid campaign fails before it with its own message.
    QFETCH(QString, path);
    const Result result = run({QStringLiteral("run"), path, QStringLiteral("--out"), QStringLiteral("/proc/nope")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QLatin1String("api_key_env")) || result.err.contains(QLatin1String("--out")),
             qPrintable(result.err));
}

QTEST_GUILESS_MAIN(TestRunCli)
#include "tst_run_cli.moc"
