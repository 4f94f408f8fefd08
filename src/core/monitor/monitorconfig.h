#pragma once

#include "healthstate.h"
#include "util/jsonfieldreader.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace relaybench {

struct WebhookSpec
{
    enum class Format
    {
        Slack, // {"text": "..."}: Slack incoming webhooks, Mattermost, Discord's /slack endpoint, ...
        Json,  // the generic payload of docs/monitor.md
    };
    QUrl url;
    Format format = Format::Json;
};

// How alerts are delivered and how many a flapping target may raise.
struct AlertPolicy
{
    int maxPerTarget = 10;   // at most this many alerts per target ...
    double perS = 3600.0;    // ... within this many seconds; the others are logged as suppressed
    int maxTries = 5;        // webhook delivery attempts per alert and webhook
    double retryBaseS = 1.0; // backoff between tries: base, 2 base, 4 base, ...
    double timeoutS = 10.0;  // one try's deadline
};

// The "monitor" object of a campaign file (docs/monitor.md): how to probe, how to judge, whom to tell.
struct MonitorConfig
{
    double intervalS = 30.0;
    QString prompt = QStringLiteral("Reply with the single word OK.");
    int maxTokens = 8;
    bool stream = true;
    double timeoutS = 0.0;  // a probe's total deadline; 0: the interval (a probe never overlaps the next)
    double windowS = 300.0; // the evaluation window the thresholds apply to
    HealthThresholds thresholds;
    QList<WebhookSpec> webhooks;
    AlertPolicy alerts;

    double probeTimeoutS() const { return timeoutS > 0.0 ? timeoutS : intervalS; }
};

struct MonitorConfigResult
{
    std::optional<MonitorConfig> config;
    QStringList errors;   // "campaign.json: monitor.interval_s: must be a number >= 1, got 0"
    QStringList warnings; // unknown keys
};

// Reads the value of the campaign's top-level "monitor" key (undefined: every default).
MonitorConfigResult parseMonitorConfig(const QJsonValue &monitor, const QString &source);
// Reads the "monitor" object of a campaign file; file and JSON errors are reported like field errors.
MonitorConfigResult loadMonitorConfig(const QString &campaignPath);

} // namespace relaybench
