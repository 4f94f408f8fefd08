#pragma once

#include "history/runstore.h"
#include "metrics/runresult.h"

#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace relaybench {

// Does the History page's database work on a thread of its own, so the window never waits on SQLite (a
// locked file alone can take 5 s; reading back a million attempts most of a second). Each job opens its own
// RunStore connection on that thread (QSqlDatabase connections belong to one thread) and answers with one
// signal in the caller's thread. Jobs run one at a time, in the order they were asked for.
class HistoryWorker : public QObject
{
    Q_OBJECT

public:
    explicit HistoryWorker(QString databasePath, QObject *parent = nullptr);
    // Waits for the job in progress, drops the ones not started.
    ~HistoryWorker() override;

    QString databasePath() const { return m_path; }

    void listRuns();
    void loadRun(qint64 runId);
    void deleteRun(qint64 runId);
    void exportRun(qint64 runId, const QString &folder);

signals:
    // `error` set (naming the file and what is wrong): the database could not be opened or read.
    void runsListed(const QList<RecordedRun> &runs, const QString &error);
    // `elapsedMs`: from the request to the loaded result, for the page's status line.
    void runLoaded(qint64 runId, const RunResult &run, const QString &error, qint64 elapsedMs);
    void runDeleted(qint64 runId, const QString &error);
    void runExported(qint64 runId, const QString &folder, const QString &error);

private:
    template<typename Job>
    void post(Job job);

    QString m_path;
    std::unique_ptr<QThread> m_thread;
    QObject *m_context; // lives on m_thread: jobs are queued to it
};

} // namespace relaybench
