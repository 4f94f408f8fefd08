#pragma once

#include "sseparser.h"

#include <QJsonObject>

#include <QString>
#include <QVector>

#include <cmath>
#include <limits>
#include <optional>

namespace relaybench {

struct ServerUsage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;
    qint64 reasoningTokens = 0;
};

// Reads a chat-completions response body as it arrives, streamed (SSE) or not, and keeps only what
// the metrics need: when the first token came, the gaps between token events, the usage, how the
// answer ended, and what was wrong with it. Pure logic, no network: tested on recorded bodies.
class ChatResponseReader
{
public:
    ChatResponseReader(bool sse, qint64 maxBodyBytes, qint64 maxLineBytes);

    // `nowMs` is when these bytes arrived. Returns false once a size limit is passed (stop reading).
    bool feed(const QByteArray &bytes, double nowMs);
    void finish(); // the body ended (an event left unterminated counts as arriving with the last bytes)

    bool isSse() const { return m_sse; }
    double firstTokenMs() const { return m_firstTokenMs; }
    const QVector<float> &interTokenMs() const { return m_gaps; }
    std::optional<ServerUsage> usage() const { return m_usage; }
    qint64 contentChars() const { return m_contentChars; }
    qint64 reasoningChars() const { return m_reasoningChars; }
    bool sawDone() const { return m_sawDone; }
    QString finishReason() const { return m_finishReason; }
    QString errorEvent() const { return m_errorEvent; } // message of an {"error": ...} event
    QString invalid() const { return m_invalid; }       // why the body is not a valid answer
    bool overLimit() const { return m_overLimit; }
    qint64 tokenEvents() const { return m_tokenEvents; }
    // The error message of a non-2xx body ({"error": {"message": ...}}, {"message": ...}, {"detail": ...}),
    // or its start when it is not JSON; shortened, never empty.
    static QString errorMessageOf(const QByteArray &body);

private:
    void handleEvent(const QByteArray &data, double nowMs);
    void readUsage(const QJsonObject &usage);

    bool m_sse;
    qint64 m_maxBodyBytes;
    SseParser m_parser;
    QByteArray m_body; // non-SSE bodies only
    qint64 m_received = 0;
    double m_firstTokenMs = std::numeric_limits<double>::quiet_NaN();
    double m_lastTokenMs = std::numeric_limits<double>::quiet_NaN();
    double m_lastFeedMs = std::numeric_limits<double>::quiet_NaN(); // arrival of the latest bytes
    QVector<float> m_gaps;
    std::optional<ServerUsage> m_usage;
    qint64 m_contentChars = 0;
    qint64 m_reasoningChars = 0;
    qint64 m_tokenEvents = 0;
    bool m_sawDone = false;
    QString m_finishReason;
    QString m_errorEvent;
    QString m_invalid;
    bool m_overLimit = false;
};

} // namespace relaybench
