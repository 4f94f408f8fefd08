#include "campaignloader.h"

#include "pricing/pricecatalog.h"
#include "util/jsondocument.h"
#include "util/jsonfieldreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>
#include <cmath>
#include <limits>

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

// Why `messages` is not a usable messages array, or an empty string when it is. The index of a bad
// message ("[2]") is appended to `where`, so that the caller can name it in its own terms.
QString messagesProblem(const QJsonArray &messages, QString *where)
{
    if (messages.isEmpty())
        return QStringLiteral("must be a non-empty array of messages");
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonValue value = messages.at(i);
        const QJsonObject message = value.toObject();
        QString problem;
        if (!value.isObject())
            problem = QStringLiteral("must be a message object like {\"role\": \"user\", \"content\": \"...\"}, got ") +
                      describeJsonValue(value);
        else if (!message.contains(QLatin1String("role")))
            problem = QStringLiteral("needs a \"role\" (\"system\", \"user\", \"assistant\", ...)");
        else if (!message.value(QLatin1String("role")).isString())
            problem = QStringLiteral("needs a string \"role\" (\"system\", \"user\", \"assistant\", ...), got ") +
                      describeJsonValue(message.value(QLatin1String("role")));
        else if (!message.contains(QLatin1String("content")))
            problem = QStringLiteral("needs a \"content\"");
        if (!problem.isEmpty()) {
            *where += QStringLiteral("[%1]").arg(i);
            return problem;
        }
    }
    return {};
}

bool validMessages(const QJsonArray &messages, const QString &path, JsonFieldReader &reader)
{
    QString where = path;
    const QString problem = messagesProblem(messages, &where);
    if (!problem.isEmpty())
        reader.fail(where, problem);
    return problem.isEmpty();
}

// A string that must be present and not blank: one error whatever is wrong with it.
QString requiredString(const QJsonObject &object, const QString &path, QLatin1String key, const QString &what,
                       JsonFieldReader &reader)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined()) {
        reader.fail(JsonFieldReader::join(path, key), QStringLiteral("is required: ") + what);
        return {};
    }
    if (!value.isString() || value.toString().trimmed().isEmpty()) {
        reader.fail(JsonFieldReader::join(path, key),
                    QStringLiteral("must be ") + what + QStringLiteral(", got ") + describeJsonValue(value));
        return {};
    }
    return value.toString().trimmed();
}

bool isEnvironmentVariableName(const QString &name)
{
    if (name.isEmpty() || name.front().isDigit())
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
               (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_');
    });
}

// RFC 9110 field-name: a token (visible ASCII except separators).
bool isHeaderName(const QString &name)
{
    static const QString separators = QStringLiteral("\"(),/:;<=>?@[\\]{}");
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), [](QChar c) {
        return c.unicode() > 0x20 && c.unicode() < 0x7f && !separators.contains(c);
    });
}

// A header value may not break out of its line (CR, LF) or carry NUL.
bool isHeaderValue(const QString &value)
{
    return std::none_of(value.begin(), value.end(),
                        [](QChar c) { return c == QLatin1Char('\r') || c == QLatin1Char('\n') || c == QChar(0); });
}

QJsonArray userMessage(const QString &text)
{
    return QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), text}}};
}

void readHeaders(const QJsonValue &headers, const QString &path, Target &target, JsonFieldReader &reader)
{
    if (headers.isUndefined())
        return;
    if (!headers.isObject()) {
        reader.fail(path,
                    QStringLiteral("must be an object of \"Name\": \"value\", got ") + describeJsonValue(headers));
        return;
    }
    const QJsonObject h = headers.toObject();
    for (auto it = h.constBegin(); it != h.constEnd(); ++it) {
        const QString headerPath = path + QLatin1Char('.') + it.key();
        if (it.key().compare(QLatin1String("authorization"), Qt::CaseInsensitive) == 0) {
            // The value is not repeated: it is most likely a key.
            reader.fail(headerPath, QStringLiteral("keys do not belong in the campaign file: put the key in an "
                                                   "environment variable and name it in api_key_env"));
            continue;
        }
        if (!isHeaderName(it.key())) {
            reader.fail(headerPath,
                        QStringLiteral("is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~)"));
            continue;
        }
        if (!it.value().isString()) {
            reader.fail(headerPath, QStringLiteral("must be a string, got ") + describeJsonValue(it.value()));
            continue;
        }
        if (!isHeaderValue(it.value().toString())) {
            reader.fail(headerPath, QStringLiteral("must be one line: no line breaks or NUL characters"));
            continue;
        }
        target.headers.append({it.key(), it.value().toString()});
    }
}

void readPrice(const QJsonValue &price, const QString &path, Target &target, const PriceCatalog &catalog,
               JsonFieldReader &reader)
{
    if (price.isString()) {
        target.priceId = price.toString();
        const auto entry = catalog.find(target.priceId);
        if (!entry)
            reader.fail(path, QStringLiteral("unknown catalogue id \"%1\" (known: %2)")
                                  .arg(target.priceId, catalog.ids().join(QStringLiteral(", "))));
        else
            target.price = entry->price;
    } else if (price.isObject()) {
        const QJsonObject p = price.toObject();
        reader.warnUnknownKeys(p, path,
                               {QLatin1String("input"), QLatin1String("cached_input"), QLatin1String("output")});
        Price inline_;
        inline_.input = reader.number(p, path, QLatin1String("input"), 0.0, 0.0);
        inline_.output = reader.number(p, path, QLatin1String("output"), 0.0, 0.0);
        inline_.cachedInput = reader.number(p, path, QLatin1String("cached_input"), inline_.input, 0.0);
        target.price = inline_;
    } else if (!price.isUndefined() && !price.isNull()) {
        reader.fail(path, QStringLiteral("must be a catalogue id or {\"input\", \"cached_input\", \"output\"} in USD "
                                         "per million tokens, got ") +
                              describeJsonValue(price));
    }
}

void readTargets(const QJsonObject &root, Campaign &campaign, const PriceCatalog &catalog, JsonFieldReader &reader)
{
    const QJsonValue value = root.value(QLatin1String("targets"));
    if (!value.isArray() || value.toArray().isEmpty()) {
        const QString got = value.isUndefined() ? QStringLiteral("none given")
                            : value.isArray()   ? QStringLiteral("got an empty array")
                                                : QStringLiteral("got ") + describeJsonValue(value);
        reader.fail(QStringLiteral("targets"), QStringLiteral("must be a non-empty array of targets, ") + got);
        return;
    }
    QSet<QString> names;
    const QJsonArray targets = value.toArray();
    for (qsizetype i = 0; i < targets.size(); ++i) {
        const QString path = QStringLiteral("targets[%1]").arg(i);
        if (!targets.at(i).isObject()) {
            reader.fail(path, QStringLiteral("must be an object, got ") + describeJsonValue(targets.at(i)));
            continue;
        }
        const QJsonObject object = targets.at(i).toObject();
        reader.warnUnknownKeys(object, path,
                               {QLatin1String("name"), QLatin1String("base_url"), QLatin1String("model"),
                                QLatin1String("api_key_env"), QLatin1String("api_key_keychain"),
                                QLatin1String("headers"), QLatin1String("price"), QLatin1String("tls_verify")});
        Target target;
        target.name =
            requiredString(object, path, QLatin1String("name"), QStringLiteral("a short label like \"relay\""), reader);
        if (!target.name.isEmpty() && names.contains(target.name))
            reader.fail(path + QStringLiteral(".name"), QStringLiteral("\"%1\" is used twice").arg(target.name));
        names.insert(target.name);

        const QString urlHint = QStringLiteral("an http:// or https:// URL (e.g. https://api.example.com/v1) or "
                                               "sim://PROFILE");
        const QJsonValue baseUrl = object.value(QLatin1String("base_url"));
        if (baseUrl.isUndefined() || !baseUrl.isString()) {
            requiredString(object, path, QLatin1String("base_url"), urlHint, reader);
        } else {
            target.baseUrl = baseUrl.toString().trimmed();
            while (target.baseUrl.endsWith(QLatin1Char('/')))
                target.baseUrl.chop(1);
            const QUrl url(target.baseUrl, QUrl::StrictMode);
            const bool simulated = target.baseUrl.startsWith(QLatin1String("sim://")) && target.baseUrl.size() > 6;
            const bool http = url.isValid() && !url.host().isEmpty() &&
                              (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
            if (!simulated && !http)
                reader.fail(path + QStringLiteral(".base_url"), QStringLiteral("must be ") + urlHint +
                                                                    QStringLiteral(", got ") +
                                                                    describeJsonValue(baseUrl));
            else if (http && (url.hasQuery() || url.hasFragment()))
                // "/chat/completions" is appended to the base URL: it would land inside the query.
                reader.fail(path + QStringLiteral(".base_url"),
                            QStringLiteral("must not have a ?query or #fragment (\"/chat/completions\" is appended "
                                           "to it), got ") +
                                describeJsonValue(baseUrl));
            else if (http && !url.userInfo().isEmpty())
                // Not repeated: it holds a password, and the base URL is written to summary.json.
                reader.fail(path + QStringLiteral(".base_url"),
                            QStringLiteral("must not contain a user name or password: put the key in an environment "
                                           "variable and name it in api_key_env"));
        }

        target.model = requiredString(object, path, QLatin1String("model"),
                                      QStringLiteral("the model name the endpoint expects"), reader);
        const QJsonValue keyEnv = object.value(QLatin1String("api_key_env"));
        if (keyEnv.isString() && !keyEnv.toString().isEmpty() && !isEnvironmentVariableName(keyEnv.toString()))
            // Not repeated in the message: a key pasted here by mistake must not end up in a terminal or a log.
            reader.fail(path + QStringLiteral(".api_key_env"),
                        QStringLiteral("must be the name of an environment variable (letters, digits, _) that holds "
                                       "the key, not the key itself"));
        else
            target.apiKeyEnv = reader.string(object, path, QLatin1String("api_key_env"), QString());
        const QJsonValue keychain = object.value(QLatin1String("api_key_keychain"));
        if (!keychain.isUndefined() && (!keychain.isString() || keychain.toString().trimmed().isEmpty()))
            // Not repeated either, for the same reason.
            reader.fail(path + QStringLiteral(".api_key_keychain"),
                        QStringLiteral("must be the name of an entry in the system keychain (service "
                                       "\"RelayBench\") that holds the key, not the key itself"));
        else
            target.apiKeyKeychain = keychain.toString().trimmed();
        if (!keyEnv.isUndefined() && !keychain.isUndefined())
            reader.fail(path + QStringLiteral(".api_key_keychain"),
                        QStringLiteral("give either api_key_env or api_key_keychain, not both"));
        readHeaders(object.value(QLatin1String("headers")), path + QStringLiteral(".headers"), target, reader);
        readPrice(object.value(QLatin1String("price")), path + QStringLiteral(".price"), target, catalog, reader);
        target.tlsVerify = reader.boolean(object, path, QLatin1String("tls_verify"), true);
        if (!target.tlsVerify)
            // Said on every load (CLI and window): an opt-out that nobody sees would hide a real interception.
            reader.warn(path + QStringLiteral(".tls_verify"),
                        QStringLiteral("is false: TLS certificate errors of target \"%1\" are ignored; anyone on "
                                       "the path could read its key and answers. Use only for test servers.")
                            .arg(target.name));
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
        reader.fail(path + QStringLiteral(".mode"),
                    QStringLiteral("must be \"closed\" or \"open\", got \"%1\"").arg(mode));
    const bool open = load.mode == LoadSpec::Mode::Open;
    // The usual message says ">= 1"; the upper bound only matters to keep the value an int.
    constexpr qint64 maxConcurrency = 100000;
    const qint64 concurrency = reader.integer(object, path, QLatin1String("concurrency"), open ? 0 : 8, open ? 0 : 1);
    if (concurrency > maxConcurrency)
        reader.fail(path + QStringLiteral(".concurrency"),
                    QStringLiteral("must be an integer between %1 and %2, got %3")
                        .arg(open ? 0 : 1)
                        .arg(maxConcurrency)
                        .arg(concurrency));
    load.concurrency = int(std::min(concurrency, maxConcurrency));
    load.rate = reader.number(object, path, QLatin1String("rate"), 5.0, 0.001, 100000.0);
    const QString arrival = reader.string(object, path, QLatin1String("arrival"), QStringLiteral("constant"));
    if (arrival == QLatin1String("poisson"))
        load.arrival = LoadSpec::Arrival::Poisson;
    else if (arrival != QLatin1String("constant"))
        reader.fail(path + QStringLiteral(".arrival"),
                    QStringLiteral("must be \"constant\" or \"poisson\", got \"%1\"").arg(arrival));
    const qsizetype errorsBefore = reader.errors().size();
    load.requests = reader.integer(object, path, QLatin1String("requests"), 100, 0, 100000000);
    load.durationS = reader.number(object, path, QLatin1String("duration_s"), 0.0, 0.0, 30.0 * 86400.0);
    // Only when both were read: a bad duration_s next to "requests": 0 is one mistake, not two.
    if (reader.errors().size() == errorsBefore && load.requests == 0 && load.durationS == 0.0)
        reader.fail(path, QStringLiteral("needs \"requests\" > 0 or \"duration_s\" > 0 (or both): a run must end"));
    load.warmupRequests = reader.integer(object, path, QLatin1String("warmup_requests"), 0, 0, 1000000);
    load.rampUpS = reader.number(object, path, QLatin1String("ramp_up_s"), 0.0, 0.0, 86400.0);
}

void readRequest(const QJsonObject &root, RequestSpec &request, const QString &baseDir, JsonFieldReader &reader)
{
    const QString path = QStringLiteral("request");
    const QJsonObject object = objectAt(root, QLatin1String("request"), reader);
    reader.warnUnknownKeys(object, path,
                           {QLatin1String("messages"), QLatin1String("prompts"), QLatin1String("prompts_file"),
                            QLatin1String("max_tokens"), QLatin1String("temperature"), QLatin1String("stream"),
                            QLatin1String("include_usage"), QLatin1String("extra_body")});
    const int sources = int(object.contains(QLatin1String("messages"))) +
                        int(object.contains(QLatin1String("prompts"))) +
                        int(object.contains(QLatin1String("prompts_file")));
    if (sources > 1)
        reader.fail(path, QStringLiteral("give one of \"messages\", \"prompts\" or \"prompts_file\", not several"));
    if (object.contains(QLatin1String("messages"))) {
        const QJsonValue messages = object.value(QLatin1String("messages"));
        if (!messages.isArray())
            reader.fail(path + QStringLiteral(".messages"),
                        QStringLiteral("must be an array of messages, got ") + describeJsonValue(messages));
        else if (validMessages(messages.toArray(), path + QStringLiteral(".messages"), reader))
            request.conversations.append(messages.toArray());
    } else if (object.contains(QLatin1String("prompts"))) {
        const QJsonValue prompts = object.value(QLatin1String("prompts"));
        if (prompts.isArray() && prompts.toArray().isEmpty())
            reader.fail(path + QStringLiteral(".prompts"), QStringLiteral("must be a non-empty array of strings"));
        for (const QString &prompt : reader.stringList(object, path, QLatin1String("prompts")))
            request.conversations.append(userMessage(prompt));
    } else if (object.contains(QLatin1String("prompts_file"))) {
        const QJsonValue file = object.value(QLatin1String("prompts_file"));
        if (!file.isString() || file.toString().isEmpty()) {
            reader.fail(path + QStringLiteral(".prompts_file"),
                        QStringLiteral("must be the path of a JSONL file (relative to the campaign file), got ") +
                            describeJsonValue(file));
        } else {
            QStringList errors;
            if (const auto conversations = loadPromptsFile(QDir(baseDir).filePath(file.toString()), &errors))
                request.conversations = *conversations;
            for (const QString &error : errors)
                reader.fail(path + QStringLiteral(".prompts_file"), error);
        }
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
        reader.fail(path + QStringLiteral(".extra_body"),
                    QStringLiteral("must be an object (merged into the request body), got ") +
                        describeJsonValue(extra));
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
        const QString path = QStringLiteral("limits");
        const QJsonObject object = objectAt(root, QLatin1String("limits"), reader);
        reader.warnUnknownKeys(object, path,
                               {QLatin1String("max_response_bytes"), QLatin1String("max_sse_line_bytes")});
        // No "0 = off" here: a cap that can be switched off is no protection against a hostile server.
        constexpr qint64 minimum = 1024;
        constexpr qint64 maximum = qint64(16) * 1024 * 1024 * 1024;
        campaign.limits.maxResponseBytes = reader.integer(object, path, QLatin1String("max_response_bytes"),
                                                          LimitsSpec::defaultMaxResponseBytes, minimum, maximum);
        campaign.limits.maxSseLineBytes = reader.integer(object, path, QLatin1String("max_sse_line_bytes"),
                                                         LimitsSpec::defaultMaxSseLineBytes, minimum, maximum);
    }
    {
        const QString path = QStringLiteral("retry");
        const QJsonObject object = objectAt(root, QLatin1String("retry"), reader);
        reader.warnUnknownKeys(object, path,
                               {QLatin1String("max_attempts"), QLatin1String("base_delay_s"),
                                QLatin1String("max_delay_s"), QLatin1String("jitter"),
                                QLatin1String("respect_retry_after"), QLatin1String("on")});
        RetrySpec &retry = campaign.retry;
        retry.maxAttempts = int(reader.integer(object, path, QLatin1String("max_attempts"), 1, 1, 100));
        const qsizetype errorsBefore = reader.errors().size();
        retry.baseDelayS = reader.number(object, path, QLatin1String("base_delay_s"), 0.5, 0.0, 3600.0);
        retry.maxDelayS = reader.number(object, path, QLatin1String("max_delay_s"), 30.0, 0.0, 86400.0);
        if (reader.errors().size() == errorsBefore && retry.maxDelayS < retry.baseDelayS) {
            if (object.contains(QLatin1String("max_delay_s")))
                reader.fail(
                    path + QStringLiteral(".max_delay_s"),
                    QStringLiteral("must be >= base_delay_s (%1), got %2").arg(retry.baseDelayS).arg(retry.maxDelayS));
            else
                reader.fail(
                    path + QStringLiteral(".base_delay_s"),
                    QStringLiteral("must be <= max_delay_s (%1 by default; set max_delay_s to raise it), got %2")
                        .arg(retry.maxDelayS)
                        .arg(retry.baseDelayS));
        }
        retry.jitter = reader.number(object, path, QLatin1String("jitter"), 0.2, 0.0, 1.0);
        retry.respectRetryAfter = reader.boolean(object, path, QLatin1String("respect_retry_after"), true);
        const QJsonValue on = object.value(QLatin1String("on"));
        if (!on.isUndefined() && !on.isArray()) {
            reader.fail(path + QStringLiteral(".on"),
                        QStringLiteral("must be an array of outcome names, got ") + describeJsonValue(on));
        } else if (on.isArray()) {
            retry.on.clear();
            const QJsonArray names = on.toArray();
            for (qsizetype i = 0; i < names.size(); ++i) {
                const QByteArray latin = names.at(i).toString().toLatin1();
                const auto outcome = outcomeFromName(QLatin1String(latin));
                const bool retryable = names.at(i).isString() && outcome && *outcome != Outcome::Ok &&
                                       *outcome != Outcome::Cancelled && *outcome != Outcome::CircuitOpen &&
                                       *outcome != Outcome::BudgetStopped;
                if (!retryable)
                    reader.fail(path + QStringLiteral(".on[%1]").arg(i),
                                QStringLiteral("must be a retryable outcome (rate_limited, auth_error, client_error, "
                                               "server_error, timeout, stalled, network_error, stream_error, "
                                               "invalid_response), got ") +
                                    describeJsonValue(names.at(i)));
                else if (!retry.on.contains(*outcome))
                    retry.on.append(*outcome);
            }
        }
    }
    {
        const QString path = QStringLiteral("rate_limit");
        const QJsonObject object = objectAt(root, QLatin1String("rate_limit"), reader);
        reader.warnUnknownKeys(object, path,
                               {QLatin1String("requests_per_minute"), QLatin1String("tokens_per_minute")});
        campaign.rateLimit.requestsPerMinute =
            reader.number(object, path, QLatin1String("requests_per_minute"), 0.0, 0.0, 1e9);
        campaign.rateLimit.tokensPerMinute =
            reader.number(object, path, QLatin1String("tokens_per_minute"), 0.0, 0.0, 1e12);
    }
    {
        const QString path = QStringLiteral("circuit_breaker");
        const QJsonObject object = objectAt(root, QLatin1String("circuit_breaker"), reader);
        reader.warnUnknownKeys(object, path, {QLatin1String("failure_threshold"), QLatin1String("cooldown_s")});
        campaign.circuitBreaker.failureThreshold =
            int(reader.integer(object, path, QLatin1String("failure_threshold"), 0, 0, 1000000));
        campaign.circuitBreaker.cooldownS =
            reader.number(object, path, QLatin1String("cooldown_s"), 30.0, 0.001, 86400.0);
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
        reader.warnUnknownKeys(
            object, path,
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
    // A FIFO or a device (/dev/zero) would never end, and a file of gigabytes would be held whole.
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        errors->append(path + QStringLiteral(": not a regular file"));
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors->append(path + QStringLiteral(": cannot read: ") + file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.read(maxPromptsFileBytes + 1);
    if (bytes.size() > maxPromptsFileBytes) {
        errors->append(path + QStringLiteral(": larger than %1 MiB, the most a prompts file may hold")
                                  .arg(maxPromptsFileBytes / (1024 * 1024)));
        return std::nullopt;
    }
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString text = utf8(bytes);
    if (utf8.hasError()) {
        errors->append(path + QStringLiteral(": not valid UTF-8 text"));
        return std::nullopt;
    }
    QList<QJsonArray> conversations;
    const QStringList lines = text.split(QLatin1Char('\n'));
    constexpr qsizetype maxListed = 10; // a file in the wrong format should not bury the terminal
    const qsizetype errorsBefore = errors->size();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const QString where = path + QStringLiteral(": line %1").arg(i + 1);
        QJsonParseError parseError;
        // Wrapped in [ ] so that a bare JSON string is a valid document too.
        const QJsonDocument doc = QJsonDocument::fromJson("[" + line.toUtf8() + "]", &parseError);
        if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
            errors->append(where + QStringLiteral(": not valid JSON (") +
                           (parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                         : QStringLiteral("more than one value")) +
                           QStringLiteral("); each line must be {\"messages\": [...]} or a JSON string"));
            continue;
        }
        const QJsonValue value = doc.array().first();
        if (value.isString()) {
            conversations.append(userMessage(value.toString()));
            continue;
        }
        const QJsonValue messages = value.toObject().value(QLatin1String("messages"));
        if (!value.isObject() || !messages.isArray()) {
            errors->append(where + QStringLiteral(": must be {\"messages\": [...]} or a JSON string, got ") +
                           (value.isObject() ? QStringLiteral("an object without a \"messages\" array")
                                             : describeJsonValue(value)));
            continue;
        }
        QString messagesWhere = QStringLiteral("messages");
        const QString problem = messagesProblem(messages.toArray(), &messagesWhere);
        if (!problem.isEmpty()) {
            errors->append(where + QStringLiteral(": ") + messagesWhere + QStringLiteral(": ") + problem);
            continue;
        }
        conversations.append(messages.toArray());
    }
    if (errors->size() - errorsBefore > maxListed) {
        const qsizetype more = errors->size() - errorsBefore - maxListed;
        errors->erase(errors->begin() + errorsBefore + maxListed, errors->end());
        errors->append(path + QStringLiteral(": %1 more bad lines not listed").arg(more));
    }
    if (conversations.isEmpty() && errors->size() == errorsBefore)
        errors->append(path + QStringLiteral(": no prompts in the file"));
    if (errors->size() > errorsBefore)
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
        result.fieldErrors.append({QString(), doc ? QStringLiteral("must be a JSON object") : error});
        return result;
    }
    const QJsonObject root = doc->object();
    JsonFieldReader reader(source);
    reader.warnUnknownKeys(root, QString(),
                           {QLatin1String("name"), QLatin1String("targets"), QLatin1String("load"),
                            QLatin1String("request"), QLatin1String("timeouts"), QLatin1String("limits"),
                            QLatin1String("retry"), QLatin1String("rate_limit"), QLatin1String("circuit_breaker"),
                            QLatin1String("budget"), QLatin1String("slo"), QLatin1String("monitor"),
                            QLatin1String("$comment")});
    Campaign campaign;
    campaign.sourcePath = source;
    campaign.name = reader.string(root, QString(), QLatin1String("name"), QFileInfo(source).completeBaseName());
    readTargets(root, campaign, catalog, reader);
    readLoad(root, campaign.load, reader);
    readRequest(root, campaign.request, baseDir, reader);
    readResilience(root, campaign, reader);
    result.errors = reader.errors();
    result.warnings = reader.warnings();
    result.fieldErrors = reader.fieldErrors();
    if (reader.ok())
        result.campaign = campaign;
    return result;
}

CampaignLoadResult loadCampaignFile(const QString &path, const PriceCatalog &catalog)
{
    const auto refuse = [&path](const QString &problem) {
        CampaignLoadResult result;
        result.errors.append(path + QStringLiteral(": ") + problem);
        result.fieldErrors.append({QString(), problem});
        return result;
    };
    const QFileInfo info(path);
    if (info.exists() && !info.isFile())
        return refuse(QStringLiteral("not a regular file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(QStringLiteral("cannot read: ") + file.errorString());
    const QByteArray bytes = file.read(maxCampaignFileBytes + 1);
    if (bytes.size() > maxCampaignFileBytes)
        return refuse(QStringLiteral("larger than %1 MiB, the most a campaign file may hold")
                          .arg(maxCampaignFileBytes / (1024 * 1024)));
    return parseCampaign(bytes, path, info.absolutePath(), catalog);
}

} // namespace relaybench
