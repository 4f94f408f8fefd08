#pragma once

#include "costmodel.h"

#include <QString>

namespace relaybench {

// The machine-readable forms of cost rows, shared by `relaybench cost --format json|csv` and the window's
// Cost page, so both write the same columns and numbers (docs/cost.md): money in USD, ten decimals at most.
QString costRowsJson(const QList<CostRow> &rows);
QString costRowsCsv(const QList<CostRow> &rows);

} // namespace relaybench
