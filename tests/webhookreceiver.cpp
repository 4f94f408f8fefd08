#include "webhookreceiver.h"

#include <QTcpSocket>

WebhookReceiver::WebhookReceiver(QObject *parent)
    : QTcpServer(parent)
{
    connect(this, &QTcpServer::newConnection, this, &WebhookReceiver::onNewConnection);
}

bool WebhookReceiver::start()
{
    m_clock.start();
    return listen(QHostAddress::LocalHost, 0);
}

QByteArray WebhookReceiver::url(const QByteArray &path) const
{
    return "http://127.0.0.1:" + QByteArray::number(serverPort()) + path;
}

void WebhookReceiver::onNewConnection()
{
    while (QTcpSocket *socket = nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void WebhookReceiver::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        qsizetype length = 0;
        Received request;
        request.path = lines.value(0).split(' ').value(1);
        for (const QByteArray &line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "content-type")
                request.contentType = value;
        }
        if (buffer.size() < headerEnd + 4 + length)
            return;
        request.body = buffer.mid(headerEnd + 4, length);
        request.atMs = m_clock.elapsed();
        buffer.remove(0, headerEnd + 4 + length);
        received.append(request);
        const int status = statuses.isEmpty() ? 200 : statuses.takeFirst();
        const QByteArray body = status < 300 ? QByteArrayLiteral("ok") : QByteArrayLiteral("nope");
        socket->write("HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
        emit requestReceived();
        return; // Connection: close, one request per connection
    }
}
