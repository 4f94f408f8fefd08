#include "appinfo.h"
#include "cli/commandline.h"
#include "util/datadirectory.h"

#include <QCoreApplication>

#ifdef RELAYBENCH_WITH_GUI
#include "app/runwindow.h"
#endif

#include <cstdio>

int main(int argc, char **argv)
{
    // Global, for every command and the window: taken out before anything else parses the arguments.
    QString dataDirError;
    if (!relaybench::takeDataDirOption(&argc, argv, &dataDirError)) {
        std::fprintf(stderr, "relaybench: %s\n", qUtf8Printable(dataDirError));
        return 2;
    }
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    // Subcommands run headless: no QApplication, so no display is needed (servers, CI, cron).
    if (relaybench::cli::wantsCommandLine(arguments)) {
        QCoreApplication app(argc, argv);
        relaybench::setApplicationIdentity();
        return relaybench::cli::runCommandLine(arguments);
    }
#ifdef RELAYBENCH_WITH_GUI
    return relaybench::runWindow(argc, argv);
#else
    std::fputs("relaybench: built without the window (RELAYBENCH_BUILD_GUI=OFF); see relaybench --help\n", stderr);
    return 2;
#endif
}
