#pragma once

#include <QStringList>

namespace relaybench::cli {

// relaybench cost WORKLOAD.json [--format table|csv|json] [--currency USD|CNY] [--rate N]
// Monthly and annual cost of each model (and plan) for a workload; docs/cost.md. `arguments` starts with "cost".
int runCostCommand(const QStringList &arguments);

} // namespace relaybench::cli
