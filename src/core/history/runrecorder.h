#pragma once

#include "engine/recordsink.h"
#include "runstore.h"

#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <memory>
#include <vector>

class QThread;

namespace relaybench {

// Records a run into the history as it goes. The engine calls write() on its own thread; write() only
// queues the record, and a writer thread of the recorder's own (with its own database connection) stores
// the queue in one transaction every quarter second, so a kill -9 loses at most the last flush interval
// (more when the writer has fallen behind a disk slower than the engine: docs/history.md).
class RunRecorder : public RecordSink
{
public:
    static constexpr int flushIntervalMs = 250;

    explicit RunRecorder(QString databasePath);
    // Without finish(): flushes and marks the run `interrupted`.
    ~RunRecorder() override;
    RunRecorder(const RunRecorder &) = delete;
    RunRecorder &operator=(const RunRecorder &) = delete;

    // Opens the database and creates the run (state `running`), before the engine starts; blocks until
    // done. `campaignJson` is the campaign as run, without keys. The run id, or 0 and `error`.
    qint64 begin(const QString &campaignName, const QByteArray &campaignJson, const QList<RecordedTarget> &targets,
                 QString *error, const QString &kind = QStringLiteral("campaign"));
    // The same without waiting (for the window): the writer thread opens the database and creates the run
    // while the engine already runs; records written meanwhile stay queued and are stored once the run row
    // exists. When opening or creating fails, the queued records are dropped and finish() reports the error.
    void beginAsync(const QString &campaignName, const QByteArray &campaignJson, const QList<RecordedTarget> &targets,
                    const QString &kind = QStringLiteral("campaign"));
    // 0 until the run row exists (at once after begin(); some time after beginAsync()).
    qint64 runId() const;
    // The longest the queue between the engine and the writer thread has been, in records: it is not capped
    // (a record is never dropped), so a disk slower than the engine makes it grow (docs/history.md).
    qsizetype maxQueueLength() const;

    void write(const AttemptRecord &record) override;

    // Stores what is queued, marks the run finished (or stopped, when stopReason is set) with the summary,
    // and ends the writer thread. false and `error` when anything could not be stored. Waits for the writer
    // (a locked database up to 5 s): the window calls it off the GUI thread.
    bool finish(const QJsonObject &summary, const QString &stopReason, QString *error);

private:
    void writerLoop(QString campaignName, QByteArray campaignJson, QList<RecordedTarget> targets, QString kind);
    // RELAYBENCH_HISTORY_STATS=FILE appends {"run_id", "max_queue", "batches", "longest_batch_ms"} to FILE.
    void writeStatistics(qint64 runId, qint64 batches, qint64 longestBatchMs) const;
    void stopWriter(const QString &state, const QJsonObject &summary, const QString &stopReason);

    QString m_path;
    std::unique_ptr<QThread> m_thread;

    mutable QMutex m_mutex; // guards everything below
    QWaitCondition m_wake;
    QWaitCondition m_begun;
    qint64 m_runId = 0;
    std::vector<AttemptRecord> m_queue;
    qsizetype m_maxQueueLength = 0;
    bool m_beginDone = false;
    bool m_stopRequested = false;
    QString m_endState;
    QString m_stopReason;
    QJsonObject m_summary;
    QString m_error; // the first error the writer met
};

} // namespace relaybench
