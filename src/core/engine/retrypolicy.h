#pragma once

#include "campaign/campaign.h"

#include <QByteArray>
#include <QDateTime>

#include <random>

namespace relaybench {

// Retry-After as seconds: "120", or an HTTP-date in any of its three forms ("Wed, 21 Oct 2026 07:28:00 GMT",
// "Wednesday, 21-Oct-26 07:28:00 GMT", "Wed Oct 21 07:28:00 2026"), counted from `nowUtc`; a date in the
// past is 0. NaN when unreadable or negative.
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
