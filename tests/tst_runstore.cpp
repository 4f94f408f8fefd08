#include "history/runrecorder.h"
#include "history/runstore.h"
#include "storage/requestscsvwriter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace relaybench;

// The run history's SQLite store and recorder: schema, versions, damaged and locked files, concurrent
// writers, interrupted runs.
class TestRunStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void createsTheSchemaInWalMode();
    void storesEveryCsvColumn();
    void newerDatabaseIsRefusedAndLeftUntouched();
    void damagedFileGivesAClearError_data();
    void damagedFileGivesAClearError();
    void lockedFileGivesAClearError();
    void runOfALiveProcessStaysRunning();
    void runOfAGoneProcessBecomesInterrupted_data();
    void runOfAGoneProcessBecomesInterrupted();
    void recorderWithoutFinishLeavesInterrupted();
    void twoRecordersAtOnce();
    void writeOnlyQueues();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("history.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

AttemptRecord record(int target, qint64 id)
{
    AttemptRecord r;
    r.target = target;
    r.requestId = id;
    r.attempt = 1 + int(id % 2);
    r.warmup = id == 0;
    r.scheduledMs = double(id) * 10.0;
    r.sentMs = r.scheduledMs + 0.25;
    r.headersMs = r.sentMs + 12.125;
    r.firstTokenMs = id % 3 == 0 ? notApplicable : r.headersMs + 3.5;
    r.endMs = r.sentMs + 100.0 + double(id);
    r.status = id % 5 == 0 ? 429 : 200;
    r.outcome = id % 5 == 0 ? Outcome::RateLimited : Outcome::Ok;
    r.error = id % 5 == 0 ? QStringLiteral("=too many, \"slow down\"\nplease") : QString();
    r.promptTokens = 10 + id;
    r.completionTokens = 20 + id;
    r.cachedTokens = id % 4;
    r.reasoningTokens = id % 7;
    r.tokenSource = id % 2 ? TokenSource::Server : TokenSource::Estimated;
    r.costUsd = 0.000123456789 * double(id + 1);
    r.retryDelayMs = id % 5 == 0 ? 250.0 : notApplicable;
    return r;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Raw SQL on the file, through a connection of the test's own.
QVariant queryValue(const QString &path, const QString &sql)
{
    const QString name = QStringLiteral("tst-raw");
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(sql) && query.next())
                value = query.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

QString stateOf(const QString &path, qint64 runId)
{
    RunStore store;
    QString error;
    RecordedRun run;
    if (!store.open(path, &error) || !store.run(runId, &run, &error))
        return QStringLiteral("error: ") + error;
    return run.state;
}

} // namespace

void TestRunStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    qputenv("RELAYBENCH_DATA_DIR", m_dir->path().toUtf8());
}

void TestRunStore::createsTheSchemaInWalMode()
{
    QCOMPARE(RunStore::defaultPath(), path());
    {
        RunStore store;
        QString error;
        QVERIFY2(store.open(path(), &error), qPrintable(error));
    }
    QCOMPARE(queryValue(path(), QStringLiteral("PRAGMA user_version")).toInt(), RunStore::schemaVersion);
    QCOMPARE(queryValue(path(), QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    for (const char *table : {"campaigns", "runs", "targets", "attempts", "seconds"})
        QVERIFY2(queryValue(path(), QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name "
                                                   "= '%1'")
                                        .arg(QLatin1String(table)))
                         .toInt() == 1,
                 table);
    // Opening again migrates nothing and keeps the version.
    RunStore again;
    QString error;
    QVERIFY2(again.open(path(), &error), qPrintable(error));
    QCOMPARE(queryValue(path(), QStringLiteral("PRAGMA user_version")).toInt(), RunStore::schemaVersion);
}

void TestRunStore::storesEveryCsvColumn()
{
    RunStore store;
    QString error;
    QVERIFY2(store.open(path(), &error), qPrintable(error));
    const QList<RecordedTarget> targets{{QStringLiteral("a,b"), QStringLiteral("m1"), QStringLiteral("sim://relay")},
                                        {QStringLiteral("two"), QString(), QStringLiteral("http://x/v1")}};
    const qint64 id =
        store.beginRun(QStringLiteral("camp"), QByteArrayLiteral("{\"name\": \"camp\"}"), targets, &error);
    QVERIFY2(id > 0, qPrintable(error));
    std::vector<AttemptRecord> records;
    for (qint64 i = 0; i < 40; ++i)
        records.push_back(record(int(i % 2), i));
    QVERIFY2(store.addAttempts(id, records, &error), qPrintable(error));
    const QJsonObject summary{{QStringLiteral("schema"), QStringLiteral("relaybench.summary/1")}};
    QVERIFY2(store.endRun(id, QStringLiteral("stopped"), QStringLiteral("budget"), summary, &error), qPrintable(error));

    RecordedRun run;
    QVERIFY2(store.run(id, &run, &error), qPrintable(error));
    QCOMPARE(run.campaignName, QStringLiteral("camp"));
    QCOMPARE(run.campaignJson, QByteArrayLiteral("{\"name\": \"camp\"}"));
    QCOMPARE(run.state, QStringLiteral("stopped"));
    QCOMPARE(run.stopReason, QStringLiteral("budget"));
    QCOMPARE(run.summary, summary);
    QCOMPARE(run.attempts, qint64(40));
    QCOMPARE(run.targets.size(), 2);
    QCOMPARE(run.targets.at(0).name, QStringLiteral("a,b"));
    QCOMPARE(run.targets.at(1).baseUrl, QStringLiteral("http://x/v1"));
    QVERIFY(!run.startedAt.isEmpty() && !run.endedAt.isEmpty());

    // Every requests.csv column comes back the same, in the same order.
    QList<QByteArray> rows;
    QVERIFY(store.forEachAttempt(
        id, [&](const AttemptRecord &r) { rows.append(RequestsCsvWriter::row(r, targets.at(r.target).name)); },
        &error));
    QCOMPARE(rows.size(), 40);
    for (int i = 0; i < 40; ++i)
        QCOMPARE(rows.at(i), RequestsCsvWriter::row(records.at(size_t(i)), targets.at(i % 2).name));

    // Per-second aggregates account for every attempt.
    QCOMPARE(queryValue(path(), QStringLiteral("SELECT SUM(attempts) FROM seconds WHERE run_id = %1").arg(id)).toInt(),
             40);
    QCOMPARE(queryValue(path(), QStringLiteral("SELECT SUM(succeeded) FROM seconds WHERE run_id = %1").arg(id)).toInt(),
             32);
}

void TestRunStore::newerDatabaseIsRefusedAndLeftUntouched()
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst-newer"));
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE future (x)")));
        QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 99")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst-newer"));
    const QByteArray before = readAll(path());
    QVERIFY(!before.isEmpty());

    RunStore store;
    QString error;
    QVERIFY(!store.open(path(), &error));
    QVERIFY2(error.contains(QLatin1String("newer RelayBench")) && error.contains(QLatin1String("99")) &&
                 error.contains(QLatin1String("untouched")),
             qPrintable(error));
    QCOMPARE(readAll(path()), before);
    QVERIFY(!QFile::exists(path() + QStringLiteral("-wal")));
}

void TestRunStore::damagedFileGivesAClearError_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addRow("text") << QByteArray("this is not a database at all\n").repeated(200);
    QByteArray header("SQLite format 3");
    header.append('\0');
    QTest::addRow("truncated sqlite header") << header + QByteArray(4096, '\xff');
}

void TestRunStore::damagedFileGivesAClearError()
{
    QFETCH(QByteArray, content);
    QFile file(path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    RunStore store;
    QString error;
    QVERIFY(!store.open(path(), &error));
    QVERIFY2(error.startsWith(path()) && error.contains(QLatin1String("not a RelayBench history database, or damaged")),
             qPrintable(error));
    QCOMPARE(readAll(path()), content);
}

void TestRunStore::lockedFileGivesAClearError()
{
    // Another program holds an exclusive lock on a rollback-journal database (WAL would let readers in).
    const QString name = QStringLiteral("tst-locker");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE t (x)")));
        QVERIFY(query.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO t VALUES (1)")));

        RunStore store;
        QString error;
        QElapsedTimer waited;
        waited.start();
        QVERIFY(!store.open(path(), &error));
        QVERIFY2(error.contains(QLatin1String("locked by another program")), qPrintable(error));
        QVERIFY(waited.elapsed() >= 4000); // it waited for the lock before giving up
        QVERIFY(query.exec(QStringLiteral("ROLLBACK")));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

void TestRunStore::runOfALiveProcessStaysRunning()
{
    qint64 id = 0;
    RunStore writer;
    QString error;
    QVERIFY2(writer.open(path(), &error), qPrintable(error));
    id = writer.beginRun(QStringLiteral("c"), "{}", {{QStringLiteral("t"), QStringLiteral("m"), QString()}}, &error);
    QVERIFY2(id > 0, qPrintable(error));
    // This process is still alive: another open must not call its run interrupted.
    QCOMPARE(stateOf(path(), id), QStringLiteral("running"));
}

void TestRunStore::runOfAGoneProcessBecomesInterrupted_data()
{
    QTest::addColumn<QString>("update");
    QTest::addRow("no such pid") << QStringLiteral("writer_pid = 2147483000");
    QTest::addRow("pid reused by another process") << QStringLiteral("writer_start = 'not-the-same'");
}

void TestRunStore::runOfAGoneProcessBecomesInterrupted()
{
    QFETCH(QString, update);
    qint64 id = 0;
    {
        RunStore writer;
        QString error;
        QVERIFY2(writer.open(path(), &error), qPrintable(error));
        id = writer.beginRun(QStringLiteral("c"), "{}", {}, &error);
        QVERIFY2(id > 0, qPrintable(error));
        std::vector<AttemptRecord> records{record(0, 1), record(0, 2)};
        QVERIFY2(writer.addAttempts(id, records, &error), qPrintable(error));
    }
    queryValue(path(), QStringLiteral("UPDATE runs SET %1 WHERE id = %2").arg(update).arg(id));
    QCOMPARE(stateOf(path(), id), QStringLiteral("interrupted"));
    QCOMPARE(queryValue(path(), QStringLiteral("SELECT COUNT(*) FROM attempts WHERE run_id = %1").arg(id)).toInt(), 2);
}

void TestRunStore::recorderWithoutFinishLeavesInterrupted()
{
    qint64 id = 0;
    {
        RunRecorder recorder(path());
        QString error;
        id = recorder.begin(QStringLiteral("c"), "{}", {}, &error);
        QVERIFY2(id > 0, qPrintable(error));
        for (int i = 0; i < 10; ++i)
            recorder.write(record(0, i));
    }
    QCOMPARE(stateOf(path(), id), QStringLiteral("interrupted"));
    QCOMPARE(queryValue(path(), QStringLiteral("SELECT COUNT(*) FROM attempts WHERE run_id = %1").arg(id)).toInt(), 10);
}

void TestRunStore::twoRecordersAtOnce()
{
    // Two writers (each with its own thread and connection) on one file, as two processes would be.
    constexpr int perRun = 20000;
    RunRecorder first(path());
    RunRecorder second(path());
    QString error;
    const qint64 firstId = first.begin(QStringLiteral("one"), "{}", {}, &error);
    QVERIFY2(firstId > 0, qPrintable(error));
    const qint64 secondId = second.begin(QStringLiteral("two"), "{}", {}, &error);
    QVERIFY2(secondId > 0, qPrintable(error));
    qint64 slowestWriteUs = 0;
    QElapsedTimer total;
    total.start();
    std::unique_ptr<QThread> other(QThread::create([&second] {
        for (int i = 0; i < perRun; ++i) {
            second.write(record(0, i));
            if (i % 1000 == 0)
                QThread::msleep(20); // spread over a few flushes
        }
    }));
    other->start();
    for (int i = 0; i < perRun; ++i) {
        QElapsedTimer one;
        one.start();
        first.write(record(1, i));
        slowestWriteUs = std::max(slowestWriteUs, one.nsecsElapsed() / 1000);
        if (i % 1000 == 0)
            QThread::msleep(20);
    }
    QVERIFY(other->wait(30000));
    qInfo("slowest write(): %lld us; %d records each in %lld ms", slowestWriteUs, perRun, total.elapsed());
    QVERIFY2(first.finish({{QStringLiteral("n"), 1}}, {}, &error), qPrintable(error));
    QVERIFY2(second.finish({{QStringLiteral("n"), 2}}, QStringLiteral("interrupted"), &error), qPrintable(error));

    RunStore store;
    QVERIFY2(store.open(path(), &error), qPrintable(error));
    RecordedRun run;
    QVERIFY(store.run(firstId, &run, &error));
    QCOMPARE(run.state, QStringLiteral("finished"));
    QCOMPARE(run.attempts, qint64(perRun));
    QVERIFY(store.run(secondId, &run, &error));
    QCOMPARE(run.state, QStringLiteral("stopped"));
    QCOMPARE(run.stopReason, QStringLiteral("interrupted"));
    QCOMPARE(run.attempts, qint64(perRun));
    // Each run's attempts come back in the order they were written, not interleaved with the other's.
    qint64 expected = 0;
    bool ordered = true;
    QVERIFY(store.forEachAttempt(
        secondId, [&](const AttemptRecord &r) { ordered &= r.requestId == expected++; }, &error));
    QVERIFY(ordered);
}

void TestRunStore::writeOnlyQueues()
{
    // The engine's side of recording is an append under a mutex: 200,000 records take a small fraction of a
    // second however slow the disk is, and all of them are stored by finish().
    constexpr int count = 200000;
    RunRecorder recorder(path());
    QString error;
    const qint64 id = recorder.begin(QStringLiteral("bulk"), "{}", {}, &error);
    QVERIFY2(id > 0, qPrintable(error));
    std::vector<AttemptRecord> records;
    records.reserve(count);
    for (int i = 0; i < count; ++i)
        records.push_back(record(i % 3, i));
    QElapsedTimer timer;
    timer.start();
    for (const AttemptRecord &r : records)
        recorder.write(r);
    const qint64 writeNs = timer.nsecsElapsed();
    QVERIFY2(recorder.finish({{QStringLiteral("n"), count}}, {}, &error), qPrintable(error));
    const qint64 storedMs = timer.elapsed();
    qInfo("write(): %.2f us per record; %d records stored by finish() after %lld ms (%.0f records/s)",
          double(writeNs) / 1000.0 / count, count, storedMs, count * 1000.0 / double(std::max<qint64>(1, storedMs)));
    QVERIFY(writeNs < 2'000'000'000LL);
    QCOMPARE(queryValue(path(), QStringLiteral("SELECT COUNT(*) FROM attempts WHERE run_id = %1").arg(id)).toInt(),
             count);
    QCOMPARE(queryValue(path(), QStringLiteral("SELECT SUM(attempts) FROM seconds WHERE run_id = %1").arg(id)).toInt(),
             count);
}

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
