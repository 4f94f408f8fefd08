#include "runwindow.h"

#include "appinfo.h"
#include "mainwindow.h"

#include "sim/simserver.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

#include <cstdio>

namespace relaybench {

int runWindow(int &argc, char **argv)
{
    QApplication app(argc, argv);
    setApplicationIdentity();
    QGuiApplication::setDesktopFileName(QStringLiteral(RELAYBENCH_APP_ID));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/relaybench/icons/relaybench.svg")));

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profileOption(QStringLiteral("profile"),
                                           QStringLiteral("Profile of the Simulator page's simulator (default relay)."),
                                           QStringLiteral("NAME|FILE"), QStringLiteral("relay"));
    const QCommandLineOption portOption(
        QStringLiteral("sim-port"),
        QStringLiteral("Port of the Simulator page's simulator on 127.0.0.1 (default: any free port)."),
        QStringLiteral("N"), QStringLiteral("0"));
    parser.addOption(profileOption);
    parser.addOption(portOption);
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "relaybench: %s\n", qUtf8Printable(parser.errorText()));
        return 2;
    }

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "relaybench: --sim-port: must be an integer from 0 to 65535, got \"%s\"\n",
                     qUtf8Printable(parser.value(portOption)));
        return 2;
    }
    QString error;
    auto profile = loadSimProfile(parser.value(profileOption), &error);
    if (!profile) {
        std::fprintf(stderr, "relaybench: %s\n", qUtf8Printable(error));
        return 2;
    }
    // One worker thread: it serves one user's own clients, and the engine needs the other core.
    SimServer simulator(std::move(*profile), 1);
    if (!simulator.listen(QHostAddress::LocalHost, quint16(port), &error)) {
        QMessageBox::critical(nullptr, QObject::tr("RelayBench"),
                              QObject::tr("The built-in simulator could not start: %1").arg(error));
        return 1;
    }

    MainWindow window(&simulator);
    window.show();
    return QApplication::exec();
}

} // namespace relaybench
