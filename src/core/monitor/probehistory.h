#pragma once

#include "windowfigures.h"

#include <vector>

namespace relaybench {

// One probe as the rolling windows need it: 24 bytes, so a day of probes stays small.
struct ProbeSample
{
    qint64 atMs = 0;        // wall clock, ms since the epoch, when the probe ended
    float latencyMs = 0.0f; // NaN when it does not apply
    float ttftMs = 0.0f;    // NaN when it does not apply
    Outcome outcome = Outcome::Ok;
};

// The probes of one target over the longest window (24 h), in a ring buffer of fixed capacity: memory is
// bounded whatever the interval. Every window (5 min, 1 h, 24 h, the evaluation window) is computed
// from it on demand.
class ProbeHistory
{
public:
    static constexpr double spanS = 24.0 * 3600.0;
    static constexpr double minIntervalS = 1.0; // the smallest interval a monitor file may ask for

    // Enough for `spanS` of probes every `intervalS` (never less than the minimum interval): 86,401 at most.
    static qsizetype capacityFor(double intervalS);

    explicit ProbeHistory(qsizetype capacity);

    void add(const ProbeSample &sample); // samples come in time order
    // The probes that ended in (nowMs - windowS, nowMs].
    WindowFigures figures(qint64 nowMs, double windowS) const;
    qsizetype size() const { return m_size; }
    qsizetype capacity() const { return qsizetype(m_ring.size()); }

private:
    const ProbeSample &at(qsizetype i) const; // 0 = oldest

    std::vector<ProbeSample> m_ring;
    qsizetype m_head = 0; // where the next sample goes
    qsizetype m_size = 0;
};

} // namespace relaybench
