#include "campaignloader.h"

#include "pricing/pricecatalog.h"
#include "util/jsondocument.h"
#include "util/jsonfieldreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QStringDecoder>

namespace relaybench {

namespace {

QJsonObject objectAt(const QJsonObject &root, QLatin1String key, JsonFieldReader &reader)
{
    const QJsonValue value = root.value(key);
    if (value.isUndefined())
        return {};
    if (!value.isObject()) {
        reader.fail(QString(key), QStringLiteral("must be an object, got ") + describeJsonValue(value));
        return {};
    }
    return value.toObject();
}

bool validMessages(const QJsonArray &messages, const QString &path, JsonFieldReader &reader)
{
    if (messages.isEmpty()) {
        reader.fail(path, QStringLiteral("must be a non-empty array of messages"));
        return false;
    }
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject message = messages.at(i).toObject();
        if (!messages.at(i).isObject() || !message.value(QLatin1String("role")).isString()) {
            reader.fail(path + QStringLiteral("[%1]").arg(i),
                        QStringLiteral("must be an object with a string \"role\" and a \"content\""));
            return false;
        }
    }
    return true;
}

QJsonArray userMessage(const QString &text)
{
    return QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), text}}};
}

void readTargets(const QJsonObject &root, Campaign &campaign, const PriceCatalog &catalog, JsonFieldReader &reader)
{
    const QJsonValue value = root.value(QLatin1String("targets"));
    if (!value.isArray() || value.toArray().isEmpty()) {
        reader.fail(QStringLiteral("targets"), QStringLiteral("must be a non-empty array of targets, got ") +
                                                   describeJsonValue(value));
        return;
    }
    QSet<QString> names;
    const QJsonArray targets = value.toArray();
    for (qsizetype i = 0; i < targets.size(); ++i) {
        const QString path = QStringLiteral("targets[%1]").arg(i);
        if (!targets.at(i).isObject()) {
            reader.fail(path, QStringLiteral("must be an object"));
            continue;
        }
        const QJsonObject object = targets.at(i).toObject();
        reader.warnUnknownKeys(object, path,
                               {QLatin1String("name"), QLatin1String("base_url"), QLatin1String("model"),
                                QLatin1String("api_key_env"), QLatin1String("headers"), QLatin1String("price")});
        Target target;
        target.name = reader.string(object, path, QLatin1String("name"), QString()).trimmed();
        if (target.name.isEmpty())
            reader.fail(path + QStringLiteral(".name"), QStringLiteral("is required (a short label like \"relay\")"));
        else if (names.contains(target.name))
            reader.fail(path + QStringLiteral(".name"), QStringLiteral("\"%1\" is used twice").arg(target.name));
        names.insert(target.name);
        target.baseUrl = reader.string(object, path, QLatin1String("base_url"), QString()).trimmed();
        while (target.baseUrl.endsWith(QLatin1Char('/')))
            target.baseUrl.chop(1);
        const QUrl url(target.baseUrl);
        const bool simulated = target.baseUrl.startsWith(QLatin1String("sim://")) && target.baseUrl.size() > 6;
        const bool http = url.isValid() && !url.host().isEmpty() &&
                          (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
        if (!simulated && !http)
            reader.fail(path + QStringLiteral(".base_url"),
                        QStringLiteral("must be an http:// or https:// URL (e.g. https://api.example.com/v1) or "
                                       "sim://PROFILE, got \"%1\"")
                            .arg(target.baseUrl));
        target.model = reader.string(object, path, QLatin1String("model"), QString());
        if (target.model.isEmpty())
            reader.fail(path + QStringLiteral(".model"), QStringLiteral("is required"));
        target.apiKeyEnv = reader.string(object, path, QLatin1String("api_key_env"), QString());
        const QJsonValue headers = object.value(QLatin1String("headers"));
        if (headers.isObject()) {
            const QJsonObject h = headers.toObject();
            for (auto it = h.constBegin(); it != h.constEnd(); ++it) {
                if (!it.value().isString()) {
                    reader.fail(path + QStringLiteral(".headers.") + it.key(), QStringLiteral("must be a string"));
                    continue;
                }
                if (it.key().compare(QLatin1String("authorization"), Qt::CaseInsensitive) == 0) {
                    reader.fail(path + QStringLiteral(".headers.") + it.key(),
                                QStringLiteral("put keys in an environment variable named by api_key_env, "
                                               "never in the campaign file"));
                    continue;
                }
                target.headers.append({it.key(), it.value().toString()});
            }
        } else if (!headers.isUndefined()) {
            reader.fail(path + QStringLiteral(".headers"), QStringLiteral("must be an object of name: value"));
        }
        const QJsonValue price = object.value(QLatin1String("price"));
        if (price.isString()) {
            target.priceId = price.toString();
            const auto entry = catalog.find(target.priceId);
            if (!entry)
                reader.fail(path + QStringLiteral(".price"),
                            QStringLiteral("unknown catalogue id \"%1\" (known: %2)")
                                .arg(target.priceId, catalog.ids().join(QStringLiteral(", "))));
            else
                target.price = entry->price;
        } else if (price.isObject()) {
            const QJsonObject p = price.toObject();
            const QString pricePath = path + QStringLiteral(".price");
            reader.warnUnknownKeys(p, pricePath,
                                   {QLatin1String("input"), QLatin1String("cached_input"), QLatin1String("output")});
            Price inline_;
            inline_.input = reader.number(p, pricePath, QLatin1String("input"), 0.0, 0.0);
            inline_.output = reader.number(p, pricePath, QLatin1String("output"), 0.0, 0.0);
            inline_.cachedInput = reader.number(p, pricePath, QLatin1String("cached_input"), inline_.input, 0.0);
            target.price = inline_;
        } else if (!price.isUndefined() && !price.isNull()) {
            reader.fail(path + QStringLiteral(".price"),
                        QStringLiteral("must be a catalogue id or {\"input\", \"cached_input\", \"output\"} in USD "
                                       "per million tokens"));
        }
        campaign.targets.append(target);
    }
}

void readLoad(const QJsonObject &root, LoadSpec &load, JsonFieldReader &reader)
{
    const QString path = QStringLiteral("load");
    const QJsonObject object = objectAt(root, QLatin1String("load"), reader);
    reader.warnUnknownKeys(object, path,
                           {QLatin1String("mode"), QLatin1String("concurrency"), QLatin1String("rate"),
                            QLatin1String("arrival"), QLatin1String("requests"), QLatin1String("duration_s"),
                            QLatin1String("warmup_requests"), QLatin1String("ramp_up_s")});
    const QString mode = reader.string(object, path, QLatin1String("mode"), QStringLiteral("closed"));
    if (mode == QLatin1String("open"))
        load.mode = LoadSpec::Mode::Open;
    else if (mode != QLatin1String("closed"))
        reader.fail(path + QStringLiteral(".mode"), QStringLiteral("must be \"closed\" or \"open\", got \"%1\"").arg(mode));
    const bool open = load.mode == LoadSpec::Mode::Open;
    load.concurrency = int(reader.integer(object, path, QLatin1String("concurrency"), open ? 0 : 8, open ? 0 : 1));
    load.rate = reader.number(object, path, QLatin1String("rate"), 5.0, 0.001, 100000.0);
    const QString arrival = reader.string(object, path, QLatin1String("arrival"), QStringLiteral("constant"));
    if (arrival == QLatin1String("poisson"))
        load.arrival = LoadSpec::Arrival::Poisson;
    else if (arrival != QLatin1String("constant"))
        reader.fail(path + QStringLiteral(".arrival"),
                    QStringLiteral("must be \"constant\" or \"poisson\", got \"%1\"").arg(arrival));
    load.requests = reader.integer(object, path, QLatin1String("requests"), 100, 0, 100000000);
    load.durationS = reader.number(object, path, QLatin1String("duration_s"), 0.0, 0.0, 30.0 * 86400.0);
    load.warmupRequests = reader.integer(object, path, QLatin1String("warmup_requests"), 0, 0, 1000000);
    load.rampUpS = reader.number(object, path, QLatin1String("ramp_up_s"), 0.0, 0.0, 86400.0);
    if (load.requests == 0 && load.durationS == 0.0)
        reader.fail(path, QStringLiteral("needs \"requests\" or \"duration_s\" (or both): a run must end"));
}

void readRequest(const QJsonObject &root, RequestSpec &request, const QString &baseDir, JsonFieldReader &reader)
{
    const QString path = QStringLiteral("request");
    const QJsonObject object = objectAt(root, QLatin1String("request"), reader);
    reader.warnUnknownKeys(object, path,
                           {QLatin1String("messages"), QLatin1String("prompts"), QLatin1String("prompts_file"),
                            QLatin1String("max_tokens"), QLatin1String("temperature"), QLatin1String("stream"),
                            QLatin1String("include_usage"), QLatin1String("extra_body")});
    const int sources = int(object.contains(QLatin1String("messages"))) + int(object.contains(QLatin1String("prompts"))) +
                        int(object.contains(QLatin1String("prompts_file")));
    if (sources > 1)
        reader.fail(path, QStringLiteral("give one of \"messages\", \"prompts\" or \"prompts_file\", not several"));
    if (object.contains(QLatin1String("messages"))) {
        const QJsonValue messages = object.value(QLatin1String("messages"));
        if (!messages.isArray())
            reader.fail(path + QStringLiteral(".messages"), QStringLiteral("must be an array of messages"));
        else if (validMessages(messages.toArray(), path + QStringLiteral(".messages"), reader))
            request.conversations.append(messages.toArray());
    } else if (object.contains(QLatin1String("prompts"))) {
        const QStringList prompts = reader.stringList(object, path, QLatin1String("prompts"));
        if (prompts.isEmpty() && reader.ok())
            reader.fail(path + QStringLiteral(".prompts"), QStringLiteral("must not be empty"));
        for (const QString &prompt : prompts)
            request.conversations.append(userMessage(prompt));
    } else if (object.contains(QLatin1String("prompts_file"))) {
        const QString file = reader.string(object, path, QLatin1String("prompts_file"), QString());
        const QString resolved = QDir(baseDir).filePath(file);
        QStringList errors;
        if (const auto conversations = loadPromptsFile(resolved, &errors))
            request.conversations = *conversations;
        for (const QString &error : errors)
            reader.fail(path + QStringLiteral(".prompts_file"), error);
    } else {
        request.conversations.append(userMessage(QStringLiteral("Reply with one short sentence about latency.")));
    }
    request.maxTokens = int(reader.integer(object, path, QLatin1String("max_tokens"), 256, 1, 10000000));
    const QJsonValue temperature = object.value(QLatin1String("temperature"));
    if (temperature.isNull())
        request.temperature.reset();
    else
        request.temperature = reader.number(object, path, QLatin1String("temperature"), 0.7, 0.0, 2.0);
    request.stream = reader.boolean(object, path, QLatin1String("stream"), true);
    request.includeUsage = reader.boolean(object, path, QLatin1String("include_usage"), true);
    const QJsonValue extra = object.value(QLatin1String("extra_body"));
    if (extra.isObject())
        request.extraBody = extra.toObject();
    else if (!extra.isUndefined())
        reader.fail(path + QStringLiteral(".extra_body"), QStringLiteral("must be an object merged into the body"));
}

void readResilience(const QJsonObject &root, Campaign &campaign, JsonFieldReader &reader)
{
    {
        const QString path = QStringLiteral("timeouts");
        const QJsonObject object = objectAt(root, QLatin1String("timeouts"), reader);
        reader.warnUnknownKeys(object, path, {QLatin1String("total_s"), QLatin1String("stall_s")});
        campaign.timeouts.totalS = reader.number(object, path, QLatin1String("total_s"), 60.0, 0.001, 86400.0);
        campaign.timeouts.stallS = reader.number(object, path, QLatin1String("stall_s"), 0.0, 0.0, 86400.0);
    }
    {
        const QString path = QStringLiteral("retry");
        const QJsonObject object = objectAt(root, QLatin1String("retry"), reader);
        reader.warnUnknownKeys(object, path,
                               {QLatin1String("max_attempts"), QLatin1String("base_delay_s"), QLatin1String("max_delay_s"),
                                QLatin1String("jitter"), QLatin1String("respect_retry_after"), QLatin1String("on")});
        RetrySpec &retry = campaign.retry;
        retry.maxAttempts = int(reader.integer(object, path, QLatin1String("max_attempts"), 1, 1, 100));
        retry.baseDelayS = reader.number(object, path, QLatin1String("base_delay_s"), 0.5, 0.0, 3600.0);
        retry.maxDelayS = reader.number(object, path, QLatin1String("max_delay_s"), 30.0, 0.0, 86400.0);
        if (retry.maxDelayS < retry.baseDelayS)
            reader.fail(path + QStringLiteral(".max_delay_s"),
                        QStringLiteral("must be >= base_delay_s (%1), got %2").arg(retry.baseDelayS).arg(retry.maxDelayS));
        retry.jitter = reader.number(object, path, QLatin1String("jitter"), 0.2, 0.0, 1.0);
        retry.respectRetryAfter = reader.boolean(object, path, QLatin1String("respect_retry_after"), true);
        if (object.contains(QLatin1String("on"))) {
            retry.on.clear();
            const QStringList names = reader.stringList(object, path, QLatin1String("on"));
            for (const QString &name : names) {
                const QByteArray latin = name.toLatin1();
                const auto outcome = outcomeFromName(QLatin1String(latin));
                const bool retryable = outcome && *outcome != Outcome::Ok && *outcome != Outcome::Cancelled &&
                                       *outcome != Outcome::CircuitOpen && *outcome != Outcome::BudgetStopped;
                if (!retryable)
                    reader.fail(path + QStringLiteral(".on"),
                                QStringLiteral("\"%1\" is not a retryable outcome (use rate_limited, auth_error, "
                                               "client_error, server_error, timeout, stalled, network_error, "
                                               "stream_error, invalid_response)")
                                    .arg(name));
                else
                    retry.on.append(*outcome);
            }
        }
    }
    {
        const QString path = QStringLiteral("rate_limit");
        const QJsonObject object = objectAt(root, QLatin1String("rate_limit"), reader);
        reader.warnUnknownKeys(object, path, {QLatin1String("requests_per_minute"), QLatin1String("tokens_per_minute")});
        campaign.rateLimit.requestsPerMinute =
            reader.number(object, path, QLatin1String("requests_per_minute"), 0.0, 0.0, 1e9);
        campaign.rateLimit.tokensPerMinute = reader.number(object, path, QLatin1String("tokens_per_minute"), 0.0, 0.0, 1e12);
    }
    {
        const QString path = QStringLiteral("circuit_breaker");
        const QJsonObject object = objectAt(root, QLatin1String("circuit_breaker"), reader);
        reader.warnUnknownKeys(object, path, {QLatin1String("failure_threshold"), QLatin1String("cooldown_s")});
        campaign.circuitBreaker.failureThreshold =
            int(reader.integer(object, path, QLatin1String("failure_threshold"), 0, 0, 1000000));
        campaign.circuitBreaker.cooldownS = reader.number(object, path, QLatin1String("cooldown_s"), 30.0, 0.001, 86400.0);
    }
    {
        const QString path = QStringLiteral("budget");
        const QJsonObject object = objectAt(root, QLatin1String("budget"), reader);
        reader.warnUnknownKeys(object, path, {QLatin1String("max_cost_usd")});
        campaign.maxCostUsd = reader.number(object, path, QLatin1String("max_cost_usd"), 0.0, 0.0, 1e9);
    }
    {
        const QString path = QStringLiteral("slo");
        const QJsonObject object = objectAt(root, QLatin1String("slo"), reader);
        reader.warnUnknownKeys(object, path,
                               {QLatin1String("success_rate"), QLatin1String("latency_p95_ms"), QLatin1String("ttft_p95_ms")});
        if (object.contains(QLatin1String("success_rate")))
            campaign.slo.successRate = reader.number(object, path, QLatin1String("success_rate"), 0.0, 0.0, 1.0);
        if (object.contains(QLatin1String("latency_p95_ms")))
            campaign.slo.latencyP95Ms = reader.number(object, path, QLatin1String("latency_p95_ms"), 0.0, 0.0);
        if (object.contains(QLatin1String("ttft_p95_ms")))
            campaign.slo.ttftP95Ms = reader.number(object, path, QLatin1String("ttft_p95_ms"), 0.0, 0.0);
    }
}

} // namespace

std::optional<QList<QJsonArray>> loadPromptsFile(const QString &path, QStringList *errors)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors->append(path + QStringLiteral(": cannot read: ") + file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString text = utf8(bytes);
    if (utf8.hasError()) {
        errors->append(path + QStringLiteral(": not valid UTF-8 text"));
        return std::nullopt;
    }
    QList<QJsonArray> conversations;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const QString where = path + QStringLiteral(": line %1").arg(i + 1);
        QJsonParseError parseError;
        // Wrapped in [ ] so that a bare JSON string is a valid document too.
        const QJsonDocument doc = QJsonDocument::fromJson("[" + line.toUtf8() + "]", &parseError);
        if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
            errors->append(where + QStringLiteral(": not a JSON object or string"));
            continue;
        }
        const QJsonValue value = doc.array().first();
        if (value.isString()) {
            conversations.append(userMessage(value.toString()));
            continue;
        }
        const QJsonArray messages = value.toObject().value(QLatin1String("messages")).toArray();
        if (!value.isObject() || messages.isEmpty()) {
            errors->append(where + QStringLiteral(": needs {\"messages\": [...]} or a JSON string"));
            continue;
        }
        conversations.append(messages);
    }
    if (conversations.isEmpty() && errors->isEmpty())
        errors->append(path + QStringLiteral(": no prompts in the file"));
    if (!errors->isEmpty())
        return std::nullopt;
    return conversations;
}

CampaignLoadResult parseCampaign(const QByteArray &json, const QString &source, const QString &baseDir,
                                 const PriceCatalog &catalog)
{
    CampaignLoadResult result;
    QString error;
    const auto doc = parseJsonText(json, source, &error);
    if (!doc || !doc->isObject()) {
        result.errors.append(doc ? source + QStringLiteral(": must be a JSON object") : error);
        return result;
    }
    const QJsonObject root = doc->object();
    JsonFieldReader reader(source);
    reader.warnUnknownKeys(root, QString(),
                           {QLatin1String("name"), QLatin1String("targets"), QLatin1String("load"),
                            QLatin1String("request"), QLatin1String("timeouts"), QLatin1String("retry"),
                            QLatin1String("rate_limit"), QLatin1String("circuit_breaker"), QLatin1String("budget"),
                            QLatin1String("slo"), QLatin1String("$comment")});
    Campaign campaign;
    campaign.sourcePath = source;
    campaign.name = reader.string(root, QString(), QLatin1String("name"), QFileInfo(source).completeBaseName());
    readTargets(root, campaign, catalog, reader);
    readLoad(root, campaign.load, reader);
    readRequest(root, campaign.request, baseDir, reader);
    readResilience(root, campaign, reader);
    result.errors = reader.errors();
    result.warnings = reader.warnings();
    if (reader.ok())
        result.campaign = campaign;
    return result;
}

CampaignLoadResult loadCampaignFile(const QString &path, const PriceCatalog &catalog)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        CampaignLoadResult result;
        result.errors.append(path + QStringLiteral(": cannot read: ") + file.errorString());
        return result;
    }
    return parseCampaign(file.readAll(), path, QFileInfo(path).absolutePath(), catalog);
}

} // namespace relaybench
