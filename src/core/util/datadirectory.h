#pragma once

#include <QString>

namespace relaybench {

// Where RelayBench keeps what it records (the window's run folders; later the run history): the
// RELAYBENCH_DATA_DIR environment variable when set, otherwise QStandardPaths::AppDataLocation
// (~/.local/share/RelayBench/RelayBench on Linux). Not created here.
QString dataDirectory();

// A new, empty folder DATA/runs/<yyyyMMdd-HHmmss-zzz>-<campaign name made file-safe>; empty and `error` set
// when it cannot be made.
QString createRunFolder(const QString &campaignName, QString *error);

} // namespace relaybench
