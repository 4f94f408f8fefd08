#include "runcontroller.h"

#include <QThread>
#include <QTimer>

namespace relaybench {

namespace {
QStringList namesOf(const Campaign &campaign)
{
    QStringList names;
    for (const Target &target : campaign.targets)
        names.append(target.name);
    return names;
}
} // namespace

RunController::RunController(Campaign campaign, QStringList apiKeys, QObject *parent)
    : QObject(parent)
    , m_campaign(std::move(campaign))
    , m_apiKeys(std::move(apiKeys))
    , m_live(namesOf(m_campaign))
{}

RunController::~RunController()
{
    if (!m_thread)
        return;
    stop();
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void RunController::start()
{
    if (m_thread)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_running = true;
    }
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("engine"));
    m_thread->start();
    // A context object living on the engine thread runs the setup there.
    auto *context = new QObject;
    context->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, context, &QObject::deleteLater);
    QMetaObject::invokeMethod(
        context, [this] { runOnEngineThread(); }, Qt::QueuedConnection);
}

void RunController::runOnEngineThread()
{
    // Owned by the thread: deleted when it finishes, after the run's last event.
    auto *runner = new Runner(m_campaign, m_apiKeys);
    connect(QThread::currentThread(), &QThread::finished, runner, &QObject::deleteLater);
    QString error;
    if (!runner->prepare(&error)) {
        {
            QMutexLocker lock(&m_mutex);
            m_running = false;
        }
        QMetaObject::invokeMethod(
            this, [this, error] { emit finished(error); }, Qt::QueuedConnection);
        return;
    }
    runner->addSink(&m_live);
    for (RecordSink *sink : m_extraSinks)
        runner->addSink(sink);
    auto *publisher = new QTimer(runner);
    publisher->setInterval(100);
    connect(publisher, &QTimer::timeout, runner, [this] { publish(); });
    connect(runner, &Runner::finished, runner, [this, publisher] {
        publisher->stop();
        publish();
        {
            QMutexLocker lock(&m_mutex);
            m_summary = m_runner->summary();
            m_running = false;
        }
        QMetaObject::invokeMethod(
            this, [this] { emit finished(QString()); }, Qt::QueuedConnection);
    });
    {
        QMutexLocker lock(&m_mutex);
        m_runner = runner;
    }
    publisher->start();
    runner->start();
}

void RunController::publish()
{
    const QList<TargetProgress> progress = m_runner->progress();
    const double elapsed = m_runner->elapsedMs();
    QMutexLocker lock(&m_mutex);
    m_progress = progress;
    m_elapsedMs = elapsed;
}

void RunController::stop()
{
    QMutexLocker lock(&m_mutex);
    if (!m_runner)
        return;
    Runner *runner = m_runner;
    QMetaObject::invokeMethod(
        runner, [runner] { runner->stop(QStringLiteral("cancelled")); }, Qt::QueuedConnection);
}

bool RunController::isRunning() const
{
    QMutexLocker lock(&m_mutex);
    return m_running;
}

QList<TargetProgress> RunController::progress() const
{
    QMutexLocker lock(&m_mutex);
    return m_progress;
}

QJsonObject RunController::summary() const
{
    QMutexLocker lock(&m_mutex);
    return m_summary;
}

double RunController::elapsedMs() const
{
    QMutexLocker lock(&m_mutex);
    return m_elapsedMs;
}

} // namespace relaybench
