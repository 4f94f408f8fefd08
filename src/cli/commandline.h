#pragma once

#include <QString>
#include <QStringList>

namespace relaybench::cli {

// Exit codes shared by every subcommand (see README "Command line").
enum ExitCode
{
    ExitOk = 0,
    ExitCheckFailed = 1,
    ExitUsage = 2,
    ExitStoppedEarly = 3
};

// True when argv[1] asks for the command line rather than the window.
bool wantsCommandLine(const QStringList &arguments);

// Runs a subcommand (or the top-level --help/--version) inside an already created QCoreApplication.
int runCommandLine(const QStringList &arguments);

// "relaybench serve-mock: --port: must be ..." on stderr; returns ExitUsage.
int usageError(const QString &command, const QString &message);

void printOut(const QString &text);
void printErr(const QString &text);

} // namespace relaybench::cli
