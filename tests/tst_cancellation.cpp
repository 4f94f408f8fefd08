#include "campaign/campaignloader.h"
#include "engine/runcontroller.h"
#include "pricing/pricecatalog.h"
#include "sim/simprofile.h"
#include "sim/simserver.h"
#include "storage/csvfilesink.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace relaybench;

// Cancellation at any moment leaves consistent files and history rows: `relaybench run` cut by SIGINT
// at seeded random moments, and RunController::stop() at random moments in-process.
class TestCancellation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sigintAtRandomMoments();
    void stopAtRandomMomentsInProcess();

private:
    std::unique_ptr<SimServer> m_sim;
    QTemporaryDir m_dir;
    int m_killedBeforeHandler = 0;
};

namespace {

constexpr quint32 seed = 20261124;
constexpr int cliRuns = 30;
constexpr int inProcessRuns = 15;

// Answers of ~100-300 ms with every polite fault (retries in backoff, hangs, cut streams), so that a
// cut can land on any state an attempt or a request can be in.
const QByteArray profileJson = R"({"seed": 7, "headers_ms": 10, "ttft_ms": {"median": 60, "p99": 200},
    "tpot_ms": 4, "completion_tokens": 30,
    "faults": {"rate_limited": 0.05, "server_error": 0.05, "hang": 0.03, "reset": 0.03, "stream_cut": 0.05,
               "malformed_json": 0.03, "error_event": 0.03}, "retry_after_s": 1})";

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The records of a requests.csv (RFC 4180: a quoted cell may hold line breaks); false when the last one
// is incomplete.
bool countCsvRecords(const QByteArray &csv, qsizetype *records)
{
    *records = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < csv.size(); ++i) {
        if (csv.at(i) == '"')
            quoted = !quoted;
        else if (!quoted && csv.at(i) == '\n')
            ++*records;
    }
    --*records; // the header
    return !quoted && csv.endsWith("\r\n");
}

QJsonObject campaignJson(const QString &baseUrl)
{
    QJsonObject root = QJsonDocument::fromJson(R"({
        "name": "cancel",
        "load": {"mode": "closed", "concurrency": 4, "requests": 100000},
        "request": {"prompts": ["cut me anywhere"], "max_tokens": 30, "stream": true},
        "timeouts": {"total_s": 2, "stall_s": 1},
        "retry": {"max_attempts": 3, "base_delay_s": 0.05, "max_delay_s": 0.5,
                  "on": ["rate_limited", "server_error", "timeout", "stalled", "network_error", "stream_error"]}
    })")
                           .object();
    QJsonArray targets;
    for (const char *name : {"a", "b"})
        targets.append(QJsonObject{{QStringLiteral("name"), QLatin1String(name)},
                                   {QStringLiteral("base_url"), baseUrl},
                                   {QStringLiteral("model"), QStringLiteral("m")}});
    root.insert(QStringLiteral("targets"), targets);
    return root;
}

} // namespace

void TestCancellation::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    const auto profile = parseSimProfile(profileJson, QStringLiteral("cancel"), &error);
    QVERIFY2(profile, qPrintable(error));
    m_sim = std::make_unique<SimServer>(*profile, 2);
    QVERIFY2(m_sim->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

void TestCancellation::sigintAtRandomMoments()
{
    const QString campaignPath = m_dir.filePath(QStringLiteral("cancel.json"));
    QFile campaign(campaignPath);
    QVERIFY(campaign.open(QIODevice::WriteOnly));
    campaign.write(QJsonDocument(campaignJson(m_sim->baseUrl().toString())).toJson());
    campaign.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RELAYBENCH_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
    QRandomGenerator random(seed);
    for (int i = 0; i < cliRuns; ++i) {
        // Anywhere from before the first request is sent to well into the run.
        const int cutAfterMs = int(random.bounded(20, 2500));
        const QString out = m_dir.filePath(QStringLiteral("run-%1").arg(i));
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(RELAYBENCH_BINARY),
                      {QStringLiteral("run"), campaignPath, QStringLiteral("--out"), out, QStringLiteral("--quiet")});
        QVERIFY(process.waitForStarted());
        QTest::qWait(cutAfterMs);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY2(process.waitForFinished(30000), qPrintable(QStringLiteral("run %1 did not stop").arg(i)));
        const QString where = QStringLiteral("run %1, cut after %2 ms: ").arg(i).arg(cutAfterMs);
        const QByteArray stderrText = process.readAllStandardError();
        if (process.exitStatus() == QProcess::CrashExit) {
            // SIGINT before `relaybench run` installed its handler (it does so only once the output files
            // and the history row exist): the default action ended it. Nothing was sent, so nothing may
            // have been written beyond the CSV header, and no summary claims otherwise.
            qsizetype rows = 0;
            const QByteArray csv = readAll(out + QStringLiteral("/requests.csv"));
            QVERIFY2(csv.isEmpty() || (countCsvRecords(csv, &rows) && rows == 0), qPrintable(where));
            QVERIFY2(!QFile::exists(out + QStringLiteral("/summary.json")), qPrintable(where));
            ++m_killedBeforeHandler;
            continue;
        }
        QVERIFY2(process.exitCode() == 3, qPrintable(where + QString::fromUtf8(stderrText)));

        qsizetype rows = 0;
        QVERIFY2(countCsvRecords(readAll(out + QStringLiteral("/requests.csv")), &rows),
                 qPrintable(where + QStringLiteral("requests.csv ends in a half-written row")));
        QJsonParseError parseError;
        const QJsonObject summary =
            QJsonDocument::fromJson(readAll(out + QStringLiteral("/summary.json")), &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(where + parseError.errorString()));
        QCOMPARE(summary.value(QLatin1String("stop_reason")).toString(), QStringLiteral("interrupted"));
        qsizetype attempts = 0;
        for (const QJsonValue &target : summary.value(QLatin1String("targets")).toArray())
            attempts += target.toObject().value(QLatin1String("attempts")).toInt();
        QVERIFY2(
            attempts == rows,
            qPrintable(where + QStringLiteral("summary %1 attempts, requests.csv %2 rows").arg(attempts).arg(rows)));

        const QRegularExpression idLine(QStringLiteral("history run id: (\\d+)"));
        const auto match = idLine.match(QString::fromUtf8(process.readAllStandardOutput()));
        QVERIFY2(match.hasMatch(), qPrintable(where + QStringLiteral("no history run id printed")));
        QProcess history;
        history.setProcessEnvironment(env);
        history.start(QStringLiteral(RELAYBENCH_BINARY),
                      {QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY(history.waitForFinished(30000));
        bool found = false;
        for (const QJsonValue &run : QJsonDocument::fromJson(history.readAllStandardOutput()).array()) {
            if (run.toObject().value(QLatin1String("id")).toInteger() != match.captured(1).toLongLong())
                continue;
            found = true;
            QCOMPARE(run.toObject().value(QLatin1String("attempts")).toInteger(), qint64(rows));
        }
        QVERIFY2(found, qPrintable(where + QStringLiteral("run not in the history")));
    }
    qInfo("%d of %d runs were cut before the signal handler existed", m_killedBeforeHandler, cliRuns);
    QVERIFY(m_killedBeforeHandler < cliRuns / 2); // most cuts land in a running run
}

void TestCancellation::stopAtRandomMomentsInProcess()
{
    const QString path = m_dir.filePath(QStringLiteral("inprocess.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(campaignJson(m_sim->baseUrl().toString())).toJson());
    file.close();
    const CampaignLoadResult loaded = loadCampaignFile(path, PriceCatalog::shipped());
    QVERIFY2(loaded.campaign, qPrintable(loaded.errors.join(QLatin1Char('\n'))));
    QRandomGenerator random(seed + 1);
    for (int i = 0; i < inProcessRuns; ++i) {
        const int stopAfterMs = int(random.bounded(0, 1500));
        const QString csvPath = m_dir.filePath(QStringLiteral("inprocess-%1.csv").arg(i));
        qsizetype rows = 0;
        qsizetype attempts = 0;
        {
            CsvFileSink csv(csvPath, {QStringLiteral("a"), QStringLiteral("b")});
            QString error;
            QVERIFY2(csv.open(&error), qPrintable(error));
            RunController controller(*loaded.campaign, {});
            controller.addSink(&csv);
            QSignalSpy finished(&controller, &RunController::finished);
            controller.start();
            if (stopAfterMs > 0)
                QTest::qWait(stopAfterMs);
            controller.stop(); // also at 0 ms: before the engine thread has sent anything
            QVERIFY(finished.wait(30000) || finished.count() == 1);
            QCOMPARE(finished.first().first().toString(), QString());
            QVERIFY(!controller.isRunning());
            for (const QJsonValue &target : controller.summary().value(QLatin1String("targets")).toArray())
                attempts += target.toObject().value(QLatin1String("attempts")).toInt();
            csv.flush();
        }
        const QString where = QStringLiteral("run %1, stopped after %2 ms: ").arg(i).arg(stopAfterMs);
        QVERIFY2(countCsvRecords(readAll(csvPath), &rows), qPrintable(where + QStringLiteral("half-written row")));
        QVERIFY2(rows == attempts,
                 qPrintable(where + QStringLiteral("summary %1 attempts, CSV %2 rows").arg(attempts).arg(rows)));
    }
}

QTEST_GUILESS_MAIN(TestCancellation)
#include "tst_cancellation.moc"
