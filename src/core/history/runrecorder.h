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
// the queue in one transaction every quarter second, so a kill -9 loses at most the last flush interval.
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
                 QString *error);
    qint64 runId() const { return m_runId; }

    void write(const AttemptRecord &record) override;

    // Stores what is queued, marks the run finished (or stopped, when stopReason is set) with the summary,
    // and ends the writer thread. false and `error` when anything could not be stored.
    bool finish(const QJsonObject &summary, const QString &stopReason, QString *error);

private:
    void writerLoop(QString campaignName, QByteArray campaignJson, QList<RecordedTarget> targets);
    void stopWriter(const QString &state, const QJsonObject &summary, const QString &stopReason);

    QString m_path;
    qint64 m_runId = 0;
    std::unique_ptr<QThread> m_thread;

    QMutex m_mutex; // guards everything below
    QWaitCondition m_wake;
    QWaitCondition m_begun;
    std::vector<AttemptRecord> m_queue;
    bool m_beginDone = false;
    bool m_stopRequested = false;
    QString m_endState;
    QString m_stopReason;
    QJsonObject m_summary;
    QString m_error; // the first error the writer met
};

} // namespace relaybench
