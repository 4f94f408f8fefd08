#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace relaybench {

struct HttpRequest
{
    QByteArray method;
    QByteArray path;  // without the query string
    QByteArray query; // after '?', if any
    int versionMinor = 1;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    QByteArray body;

    QByteArray header(const QByteArray &lowerCaseName) const;
    bool keepAlive() const;
};

// An incremental HTTP/1.1 request parser for the simulator: feed it the connection's buffer,
// it consumes one whole request at a time. Bodies need Content-Length (chunked request bodies
// are rare from API clients and are refused with 411).
class HttpRequestParser
{
public:
    enum class Result
    {
        NeedMore,
        Complete,
        Error
    };

    static constexpr qsizetype maxHeaderBytes = 64 * 1024;
    static constexpr qsizetype maxBodyBytes = 32 * 1024 * 1024;

    Result parse(QByteArray &buffer, HttpRequest &request);

    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorMessage() const { return m_errorMessage; }

private:
    Result fail(int status, const char *message);

    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

} // namespace relaybench
