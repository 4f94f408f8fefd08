#include "progressgauges.h"

#include "metricsregistry.h"

namespace relaybench {

ProgressGauges::ProgressGauges(MetricsRegistry *registry, std::function<QList<TargetProgress>()> progress,
                               QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_progress(std::move(progress))
{
    m_timer.setInterval(pollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ProgressGauges::poll);
}

void ProgressGauges::start()
{
    poll();
    m_timer.start();
}

void ProgressGauges::stop()
{
    m_timer.stop();
    poll();
}

void ProgressGauges::poll()
{
    for (const TargetProgress &target : m_progress()) {
        m_registry->setInFlight(target.name, target.inFlight);
        m_registry->setCircuitOpen(target.name, target.circuit != CircuitBreaker::State::Closed);
    }
}

} // namespace relaybench
