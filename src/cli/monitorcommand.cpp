#include "monitorcommand.h"

#include "apikeys.h"
#include "commandline.h"
#include "metricsoptions.h"
#include "signalwatcher.h"

#include "campaign/campaignloader.h"
#include "exporter/metricsendpoint.h"
#include "history/runrecorder.h"
#include "monitor/alertdispatcher.h"
#include "monitor/monitor.h"
#include "monitor/monitorconfig.h"
#include "monitor/monitormetrics.h"
#include "pricing/pricecatalog.h"
#include "pricing/userpricecatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <memory>

namespace relaybench::cli {

namespace {

const QString command = QStringLiteral("monitor");
constexpr int deliveryGraceMs = 5000; // how long a stop waits for webhook deliveries under way

// Applies --interval, --window and --webhook over the file's "monitor" object.
bool applyOverrides(const QCommandLineParser &parser, const QCommandLineOption &interval,
                    const QCommandLineOption &window, const QCommandLineOption &webhook,
                    const QCommandLineOption &webhookFormat, MonitorConfig &config, QString *error)
{
    bool ok = true;
    if (parser.isSet(interval)) {
        const double seconds = parser.value(interval).toDouble(&ok);
        if (!ok || seconds < ProbeHistory::minIntervalS || seconds > 86400.0) {
            *error = QStringLiteral("--interval: \"%1\" is not a number of seconds between 1 and 86400")
                         .arg(parser.value(interval));
            return false;
        }
        config.intervalS = seconds;
    }
    if (parser.isSet(window)) {
        const double seconds = parser.value(window).toDouble(&ok);
        if (!ok || seconds < 1.0 || seconds > 86400.0) {
            *error = QStringLiteral("--window: \"%1\" is not a number of seconds between 1 and 86400")
                         .arg(parser.value(window));
            return false;
        }
        config.windowS = seconds;
    }
    const QString format = parser.value(webhookFormat);
    if (format != QLatin1String("json") && format != QLatin1String("slack")) {
        *error = QStringLiteral("--webhook-format: must be \"json\" or \"slack\", got \"%1\"").arg(format);
        return false;
    }
    for (const QString &value : parser.values(webhook)) {
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            *error = QStringLiteral("--webhook: not an http:// or https:// URL: \"%1\"").arg(value);
            return false;
        }
        config.webhooks.append(
            {url, format == QLatin1String("slack") ? WebhookSpec::Format::Slack : WebhookSpec::Format::Json});
    }
    return true;
}

QString timestamp()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

} // namespace

int runMonitorCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Monitors the targets of a campaign (docs/monitor.md): one small request per target every interval,\n"
        "rolling 5 min / 1 h / 24 h windows, a health state (healthy, degraded, down) with hysteresis, alerts\n"
        "to webhooks on every change. Prints each state change on stdout; runs until Ctrl-C or SIGTERM.\n"
        "Settings come from the campaign's \"monitor\" object; the options below override them.\n"
        "Exit codes: 0 stopped by a signal, 2 invalid campaign or usage."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("CAMPAIGN.json"), QStringLiteral("The campaign file."));
    const QCommandLineOption interval(QStringLiteral("interval"),
                                      QStringLiteral("Seconds between two probes of a target (>= 1; default 30)."),
                                      QStringLiteral("S"));
    const QCommandLineOption window(QStringLiteral("window"),
                                    QStringLiteral("Seconds of the window the thresholds judge (default 300)."),
                                    QStringLiteral("S"));
    const QCommandLineOption webhook(
        QStringLiteral("webhook"), QStringLiteral("Send alerts to this URL too (repeatable)."), QStringLiteral("URL"));
    const QCommandLineOption webhookFormat(
        QStringLiteral("webhook-format"),
        QStringLiteral("Payload of the --webhook URLs: json (default) or slack ({\"text\": ...})."),
        QStringLiteral("FORMAT"), QStringLiteral("json"));
    const QCommandLineOption noHistory(QStringLiteral("no-history"),
                                       QStringLiteral("Do not record the probes in the history (docs/history.md)."));
    parser.addOptions({interval, window, webhook, webhookFormat, noHistory});
    const MetricsOptions metricsOptions;
    metricsOptions.addTo(parser);
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1)
        return usageError(command, QStringLiteral("needs exactly one campaign file (see relaybench monitor --help)"));
    const QString campaignPath = parser.positionalArguments().first();

    QString catalogWarning;
    const PriceCatalog catalog = effectivePriceCatalog(&catalogWarning);
    const CampaignLoadResult loaded = loadCampaignFile(campaignPath, catalog);
    MonitorConfigResult monitorLoaded = loadMonitorConfig(campaignPath);
    for (const QString &warning : loaded.warnings + monitorLoaded.warnings)
        printErr(QStringLiteral("relaybench monitor: warning: ") + warning + QLatin1Char('\n'));
    if (!loaded.campaign || !monitorLoaded.config) {
        QStringList errors = loaded.errors;
        for (const QString &error : std::as_const(monitorLoaded.errors)) {
            if (!errors.contains(error)) // a file that cannot be read or parsed is reported by both
                errors.append(error);
        }
        for (const QString &error : std::as_const(errors))
            printErr(QStringLiteral("relaybench monitor: ") + error + QLatin1Char('\n'));
        return ExitUsage;
    }
    const Campaign &campaign = *loaded.campaign;
    MonitorConfig config = *monitorLoaded.config;
    if (QString error; !applyOverrides(parser, interval, window, webhook, webhookFormat, config, &error))
        return usageError(command, error);

    QString keyError;
    const QStringList keys = resolveApiKeys(campaign, &keyError);
    if (!keyError.isEmpty())
        return usageError(command, keyError);

    std::unique_ptr<MetricsEndpoint> metrics;
    if (QString metricsError; !metricsOptions.start(parser, &metrics, &metricsError))
        return usageError(command, metricsError);

    Monitor monitor(campaign, config, keys);
    QString error;
    if (!monitor.prepare(&error))
        return usageError(command, error);
    if (metrics) {
        exportMonitorMetrics(&monitor, metrics->registry());
        printErr(QStringLiteral("relaybench monitor: serving Prometheus metrics at ") + metrics->address() +
                 QLatin1Char('\n'));
    }

    // The history is a convenience: when it cannot be written the monitor still runs, with a warning.
    std::unique_ptr<RunRecorder> recorder;
    if (!parser.isSet(noHistory)) {
        QList<RecordedTarget> recorded;
        for (const Target &target : campaign.targets)
            recorded.append({target.name, target.model, target.baseUrl});
        QFile campaignFile(campaignPath);
        const QByteArray campaignJson = campaignFile.open(QIODevice::ReadOnly) ? campaignFile.readAll() : QByteArray();
        recorder = std::make_unique<RunRecorder>(RunStore::defaultPath());
        if (recorder->begin(campaign.name, campaignJson, recorded, &error, QStringLiteral("monitor")) != 0) {
            monitor.addSink(recorder.get());
        } else {
            printErr(QStringLiteral("relaybench monitor: warning: not recorded in the history: ") + error +
                     QLatin1Char('\n'));
            recorder.reset();
        }
    }

    AlertDispatcher alerts(config.webhooks, config.alerts);
    QObject::connect(
        &monitor, &Monitor::stateChanged, &alerts,
        [&monitor, &alerts](int target, HealthState from, HealthState to, const WindowFigures &figures) {
            const Alert alert{QDateTime::currentDateTimeUtc(), monitor.targetName(target), from, to, figures};
            printOut(timestamp() + QLatin1Char(' ') + alertText(alert) + QLatin1Char('\n'));
            // The first verdict of a target that is fine is no news; any other change is.
            if (!(from == HealthState::Unknown && to == HealthState::Healthy))
                alerts.dispatch(alert);
        });
    QObject::connect(&alerts, &AlertDispatcher::alertSuppressed, &alerts, [](const Alert &alert) {
        printErr(QStringLiteral("relaybench monitor: alert for %1 not sent: over the rate limit\n").arg(alert.target));
    });
    QObject::connect(&alerts, &AlertDispatcher::deliveryFinished, &alerts,
                     [](qint64, int, const AlertDelivery &delivery) {
                         if (delivery.status == AlertDelivery::Status::Failed)
                             printErr(QStringLiteral("relaybench monitor: webhook %1 failed after %2 tries: %3\n")
                                          .arg(delivery.endpoint)
                                          .arg(delivery.tries)
                                          .arg(delivery.lastError));
                     });

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::stopRequested, &monitor, [&monitor](int) {
        printErr(QStringLiteral("relaybench monitor: stopping\n"));
        monitor.stop(QStringLiteral("signal"));
    });
    QObject::connect(&monitor, &Monitor::stopped, qApp, [] { QCoreApplication::quit(); });
    printErr(QStringLiteral("relaybench monitor: probing %1 target(s) every %2 s, judging the last %3; "
                            "Ctrl-C or SIGTERM stops\n")
                 .arg(campaign.targets.size())
                 .arg(config.intervalS)
                 .arg(windowLabel(config.windowS)));
    monitor.start();
    QCoreApplication::exec();

    // Alerts under way (a recovery, typically) get a short grace to arrive; retries beyond it are dropped.
    if (alerts.pendingDeliveries() > 0) {
        QTimer grace;
        grace.setSingleShot(true);
        QObject::connect(&grace, &QTimer::timeout, qApp, [] { QCoreApplication::quit(); });
        QObject::connect(&alerts, &AlertDispatcher::deliveryFinished, qApp, [&alerts] {
            if (alerts.pendingDeliveries() == 0)
                QCoreApplication::quit();
        });
        grace.start(deliveryGraceMs);
        QCoreApplication::exec();
        if (alerts.pendingDeliveries() > 0)
            printErr(QStringLiteral("relaybench monitor: %1 webhook delivery(ies) abandoned at exit\n")
                         .arg(alerts.pendingDeliveries()));
    }
    if (metrics) {
        if (const int lingerMs = metricsOptions.lingerMs(parser); lingerMs > 0) {
            // As `run`: the final figures stay up for a last scrape; another signal ends the wait.
            QTimer linger;
            linger.setSingleShot(true);
            QObject::connect(&linger, &QTimer::timeout, qApp, [] { QCoreApplication::quit(); });
            QObject::connect(&watcher, &SignalWatcher::stopRequested, qApp, [] { QCoreApplication::quit(); });
            linger.start(lingerMs);
            QCoreApplication::exec();
        }
        metrics->close();
    }
    if (recorder) {
        QString historyError;
        if (recorder->finish(monitor.summary(), monitor.stopReason(), &historyError))
            printErr(QStringLiteral("relaybench monitor: recorded as run %1 in the history\n").arg(recorder->runId()));
        else
            printErr(QStringLiteral("relaybench monitor: warning: history: ") + historyError + QLatin1Char('\n'));
    }
    return ExitOk;
}

} // namespace relaybench::cli
