#include "commandline.h"

#include "costcommand.h"
#include "historycommand.h"
#include "monitorcommand.h"
#include "runcommand.h"
#include "servemockcommand.h"

#include <QCoreApplication>

#include <cstdio>

namespace relaybench::cli {

namespace {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments);
};

const Command commands[] = {
    {"run", "run a test campaign headless, write requests.csv and summary.json", &runCampaignCommand},
    {"serve-mock", "run the built-in OpenAI-compatible simulator until Ctrl-C", &runServeMock},
    {"cost", "compare what a workload costs per model and plan (table, CSV or JSON)", &runCostCommand},
    {"history", "list, show, export, compare and delete recorded runs (docs/history.md)", &runHistoryCommand},
    {"monitor", "probe targets every N s, track their health, alert on changes (docs/monitor.md)", &runMonitorCommand},
};

QString topLevelHelp()
{
    QString text =
        QStringLiteral("Usage: relaybench [COMMAND] [OPTIONS]\n"
                       "\n"
                       "RelayBench stress-tests OpenAI-compatible chat-completions endpoints.\n"
                       "Without a command it opens the window on a demo campaign against the built-in simulator.\n"
                       "\n"
                       "Commands:\n");
    for (const Command &command : commands)
        text += QStringLiteral("  %1  %2\n").arg(QLatin1String(command.name), -12).arg(QLatin1String(command.summary));
    text += QStringLiteral(
        "\n"
        "Window options:\n"
        "  --profile NAME|FILE  profile of the Simulator page's simulator (default: relay)\n"
        "  --sim-port N         port of the Simulator page's simulator on 127.0.0.1 (default: any free port)\n"
        "\n"
        "General options:\n"
        "  -h, --help      show this help (relaybench COMMAND --help for a command)\n"
        "  -v, --version   show the version\n"
        "  --data-dir DIR  keep the run history and run folders in DIR, for any command and the window\n"
        "                  (default: $RELAYBENCH_DATA_DIR, else ~/.local/share/RelayBench/RelayBench)\n"
        "\n"
        "Exit codes: 0 success, 1 a check (SLO) failed, 2 invalid input or usage, 3 stopped early.\n");
    return text;
}

} // namespace

void printOut(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
}

int usageError(const QString &command, const QString &message)
{
    printErr(QStringLiteral("relaybench %1: %2\n").arg(command, message));
    return ExitUsage;
}

bool wantsCommandLine(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString &first = arguments.at(1);
    if (first == QLatin1String("-h") || first == QLatin1String("--help") || first == QLatin1String("help") ||
        first == QLatin1String("-v") || first == QLatin1String("--version"))
        return true;
    return !first.startsWith(QLatin1Char('-'));
}

int runCommandLine(const QStringList &arguments)
{
    const QString first = arguments.value(1);
    if (first == QLatin1String("-h") || first == QLatin1String("--help") || first == QLatin1String("help")) {
        printOut(topLevelHelp());
        return ExitOk;
    }
    if (first == QLatin1String("-v") || first == QLatin1String("--version")) {
        printOut(QStringLiteral("relaybench %1\n").arg(QCoreApplication::applicationVersion()));
        return ExitOk;
    }
    for (const Command &command : commands) {
        if (first == QLatin1String(command.name))
            return command.run(arguments.mid(1));
    }
    printErr(QStringLiteral("relaybench: unknown command \"%1\"\n\n").arg(first) + topLevelHelp());
    return ExitUsage;
}

} // namespace relaybench::cli
