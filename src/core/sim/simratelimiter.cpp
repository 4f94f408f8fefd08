#include "simratelimiter.h"

#include <cmath>

namespace relaybench {

void SimRateLimiter::Bucket::refill(double nowS)
{
    if (capacity <= 0.0)
        return;
    level = std::min(capacity, level + (nowS - lastS) * capacity / 60.0);
    lastS = nowS;
}

double SimRateLimiter::Bucket::secondsUntil(double amount) const
{
    const double missing = std::min(amount, capacity) - level;
    return missing <= 0.0 ? 0.0 : missing * 60.0 / capacity;
}

void SimRateLimiter::configure(const SimRateLimit &limit)
{
    QMutexLocker lock(&m_mutex);
    m_requests = Bucket{limit.requestsPerMinute, limit.requestsPerMinute, 0.0};
    m_tokens = Bucket{limit.tokensPerMinute, limit.tokensPerMinute, 0.0};
}

SimRateLimiter::Decision SimRateLimiter::admit(double tokens, double nowS)
{
    QMutexLocker lock(&m_mutex);
    m_requests.refill(nowS);
    m_tokens.refill(nowS);
    Decision decision;
    if (m_requests.capacity > 0.0 && m_requests.level < 1.0) {
        decision = {false, m_requests.secondsUntil(1.0), "requests"};
    } else if (m_tokens.capacity > 0.0 && m_tokens.level < std::min(tokens, m_tokens.capacity)) {
        // A request larger than a whole minute's allowance waits for a full bucket, then passes.
        decision = {false, m_tokens.secondsUntil(tokens), "tokens"};
    }
    if (!decision.admitted)
        return decision;
    if (m_requests.capacity > 0.0)
        m_requests.level -= 1.0;
    if (m_tokens.capacity > 0.0)
        m_tokens.level = std::max(0.0, m_tokens.level - tokens);
    return decision;
}

} // namespace relaybench
