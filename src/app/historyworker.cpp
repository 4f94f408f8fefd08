#include "historyworker.h"

#include "history/storedrun.h"
#include "history/storedrunexport.h"

#include <QElapsedTimer>
#include <QThread>

namespace relaybench {

HistoryWorker::HistoryWorker(QString databasePath, QObject *parent)
    : QObject(parent)
    , m_path(std::move(databasePath))
    , m_thread(std::make_unique<QThread>())
    , m_context(new QObject)
{
    m_thread->setObjectName(QStringLiteral("HistoryWorker"));
    m_context->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();
}

HistoryWorker::~HistoryWorker()
{
    m_thread->quit();
    m_thread->wait();
}

template<typename Job>
void HistoryWorker::post(Job job)
{
    // The answer is queued back to this object: if it is gone by then, Qt drops the event.
    QMetaObject::invokeMethod(m_context, std::move(job), Qt::QueuedConnection);
}

void HistoryWorker::listRuns()
{
    post([this, path = m_path] {
        RunStore store;
        QString error;
        QList<RecordedRun> runs;
        if (store.open(path, &error))
            runs = store.runs(&error);
        QMetaObject::invokeMethod(
            this, [this, runs, error] { emit runsListed(runs, error); }, Qt::QueuedConnection);
    });
}

void HistoryWorker::loadRun(qint64 runId)
{
    QElapsedTimer clock;
    clock.start();
    post([this, path = m_path, runId, clock] {
        RunResult run;
        QString error;
        if (!loadStoredRun(path, runId, &run, &error) && error.isEmpty())
            error = tr("run %1 could not be read").arg(runId);
        QMetaObject::invokeMethod(
            this,
            [this, runId, run = std::move(run), error, clock] { emit runLoaded(runId, run, error, clock.elapsed()); },
            Qt::QueuedConnection);
    });
}

void HistoryWorker::deleteRun(qint64 runId)
{
    post([this, path = m_path, runId] {
        RunStore store;
        QString error;
        if (store.open(path, &error))
            store.deleteRun(runId, &error);
        QMetaObject::invokeMethod(
            this, [this, runId, error] { emit runDeleted(runId, error); }, Qt::QueuedConnection);
    });
}

void HistoryWorker::exportRun(qint64 runId, const QString &folder)
{
    post([this, path = m_path, runId, folder] {
        QString error;
        if (!exportStoredRun(path, runId, folder, &error) && error.isEmpty())
            error = tr("run %1 could not be exported").arg(runId);
        QMetaObject::invokeMethod(
            this, [this, runId, folder, error] { emit runExported(runId, folder, error); }, Qt::QueuedConnection);
    });
}

} // namespace relaybench
