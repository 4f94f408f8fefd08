#pragma once

#include <QStringList>

namespace relaybench::cli {

// relaybench monitor CAMPAIGN.json: probes every target of the campaign every interval until SIGTERM or
// Ctrl-C, prints each health state change on stdout, sends alerts to webhooks, optionally serves
// Prometheus metrics, and records the probes in the history as a run of kind "monitor" (docs/monitor.md).
int runMonitorCommand(const QStringList &arguments);

} // namespace relaybench::cli
