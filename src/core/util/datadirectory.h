#pragma once

#include <QString>

namespace relaybench {

// Where RelayBench keeps what it records (the run history, the window's run folders): the --data-dir
// option when given, else the RELAYBENCH_DATA_DIR environment variable when set, otherwise
// QStandardPaths::AppDataLocation (~/.local/share/RelayBench/RelayBench on Linux). Not created here.
QString dataDirectory();

// The --data-dir value; an empty string goes back to the environment and the default.
void setDataDirectoryOverride(const QString &directory);

// Removes every "--data-dir DIR" and "--data-dir=DIR" from argv (argv[0] and anything after "--" excepted),
// compacting argv and *argc the way QApplication removes its own options, and makes the last value the data
// directory. A global option: valid before or after the command, and for the window. false and `error` when
// the option has no value.
bool takeDataDirOption(int *argc, char **argv, QString *error);

// A new, empty folder DATA/runs/<yyyyMMdd-HHmmss-zzz>-<campaign name made file-safe>; empty and `error` set
// when it cannot be made.
QString createRunFolder(const QString &campaignName, QString *error);

} // namespace relaybench
