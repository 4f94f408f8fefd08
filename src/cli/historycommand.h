#pragma once

#include <QStringList>

namespace relaybench::cli {

// relaybench history list [--json] | show ID | export ID --out DIR | compare ID1 ID2: the run history
// (docs/history.md). Exit 0 done, 2 usage error, unknown run or unusable database.
int runHistoryCommand(const QStringList &arguments);

} // namespace relaybench::cli
