#include "simclient.h"

#include "engine/sseparser.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTimer>

namespace simtest {

RawExchange exchange(quint16 port, const QByteArray &request, int timeoutMs,
                     const std::function<bool(const QByteArray &)> &done)
{
    RawExchange result;
    QTcpSocket socket;
    socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        qFatal("cannot connect to the simulator: %s", qPrintable(socket.errorString()));
    QElapsedTimer clock;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        result.timedOut = true;
        loop.quit();
    });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        const QByteArray bytes = socket.readAll();
        result.arrivals.append({double(clock.nsecsElapsed()) / 1e6, bytes});
        result.received += bytes;
        if (done && done(result.received))
            loop.quit();
    });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, [&] {
        result.peerClosed = true;
        result.closedMs = double(clock.nsecsElapsed()) / 1e6;
        loop.quit();
    });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, [&](QAbstractSocket::SocketError) {
        if (socket.state() == QAbstractSocket::UnconnectedState) {
            result.peerClosed = true;
            result.closedMs = double(clock.nsecsElapsed()) / 1e6;
            loop.quit();
        }
    });
    clock.start();
    socket.write(request);
    socket.flush();
    deadline.start(timeoutMs);
    loop.exec();
    return result;
}

QJsonObject chatBody(bool stream, int maxTokens, bool includeUsage)
{
    QJsonObject body{{QStringLiteral("model"), QStringLiteral("sim-model")},
                     {QStringLiteral("messages"),
                      QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                             {QStringLiteral("content"), QStringLiteral("Say hello to the test.")}}}},
                     {QStringLiteral("stream"), stream}};
    if (maxTokens > 0)
        body.insert(QStringLiteral("max_tokens"), maxTokens);
    if (stream && includeUsage)
        body.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
    return body;
}

QByteArray chatRequest(const QJsonObject &body, const QByteArray &extraHeaders, bool keepAlive)
{
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           QByteArray::number(json.size()) + "\r\n" + (keepAlive ? "" : "Connection: close\r\n") + extraHeaders +
           "\r\n" + json;
}

ParsedResponse parseResponse(const QByteArray &raw)
{
    ParsedResponse response;
    const qsizetype headerEnd = raw.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return response;
    const QList<QByteArray> lines = raw.left(headerEnd).split('\n');
    response.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        response.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    const QByteArray rest = raw.mid(headerEnd + 4);
    if (response.headers.value("transfer-encoding") == "chunked") {
        response.chunked = true;
        qsizetype pos = 0;
        while (true) {
            const qsizetype lineEnd = rest.indexOf("\r\n", pos);
            if (lineEnd < 0)
                break;
            bool ok = false;
            const qsizetype size = rest.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
            if (!ok || rest.size() < lineEnd + 2 + size + 2)
                break;
            if (size == 0) {
                response.complete = true;
                break;
            }
            response.body += rest.mid(lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
    } else {
        const qsizetype length = response.headers.value("content-length").toLongLong();
        response.body = rest.left(length);
        response.complete = rest.size() >= length;
    }
    return response;
}

bool responseComplete(const QByteArray &raw)
{
    return parseResponse(raw).complete;
}

QByteArrayList sseData(const QByteArray &body)
{
    relaybench::SseParser parser;
    parser.feed(body);
    QByteArrayList out;
    for (const auto &event : parser.takeEvents())
        out.append(event.data);
    return out;
}

} // namespace simtest
