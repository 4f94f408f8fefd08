#pragma once

#include "engine/outcome.h"

#include <QString>
#include <QVector>

#include <cmath>
#include <limits>

namespace relaybench {

enum class TokenSource
{
    None,
    Server,
    Estimated
};
QLatin1String tokenSourceName(TokenSource source);

inline constexpr double notApplicable = std::numeric_limits<double>::quiet_NaN();
inline bool applies(double value)
{
    return !std::isnan(value);
}

// One attempt, as a plain value: what requests.csv holds, one row each. All times are ms since the
// campaign's start on one monotonic clock; NaN where a value does not apply (never sent, no headers, ...).
struct AttemptRecord
{
    int target = 0;       // index into the campaign's targets
    qint64 requestId = 0; // the logical request, shared by its retries
    int attempt = 1;      // 1 for the first try
    bool warmup = false;
    double scheduledMs = notApplicable;  // when the attempt was due (for a retry: after its backoff)
    double sentMs = notApplicable;       // QNetworkReply::requestSent
    double headersMs = notApplicable;    // response headers received
    double firstTokenMs = notApplicable; // first SSE event with non-empty content or reasoning_content
    double endMs = notApplicable;        // finished, failed or aborted
    int status = 0;                      // HTTP status, 0 when none was received
    Outcome outcome = Outcome::Ok;
    QString error; // human-readable reason when not ok; never contains the key
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;
    qint64 reasoningTokens = 0;
    TokenSource tokenSource = TokenSource::None;
    double costUsd = 0.0;
    double retryDelayMs = notApplicable; // the backoff before the next attempt, when one follows
    QVector<float> interTokenMs;         // gaps between successive token-carrying events
    double retryAfterS = notApplicable;  // the server's Retry-After, when it sent one (not a CSV column)

    double queueMs() const { return applies(sentMs) ? sentMs - scheduledMs : notApplicable; }
    double ttfbMs() const { return applies(headersMs) && applies(sentMs) ? headersMs - sentMs : notApplicable; }
    double ttftMs() const { return applies(firstTokenMs) && applies(sentMs) ? firstTokenMs - sentMs : notApplicable; }
    double latencyMs() const { return applies(endMs) && applies(sentMs) ? endMs - sentMs : notApplicable; }
    // (latency - ttft) / (completion_tokens - 1): the mean time per output token after the first.
    double tpotMs() const;
};

} // namespace relaybench
