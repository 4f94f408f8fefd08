#include "prometheusexporter.h"

#include "metricsregistry.h"
#include "sim/httprequestparser.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace relaybench {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 413:
        return QByteArrayLiteral("Content Too Large");
    default:
        return QByteArrayLiteral("Error");
    }
}

} // namespace

PrometheusExporter::PrometheusExporter(const MetricsRegistry *registry, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &PrometheusExporter::onNewConnection);
}

PrometheusExporter::~PrometheusExporter() = default;

bool PrometheusExporter::listen(const QString &host, quint16 port, QString *error)
{
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host)) {
        *error = QStringLiteral("metrics host \"%1\" is not an IP address (use 127.0.0.1, ::1 or 0.0.0.0)").arg(host);
        return false;
    }
    if (!m_server->listen(address, port)) {
        *error = QStringLiteral("cannot serve metrics on %1:%2: %3").arg(host).arg(port).arg(m_server->errorString());
        return false;
    }
    return true;
}

quint16 PrometheusExporter::serverPort() const
{
    return m_server->serverPort();
}

QString PrometheusExporter::address() const
{
    const QHostAddress host = m_server->serverAddress();
    const QString hostText =
        host.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host.toString() + u']' : host.toString();
    return QStringLiteral("http://%1:%2/metrics").arg(hostText).arg(m_server->serverPort());
}

void PrometheusExporter::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        m_buffers.insert(socket, QByteArray());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
        // A client that connects and never sends a whole request must not hold a socket forever.
        QTimer::singleShot(requestTimeoutMs, socket, [this, socket] {
            if (m_buffers.contains(socket))
                respond(socket, 408, QByteArrayLiteral("text/plain; charset=utf-8"), QByteArrayLiteral("timeout\n"));
        });
    }
}

void PrometheusExporter::onReadyRead(QTcpSocket *socket)
{
    auto it = m_buffers.find(socket);
    if (it == m_buffers.end())
        return;
    it.value() += socket->readAll();
    HttpRequestParser parser;
    HttpRequest request;
    const HttpRequestParser::Result result = parser.parse(it.value(), request);
    if (result == HttpRequestParser::Result::NeedMore)
        return;
    const QByteArray text = QByteArrayLiteral("text/plain; charset=utf-8");
    if (result == HttpRequestParser::Result::Error) {
        respond(socket, parser.errorStatus(), text, parser.errorMessage() + '\n');
        return;
    }
    const bool head = request.method == "HEAD";
    if (request.method != "GET" && !head) {
        respond(socket, 405, text, QByteArrayLiteral("only GET\n"));
        return;
    }
    if (request.path == "/metrics") {
        ++m_scrapes;
        respond(socket, 200, QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"), m_registry->exposition(),
                head);
    } else if (request.path == "/") {
        respond(socket, 200, QByteArrayLiteral("text/html; charset=utf-8"),
                QByteArrayLiteral("<html><body><a href=\"/metrics\">RelayBench metrics</a></body></html>\n"), head);
    } else {
        respond(socket, 404, text, QByteArrayLiteral("not found: the metrics are at /metrics\n"), head);
    }
}

void PrometheusExporter::respond(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body,
                                 bool headOnly)
{
    m_buffers.remove(socket);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                          "\r\nContent-Type: " + contentType +
                          "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
    if (!headOnly)
        response += body;
    socket->write(response);
    socket->disconnectFromHost();
}

} // namespace relaybench
