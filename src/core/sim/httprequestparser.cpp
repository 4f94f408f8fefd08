#include "httprequestparser.h"

namespace relaybench {

QByteArray HttpRequest::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

bool HttpRequest::keepAlive() const
{
    const QByteArray connection = header("connection").toLower();
    if (versionMinor == 0)
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

HttpRequestParser::Result HttpRequestParser::fail(int status, const char *message)
{
    m_errorStatus = status;
    m_errorMessage = message;
    return Result::Error;
}

HttpRequestParser::Result HttpRequestParser::parse(QByteArray &buffer, HttpRequest &request)
{
    // Tolerate the stray CRLFs some clients send between keep-alive requests (RFC 9112 2.2).
    qsizetype start = 0;
    while (start + 1 < buffer.size() && buffer.at(start) == '\r' && buffer.at(start + 1) == '\n')
        start += 2;
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n", start);
    if (headerEnd < 0)
        return buffer.size() - start > maxHeaderBytes ? fail(431, "request headers too large") : Result::NeedMore;
    if (headerEnd - start > maxHeaderBytes)
        return fail(431, "request headers too large");

    const QList<QByteArray> lines = buffer.mid(start, headerEnd - start).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return fail(400, "malformed request line");
    HttpRequest parsed;
    parsed.method = requestLine[0];
    const QByteArray &target = requestLine[1];
    const qsizetype question = target.indexOf('?');
    parsed.path = question < 0 ? target : target.left(question);
    parsed.query = question < 0 ? QByteArray() : target.mid(question + 1);
    parsed.versionMinor = requestLine[2] == "HTTP/1.0" ? 0 : 1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(400, "malformed header line");
        parsed.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }

    if (!parsed.header("transfer-encoding").isEmpty())
        return fail(411, "chunked request bodies are not supported; send Content-Length");
    qsizetype contentLength = 0;
    const QByteArray lengthHeader = parsed.header("content-length");
    if (!lengthHeader.isEmpty()) {
        bool ok = false;
        contentLength = lengthHeader.toLongLong(&ok);
        if (!ok || contentLength < 0)
            return fail(400, "invalid Content-Length");
        if (contentLength > maxBodyBytes)
            return fail(413, "request body too large");
    }
    const qsizetype bodyStart = headerEnd + 4;
    if (buffer.size() - bodyStart < contentLength)
        return Result::NeedMore;
    parsed.body = buffer.mid(bodyStart, contentLength);
    buffer.remove(0, bodyStart + contentLength);
    request = std::move(parsed);
    return Result::Complete;
}

} // namespace relaybench
