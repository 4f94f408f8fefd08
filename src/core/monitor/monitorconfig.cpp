#include "monitorconfig.h"

#include "util/jsondocument.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

namespace relaybench {

namespace {

QJsonObject objectAt(const QJsonObject &parent, const QString &path, QLatin1String key, JsonFieldReader &reader)
{
    const QJsonValue value = parent.value(key);
    if (value.isUndefined())
        return {};
    if (!value.isObject()) {
        reader.fail(JsonFieldReader::join(path, key),
                    QStringLiteral("must be an object, got ") + describeJsonValue(value));
        return {};
    }
    return value.toObject();
}

void readThresholds(const QJsonObject &monitor, MonitorConfig &config, JsonFieldReader &reader)
{
    const QString path = QStringLiteral("monitor.thresholds");
    const QJsonObject object = objectAt(monitor, QStringLiteral("monitor"), QLatin1String("thresholds"), reader);
    reader.warnUnknownKeys(
        object, path,
        {QLatin1String("healthy_success_rate"), QLatin1String("down_success_rate"), QLatin1String("degraded_p95_ms")});
    HealthThresholds &t = config.thresholds;
    t.healthySuccessRate = reader.number(object, path, QLatin1String("healthy_success_rate"), 0.95, 0.0, 1.0);
    t.downSuccessRate = reader.number(object, path, QLatin1String("down_success_rate"), 0.5, 0.0, 1.0);
    if (t.downSuccessRate > t.healthySuccessRate)
        reader.fail(JsonFieldReader::join(path, QLatin1String("down_success_rate")),
                    QStringLiteral("must not be above healthy_success_rate (%1), got %2")
                        .arg(t.healthySuccessRate)
                        .arg(t.downSuccessRate));
    if (object.contains(QLatin1String("degraded_p95_ms")))
        t.degradedP95Ms = reader.number(object, path, QLatin1String("degraded_p95_ms"), 0.0, 0.001);
}

void readWebhooks(const QJsonObject &monitor, MonitorConfig &config, JsonFieldReader &reader)
{
    const QJsonValue value = monitor.value(QLatin1String("webhooks"));
    if (value.isUndefined())
        return;
    if (!value.isArray()) {
        reader.fail(QStringLiteral("monitor.webhooks"),
                    QStringLiteral("must be an array of {\"url\", \"format\"} objects, got ") +
                        describeJsonValue(value));
        return;
    }
    const QJsonArray hooks = value.toArray();
    for (qsizetype i = 0; i < hooks.size(); ++i) {
        const QString path = QStringLiteral("monitor.webhooks[%1]").arg(i);
        if (!hooks.at(i).isObject()) {
            reader.fail(
                path, QStringLiteral("must be an object like {\"url\": \"https://...\", \"format\": \"slack\"}, got ") +
                          describeJsonValue(hooks.at(i)));
            continue;
        }
        const QJsonObject hook = hooks.at(i).toObject();
        reader.warnUnknownKeys(hook, path, {QLatin1String("url"), QLatin1String("format")});
        WebhookSpec spec;
        const QString url = reader.string(hook, path, QLatin1String("url"), QString());
        spec.url = QUrl(url, QUrl::StrictMode);
        if (!hook.contains(QLatin1String("url")))
            reader.fail(JsonFieldReader::join(path, QLatin1String("url")), QStringLiteral("is required"));
        else if (!spec.url.isValid() ||
                 (spec.url.scheme() != QLatin1String("http") && spec.url.scheme() != QLatin1String("https")) ||
                 spec.url.host().isEmpty())
            reader.fail(JsonFieldReader::join(path, QLatin1String("url")),
                        QStringLiteral("must be an http:// or https:// URL"));
        const QString format = reader.string(hook, path, QLatin1String("format"), QStringLiteral("json"));
        if (format == QLatin1String("slack"))
            spec.format = WebhookSpec::Format::Slack;
        else if (format != QLatin1String("json"))
            reader.fail(JsonFieldReader::join(path, QLatin1String("format")),
                        QStringLiteral("must be \"slack\" or \"json\", got \"%1\"").arg(format));
        config.webhooks.append(spec);
    }
}

void readAlerts(const QJsonObject &monitor, MonitorConfig &config, JsonFieldReader &reader)
{
    const QString path = QStringLiteral("monitor.alerts");
    const QJsonObject object = objectAt(monitor, QStringLiteral("monitor"), QLatin1String("alerts"), reader);
    reader.warnUnknownKeys(object, path,
                           {QLatin1String("max_per_target"), QLatin1String("per_s"), QLatin1String("max_tries"),
                            QLatin1String("retry_base_s"), QLatin1String("timeout_s")});
    AlertPolicy &a = config.alerts;
    a.maxPerTarget = int(reader.integer(object, path, QLatin1String("max_per_target"), 10, 1, 1000000));
    a.perS = reader.number(object, path, QLatin1String("per_s"), 3600.0, 0.0, 7.0 * 86400.0);
    a.maxTries = int(reader.integer(object, path, QLatin1String("max_tries"), 5, 1, 20));
    a.retryBaseS = reader.number(object, path, QLatin1String("retry_base_s"), 1.0, 0.001, 3600.0);
    a.timeoutS = reader.number(object, path, QLatin1String("timeout_s"), 10.0, 0.1, 600.0);
}

} // namespace

MonitorConfigResult parseMonitorConfig(const QJsonValue &monitor, const QString &source)
{
    MonitorConfigResult result;
    JsonFieldReader reader(source);
    MonitorConfig config;
    if (!monitor.isUndefined() && !monitor.isObject()) {
        reader.fail(QStringLiteral("monitor"), QStringLiteral("must be an object, got ") + describeJsonValue(monitor));
    } else {
        const QString path = QStringLiteral("monitor");
        const QJsonObject object = monitor.toObject();
        reader.warnUnknownKeys(object, path,
                               {QLatin1String("interval_s"), QLatin1String("prompt"), QLatin1String("max_tokens"),
                                QLatin1String("stream"), QLatin1String("timeout_s"), QLatin1String("window_s"),
                                QLatin1String("hold_evaluations"), QLatin1String("thresholds"),
                                QLatin1String("webhooks"), QLatin1String("alerts"), QLatin1String("$comment")});
        config.intervalS = reader.number(object, path, QLatin1String("interval_s"), 30.0, 1.0, 86400.0);
        config.prompt = reader.string(object, path, QLatin1String("prompt"), config.prompt);
        if (config.prompt.trimmed().isEmpty())
            reader.fail(JsonFieldReader::join(path, QLatin1String("prompt")), QStringLiteral("must not be empty"));
        config.maxTokens = int(reader.integer(object, path, QLatin1String("max_tokens"), 8, 1, 1000000));
        config.stream = reader.boolean(object, path, QLatin1String("stream"), true);
        config.timeoutS = reader.number(object, path, QLatin1String("timeout_s"), 0.0, 0.0, 3600.0);
        config.windowS = reader.number(object, path, QLatin1String("window_s"), 300.0, 1.0, 86400.0);
        config.thresholds.holdEvaluations =
            int(reader.integer(object, path, QLatin1String("hold_evaluations"), 2, 1, 1000));
        readThresholds(object, config, reader);
        readWebhooks(object, config, reader);
        readAlerts(object, config, reader);
    }
    result.errors = reader.errors();
    result.warnings = reader.warnings();
    if (reader.ok())
        result.config = config;
    return result;
}

MonitorConfigResult loadMonitorConfig(const QString &campaignPath)
{
    QFile file(campaignPath);
    if (!file.open(QIODevice::ReadOnly)) {
        MonitorConfigResult result;
        result.errors.append(campaignPath + QStringLiteral(": cannot read: ") + file.errorString());
        return result;
    }
    QString error;
    const auto root = parseJsonObjectText(file.readAll(), campaignPath, QStringLiteral("a JSON object"), &error);
    if (!root) {
        MonitorConfigResult result;
        result.errors.append(error);
        return result;
    }
    return parseMonitorConfig(root->value(QLatin1String("monitor")), campaignPath);
}

} // namespace relaybench
