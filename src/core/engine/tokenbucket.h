#pragma once

#include <algorithm>

namespace relaybench {

// A client-side token bucket holding one minute's allowance, refilled continuously
// (capacity per minute; 0 = unlimited). Times in ms on the run clock.
class TokenBucket
{
public:
    explicit TokenBucket(double perMinute = 0.0)
        : m_capacity(perMinute)
        , m_level(perMinute)
    {}

    bool unlimited() const { return m_capacity <= 0.0; }
    // ms until `amount` is available (0 now); an amount above the capacity waits for a full bucket.
    double waitMs(double amount, double nowMs)
    {
        if (unlimited())
            return 0.0;
        refill(nowMs);
        const double missing = std::min(amount, m_capacity) - m_level;
        return missing <= 0.0 ? 0.0 : missing * 60000.0 / m_capacity;
    }
    void take(double amount, double nowMs)
    {
        if (unlimited())
            return;
        refill(nowMs);
        m_level -= std::min(amount, m_capacity);
    }
    void giveBack(double amount) { m_level = std::min(m_capacity, m_level + std::max(0.0, amount)); }

private:
    void refill(double nowMs)
    {
        if (nowMs <= m_lastMs)
            return; // a caller with an older timestamp must not drain the bucket
        m_level = std::min(m_capacity, m_level + (nowMs - m_lastMs) * m_capacity / 60000.0);
        m_lastMs = nowMs;
    }

    double m_capacity;
    double m_level;
    double m_lastMs = 0.0;
};

} // namespace relaybench
