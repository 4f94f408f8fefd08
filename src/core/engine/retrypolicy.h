#pragma once

#include "campaign/campaign.h"

#include <QByteArray>
#include <QDateTime>

#include <random>

namespace relaybench {

// Retry-After as seconds: "120" or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT"). NaN when unreadable.
double parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc);

// Decides whether a failed attempt is tried again, and after how long:
// exponential backoff base * 2^(attempt-1), capped at max, spread by +-jitter, or the server's
// Retry-After when the campaign says to respect it (then also capped at max_delay_s).
class RetryPolicy
{
public:
    explicit RetryPolicy(RetrySpec spec, quint64 seed = 1);

    bool shouldRetry(Outcome outcome, int attempt) const;
    double delayMs(int attempt, double retryAfterS);

private:
    RetrySpec m_spec;
    std::mt19937_64 m_rng;
};

} // namespace relaybench
