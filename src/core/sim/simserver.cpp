#include "simserver.h"

#include "simcontext.h"
#include "simworker.h"

#include <QTcpServer>
#include <QThread>

namespace relaybench {

// QTcpServer would create the socket in the listening thread; overriding incomingConnection lets
// the descriptor travel to a worker thread instead.
class SimListener : public QTcpServer
{
public:
    explicit SimListener(std::function<void(qintptr)> onConnection)
        : m_onConnection(std::move(onConnection))
    {
    }

protected:
    void incomingConnection(qintptr socketDescriptor) override { m_onConnection(socketDescriptor); }

private:
    std::function<void(qintptr)> m_onConnection;
};

SimServer::SimServer(SimProfile profile, int threads, QObject *parent)
    : QObject(parent)
    , m_context(std::make_shared<SimContext>(std::move(profile)))
    , m_listener(std::make_unique<SimListener>([this](qintptr descriptor) { dispatch(descriptor); }))
{
    const int count = std::max(1, threads);
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("sim-worker-%1").arg(i));
        auto *worker = new SimWorker(m_context);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
    // Thousands of simultaneous streams: let the kernel queue connection bursts.
    m_listener->setMaxPendingConnections(4096);
}

SimServer::~SimServer()
{
    close();
    for (size_t i = 0; i < m_threads.size(); ++i) {
        QMetaObject::invokeMethod(m_workers[i], &SimWorker::closeAll, Qt::BlockingQueuedConnection);
        m_threads[i]->quit();
        m_threads[i]->wait();
        delete m_threads[i];
    }
}

bool SimServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_listener->listen(address, port))
        return true;
    if (error) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_listener->errorString());
    }
    return false;
}

void SimServer::close()
{
    m_listener->close();
}

bool SimServer::isListening() const
{
    return m_listener->isListening();
}

quint16 SimServer::port() const
{
    return m_listener->serverPort();
}

QHostAddress SimServer::address() const
{
    return m_listener->serverAddress();
}

QUrl SimServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    QHostAddress host = address();
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    url.setHost(host.toString());
    url.setPort(port());
    url.setPath(QStringLiteral("/v1"));
    return url;
}

SimStatsSnapshot SimServer::stats() const
{
    return m_context->stats().snapshot();
}

void SimServer::resetPeaks()
{
    m_context->stats().resetPeaks();
}

std::shared_ptr<const SimProfile> SimServer::profile() const
{
    return m_context->profile();
}

void SimServer::setProfile(SimProfile profile)
{
    m_context->setProfile(std::move(profile));
}

void SimServer::dispatch(qintptr socketDescriptor)
{
    SimWorker *worker = m_workers[m_nextWorker];
    m_nextWorker = (m_nextWorker + 1) % m_workers.size();
    QMetaObject::invokeMethod(
        worker, [worker, socketDescriptor] { worker->adopt(socketDescriptor); }, Qt::QueuedConnection);
}

} // namespace relaybench
