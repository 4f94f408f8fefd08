#include "runrecorder.h"

#include <QDeadlineTimer>
#include <QMutexLocker>
#include <QThread>

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
                          const QList<RecordedTarget> &targets, QString *error)
{
    // The connection lives and dies on the writer thread: QSqlDatabase connections are per thread.
    m_thread.reset(QThread::create(
        [this, campaignName, campaignJson, targets] { writerLoop(campaignName, campaignJson, targets); }));
    m_thread->setObjectName(QStringLiteral("RunRecorder"));
    m_thread->start();
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

void RunRecorder::write(const AttemptRecord &record)
{
    QMutexLocker lock(&m_mutex);
    if (m_runId != 0 && !m_stopRequested)
        m_queue.push_back(record);
}

void RunRecorder::writerLoop(QString campaignName, QByteArray campaignJson, QList<RecordedTarget> targets)
{
    RunStore store;
    QString error;
    qint64 runId = 0;
    if (store.open(m_path, &error))
        runId = store.beginRun(campaignName, campaignJson, targets, &error);
    {
        QMutexLocker lock(&m_mutex);
        m_runId = runId;
        m_error = error;
        m_beginDone = true;
        m_begun.wakeAll();
    }
    if (runId == 0)
        return;

    std::vector<AttemptRecord> batch;
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
        if (!store.addAttempts(runId, batch, &batchError)) {
            QMutexLocker lock(&m_mutex);
            if (m_error.isEmpty())
                m_error = batchError;
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
    }
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
    if (!m_thread || !m_thread->isRunning()) {
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
