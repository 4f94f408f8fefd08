#include "runstore.h"

#include "attemptreader.h"
#include "util/datadirectory.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

#include <map>
#include <utility>

namespace relaybench {

namespace {

// Every schema version's statements; migrating from version N runs steps N..schemaVersion-1.
const char *const schemaV1[] = {
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
};

// Version 2: a run is a campaign run or a monitor run (the window's continuous probing).
const char *const schemaV2[] = {
    "ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'campaign' CHECK (kind IN ('campaign', 'monitor'))",
};

// How long a locked database is waited for before giving up with "locked by another program".
constexpr int busyTimeoutMs = 5000;

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("relaybench-runstore-%1").arg(counter.fetchAndAddRelaxed(1));
}

// Why the database cannot be used, in words a user can act on.
QString describe(const QString &path, const QSqlError &error)
{
    const int code = error.nativeErrorCode().toInt();
    const int primary = code & 0xff;    // extended result codes keep the primary one in the low byte
    if (primary == 26 || primary == 11) // SQLITE_NOTADB, SQLITE_CORRUPT
        return QStringLiteral("%1: not a RelayBench history database, or damaged (%2); move it away to start a new "
                              "history")
            .arg(path, error.text());
    if (primary == 5 || primary == 6) // SQLITE_BUSY, SQLITE_LOCKED
        return QStringLiteral("%1: the history database is locked by another program (%2)").arg(path, error.text());
    return QStringLiteral("%1: history database error: %2").arg(path, error.text());
}

// Field 22 of /proc/PID/stat, the process's start time: a PID reused by another process has another one.
QString processStartToken(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = stat.readAll();
    const int close = text.lastIndexOf(')'); // the command name may hold spaces and parentheses
    if (close < 0)
        return {};
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // after ")": field 3 (state) is index 0, so field 22 is index 19
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
}

// Local time with its UTC offset, so that runs sort and read the same from any time zone.
QString nowIso()
{
    const QDateTime now = QDateTime::currentDateTime();
    return now.toOffsetFromUtc(now.offsetFromUtc()).toString(Qt::ISODateWithMs);
}

QVariant real(double value)
{
    return applies(value) ? QVariant(value) : QVariant(QMetaType::fromType<double>());
}

struct SecondBucket
{
    qint64 attempts = 0;
    qint64 succeeded = 0;
    double latencySumMs = 0.0;
    double ttftSumMs = 0.0;
    qint64 ttftCount = 0;
    qint64 completionTokens = 0;
    double costUsd = 0.0;
};

} // namespace

QString RunStore::defaultPath()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("history.sqlite"));
}

RunStore::RunStore()
    : m_connection(nextConnectionName())
{}

RunStore::~RunStore()
{
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool RunStore::exec(const QString &sql, QString *error)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(sql)) {
        *error = describe(m_path, query.lastError());
        return false;
    }
    return true;
}

bool RunStore::open(const QString &path, QString *error)
{
    m_path = path;
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        *error = QStringLiteral("%1: cannot create the folder").arg(info.absolutePath());
        return false;
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *error = QStringLiteral("the Qt SQLite driver (QSQLITE) is missing; on Debian install libqt6sql6-sqlite");
        return false;
    }
    if (info.exists()) {
        // Read the version through a read-only connection first: a newer database is never written to.
        const QString probeName = m_connection + QStringLiteral("-probe");
        int version = 0;
        QString probeError;
        {
            QSqlDatabase probe = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), probeName);
            probe.setDatabaseName(path);
            probe.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
            if (!probe.open()) {
                probeError = describe(path, probe.lastError());
            } else {
                QSqlQuery query(probe);
                if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
                    probeError = describe(path, query.lastError());
                else
                    version = query.value(0).toInt();
            }
            probe.close();
        }
        QSqlDatabase::removeDatabase(probeName);
        if (!probeError.isEmpty()) {
            *error = probeError;
            return false;
        }
        if (version > schemaVersion) {
            *error = QStringLiteral("%1: this history database was written by a newer RelayBench (schema version %2; "
                                    "this one reads up to %3); it was left untouched")
                         .arg(path)
                         .arg(version)
                         .arg(schemaVersion);
            return false;
        }
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
        if (!db.open()) {
            *error = describe(path, db.lastError());
            return false;
        }
    }
    // WAL: readers never block the writer; synchronous=NORMAL keeps every commit across a crash of the
    // process (kill -9), losing only what the OS had not written at a power cut.
    return enableWal(error) && exec(QStringLiteral("PRAGMA synchronous=NORMAL"), error) &&
           exec(QStringLiteral("PRAGMA foreign_keys=ON"), error) && migrate(error) && markInterruptedRuns(error);
}

bool RunStore::beginWrite(QString *error)
{
    // IMMEDIATE takes the write lock up front, waiting for it under the busy timeout. A deferred BEGIN
    // would start as a reader, and in WAL mode a reader whose snapshot another process has since written
    // past gets SQLITE_BUSY at once, without waiting: two processes recording at once would then fail.
    return exec(QStringLiteral("BEGIN IMMEDIATE"), error);
}

void RunStore::rollback()
{
    QString ignored;
    exec(QStringLiteral("ROLLBACK"), &ignored);
}

bool RunStore::enableWal(QString *error)
{
    // Switching the journal mode needs the file to itself and does not wait under the busy timeout: when
    // two processes create the file at once, the second retries while the first creates the tables.
    const QDeadlineTimer deadline(busyTimeoutMs);
    for (;;) {
        QSqlQuery query(QSqlDatabase::database(m_connection, false));
        if (query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && query.next() &&
            query.value(0).toString() == QLatin1String("wal"))
            return true;
        if (deadline.hasExpired()) {
            *error = query.lastError().isValid()
                         ? describe(m_path, query.lastError())
                         : QStringLiteral("%1: cannot switch the history database to WAL mode").arg(m_path);
            return false;
        }
        QThread::msleep(20);
    }
}

bool RunStore::migrate(QString *error)
{
    // IMMEDIATE: two processes opening a new file at once do not both create the tables.
    if (!beginWrite(error))
        return false;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        *error = describe(m_path, query.lastError());
        rollback();
        return false;
    }
    const int version = query.value(0).toInt();
    query.finish();
    if (version > schemaVersion) {
        rollback();
        *error = QStringLiteral("%1: this history database was written by a newer RelayBench (schema version %2)")
                     .arg(m_path)
                     .arg(version);
        return false;
    }
    if (version < 1) {
        for (const char *statement : schemaV1) {
            if (!exec(QLatin1String(statement), error)) {
                rollback();
                return false;
            }
        }
    }
    // A new file goes through every step too: one path to test, and a v1 file ends up exactly like a new one.
    if (version < 2) {
        for (const char *statement : schemaV2) {
            if (!exec(QLatin1String(statement), error)) {
                rollback();
                return false;
            }
        }
    }
    if (version < schemaVersion && !exec(QStringLiteral("PRAGMA user_version = %1").arg(schemaVersion), error)) {
        rollback();
        return false;
    }
    if (!exec(QStringLiteral("COMMIT"), error)) {
        rollback();
        return false;
    }
    return true;
}

bool RunStore::markInterruptedRuns(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT id, writer_pid, writer_start FROM runs WHERE state = 'running'"))) {
        *error = describe(m_path, query.lastError());
        return false;
    }
    QList<qint64> gone;
    while (query.next()) {
        const QString token = processStartToken(query.value(1).toLongLong());
        if (token.isEmpty() || token != query.value(2).toString())
            gone.append(query.value(0).toLongLong());
    }
    query.finish();
    for (const qint64 id : std::as_const(gone)) {
        QSqlQuery update(db);
        update.prepare(QStringLiteral("UPDATE runs SET state = 'interrupted' WHERE id = ? AND state = 'running'"));
        update.addBindValue(id);
        if (!update.exec()) {
            *error = describe(m_path, update.lastError());
            return false;
        }
    }
    return true;
}

qint64 RunStore::beginRun(const QString &campaignName, const QByteArray &campaignJson,
                          const QList<RecordedTarget> &targets, QString *error, const QString &kind)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!beginWrite(error))
        return 0;
    const auto fail = [&](const QSqlQuery &query) {
        *error = describe(m_path, query.lastError());
        rollback();
        return qint64(0);
    };
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO campaigns (name, json) VALUES (?, ?)"));
    query.addBindValue(campaignName);
    query.addBindValue(QString::fromUtf8(campaignJson));
    if (!query.exec())
        return fail(query);
    const qint64 campaignId = query.lastInsertId().toLongLong();
    const qint64 pid = QCoreApplication::applicationPid();
    query.prepare(QStringLiteral("INSERT INTO runs (campaign_id, kind, started_at, state, writer_pid, writer_start)"
                                 " VALUES (?, ?, ?, 'running', ?, ?)"));
    query.addBindValue(campaignId);
    query.addBindValue(kind);
    query.addBindValue(nowIso());
    query.addBindValue(pid);
    query.addBindValue(processStartToken(pid));
    if (!query.exec())
        return fail(query);
    const qint64 runId = query.lastInsertId().toLongLong();
    query.prepare(QStringLiteral("INSERT INTO targets (run_id, target, name, model, base_url) VALUES (?, ?, ?, ?, ?)"));
    for (int i = 0; i < targets.size(); ++i) {
        query.addBindValue(runId);
        query.addBindValue(i);
        query.addBindValue(targets.at(i).name);
        query.addBindValue(targets.at(i).model);
        query.addBindValue(targets.at(i).baseUrl);
        if (!query.exec())
            return fail(query);
    }
    if (!exec(QStringLiteral("COMMIT"), error)) {
        rollback();
        return 0;
    }
    return runId;
}

bool RunStore::addAttempts(qint64 runId, const std::vector<AttemptRecord> &records, QString *error)
{
    if (records.empty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!beginWrite(error))
        return false;
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral(
        "INSERT INTO attempts (run_id, target, request_id, attempt, warmup, scheduled_ms, sent_ms, headers_ms,"
        " first_token_ms, end_ms, status, outcome, error, prompt_tokens, completion_tokens, cached_tokens,"
        " reasoning_tokens, token_source, cost_usd, retry_delay_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    std::map<std::pair<int, qint64>, SecondBucket> seconds;
    for (const AttemptRecord &r : records) {
        int i = 0;
        insert.bindValue(i++, runId);
        insert.bindValue(i++, r.target);
        insert.bindValue(i++, r.requestId);
        insert.bindValue(i++, r.attempt);
        insert.bindValue(i++, r.warmup ? 1 : 0);
        insert.bindValue(i++, real(r.scheduledMs));
        insert.bindValue(i++, real(r.sentMs));
        insert.bindValue(i++, real(r.headersMs));
        insert.bindValue(i++, real(r.firstTokenMs));
        insert.bindValue(i++, real(r.endMs));
        insert.bindValue(i++, r.status);
        insert.bindValue(i++, QString(outcomeName(r.outcome)));
        insert.bindValue(i++, r.error);
        insert.bindValue(i++, r.promptTokens);
        insert.bindValue(i++, r.completionTokens);
        insert.bindValue(i++, r.cachedTokens);
        insert.bindValue(i++, r.reasoningTokens);
        insert.bindValue(i++, QString(tokenSourceName(r.tokenSource)));
        insert.bindValue(i++, r.costUsd);
        insert.bindValue(i++, real(r.retryDelayMs));
        if (!insert.exec()) {
            *error = describe(m_path, insert.lastError());
            rollback();
            return false;
        }
        // Bucketed by when the attempt ended (or was due, when it never ran), like the live charts.
        const double atMs = applies(r.endMs) ? r.endMs : (applies(r.scheduledMs) ? r.scheduledMs : 0.0);
        SecondBucket &bucket = seconds[{r.target, qint64(std::max(0.0, atMs) / 1000.0)}];
        ++bucket.attempts;
        if (r.outcome == Outcome::Ok) {
            ++bucket.succeeded;
            if (applies(r.latencyMs()))
                bucket.latencySumMs += r.latencyMs();
            if (applies(r.ttftMs())) {
                bucket.ttftSumMs += r.ttftMs();
                ++bucket.ttftCount;
            }
        }
        bucket.completionTokens += r.completionTokens;
        bucket.costUsd += r.costUsd;
    }
    QSqlQuery upsert(db);
    upsert.prepare(QStringLiteral(
        "INSERT INTO seconds (run_id, target, second, attempts, succeeded, latency_sum_ms, ttft_sum_ms, ttft_count,"
        " completion_tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (run_id, target, second) DO UPDATE SET attempts = attempts + excluded.attempts,"
        " succeeded = succeeded + excluded.succeeded, latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms,"
        " ttft_sum_ms = ttft_sum_ms + excluded.ttft_sum_ms, ttft_count = ttft_count + excluded.ttft_count,"
        " completion_tokens = completion_tokens + excluded.completion_tokens,"
        " cost_usd = cost_usd + excluded.cost_usd"));
    for (const auto &[key, bucket] : seconds) {
        int i = 0;
        upsert.bindValue(i++, runId);
        upsert.bindValue(i++, key.first);
        upsert.bindValue(i++, key.second);
        upsert.bindValue(i++, bucket.attempts);
        upsert.bindValue(i++, bucket.succeeded);
        upsert.bindValue(i++, bucket.latencySumMs);
        upsert.bindValue(i++, bucket.ttftSumMs);
        upsert.bindValue(i++, bucket.ttftCount);
        upsert.bindValue(i++, bucket.completionTokens);
        upsert.bindValue(i++, bucket.costUsd);
        if (!upsert.exec()) {
            *error = describe(m_path, upsert.lastError());
            rollback();
            return false;
        }
    }
    if (!exec(QStringLiteral("COMMIT"), error)) {
        rollback();
        return false;
    }
    return true;
}

bool RunStore::endRun(qint64 runId, const QString &state, const QString &stopReason, const QJsonObject &summary,
                      QString *error)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("UPDATE runs SET state = ?, stop_reason = ?, summary = ?, ended_at = ? WHERE id = ?"));
    query.addBindValue(state);
    query.addBindValue(stopReason.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(stopReason));
    query.addBindValue(summary.isEmpty()
                           ? QVariant(QMetaType::fromType<QString>())
                           : QVariant(QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Compact))));
    query.addBindValue(nowIso());
    query.addBindValue(runId);
    if (!query.exec()) {
        *error = describe(m_path, query.lastError());
        return false;
    }
    return true;
}

QList<RecordedRun> RunStore::runs(QString *error)
{
    return selectRuns(0, error);
}

QList<RecordedRun> RunStore::selectRuns(qint64 onlyRunId, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QList<RecordedRun> result;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // onlyRunId 0: every run. One statement either way, so that one run is read exactly as the list reads it.
    query.prepare(QStringLiteral("SELECT r.id, c.name, c.json, r.started_at, r.ended_at, r.state, r.stop_reason,"
                                 " r.summary, (SELECT COUNT(*) FROM attempts a WHERE a.run_id = r.id), r.kind"
                                 " FROM runs r JOIN campaigns c ON c.id = r.campaign_id"
                                 " WHERE ? = 0 OR r.id = ? ORDER BY r.id"));
    query.addBindValue(onlyRunId);
    query.addBindValue(onlyRunId);
    if (!query.exec()) {
        *error = describe(m_path, query.lastError());
        return {};
    }
    QHash<qint64, int> rowOf;
    while (query.next()) {
        RecordedRun run;
        run.id = query.value(0).toLongLong();
        run.campaignName = query.value(1).toString();
        run.campaignJson = query.value(2).toString().toUtf8();
        run.startedAt = query.value(3).toString();
        run.endedAt = query.value(4).toString();
        run.state = query.value(5).toString();
        run.stopReason = query.value(6).toString();
        run.summary = QJsonDocument::fromJson(query.value(7).toString().toUtf8()).object();
        run.attempts = query.value(8).toLongLong();
        run.kind = query.value(9).toString();
        rowOf.insert(run.id, int(result.size()));
        result.append(run);
    }
    QSqlQuery targets(db);
    targets.setForwardOnly(true);
    targets.prepare(QStringLiteral("SELECT run_id, name, model, base_url FROM targets WHERE ? = 0 OR run_id = ?"
                                   " ORDER BY run_id, target"));
    targets.addBindValue(onlyRunId);
    targets.addBindValue(onlyRunId);
    if (!targets.exec()) {
        *error = describe(m_path, targets.lastError());
        return {};
    }
    while (targets.next()) {
        const auto row = rowOf.constFind(targets.value(0).toLongLong());
        if (row != rowOf.cend())
            result[*row].targets.append(
                {targets.value(1).toString(), targets.value(2).toString(), targets.value(3).toString()});
    }
    return result;
}

bool RunStore::run(qint64 runId, RecordedRun *result, QString *error)
{
    const QList<RecordedRun> found = runId > 0 ? selectRuns(runId, error) : QList<RecordedRun>();
    if (!found.isEmpty()) {
        *result = found.first();
        return true;
    }
    if (error->isEmpty())
        *error = QStringLiteral("no run %1 in %2").arg(runId).arg(m_path);
    return false;
}

bool RunStore::deleteRun(qint64 runId, QString *error)
{
    RecordedRun run;
    if (!this->run(runId, &run, error))
        return false;
    // open() has marked the runs of dead processes interrupted: a run still `running` is being recorded now,
    // and deleting it would make its recorder fail on every later batch.
    if (run.state == QLatin1String("running")) {
        *error = QStringLiteral("run %1 is being recorded by a running RelayBench; stop that run first").arg(runId);
        return false;
    }
    if (!beginWrite(error))
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const auto fail = [&](const QSqlQuery &query) {
        *error = describe(m_path, query.lastError());
        rollback();
        return false;
    };
    QSqlQuery campaign(db);
    campaign.prepare(QStringLiteral("SELECT campaign_id FROM runs WHERE id = ?"));
    campaign.addBindValue(runId);
    if (!campaign.exec() || !campaign.next())
        return fail(campaign);
    const qint64 campaignId = campaign.value(0).toLongLong();
    campaign.finish();
    // Children first, explicitly: the result does not depend on foreign_keys being on for this connection.
    const char *const statements[] = {
        "DELETE FROM attempts WHERE run_id = ?",
        "DELETE FROM seconds WHERE run_id = ?",
        "DELETE FROM targets WHERE run_id = ?",
        "DELETE FROM runs WHERE id = ?",
    };
    for (const char *statement : statements) {
        QSqlQuery query(db);
        query.prepare(QLatin1String(statement));
        query.addBindValue(runId);
        if (!query.exec())
            return fail(query);
    }
    QSqlQuery orphan(db);
    orphan.prepare(
        QStringLiteral("DELETE FROM campaigns WHERE id = ? AND NOT EXISTS (SELECT 1 FROM runs WHERE campaign_id = ?)"));
    orphan.addBindValue(campaignId);
    orphan.addBindValue(campaignId);
    if (!orphan.exec())
        return fail(orphan);
    if (!exec(QStringLiteral("COMMIT"), error)) {
        rollback();
        return false;
    }
    return true;
}

bool RunStore::forEachAttempt(qint64 runId, const std::function<void(const AttemptRecord &)> &visit, QString *error)
{
    return readAttempts(m_path, runId, visit, error);
}

} // namespace relaybench
