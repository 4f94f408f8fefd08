#include "runcommand.h"

#include "apikeys.h"
#include "commandline.h"
#include "metricsoptions.h"
#include "signalwatcher.h"
#include "storage/csvfilesink.h"
#include "storage/summaryfile.h"

#include "campaign/campaignloader.h"
#include "engine/runner.h"
#include "exporter/metricsendpoint.h"
#include "history/runrecorder.h"
#include "pricing/pricecatalog.h"
#include "pricing/userpricecatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTimer>

#include <memory>

#include <unistd.h>

namespace relaybench::cli {

namespace {

const QString command = QStringLiteral("run");

QString progressLine(const Runner &runner)
{
    qint64 done = 0;
    qint64 planned = 0;
    qint64 failed = 0;
    qint64 inFlight = 0;
    for (const TargetProgress &p : runner.progress()) {
        done += p.finished;
        planned += p.planned;
        failed += p.failedAttempts;
        inFlight += p.inFlight;
    }
    const double seconds = runner.elapsedMs() / 1000.0;
    const double rate = seconds > 0.0 ? double(done) / seconds : 0.0;
    QString eta = QStringLiteral("-");
    if (planned > 0 && rate > 0.0)
        eta = QStringLiteral("%1 s").arg(qRound(double(planned - done) / rate));
    const double duration = runner.campaign().load.durationS;
    if (duration > 0.0)
        eta = QStringLiteral("%1 s").arg(qRound(std::max(0.0, duration - seconds)));
    return QStringLiteral("%1/%2 requests, %3 req/s, %4 failed attempts, %5 in flight, %6 s elapsed, ETA %7")
        .arg(done)
        .arg(planned > 0 ? QString::number(planned) : QStringLiteral("?"))
        .arg(rate, 0, 'f', 1)
        .arg(failed)
        .arg(inFlight)
        .arg(seconds, 0, 'f', 1)
        .arg(eta);
}

QString cellMs(const QJsonValue &stats, const char *key)
{
    return stats.isObject() ? QString::number(stats.toObject().value(QLatin1String(key)).toDouble(), 'f', 1)
                            : QStringLiteral("-");
}

QString summaryTable(const QJsonObject &summary)
{
    QString text = QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10\n")
                       .arg(QStringLiteral("target"), -16)
                       .arg(QStringLiteral("requests"), 9)
                       .arg(QStringLiteral("success"), 8)
                       .arg(QStringLiteral("p50 ms"), 9)
                       .arg(QStringLiteral("p95 ms"), 9)
                       .arg(QStringLiteral("p99 ms"), 9)
                       .arg(QStringLiteral("TTFT p50"), 9)
                       .arg(QStringLiteral("tok/s"), 8)
                       .arg(QStringLiteral("cost $"), 10)
                       .arg(QStringLiteral("SLO"), 4);
    for (const QJsonValue &value : summary.value(QLatin1String("targets")).toArray()) {
        const QJsonObject t = value.toObject();
        const QJsonValue latency = t.value(QLatin1String("latency_ms"));
        const QJsonValue rate = t.value(QLatin1String("success_rate"));
        text += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10\n")
                    .arg(t.value(QLatin1String("name")).toString(), -16)
                    .arg(qint64(t.value(QLatin1String("requests")).toDouble()), 9)
                    .arg(rate.isDouble() ? QString::number(rate.toDouble() * 100.0, 'f', 1) + QLatin1Char('%')
                                         : QStringLiteral("-"),
                         8)
                    .arg(cellMs(latency, "p50"), 9)
                    .arg(cellMs(latency, "p95"), 9)
                    .arg(cellMs(latency, "p99"), 9)
                    .arg(cellMs(t.value(QLatin1String("ttft_ms")), "p50"), 9)
                    .arg(t.value(QLatin1String("throughput"))
                             .toObject()
                             .value(QLatin1String("output_tokens_per_s"))
                             .toDouble(),
                         8, 'f', 1)
                    .arg(t.value(QLatin1String("cost_usd")).toDouble(), 10, 'f', 4)
                    .arg(t.value(QLatin1String("slo")).toObject().value(QLatin1String("passed")).toBool()
                             ? QStringLiteral("pass")
                             : QStringLiteral("FAIL"),
                         4);
    }
    return text;
}

} // namespace

int runCampaignCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs a test campaign headless (format: docs/campaign-format.md). Writes DIR/requests.csv as the run\n"
        "goes (one row per attempt) and DIR/summary.json at the end; prints a table per target.\n"
        "Exit codes: 0 every SLO held, 1 an SLO failed, 2 invalid campaign or usage, 3 stopped early\n"
        "(budget, circuit breaker refusals, Ctrl-C or SIGTERM); the files are complete in every case."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("CAMPAIGN.json"), QStringLiteral("The campaign file."));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Output folder (created if missing)."),
                                 QStringLiteral("DIR"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress lines on stderr."));
    const QCommandLineOption noHistory(QStringLiteral("no-history"),
                                       QStringLiteral("Do not record the run in the history (docs/history.md)."));
    parser.addOptions({out, quiet, noHistory});
    const MetricsOptions metricsOptions;
    metricsOptions.addTo(parser);
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1)
        return usageError(command, QStringLiteral("needs exactly one campaign file (see relaybench run --help)"));
    if (!parser.isSet(out) || parser.value(out).isEmpty())
        return usageError(command, QStringLiteral("--out DIR is required"));

    QString catalogWarning; // a broken user catalogue: the shipped prices still apply
    const PriceCatalog catalog = effectivePriceCatalog(&catalogWarning);
    if (!catalogWarning.isEmpty())
        printErr(QStringLiteral("relaybench run: warning: ") + catalogWarning + QLatin1Char('\n'));
    const CampaignLoadResult loaded = loadCampaignFile(parser.positionalArguments().first(), catalog);
    for (const QString &warning : loaded.warnings)
        printErr(QStringLiteral("relaybench run: warning: ") + warning + QLatin1Char('\n'));
    if (!loaded.campaign) {
        for (const QString &error : loaded.errors)
            printErr(QStringLiteral("relaybench run: ") + error + QLatin1Char('\n'));
        return ExitUsage;
    }
    const Campaign &campaign = *loaded.campaign;

    // Ctrl-C and SIGTERM are ours from here on: one that comes before the run starts (while keys are read
    // or files made) stops the run as soon as it starts, so even then the files end complete.
    SignalWatcher watcher;
    bool stopRequestedEarly = false;
    const QMetaObject::Connection stopEarly = QObject::connect(
        &watcher, &SignalWatcher::stopRequested, &watcher, [&stopRequestedEarly](int) { stopRequestedEarly = true; });

    QStringList names;
    for (const Target &target : campaign.targets)
        names.append(target.name);
    // Keys from the environment (api_key_env) or the system keychain (api_key_keychain), before anything is sent.
    QString keyError;
    const QStringList keys = resolveApiKeys(campaign, &keyError);
    if (!keyError.isEmpty())
        return usageError(command, keyError);

    std::unique_ptr<MetricsEndpoint> metrics;
    if (QString metricsError; !metricsOptions.start(parser, &metrics, &metricsError))
        return usageError(command, metricsError);

    const QString dir = parser.value(out);
    if (!QDir().mkpath(dir))
        return usageError(command, QStringLiteral("--out: cannot create the folder \"%1\"").arg(dir));
    CsvFileSink csv(QDir(dir).filePath(QStringLiteral("requests.csv")), names);
    QString error;
    if (!csv.open(&error))
        return usageError(command, error);

    Runner runner(campaign, keys);
    if (!runner.prepare(&error))
        return usageError(command, error);
    runner.addSink(&csv);
    if (metrics) {
        runner.addSink(metrics->beginRun(names, [&runner] { return runner.progress(); }));
        printErr(QStringLiteral("relaybench run: serving Prometheus metrics at ") + metrics->address() +
                 QLatin1Char('\n'));
    }
    // The history is a convenience: when it cannot be written the run still goes ahead, with a warning.
    std::unique_ptr<RunRecorder> recorder;
    if (!parser.isSet(noHistory)) {
        QList<RecordedTarget> recorded;
        for (const Target &target : campaign.targets)
            recorded.append({target.name, target.model, target.baseUrl});
        QFile campaignFile(parser.positionalArguments().first());
        const QByteArray campaignJson = campaignFile.open(QIODevice::ReadOnly) ? campaignFile.readAll() : QByteArray();
        recorder = std::make_unique<RunRecorder>(RunStore::defaultPath());
        if (recorder->begin(campaign.name, campaignJson, recorded, &error) != 0) {
            runner.addSink(recorder.get());
        } else {
            printErr(QStringLiteral("relaybench run: warning: not recorded in the history: ") + error +
                     QLatin1Char('\n'));
            recorder.reset();
        }
    }

    QObject::disconnect(stopEarly);
    const QMetaObject::Connection stopOnSignal =
        QObject::connect(&watcher, &SignalWatcher::stopRequested, &runner, [&runner](int) {
            printErr(QStringLiteral(
                "\nrelaybench run: stopping: cancelling what is in flight, keeping what was measured\n"));
            runner.stop(QStringLiteral("interrupted"));
        });
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    QTimer progress;
    progress.setInterval(terminal ? 250 : 5000);
    if (!parser.isSet(quiet)) {
        QObject::connect(&progress, &QTimer::timeout, &runner, [&runner, terminal] {
            if (terminal)
                printErr(QStringLiteral("\r\033[K") + progressLine(runner));
            else
                printErr(QStringLiteral("relaybench run: ") + progressLine(runner) + QLatin1Char('\n'));
        });
        progress.start();
    }
    QObject::connect(&runner, &Runner::finished, qApp, [] { QCoreApplication::quit(); });
    runner.start();
    if (stopRequestedEarly)
        runner.stop(QStringLiteral("interrupted"));
    if (runner.isRunning())
        QCoreApplication::exec();
    progress.stop();
    if (terminal && !parser.isSet(quiet))
        printErr(QStringLiteral("\r\033[K") + progressLine(runner) + QLatin1Char('\n'));
    const QJsonObject summary = runner.summary();
    QString historyError;
    const bool recorded = recorder && recorder->finish(summary, runner.stopReason(), &historyError);
    if (!writeSummaryFile(QDir(dir).filePath(QStringLiteral("summary.json")), summary, &error)) {
        printErr(QStringLiteral("relaybench run: ") + error + QLatin1Char('\n'));
        return ExitUsage;
    }
    printOut(summaryTable(summary));
    if (recorded)
        printOut(QStringLiteral("history run id: %1\n").arg(recorder->runId()));
    else if (recorder)
        printErr(QStringLiteral("relaybench run: warning: history run %1 is incomplete: %2\n")
                     .arg(recorder->runId())
                     .arg(historyError));
    if (metrics) {
        metrics->endRun();
        if (const int lingerMs = metricsOptions.lingerMs(parser); lingerMs > 0) {
            // Scrapers poll: serve the final counts a while longer (Ctrl-C or SIGTERM ends the wait).
            QObject::disconnect(stopOnSignal);
            QTimer linger;
            linger.setSingleShot(true);
            QObject::connect(&linger, &QTimer::timeout, qApp, [] { QCoreApplication::quit(); });
            QObject::connect(&watcher, &SignalWatcher::stopRequested, qApp, [] { QCoreApplication::quit(); });
            linger.start(lingerMs);
            QCoreApplication::exec();
        }
    }

    if (runner.stoppedEarly()) {
        printErr(QStringLiteral("relaybench run: stopped early (%1); results so far are in %2\n")
                     .arg(runner.stopReason(), dir));
        return ExitStoppedEarly;
    }
    return runner.sloPassed() ? ExitOk : ExitCheckFailed;
}

} // namespace relaybench::cli
