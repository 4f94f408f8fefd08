#pragma once

#include "simprofile.h"
#include "simratelimiter.h"
#include "simstats.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSslConfiguration>

#include <atomic>
#include <memory>
#include <optional>

namespace relaybench {

// State one simulator shares between its worker threads: the profile (swappable while running),
// the clock peak windows are measured on, the arrival counter that seeds each request, the
// server-side rate limit and the statistics.
class SimContext
{
public:
    explicit SimContext(SimProfile profile);

    std::shared_ptr<const SimProfile> profile() const;
    void setProfile(SimProfile profile);

    double secondsSinceStart() const { return double(m_clock.nsecsElapsed()) / 1e9; }
    quint64 nextRequestIndex() { return m_nextIndex.fetch_add(1, std::memory_order_relaxed); }
    SimRateLimiter &limiter() { return m_limiter; }
    SimStats &stats() { return m_stats; }
    // Set before the server listens, read-only afterwards: connections then speak TLS with it.
    void setTls(QSslConfiguration configuration) { m_tls = std::move(configuration); }
    const std::optional<QSslConfiguration> &tls() const { return m_tls; }

private:
    mutable QMutex m_mutex;
    std::shared_ptr<const SimProfile> m_profile;
    QElapsedTimer m_clock;
    std::atomic<quint64> m_nextIndex{0};
    SimRateLimiter m_limiter;
    SimStats m_stats;
    std::optional<QSslConfiguration> m_tls;
};

} // namespace relaybench
