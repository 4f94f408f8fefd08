#pragma once

#include "metrics/runresult.h"

#include <QString>

namespace relaybench {

// A recorded run read back as the window sees a run it just made (docs/history.md, "Reopening a run"):
// the campaign from the stored JSON (through the campaign loader), the summary (the stored summary.json,
// or one computed from the stored attempts when the run was interrupted and has none), and the live
// snapshot rebuilt by feeding the stored attempts to a LiveAggregator in the order they were recorded, so
// that counts, percentiles and per-second buckets equal what the live view showed. `folder` stays empty.
// Opens a connection of its own: call it from a worker thread, never the GUI thread (a locked database
// waits up to 5 s). false and `error` when the database or the run cannot be read.
bool loadStoredRun(const QString &databasePath, qint64 runId, RunResult *result, QString *error);

} // namespace relaybench
