#pragma once

#include <QString>

namespace relaybench {

// Writes a recorded run's OUTDIR/requests.csv and OUTDIR/summary.json in the formats `relaybench run`
// writes (docs/metrics.md), creating OUTDIR. An interrupted run, which stored no summary, gets one computed
// from its stored attempts, with "state": "interrupted". Opens a connection of its own (worker thread or
// CLI). false and `error` when the run cannot be read or a file cannot be written.
bool exportStoredRun(const QString &databasePath, qint64 runId, const QString &outDir, QString *error);

} // namespace relaybench
