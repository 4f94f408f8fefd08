#pragma once

#include <QElapsedTimer>

namespace relaybench {

// The one monotonic clock of a run: every timestamp is ms since the run started. Reading it is
// thread-safe (QElapsedTimer::nsecsElapsed only reads CLOCK_MONOTONIC), so lane threads stamp
// network events on arrival with the same clock the runner schedules with.
class RunClock
{
public:
    RunClock() { m_timer.start(); }
    double nowMs() const { return double(m_timer.nsecsElapsed()) / 1e6; }

private:
    QElapsedTimer m_timer;
};

} // namespace relaybench
