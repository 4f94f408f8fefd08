#pragma once

#include "windowfigures.h"

#include <QLatin1String>

#include <optional>

namespace relaybench {

// The health of one monitored target (docs/monitor.md). The numbers are those of the exporter's
// relaybench_health_state gauge; Unknown (no state yet) is never exported.
enum class HealthState
{
    Unknown = -1,
    Healthy = 0,
    Degraded = 1,
    Down = 2,
};

QLatin1String healthStateName(HealthState state);

struct HealthThresholds
{
    double healthySuccessRate = 0.95;    // success rate >= this (and p95 within its limit): healthy
    double downSuccessRate = 0.5;        // success rate < this: down; in between: degraded
    std::optional<double> degradedP95Ms; // p95 latency above this: at best degraded
    int holdEvaluations = 2;             // hysteresis: a new state must be called for this many times in a row
};

// The state the window's figures call for, without hysteresis; Unknown when the window holds no probe.
HealthState classifyWindow(const WindowFigures &figures, const HealthThresholds &thresholds);

// Turns the stream of per-probe evaluations into state changes, with hysteresis so one blip does not
// flap: the state changes only when the same new state has been called for `holdEvaluations` evaluations
// in a row, and leaving Down also needs the latest probe to have succeeded (a window that merely ages
// its failures out does not prove the target answers again).
class HealthStateMachine
{
public:
    explicit HealthStateMachine(HealthThresholds thresholds);

    // One evaluation; true when the state changed (previous() holds the state before).
    bool evaluate(const WindowFigures &figures);
    HealthState state() const { return m_state; }
    HealthState previous() const { return m_previous; }
    const HealthThresholds &thresholds() const { return m_thresholds; }

private:
    HealthThresholds m_thresholds;
    HealthState m_state = HealthState::Unknown;
    HealthState m_previous = HealthState::Unknown;
    HealthState m_candidate = HealthState::Unknown;
    int m_streak = 0; // evaluations in a row that called for m_candidate
};

} // namespace relaybench
