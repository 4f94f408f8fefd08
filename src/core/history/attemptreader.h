#pragma once

#include "metrics/attemptrecord.h"

#include <QString>

#include <functional>

namespace relaybench {

// Reads every attempt of a run, in the order it was recorded, through a read-only connection of the SQLite
// library itself: QSqlQuery boxes each of the 19 columns of each row in a QVariant, and reopening a
// 1,000,000-attempt run that way took 2.35 s of CPU; this way it takes 0.88 s (docs/PERFORMANCE.md).
// The file must already have been opened (and migrated) by RunStore::open. false and `error` on failure.
bool readAttempts(const QString &databasePath, qint64 runId, const std::function<void(const AttemptRecord &)> &visit,
                  QString *error);

} // namespace relaybench
