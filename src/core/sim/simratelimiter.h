#pragma once

#include "simprofile.h"

#include <QMutex>

namespace relaybench {

// The server-side limit of a simulated provider: token buckets for requests and tokens per minute,
// each holding at most one minute's allowance and refilling continuously. Shared by all workers.
class SimRateLimiter
{
public:
    struct Decision
    {
        bool admitted = true;
        double retryAfterS = 0.0;
        const char *limit = ""; // "requests" or "tokens" when refused
    };

    void configure(const SimRateLimit &limit);
    Decision admit(double tokens, double nowS);

private:
    struct Bucket
    {
        double capacity = 0.0; // 0: off
        double level = 0.0;
        double lastS = 0.0;
        void refill(double nowS);
        double secondsUntil(double amount) const;
    };

    QMutex m_mutex;
    Bucket m_requests;
    Bucket m_tokens;
};

} // namespace relaybench
