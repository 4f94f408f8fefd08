#include "healthstate.h"

#include <algorithm>

namespace relaybench {

QLatin1String healthStateName(HealthState state)
{
    switch (state) {
    case HealthState::Healthy:
        return QLatin1String("healthy");
    case HealthState::Degraded:
        return QLatin1String("degraded");
    case HealthState::Down:
        return QLatin1String("down");
    case HealthState::Unknown:
        break;
    }
    return QLatin1String("unknown");
}

HealthState classifyWindow(const WindowFigures &figures, const HealthThresholds &thresholds)
{
    if (figures.probes == 0)
        return HealthState::Unknown;
    const double rate = figures.successRate();
    if (rate < thresholds.downSuccessRate)
        return HealthState::Down;
    if (rate < thresholds.healthySuccessRate)
        return HealthState::Degraded;
    // A NaN p95 (no successful probe) cannot get here: the success rate would be 0.
    if (thresholds.degradedP95Ms && figures.latencyP95Ms > *thresholds.degradedP95Ms)
        return HealthState::Degraded;
    return HealthState::Healthy;
}

HealthStateMachine::HealthStateMachine(HealthThresholds thresholds)
    : m_thresholds(thresholds)
{
    m_thresholds.holdEvaluations = std::max(1, m_thresholds.holdEvaluations);
}

bool HealthStateMachine::evaluate(const WindowFigures &figures)
{
    const HealthState wanted = classifyWindow(figures, m_thresholds);
    if (wanted == HealthState::Unknown)
        return false;
    if (wanted == m_state) {
        m_candidate = m_state;
        m_streak = 0;
        return false;
    }
    if (wanted == m_candidate) {
        ++m_streak;
    } else {
        m_candidate = wanted;
        m_streak = 1;
    }
    if (m_streak < m_thresholds.holdEvaluations)
        return false;
    if (m_state == HealthState::Down && !figures.lastProbeOk)
        return false; // the streak stays: the first success after it completes the change
    m_previous = m_state;
    m_state = wanted;
    m_candidate = wanted;
    m_streak = 0;
    return true;
}

} // namespace relaybench
