#pragma once

#include "engine/outcome.h"
#include "metrics/attemptrecord.h"

#include <QJsonObject>

#include <array>

namespace relaybench {

// What one rolling window (5 min, 1 h, 24 h, or the evaluation window) says about one target.
// Latency and TTFT percentiles are of the successful probes only, as in a campaign's summary; NaN
// when there is none.
struct WindowFigures
{
    double windowS = 0.0;
    qint64 probes = 0;
    qint64 successes = 0;
    double latencyP50Ms = notApplicable;
    double latencyP95Ms = notApplicable;
    double latencyP99Ms = notApplicable;
    double ttftP50Ms = notApplicable;
    double ttftP95Ms = notApplicable;
    std::array<qint64, outcomeCount> outcomes{}; // indexed by int(Outcome)
    bool lastProbeOk = false;                    // the newest probe in the window succeeded

    double successRate() const { return probes > 0 ? double(successes) / double(probes) : notApplicable; }
    // {"window_s", "probes", "successes", "success_rate", "latency_ms": {p50, p95, p99}, "ttft_ms": {p50, p95},
    // "outcomes": {name: count}} with null for figures that do not apply.
    QJsonObject toJson() const;
};

} // namespace relaybench
