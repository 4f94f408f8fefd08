#include "servemockcommand.h"

#include "commandline.h"
#include "signalwatcher.h"
#include "sim/simprofile.h"
#include "sim/simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QThread>

namespace relaybench::cli {

namespace {

const QString command = QStringLiteral("serve-mock");

std::optional<qint64> parseInteger(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

} // namespace

int runServeMock(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs the built-in OpenAI-compatible simulator (POST /v1/chat/completions, GET /v1/models,\n"
                       "GET /sim/stats) until Ctrl-C or SIGTERM. Shipped profiles: %1.\n"
                       "A request header \"X-Sim-Fault: NAME\" forces one fault for that request.")
            .arg(shippedSimProfileNames().join(QStringLiteral(", "))));
    parser.addHelpOption();
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1)."),
                                  QStringLiteral("H"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port, 0 for any free port (default 8080)."),
                                  QStringLiteral("N"), QStringLiteral("8080"));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QStringLiteral("Shipped profile name or profile JSON file (default relay)."),
                                     QStringLiteral("NAME|FILE"), QStringLiteral("relay"));
    const QCommandLineOption threads(QStringLiteral("threads"),
                                     QStringLiteral("Worker threads (default: number of cores)."), QStringLiteral("N"));
    const QCommandLineOption apiKey(QStringLiteral("api-key"),
                                    QStringLiteral("Require \"Authorization: Bearer KEY\" (401 otherwise)."),
                                    QStringLiteral("KEY"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Override the profile's random seed."),
                                  QStringLiteral("N"));
    parser.addOptions({host, port, profile, threads, apiKey, seed});
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(command,
                          QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    const auto portNumber = parseInteger(parser.value(port), 0, 65535);
    if (!portNumber)
        return usageError(
            command, QStringLiteral("--port: must be an integer from 0 to 65535, got \"%1\"").arg(parser.value(port)));
    const QString hostText = parser.value(host);
    QHostAddress address(hostText == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : hostText);
    if (address.isNull())
        return usageError(command, QStringLiteral("--host: not an IP address: \"%1\"").arg(hostText));
    int threadCount = std::max(1, QThread::idealThreadCount());
    if (parser.isSet(threads)) {
        const auto value = parseInteger(parser.value(threads), 1, 256);
        if (!value)
            return usageError(
                command,
                QStringLiteral("--threads: must be an integer from 1 to 256, got \"%1\"").arg(parser.value(threads)));
        threadCount = int(*value);
    }

    QString error;
    auto loaded = loadSimProfile(parser.value(profile), &error);
    if (!loaded)
        return usageError(command, error.replace(QLatin1Char('\n'), QStringLiteral("\n  ")));
    if (parser.isSet(seed)) {
        const auto value = parseInteger(parser.value(seed), 0, std::numeric_limits<qint64>::max());
        if (!value)
            return usageError(
                command, QStringLiteral("--seed: must be a non-negative integer, got \"%1\"").arg(parser.value(seed)));
        loaded->seed = quint64(*value);
    }
    if (parser.isSet(apiKey)) {
        if (parser.value(apiKey).isEmpty())
            return usageError(command, QStringLiteral("--api-key: must not be empty"));
        loaded->apiKeys.append(parser.value(apiKey));
    }
    const QString profileName = loaded->name;
    const bool needsKey = !loaded->apiKeys.isEmpty();

    SimServer server(std::move(*loaded), threadCount);
    if (!server.listen(address, quint16(*portNumber), &error))
        return usageError(command, error);

    printOut(QStringLiteral("RelayBench simulator listening on %1 (profile %2, %3 thread%4%5). Ctrl-C stops it.\n")
                 .arg(server.baseUrl().toString(), profileName)
                 .arg(threadCount)
                 .arg(threadCount == 1 ? QString() : QStringLiteral("s"))
                 .arg(needsKey ? QStringLiteral(", API key required") : QString()));

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::stopRequested, qApp, [](int) { QCoreApplication::quit(); });
    QCoreApplication::exec();

    server.close();
    printOut(QStringLiteral("Simulator stopped. ") +
             QString::fromUtf8(QJsonDocument(server.stats().toJson()).toJson(QJsonDocument::Compact)) +
             QLatin1Char('\n'));
    return ExitOk;
}

} // namespace relaybench::cli
