#pragma once

#include "metrics/attemptrecord.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace relaybench {

// One target of a recorded run, as it was run.
struct RecordedTarget
{
    QString name;
    QString model;
    QString baseUrl;
};

// One row of the runs table, with what the list and show commands need.
struct RecordedRun
{
    qint64 id = 0;
    QString kind = QStringLiteral("campaign"); // "campaign" or "monitor"
    QString campaignName;
    QByteArray campaignJson; // the campaign as run, without keys
    QString startedAt;       // ISO 8601, local time with offset
    QString endedAt;         // empty while running or when interrupted
    QString state;           // running, finished, stopped, interrupted
    QString stopReason;
    QJsonObject summary; // summary.json; empty unless finished or stopped
    QList<RecordedTarget> targets;
    qint64 attempts = 0;
};

// The run history in SQLite (docs/history.md): open, migrate, write runs and attempts, read them back.
// One RunStore is one QSqlDatabase connection: use it on the thread that opened it only.
class RunStore
{
public:
    static constexpr int schemaVersion = 2;
    // DATA/history.sqlite (util/datadirectory.h).
    static QString defaultPath();

    RunStore();
    ~RunStore();
    RunStore(const RunStore &) = delete;
    RunStore &operator=(const RunStore &) = delete;

    // Opens (creating it and its folder when missing) and migrates the database, then marks runs left
    // `running` by a process that is gone as `interrupted`. A database from a newer RelayBench is refused
    // and left untouched; a corrupt or locked file fails with a message that says so.
    bool open(const QString &path, QString *error);
    QString path() const { return m_path; }

    // A new run in state `running`, written by this process; returns its id, or 0 and `error`.
    // `kind`: "campaign" or "monitor".
    qint64 beginRun(const QString &campaignName, const QByteArray &campaignJson, const QList<RecordedTarget> &targets,
                    QString *error, const QString &kind = QStringLiteral("campaign"));
    // Appends attempts (and updates the per-second aggregates) in one transaction.
    bool addAttempts(qint64 runId, const std::vector<AttemptRecord> &records, QString *error);
    // state: finished or stopped (or interrupted).
    bool endRun(qint64 runId, const QString &state, const QString &stopReason, const QJsonObject &summary,
                QString *error);

    QList<RecordedRun> runs(QString *error);
    // false and `error` when there is no such run.
    bool run(qint64 runId, RecordedRun *result, QString *error);
    // Removes a run with its attempts, per-second aggregates and targets, and its campaign row when no
    // other run uses it. false and `error` when there is no such run or a run still being recorded.
    bool deleteRun(qint64 runId, QString *error);
    // Every attempt of a run in the order it was recorded.
    bool forEachAttempt(qint64 runId, const std::function<void(const AttemptRecord &)> &visit, QString *error);

private:
    bool exec(const QString &sql, QString *error);
    bool beginWrite(QString *error);
    void rollback();
    bool enableWal(QString *error);
    bool migrate(QString *error);
    bool markInterruptedRuns(QString *error);
    QList<RecordedRun> selectRuns(qint64 onlyRunId, QString *error);

    QString m_connection;
    QString m_path;
};

} // namespace relaybench
