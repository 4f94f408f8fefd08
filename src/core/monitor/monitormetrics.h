#pragma once

namespace relaybench {

class MetricsRegistry;
class Monitor;

// Feeds the Prometheus registry from a monitor: every target is added, every probe is observed as an
// attempt (relaybench_requests_total, the duration and TTFT histograms), and every state change sets
// relaybench_health_state{target}. The connections live as long as both objects (context: the monitor).
void exportMonitorMetrics(Monitor *monitor, MetricsRegistry *registry);

} // namespace relaybench
