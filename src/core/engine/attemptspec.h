#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace relaybench {

// Everything a lane needs to send one attempt; built by the runner, copied to the lane's thread.
struct AttemptSpec
{
    int target = 0;
    qint64 requestId = 0;
    int attempt = 1;
    bool warmup = false;
    double scheduledMs = 0.0;
    QUrl url;                                     // .../chat/completions
    QByteArray body;                              // the JSON request body
    QList<QPair<QByteArray, QByteArray>> headers; // Authorization included; never logged
    bool stream = true;
    double totalTimeoutMs = 60000.0;
    double stallTimeoutMs = 0.0;            // 0: off
    qint64 maxBodyBytes = 64 * 1024 * 1024; // campaign limits.max_response_bytes
    qint64 maxLineBytes = 1024 * 1024;      // campaign limits.max_sse_line_bytes
    bool tlsVerify = true;                  // false: the target opted out of certificate checks
    int promptChars = 0;                    // for the token estimate when the server sends no usage
    int messageCount = 0;
};

} // namespace relaybench
