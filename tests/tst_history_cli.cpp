#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

// `relaybench run` recording into the history, and `relaybench history`, as real processes.
class TestHistoryCli : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void listShowExportCompare();
    void noHistoryRecordsNothing();
    void twoProcessesRecordAtOnce();
    void killedRunReadsInterrupted();
    void newerDatabaseIsRefused();
    void unknownRunIsAUsageError_data();
    void unknownRunIsAUsageError();
    void dataDirOptionOverridesTheEnvironment_data();
    void dataDirOptionOverridesTheEnvironment();
    void dataDirOptionNeedsAValue();

private:
    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    QProcessEnvironment environment() const;
    Result run(const QStringList &arguments) const;
    QJsonArray listJson() const;
    QString dir(const QString &name) const { return m_dir->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QTemporaryDir> m_data;
};

namespace {

QString data(const char *name)
{
    return QStringLiteral(RELAYBENCH_TEST_DATA "/campaigns/") + QLatin1String(name);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

qint64 runIdIn(const QString &out)
{
    const QRegularExpressionMatch match = QRegularExpression(QStringLiteral("history run id: (\\d+)")).match(out);
    return match.hasMatch() ? match.captured(1).toLongLong() : 0;
}

QJsonObject runWithId(const QJsonArray &runs, qint64 id)
{
    for (const QJsonValue &run : runs) {
        if (qint64(run.toObject().value(QLatin1String("id")).toDouble()) == id)
            return run.toObject();
    }
    return {};
}

} // namespace

void TestHistoryCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid() && m_data->isValid());
}

QProcessEnvironment TestHistoryCli::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RELAYBENCH_TEST_KEY"), QStringLiteral("sk-test-history-key"));
    env.insert(QStringLiteral("RELAYBENCH_DATA_DIR"), m_data->path());
    return env;
}

TestHistoryCli::Result TestHistoryCli::run(const QStringList &arguments) const
{
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(QStringLiteral(RELAYBENCH_BINARY), arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QJsonArray TestHistoryCli::listJson() const
{
    const Result result = run({QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--json")});
    return result.exitCode == 0 ? QJsonDocument::fromJson(result.out.toUtf8()).array() : QJsonArray();
}

void TestHistoryCli::listShowExportCompare()
{
    const Result first =
        run({QStringLiteral("run"), data("fast-sim.json"), QStringLiteral("--out"), dir(QStringLiteral("a"))});
    QCOMPARE(first.exitCode, 0);
    const Result second =
        run({QStringLiteral("run"), data("fast-sim.json"), QStringLiteral("--out"), dir(QStringLiteral("b"))});
    QCOMPARE(second.exitCode, 0);
    const qint64 firstId = runIdIn(first.out);
    const qint64 secondId = runIdIn(second.out);
    QVERIFY2(firstId > 0 && secondId > firstId, qPrintable(first.out + second.out));

    const QJsonArray runs = listJson();
    QCOMPARE(runs.size(), 2);
    const QJsonObject listed = runWithId(runs, firstId);
    QCOMPARE(listed.value(QLatin1String("state")).toString(), QStringLiteral("finished"));
    QCOMPARE(listed.value(QLatin1String("campaign")).toString(), QStringLiteral("fast-sim"));
    QCOMPARE(listed.value(QLatin1String("requests")).toInt(), 24);
    const QByteArray csv = readAll(dir(QStringLiteral("a/requests.csv")));
    QCOMPARE(listed.value(QLatin1String("attempts")).toInt(), int(csv.count("\r\n")) - 1);
    QCOMPARE(listed.value(QLatin1String("targets")).toArray().size(), 2);

    const Result table = run({QStringLiteral("history"), QStringLiteral("list")});
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.contains(QLatin1String("fast-sim")) && table.out.contains(QLatin1String("finished")),
             qPrintable(table.out));

    const Result shown = run({QStringLiteral("history"), QStringLiteral("show"), QString::number(firstId)});
    QCOMPARE(shown.exitCode, 0);
    for (const char *text : {"fast-sim", "finished", "local", "relay", "sim://local-gpu", "100.0%"})
        QVERIFY2(shown.out.contains(QLatin1String(text)), text);

    const QString exported = dir(QStringLiteral("exported"));
    const Result exportResult = run({QStringLiteral("history"), QStringLiteral("export"), QString::number(firstId),
                                     QStringLiteral("--out"), exported});
    QCOMPARE(exportResult.exitCode, 0);
    QCOMPARE(readAll(exported + QStringLiteral("/requests.csv")), csv);
    QCOMPARE(readAll(exported + QStringLiteral("/summary.json")), readAll(dir(QStringLiteral("a/summary.json"))));

    const Result compared = run(
        {QStringLiteral("history"), QStringLiteral("compare"), QString::number(firstId), QString::number(secondId)});
    QCOMPARE(compared.exitCode, 0);
    QVERIFY2(compared.out.contains(QLatin1String("target local: 12 -> 12 requests")), qPrintable(compared.out));
    QVERIFY(compared.out.contains(QLatin1String("target relay")));
    QVERIFY(compared.out.contains(QLatin1String("latency_ms.p95")));
    QVERIFY(compared.out.contains(QLatin1String("ttft_ms.p50")));
    // 12 requests a target: percentiles above p90 cannot be told from noise, and the table says so.
    QVERIFY2(compared.out.contains(QLatin1String("~ p95 needs 20 successful samples in each run, has 12")),
             qPrintable(compared.out));
    QVERIFY(compared.out.contains(QLatin1String("verdict")));

    // delete: the run and its attempts are gone, the other run stays.
    const Result deleted = run({QStringLiteral("history"), QStringLiteral("delete"), QString::number(firstId)});
    QCOMPARE(deleted.exitCode, 0);
    QVERIFY2(deleted.out.contains(QStringLiteral("deleted run %1").arg(firstId)), qPrintable(deleted.out));
    const QJsonArray left = listJson();
    QCOMPARE(left.size(), 1);
    QCOMPARE(qint64(left.at(0).toObject().value(QLatin1String("id")).toDouble()), secondId);
    QCOMPARE(left.at(0).toObject().value(QLatin1String("kind")).toString(), QStringLiteral("campaign"));
    const Result again = run({QStringLiteral("history"), QStringLiteral("delete"), QString::number(firstId)});
    QCOMPARE(again.exitCode, 2);
    QVERIFY2(again.err.contains(QStringLiteral("no run %1").arg(firstId)), qPrintable(again.err));
    // Nothing of the key reached the database.
    QVERIFY(!readAll(m_data->filePath(QStringLiteral("history.sqlite"))).contains("sk-test-history-key"));
}

void TestHistoryCli::noHistoryRecordsNothing()
{
    const Result result = run({QStringLiteral("run"), data("fast-sim.json"), QStringLiteral("--out"),
                               dir(QStringLiteral("a")), QStringLiteral("--no-history")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(runIdIn(result.out), qint64(0));
    QVERIFY(!QFile::exists(m_data->filePath(QStringLiteral("history.sqlite"))));
}

void TestHistoryCli::twoProcessesRecordAtOnce()
{
    QProcess one;
    QProcess two;
    for (QProcess *process : {&one, &two}) {
        process->setProcessEnvironment(environment());
        process->start(QStringLiteral(RELAYBENCH_BINARY),
                       {QStringLiteral("run"), data("fast-sim.json"), QStringLiteral("--quiet"),
                        QStringLiteral("--out"), dir(process == &one ? QStringLiteral("one") : QStringLiteral("two"))});
    }
    for (QProcess *process : {&one, &two}) {
        QVERIFY(process->waitForFinished(60000));
        QCOMPARE(process->exitCode(), 0);
        QVERIFY2(runIdIn(QString::fromUtf8(process->readAllStandardOutput())) > 0,
                 process->readAllStandardError().constData());
    }
    const QJsonArray runs = listJson();
    QCOMPARE(runs.size(), 2);
    for (const QJsonValue &recorded : runs) {
        QCOMPARE(recorded.toObject().value(QLatin1String("state")).toString(), QStringLiteral("finished"));
        QCOMPARE(recorded.toObject().value(QLatin1String("attempts")).toInt(), 24);
    }
}

void TestHistoryCli::killedRunReadsInterrupted()
{
    const QString out = dir(QStringLiteral("killed"));
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(QStringLiteral(RELAYBENCH_BINARY), {QStringLiteral("run"), data("slow-sim.json"),
                                                      QStringLiteral("--quiet"), QStringLiteral("--out"), out});
    QVERIFY(process.waitForStarted());
    QElapsedTimer running;
    running.start();
    QTest::qWait(3500); // about 7 attempts a second finish: some 20 are recorded
    process.kill();     // SIGKILL: no chance to flush or mark anything
    QVERIFY(process.waitForFinished(10000));
    const double seconds = running.elapsed() / 1000.0;

    const QByteArray csv = readAll(out + QStringLiteral("/requests.csv"));
    const int csvRows = int(csv.count("\r\n")) - 1;
    QVERIFY2(csvRows >= 5, qPrintable(QString::number(csvRows)));
    const QJsonArray runs = listJson();
    QCOMPARE(runs.size(), 1);
    const QJsonObject killed = runs.at(0).toObject();
    QCOMPARE(killed.value(QLatin1String("state")).toString(), QStringLiteral("interrupted"));
    const int recorded = killed.value(QLatin1String("attempts")).toInt();
    const int oneSecondsWorth = int(std::ceil(csvRows / seconds)) + 1;
    qInfo("requests.csv: %d rows, history: %d attempts (one second's worth: %d)", csvRows, recorded, oneSecondsWorth);
    QVERIFY(recorded <= csvRows);
    QVERIFY(recorded >= csvRows - oneSecondsWorth);

    // What was recorded is the run's own requests.csv up to the last flush.
    const QString exported = dir(QStringLiteral("exported"));
    const Result exportResult =
        run({QStringLiteral("history"), QStringLiteral("export"),
             QString::number(killed.value(QLatin1String("id")).toInt()), QStringLiteral("--out"), exported});
    QCOMPARE(exportResult.exitCode, 0);
    QVERIFY2(exportResult.err.contains(QLatin1String("computed from the stored attempts")),
             qPrintable(exportResult.err));
    const QByteArray exportedCsv = readAll(exported + QStringLiteral("/requests.csv"));
    QCOMPARE(int(exportedCsv.count("\r\n")) - 1, recorded);
    QVERIFY(csv.startsWith(exportedCsv));
    // An interrupted run exports a summary.json computed from what was stored.
    const QJsonObject summary = QJsonDocument::fromJson(readAll(exported + QStringLiteral("/summary.json"))).object();
    QCOMPARE(summary.value(QLatin1String("state")).toString(), QStringLiteral("interrupted"));
    qint64 attempts = 0;
    for (const QJsonValue &target : summary.value(QLatin1String("targets")).toArray())
        attempts += qint64(target.toObject().value(QLatin1String("attempts")).toDouble());
    QVERIFY(attempts > 0 && attempts <= recorded);
}

void TestHistoryCli::newerDatabaseIsRefused()
{
    const QString path = m_data->filePath(QStringLiteral("history.sqlite"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst-newer"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 7")));
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE future (x)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst-newer"));
    const QByteArray before = readAll(path);

    const Result listed = run({QStringLiteral("history"), QStringLiteral("list")});
    QCOMPARE(listed.exitCode, 2);
    QVERIFY2(listed.err.contains(QLatin1String("newer RelayBench")), qPrintable(listed.err));
    // A run still runs, and says why it is not recorded.
    const Result ran =
        run({QStringLiteral("run"), data("fast-sim.json"), QStringLiteral("--out"), dir(QStringLiteral("a"))});
    QCOMPARE(ran.exitCode, 0);
    QVERIFY2(ran.err.contains(QLatin1String("not recorded in the history")), qPrintable(ran.err));
    QCOMPARE(readAll(path), before);
}

void TestHistoryCli::unknownRunIsAUsageError_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");
    QTest::addRow("show missing") << QStringList{QStringLiteral("show"), QStringLiteral("42")}
                                  << QStringLiteral("no run 42");
    QTest::addRow("show text") << QStringList{QStringLiteral("show"), QStringLiteral("abc")}
                               << QStringLiteral("\"abc\" is not a run id");
    QTest::addRow("export without out") << QStringList{QStringLiteral("export"), QStringLiteral("1")}
                                        << QStringLiteral("--out DIR is required");
    QTest::addRow("unknown action") << QStringList{QStringLiteral("drop")} << QStringLiteral("unknown action");
    QTest::addRow("delete missing") << QStringList{QStringLiteral("delete"), QStringLiteral("42")}
                                    << QStringLiteral("no run 42");
    QTest::addRow("delete without id") << QStringList{QStringLiteral("delete")}
                                       << QStringLiteral("usage: relaybench history delete ID");
}

void TestHistoryCli::unknownRunIsAUsageError()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    const Result result = run(QStringList{QStringLiteral("history")} + arguments);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith(QLatin1String("relaybench history: ")) && result.err.contains(expected),
             qPrintable(result.err));
}

void TestHistoryCli::dataDirOptionOverridesTheEnvironment_data()
{
    QTest::addColumn<bool>("beforeCommand");
    QTest::addColumn<bool>("withEquals");
    QTest::addRow("--data-dir DIR before the command") << true << false;
    QTest::addRow("--data-dir=DIR after the command") << false << true;
}

void TestHistoryCli::dataDirOptionOverridesTheEnvironment()
{
    QFETCH(bool, beforeCommand);
    QFETCH(bool, withEquals);
    // RELAYBENCH_DATA_DIR points at m_data (environment()); --data-dir wins over it.
    const QString other = dir(QStringLiteral("other data"));
    const QStringList option = withEquals ? QStringList{QStringLiteral("--data-dir=") + other}
                                          : QStringList{QStringLiteral("--data-dir"), other};
    const QStringList runArgs{QStringLiteral("run"), data("fast-sim.json"), QStringLiteral("--quiet"),
                              QStringLiteral("--out"), dir(QStringLiteral("a"))};
    const Result ran = run(beforeCommand ? option + runArgs : runArgs + option);
    QCOMPARE(ran.exitCode, 0);
    QVERIFY(runIdIn(ran.out) > 0);
    QVERIFY(QFile::exists(QDir(other).filePath(QStringLiteral("history.sqlite"))));
    QVERIFY(!QFile::exists(m_data->filePath(QStringLiteral("history.sqlite"))));

    const QStringList listArgs{QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--json")};
    const Result listed = run(beforeCommand ? option + listArgs : listArgs + option);
    QCOMPARE(listed.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(listed.out.toUtf8()).array().size(), 1);
    QCOMPARE(listJson().size(), 0); // without the option: the environment's folder, still empty

    const Result help = run({QStringLiteral("--help")});
    QVERIFY2(help.out.contains(QLatin1String("--data-dir DIR")), qPrintable(help.out));
}

void TestHistoryCli::dataDirOptionNeedsAValue()
{
    const Result result = run({QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--data-dir")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QLatin1String("--data-dir needs a folder")), qPrintable(result.err));
}

QTEST_GUILESS_MAIN(TestHistoryCli)
#include "tst_history_cli.moc"
