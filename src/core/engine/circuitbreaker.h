#pragma once

#include "engine/outcome.h"

#include <cmath>
#include <limits>

namespace relaybench {

// Per-target circuit breaker: opens after `threshold` consecutive failed attempts, refuses requests
// for `cooldownMs`, then lets exactly one probe through (half-open): its success closes the circuit,
// its failure opens it again. threshold 0: never opens.
class CircuitBreaker
{
public:
    enum class State
    {
        Closed,
        Open,
        HalfOpen
    };

    CircuitBreaker(int threshold = 0, double cooldownMs = 30000.0)
        : m_threshold(threshold)
        , m_cooldownMs(cooldownMs)
    {}

    // May a request be sent now? In half-open state only the one probe may.
    bool allow(double nowMs)
    {
        if (m_state == State::Open && nowMs - m_openedMs >= m_cooldownMs)
            m_state = State::HalfOpen;
        if (m_state == State::Closed)
            return true;
        if (m_state == State::HalfOpen && !m_probeInFlight) {
            m_probeInFlight = true;
            m_probeAllowedMs = nowMs;
            return true;
        }
        return false;
    }

    // `sentMs`, when known, is when the attempt went out. While half-open only the probe's result may
    // decide: an attempt sent before the probe was let through (in flight when the circuit opened, and
    // slower than the cooldown) is ignored. Without it, such a late result is taken for the probe's.
    void record(Outcome outcome, double nowMs, double sentMs = std::numeric_limits<double>::quiet_NaN())
    {
        if (m_threshold <= 0)
            return;
        if (m_state == State::HalfOpen && !std::isnan(sentMs) && sentMs < m_probeAllowedMs)
            return;
        if (outcome == Outcome::Cancelled || outcome == Outcome::CircuitOpen || outcome == Outcome::BudgetStopped) {
            // Says nothing about the server; a cancelled probe frees the way for the next one (otherwise
            // the circuit would stay half-open, refusing everything, for ever).
            if (m_state == State::HalfOpen)
                m_probeInFlight = false;
            return;
        }
        const bool ok = outcome == Outcome::Ok;
        if (m_state == State::HalfOpen && m_probeInFlight) {
            m_probeInFlight = false;
            if (ok) {
                m_state = State::Closed;
                m_failures = 0;
            } else {
                open(nowMs);
            }
            return;
        }
        m_failures = ok ? 0 : m_failures + 1;
        if (m_state == State::Closed && m_failures >= m_threshold)
            open(nowMs);
    }

    // True while allow() would refuse: open within the cooldown, or half-open with the probe out.
    bool refusing(double nowMs) const
    {
        return (m_state == State::Open && nowMs - m_openedMs < m_cooldownMs) ||
               (m_state == State::HalfOpen && m_probeInFlight);
    }
    double reopensAtMs() const { return m_openedMs + m_cooldownMs; }

    State state() const { return m_state; }
    int openings() const { return m_openings; }

private:
    void open(double nowMs)
    {
        m_state = State::Open;
        m_openedMs = nowMs;
        ++m_openings;
    }

    int m_threshold;
    double m_cooldownMs;
    State m_state = State::Closed;
    int m_failures = 0;
    double m_openedMs = 0.0;
    bool m_probeInFlight = false;
    double m_probeAllowedMs = 0.0;
    int m_openings = 0;
};

} // namespace relaybench
