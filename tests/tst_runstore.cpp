#include "history/runrecorder.h"
#include "history/runstore.h"
#include "storage/requestscsvwriter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
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
    void migratesFromTheFirstSchema_data();
    void migratesFromTheFirstSchema();
    void storesTheKind_data();
    void storesTheKind();
    void deleteRunRemovesItsRows_data();
    void deleteRunRemovesItsRows();
    void deleteRunRefusesARunBeingRecorded();
    void beginAsyncKeepsWhatWasWrittenBeforeTheRunExisted();
    void beginAsyncFailureIsReportedByFinish();
    void queueGrowsInsteadOfDroppingWhileTheFileIsLocked();

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

namespace {

// Schema version 1 as the first RelayBench with a history wrote it, kept verbatim: a file from that build
// must open, migrate and read the same.
const char *const firstSchema[] = {
    "CREATE TABLE campaigns (id INTEGER PRIMARY KEY, name TEXT, json TEXT)",
    "CREATE TABLE runs (id INTEGER PRIMARY KEY,"
    " campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
    " started_at TEXT NOT NULL, ended_at TEXT,"
    " state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'stopped', 'interrupted')),"
    " stop_reason TEXT, summary TEXT, writer_pid INTEGER, writer_start TEXT)",
    "CREATE TABLE targets (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, target INTEGER NOT NULL,"
    " name TEXT, model TEXT, base_url TEXT, PRIMARY KEY (run_id, target))",
    "CREATE TABLE attempts (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " target INTEGER NOT NULL, request_id INTEGER NOT NULL, attempt INTEGER NOT NULL, warmup INTEGER NOT NULL,"
    " scheduled_ms REAL, sent_ms REAL, headers_ms REAL, first_token_ms REAL, end_ms REAL, status INTEGER NOT NULL,"
    " outcome TEXT NOT NULL, error TEXT, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,"
    " cached_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, token_source TEXT,"
    " cost_usd REAL NOT NULL, retry_delay_ms REAL)",
    "CREATE INDEX attempts_by_run ON attempts (run_id, id)",
    "CREATE TABLE seconds (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, target INTEGER NOT NULL,"
    " second INTEGER NOT NULL, attempts INTEGER NOT NULL, succeeded INTEGER NOT NULL,"
    " latency_sum_ms REAL NOT NULL, ttft_sum_ms REAL NOT NULL, ttft_count INTEGER NOT NULL,"
    " completion_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL,"
    " PRIMARY KEY (run_id, target, second)) WITHOUT ROWID",
    "PRAGMA user_version = 1",
};

// Runs SQL statements on a file through a connection of the test's own; false when one fails.
bool execAll(const QString &path, const QStringList &statements, bool wal)
{
    const QString name = QStringLiteral("tst-exec");
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery query(db);
        if (ok && wal)
            ok = query.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        for (const QString &statement : statements) {
            if (!ok)
                break;
            ok = query.exec(statement);
            if (!ok)
                qWarning("%s: %s", qPrintable(statement), qPrintable(query.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

int countRows(const QString &path, const QString &table, qint64 runId)
{
    return queryValue(path, QStringLiteral("SELECT COUNT(*) FROM %1 WHERE run_id = %2").arg(table).arg(runId)).toInt();
}

} // namespace

void TestRunStore::migratesFromTheFirstSchema_data()
{
    QTest::addColumn<bool>("wal");
    QTest::addColumn<bool>("withRuns");
    QTest::addRow("empty v1 file") << false << false;
    QTest::addRow("v1 file with runs") << false << true;
    QTest::addRow("v1 file with runs, left in WAL mode") << true << true;
}

void TestRunStore::migratesFromTheFirstSchema()
{
    QFETCH(bool, wal);
    QFETCH(bool, withRuns);
    QStringList statements;
    for (const char *statement : firstSchema)
        statements.append(QLatin1String(statement));
    if (withRuns) {
        statements << QStringLiteral("INSERT INTO campaigns (id, name, json) VALUES (1, 'old', '{\"name\":\"old\"}')")
                   << QStringLiteral(
                          "INSERT INTO runs (id, campaign_id, started_at, ended_at, state, stop_reason,"
                          " summary, writer_pid, writer_start) VALUES (1, 1, '2026-11-20T10:00:00.000+01:00',"
                          " '2026-11-20T10:01:00.000+01:00', 'finished', NULL, '{\"targets\":[]}', 1, 'x')")
                   << QStringLiteral("INSERT INTO runs (id, campaign_id, started_at, state, writer_pid, writer_start)"
                                     " VALUES (2, 1, '2026-11-20T11:00:00.000+01:00', 'running', 2147483000, 'gone')")
                   << QStringLiteral("INSERT INTO targets VALUES (1, 0, 'relay', 'm', 'http://127.0.0.1:1/v1')")
                   << QStringLiteral("INSERT INTO attempts (run_id, target, request_id, attempt, warmup, scheduled_ms,"
                                     " sent_ms, headers_ms, first_token_ms, end_ms, status, outcome, error,"
                                     " prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens,"
                                     " token_source, cost_usd, retry_delay_ms) VALUES (1, 0, 7, 1, 0, 1.5, 2.0, 3.0,"
                                     " 4.0, 10.25, 200, 'ok', NULL, 11, 22, 0, 0, 'server', 0.5, NULL)")
                   << QStringLiteral("INSERT INTO seconds VALUES (1, 0, 0, 1, 1, 8.25, 2.0, 1, 22, 0.5)");
    }
    QVERIFY(execAll(path(), statements, wal));
    QCOMPARE(queryValue(path(), QStringLiteral("PRAGMA user_version")).toInt(), 1);

    RunStore store;
    QString error;
    QVERIFY2(store.open(path(), &error), qPrintable(error));
    QCOMPARE(queryValue(path(), QStringLiteral("PRAGMA user_version")).toInt(), 2);
    QCOMPARE(RunStore::schemaVersion, 2);
    const QList<RecordedRun> runs = store.runs(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(runs.size(), withRuns ? 2 : 0);
    if (withRuns) {
        const RecordedRun &finished = runs.at(0);
        QCOMPARE(finished.kind, QStringLiteral("campaign"));
        QCOMPARE(finished.campaignName, QStringLiteral("old"));
        QCOMPARE(finished.campaignJson, QByteArray(R"({"name":"old"})"));
        QCOMPARE(finished.state, QStringLiteral("finished"));
        QCOMPARE(finished.startedAt, QStringLiteral("2026-11-20T10:00:00.000+01:00"));
        QCOMPARE(finished.summary, QJsonObject({{QStringLiteral("targets"), QJsonArray()}}));
        QCOMPARE(finished.attempts, qint64(1));
        QCOMPARE(finished.targets.size(), 1);
        QCOMPARE(finished.targets.at(0).name, QStringLiteral("relay"));
        QCOMPARE(runs.at(1).kind, QStringLiteral("campaign"));
        QCOMPARE(runs.at(1).state, QStringLiteral("interrupted")); // its process is gone
        QList<AttemptRecord> attempts;
        QVERIFY(store.forEachAttempt(
            1, [&](const AttemptRecord &r) { attempts.append(r); }, &error));
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.at(0).requestId, qint64(7));
        QCOMPARE(attempts.at(0).endMs, 10.25);
        QVERIFY(attempts.at(0).outcome == Outcome::Ok);
        QVERIFY(attempts.at(0).tokenSource == TokenSource::Server);
        QVERIFY(!applies(attempts.at(0).retryDelayMs));
        QCOMPARE(countRows(path(), QStringLiteral("seconds"), 1), 1);
    }
    // The migrated file takes new runs like a new one, and they land after the old ones.
    const qint64 id = store.beginRun(QStringLiteral("new"), "{}", {}, &error, QStringLiteral("monitor"));
    QVERIFY2(id > 0, qPrintable(error));
    QVERIFY(store.addAttempts(id, {record(0, 1)}, &error));
    RecordedRun run;
    QVERIFY(store.run(id, &run, &error));
    QCOMPARE(run.kind, QStringLiteral("monitor"));
    QCOMPARE(run.attempts, qint64(1));
}

void TestRunStore::storesTheKind_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addRow("campaign") << QStringLiteral("campaign");
    QTest::addRow("monitor") << QStringLiteral("monitor");
}

void TestRunStore::storesTheKind()
{
    QFETCH(QString, kind);
    RunRecorder recorder(path());
    QString error;
    const qint64 id = recorder.begin(QStringLiteral("k"), "{}", {}, &error, kind);
    QVERIFY2(id > 0, qPrintable(error));
    QVERIFY2(recorder.finish({}, {}, &error), qPrintable(error));
    RunStore store;
    RecordedRun run;
    QVERIFY(store.open(path(), &error) && store.run(id, &run, &error));
    QCOMPARE(run.kind, kind);
    QCOMPARE(store.runs(&error).value(0).kind, kind);
    // The schema allows no other kind.
    QVERIFY(store.beginRun(QStringLiteral("k"), "{}", {}, &error, QStringLiteral("other")) == 0);
    QVERIFY2(error.contains(QLatin1String("CHECK")), qPrintable(error));
}

void TestRunStore::deleteRunRemovesItsRows_data()
{
    QTest::addColumn<bool>("campaignShared");
    QTest::addRow("own campaign") << false;
    QTest::addRow("campaign shared with another run") << true;
}

void TestRunStore::deleteRunRemovesItsRows()
{
    QFETCH(bool, campaignShared);
    RunStore store;
    QString error;
    QVERIFY2(store.open(path(), &error), qPrintable(error));
    const QList<RecordedTarget> targets{{QStringLiteral("a"), QStringLiteral("m"), QStringLiteral("sim://relay")}};
    const qint64 doomed = store.beginRun(QStringLiteral("doomed"), "{}", targets, &error);
    const qint64 kept = store.beginRun(QStringLiteral("kept"), "{}", targets, &error);
    QVERIFY2(doomed > 0 && kept > 0, qPrintable(error));
    std::vector<AttemptRecord> records;
    for (int i = 0; i < 50; ++i)
        records.push_back(record(0, i));
    QVERIFY(store.addAttempts(doomed, records, &error) && store.addAttempts(kept, records, &error));
    QVERIFY(store.endRun(doomed, QStringLiteral("finished"), {}, {}, &error));
    QVERIFY(store.endRun(kept, QStringLiteral("finished"), {}, {}, &error));
    if (campaignShared)
        queryValue(path(), QStringLiteral("UPDATE runs SET campaign_id = (SELECT campaign_id FROM runs WHERE id = %1)"
                                          " WHERE id = %2")
                               .arg(doomed)
                               .arg(kept));
    const int campaignsBefore = queryValue(path(), QStringLiteral("SELECT COUNT(*) FROM campaigns")).toInt();

    QVERIFY2(store.deleteRun(doomed, &error), qPrintable(error));
    for (const QString &table : {QStringLiteral("attempts"), QStringLiteral("seconds"), QStringLiteral("targets")}) {
        QCOMPARE(countRows(path(), table, doomed), 0);
        QVERIFY(countRows(path(), table, kept) > 0);
    }
    QCOMPARE(queryValue(path(), QStringLiteral("SELECT COUNT(*) FROM runs WHERE id = %1").arg(doomed)).toInt(), 0);
    QCOMPARE(queryValue(path(), QStringLiteral("SELECT COUNT(*) FROM campaigns")).toInt(),
             campaignShared ? campaignsBefore : campaignsBefore - 1);
    RecordedRun run;
    QVERIFY(store.run(kept, &run, &error));
    QCOMPARE(run.attempts, qint64(50));
    QCOMPARE(run.campaignName, campaignShared ? QStringLiteral("doomed") : QStringLiteral("kept"));
    // Deleting it again: no such run.
    error.clear();
    QVERIFY(!store.deleteRun(doomed, &error));
    QVERIFY2(error.contains(QStringLiteral("no run %1").arg(doomed)), qPrintable(error));
}

void TestRunStore::deleteRunRefusesARunBeingRecorded()
{
    RunRecorder recorder(path());
    QString error;
    const qint64 id = recorder.begin(QStringLiteral("live"), "{}", {}, &error);
    QVERIFY2(id > 0, qPrintable(error));
    recorder.write(record(0, 1));
    RunStore store;
    QVERIFY2(store.open(path(), &error), qPrintable(error));
    QVERIFY(!store.deleteRun(id, &error));
    QVERIFY2(error.contains(QLatin1String("being recorded")), qPrintable(error));
    QVERIFY2(recorder.finish({}, {}, &error), qPrintable(error));
    QVERIFY2(store.deleteRun(id, &error), qPrintable(error));
}

void TestRunStore::beginAsyncKeepsWhatWasWrittenBeforeTheRunExisted()
{
    // The window starts the engine at once: records arrive before the writer thread has created the run.
    RunRecorder recorder(path());
    recorder.beginAsync(QStringLiteral("async"), "{}", {{QStringLiteral("a"), QStringLiteral("m"), QString()}},
                        QStringLiteral("monitor"));
    for (int i = 0; i < 1000; ++i)
        recorder.write(record(0, i));
    QString error;
    QVERIFY2(recorder.finish({{QStringLiteral("n"), 1000}}, {}, &error), qPrintable(error));
    const qint64 id = recorder.runId();
    QVERIFY(id > 0);
    QVERIFY(recorder.maxQueueLength() >= 1);
    RunStore store;
    RecordedRun run;
    QVERIFY(store.open(path(), &error) && store.run(id, &run, &error));
    QCOMPARE(run.state, QStringLiteral("finished"));
    QCOMPARE(run.kind, QStringLiteral("monitor"));
    QCOMPARE(run.attempts, qint64(1000));
    qint64 expected = 0;
    bool ordered = true;
    QVERIFY(store.forEachAttempt(
        id, [&](const AttemptRecord &r) { ordered &= r.requestId == expected++; }, &error));
    QVERIFY(ordered);
}

void TestRunStore::beginAsyncFailureIsReportedByFinish()
{
    // A folder cannot be created under a regular file: the database cannot be opened.
    QFile blocker(m_dir->filePath(QStringLiteral("not-a-folder")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    RunRecorder recorder(m_dir->filePath(QStringLiteral("not-a-folder/history.sqlite")));
    recorder.beginAsync(QStringLiteral("async"), "{}", {});
    for (int i = 0; i < 100; ++i)
        recorder.write(record(0, i)); // queued or dropped, never a crash
    QString error;
    QVERIFY(!recorder.finish({}, {}, &error));
    QVERIFY2(error.contains(QLatin1String("not-a-folder")), qPrintable(error));
    QCOMPARE(recorder.runId(), qint64(0));
}

void TestRunStore::queueGrowsInsteadOfDroppingWhileTheFileIsLocked()
{
    // Another program holds the write lock for longer than the busy timeout: the batch fails, goes back into
    // the queue, and is stored once the lock is gone; nothing is lost and finish() reports no error.
    RunRecorder recorder(path());
    QString error;
    const qint64 id = recorder.begin(QStringLiteral("locked"), "{}", {}, &error);
    QVERIFY2(id > 0, qPrintable(error));
    const QString name = QStringLiteral("tst-locker");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery lock(db);
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
        for (int i = 0; i < 500; ++i)
            recorder.write(record(0, i));
        QThread::msleep(6500); // past the 5 s busy timeout of at least one batch
        for (int i = 500; i < 1000; ++i)
            recorder.write(record(0, i));
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    QVERIFY2(recorder.finish({}, {}, &error), qPrintable(error));
    QVERIFY(recorder.maxQueueLength() >= 500);
    QCOMPARE(countRows(path(), QStringLiteral("attempts"), id), 1000);
}

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
