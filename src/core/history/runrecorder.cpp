#include "runrecorder.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QThread>

#include <algorithm>
#include <iterator>

namespace relaybench {

RunRecorder::RunRecorder(QString databasePath)
    : m_path(std::move(databasePath))
{}

RunRecorder::~RunRecorder()
{
    if (m_thread && m_thread->isRunning())
        stopWriter(QStringLiteral("interrupted"), {}, {});
}

qint64 RunRecorder::begin(const QString &campaignName, const QByteArray &campaignJson,
                          const QList<RecordedTarget> &targets, QString *error, const QString &kind)
{
    beginAsync(campaignName, campaignJson, targets, kind);
    QMutexLocker lock(&m_mutex);
    while (!m_beginDone)
        m_begun.wait(&m_mutex);
    if (m_runId == 0) {
        *error = m_error;
        lock.unlock();
        m_thread->wait();
        m_thread.reset();
    }
    return m_runId;
}

void RunRecorder::beginAsync(const QString &campaignName, const QByteArray &campaignJson,
                             const QList<RecordedTarget> &targets, const QString &kind)
{
    // The connection lives and dies on the writer thread: QSqlDatabase connections are per thread.
    m_thread.reset(QThread::create(
        [this, campaignName, campaignJson, targets, kind] { writerLoop(campaignName, campaignJson, targets, kind); }));
    m_thread->setObjectName(QStringLiteral("RunRecorder"));
    m_thread->start();
}

qint64 RunRecorder::runId() const
{
    QMutexLocker lock(&m_mutex);
    return m_runId;
}

qsizetype RunRecorder::maxQueueLength() const
{
    QMutexLocker lock(&m_mutex);
    return m_maxQueueLength;
}

void RunRecorder::write(const AttemptRecord &record)
{
    QMutexLocker lock(&m_mutex);
    // Before the run row exists (beginAsync) records wait in the queue; after a failed begin nothing is kept.
    if (m_stopRequested || (m_beginDone && m_runId == 0))
        return;
    m_queue.push_back(record);
    m_maxQueueLength = std::max(m_maxQueueLength, qsizetype(m_queue.size()));
}

void RunRecorder::writerLoop(QString campaignName, QByteArray campaignJson, QList<RecordedTarget> targets, QString kind)
{
    RunStore store;
    QString error;
    qint64 runId = 0;
    if (store.open(m_path, &error))
        runId = store.beginRun(campaignName, campaignJson, targets, &error, kind);
    {
        QMutexLocker lock(&m_mutex);
        m_runId = runId;
        m_error = error;
        m_beginDone = true;
        if (runId == 0)
            std::vector<AttemptRecord>().swap(m_queue); // queued by beginAsync's caller: nowhere to store them
        m_begun.wakeAll();
    }
    if (runId == 0)
        return;

    std::vector<AttemptRecord> batch;
    qint64 batches = 0;
    qint64 longestBatchMs = 0;
    QElapsedTimer batchTimer;
    for (;;) {
        bool stop = false;
        {
            QMutexLocker lock(&m_mutex);
            QDeadlineTimer deadline(flushIntervalMs);
            while (!m_stopRequested && !deadline.hasExpired())
                m_wake.wait(&m_mutex, deadline);
            batch.swap(m_queue);
            stop = m_stopRequested;
        }
        QString batchError;
        batchTimer.start();
        const bool stored = store.addAttempts(runId, batch, &batchError);
        if (!batch.empty()) {
            ++batches;
            longestBatchMs = std::max(longestBatchMs, batchTimer.elapsed());
        }
        if (!stored) {
            // Never dropped while the run goes: the batch goes back to the front of the queue and is tried
            // again with the next one (a file locked by another program for longer than the busy timeout).
            // Only the last try, at the end of the run, gives up, and finish() says how many were lost.
            QMutexLocker lock(&m_mutex);
            if (stop) {
                if (m_error.isEmpty())
                    m_error = batchError + QStringLiteral(" (%1 attempts not stored)").arg(batch.size());
            } else {
                m_queue.insert(m_queue.begin(), std::make_move_iterator(batch.begin()),
                               std::make_move_iterator(batch.end()));
                m_maxQueueLength = std::max(m_maxQueueLength, qsizetype(m_queue.size()));
            }
        }
        batch.clear();
        if (stop)
            break;
    }
    QString endError;
    QMutexLocker lock(&m_mutex);
    const QString state = m_endState;
    const QString reason = m_stopReason;
    const QJsonObject summary = m_summary;
    lock.unlock();
    if (!store.endRun(runId, state, reason, summary, &endError)) {
        lock.relock();
        if (m_error.isEmpty())
            m_error = endError;
        lock.unlock();
    }
    writeStatistics(runId, batches, longestBatchMs);
}

void RunRecorder::writeStatistics(qint64 runId, qint64 batches, qint64 longestBatchMs) const
{
    // A diagnostic for bench/history-record.sh: whether the writer kept up with the engine.
    const QString path = qEnvironmentVariable("RELAYBENCH_HISTORY_STATS");
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return;
    const QJsonObject line{{QStringLiteral("run_id"), runId},
                           {QStringLiteral("max_queue"), qint64(maxQueueLength())},
                           {QStringLiteral("batches"), batches},
                           {QStringLiteral("longest_batch_ms"), longestBatchMs}};
    file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
}

void RunRecorder::stopWriter(const QString &state, const QJsonObject &summary, const QString &stopReason)
{
    {
        QMutexLocker lock(&m_mutex);
        m_endState = state;
        m_summary = summary;
        m_stopReason = stopReason;
        m_stopRequested = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
}

bool RunRecorder::finish(const QJsonObject &summary, const QString &stopReason, QString *error)
{
    if (!m_thread) {
        *error = m_error.isEmpty() ? QStringLiteral("the run was not being recorded") : m_error;
        return false;
    }
    if (!m_thread->isRunning()) { // beginAsync could not open the database or create the run
        m_thread->wait();
        QMutexLocker lock(&m_mutex);
        *error = m_error.isEmpty() ? QStringLiteral("the run was not being recorded") : m_error;
        return false;
    }
    stopWriter(stopReason.isEmpty() ? QStringLiteral("finished") : QStringLiteral("stopped"), summary, stopReason);
    QMutexLocker lock(&m_mutex);
    if (!m_error.isEmpty()) {
        *error = m_error;
        return false;
    }
    return true;
}

} // namespace relaybench
