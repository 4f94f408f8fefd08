#include "monitormetrics.h"

#include "monitor.h"

#include "exporter/metricsregistry.h"

namespace relaybench {

void exportMonitorMetrics(Monitor *monitor, MetricsRegistry *registry)
{
    for (int i = 0; i < monitor->targetCount(); ++i)
        registry->addTarget(monitor->targetName(i));
    QObject::connect(monitor, &Monitor::probeFinished, monitor,
                     [monitor, registry](int target, const AttemptRecord &record) {
                         registry->observe(monitor->targetName(target), record);
                     });
    QObject::connect(monitor, &Monitor::stateChanged, monitor,
                     [monitor, registry](int target, HealthState, HealthState to, const WindowFigures &) {
                         if (to != HealthState::Unknown)
                             registry->setHealthState(monitor->targetName(target), int(to));
                     });
}

} // namespace relaybench
