#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>

#include <functional>

// A deliberately raw HTTP/1.1 client for simulator tests: it sees every byte and when it arrived,
// which QNetworkAccessManager hides (framing, resets, unterminated chunked bodies).
namespace simtest {

struct Arrival
{
    double ms = 0.0; // since the request was written
    QByteArray bytes;
};

struct RawExchange
{
    QByteArray received;
    QList<Arrival> arrivals;
    bool peerClosed = false;
    bool timedOut = false;
    double closedMs = -1.0;
};

struct ParsedResponse
{
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;                      // de-chunked
    bool chunked = false;
    bool complete = false; // Content-Length satisfied, or the last chunk seen
};

// Sends `request` on a new connection and collects the answer until `done(received)` is true,
// the peer closes, or `timeoutMs` passes.
RawExchange exchange(quint16 port, const QByteArray &request, int timeoutMs,
                     const std::function<bool(const QByteArray &)> &done = {});

QByteArray chatRequest(const QJsonObject &body, const QByteArray &extraHeaders = {}, bool keepAlive = true);
QJsonObject chatBody(bool stream, int maxTokens = 0, bool includeUsage = true);

ParsedResponse parseResponse(const QByteArray &raw);
// Stops once a complete response is in the buffer.
bool responseComplete(const QByteArray &raw);

// "data:" payloads of an SSE body, in order.
QByteArrayList sseData(const QByteArray &body);

} // namespace simtest
