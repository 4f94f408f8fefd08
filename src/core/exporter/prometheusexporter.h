#pragma once

#include <QHash>
#include <QObject>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace relaybench {

class MetricsRegistry;

// A minimal HTTP/1.1 server for Prometheus: GET /metrics answers the registry's exposition, GET / a
// pointer to it, anything else 404 (405 for other methods). One request per connection, then close:
// scrapers open a connection per scrape anyway, and it keeps the server free of keep-alive state.
// Lives on the thread that creates it (the event loop serves scrapes); the registry is thread-safe.
class PrometheusExporter : public QObject
{
    Q_OBJECT

public:
    static constexpr quint16 defaultPort = 9464;
    static constexpr int requestTimeoutMs = 5000;

    explicit PrometheusExporter(const MetricsRegistry *registry, QObject *parent = nullptr);
    ~PrometheusExporter() override;

    // host: an address ("127.0.0.1", "::1", "0.0.0.0") or "localhost"; port 0 picks a free one.
    bool listen(const QString &host, quint16 port, QString *error);
    quint16 serverPort() const;
    QString address() const; // "http://127.0.0.1:9464/metrics"
    qint64 scrapes() const { return m_scrapes; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body,
                 bool headOnly = false);

    const MetricsRegistry *m_registry;
    QTcpServer *m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    qint64 m_scrapes = 0;
};

} // namespace relaybench
