#include "simserver.h"

#include "simcontext.h"
#include "simworker.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
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
    {}

protected:
    void incomingConnection(qintptr socketDescriptor) override { m_onConnection(socketDescriptor); }

private:
    std::function<void(qintptr)> m_onConnection;
};

SimServer::SimServer(SimProfile profile, int threads, QObject *parent)
    : QObject(parent)
    , m_context(std::make_shared<SimContext>(std::move(profile)))
    , m_acceptThread(new QThread)
    , m_listener(new SimListener([this](qintptr descriptor) { dispatch(descriptor); }))
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
    // Thousands of clients connecting at once: let the kernel queue the burst instead of dropping SYNs.
    m_listener->setMaxPendingConnections(4096);
    m_listener->setListenBacklogSize(4096);
    m_acceptThread->setObjectName(QStringLiteral("sim-accept"));
    m_listener->moveToThread(m_acceptThread);
    connect(m_acceptThread, &QThread::finished, m_listener, &QObject::deleteLater);
    m_acceptThread->start();
}

SimServer::~SimServer()
{
    close();
    m_acceptThread->quit();
    m_acceptThread->wait();
    delete m_acceptThread;
    for (size_t i = 0; i < m_threads.size(); ++i) {
        QMetaObject::invokeMethod(m_workers[i], &SimWorker::closeAll, Qt::BlockingQueuedConnection);
        m_threads[i]->quit();
        m_threads[i]->wait();
        delete m_threads[i];
    }
}

bool SimServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    QString failure;
    // A QTcpServer may only be used from its own thread.
    QMetaObject::invokeMethod(
        m_listener,
        [&] {
            m_listening = m_listener->listen(address, port);
            if (m_listening) {
                m_port = m_listener->serverPort();
                m_address = m_listener->serverAddress();
            } else {
                failure = m_listener->errorString();
            }
        },
        Qt::BlockingQueuedConnection);
    if (!m_listening && error)
        *error = QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(failure);
    return m_listening;
}

void SimServer::close()
{
    if (!m_listening)
        return;
    QMetaObject::invokeMethod(m_listener, &QTcpServer::close, Qt::BlockingQueuedConnection);
    m_listening = false;
}

bool SimServer::isListening() const
{
    return m_listening;
}

quint16 SimServer::port() const
{
    return m_port;
}

bool SimServer::setTls(const QString &certificateFile, const QString &keyFile, QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS is not available: Qt found no TLS backend (OpenSSL)");
        return false;
    }
    QFile certificate(certificateFile);
    QFile key(keyFile);
    if (!certificate.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
        *error = (certificate.isOpen() ? keyFile : certificateFile) + QStringLiteral(": cannot read: ") +
                 (certificate.isOpen() ? key.errorString() : certificate.errorString());
        return false;
    }
    const QSslCertificate parsedCertificate(&certificate, QSsl::Pem);
    const QSslKey parsedKey(&key, QSsl::Rsa, QSsl::Pem);
    if (parsedCertificate.isNull() || parsedKey.isNull()) {
        *error = (parsedCertificate.isNull() ? certificateFile : keyFile) +
                 QStringLiteral(": not a PEM certificate / RSA private key");
        return false;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(parsedCertificate);
    configuration.setPrivateKey(parsedKey);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients present no certificate
    m_context->setTls(configuration);
    return true;
}

QHostAddress SimServer::address() const
{
    return m_address;
}

QUrl SimServer::baseUrl() const
{
    QUrl url;
    url.setScheme(m_context->tls() ? QStringLiteral("https") : QStringLiteral("http"));
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
