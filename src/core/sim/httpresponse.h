#pragma once

#include <QByteArray>
#include <QStringBuilder>

namespace relaybench {

QByteArray httpReasonPhrase(int status);

// Status line and headers. contentLength < 0 means a chunked body.
QByteArray httpResponseHead(int status, const QByteArray &contentType, qsizetype contentLength, bool keepAlive,
                            const QByteArray &extraHeaders = {});

// One chunk of a chunked body; an empty payload yields nothing (the terminator is httpLastChunk()).
QByteArray httpChunk(const QByteArray &payload);
inline QByteArray httpLastChunk()
{
    return QByteArrayLiteral("0\r\n\r\n");
}

} // namespace relaybench
