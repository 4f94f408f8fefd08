#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QTcpServer>

// A local HTTP/1.1 webhook receiver for the monitor's tests: records every POST (path, body, when) and
// answers each with the next status of `statuses` (then 200), one request per connection.
class WebhookReceiver : public QTcpServer
{
    Q_OBJECT

public:
    struct Received
    {
        QByteArray path;
        QByteArray contentType;
        QByteArray body;
        qint64 atMs = 0; // since the receiver started
    };

    explicit WebhookReceiver(QObject *parent = nullptr);
    bool start(); // 127.0.0.1, a free port
    QByteArray url(const QByteArray &path) const;

    QList<int> statuses; // consumed front first
    QList<Received> received;

signals:
    void requestReceived();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QHash<QTcpSocket *, QByteArray> m_buffers;
    QElapsedTimer m_clock;
};
