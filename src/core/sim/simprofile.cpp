#include "simprofile.h"

#include "util/jsondocument.h"
#include "util/jsonfieldreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace relaybench {

namespace {

const QString shippedProfileDir = QStringLiteral(":/relaybench/profiles");

std::optional<QTime> parseClock(const QString &text)
{
    const QTime time = QTime::fromString(text.trimmed(), QStringLiteral("HH:mm"));
    return time.isValid() ? std::optional<QTime>(time) : std::nullopt;
}

SimPeakWindow readPeakWindow(const QJsonObject &object, const QString &path, JsonFieldReader &reader)
{
    reader.warnUnknownKeys(object, path,
                           {QLatin1String("start_s"), QLatin1String("duration_s"), QLatin1String("every_s"),
                            QLatin1String("utc"), QLatin1String("latency_factor"), QLatin1String("fault_factor")});
    SimPeakWindow window;
    window.latencyFactor = reader.number(object, path, QLatin1String("latency_factor"), 1.0, 0.0, 1000.0);
    window.faultFactor = reader.number(object, path, QLatin1String("fault_factor"), 1.0, 0.0, 1000.0);
    if (object.contains(QLatin1String("utc"))) {
        const QString utc = reader.string(object, path, QLatin1String("utc"), QString());
        const QStringList parts = utc.split(QLatin1Char('-'));
        const auto from = parts.size() == 2 ? parseClock(parts[0]) : std::nullopt;
        const auto to = parts.size() == 2 ? parseClock(parts[1]) : std::nullopt;
        if (!from || !to)
            reader.fail(JsonFieldReader::join(path, QLatin1String("utc")),
                        QStringLiteral("must look like \"09:00-11:30\", got \"%1\"").arg(utc));
        window.utcFrom = from;
        window.utcTo = to;
        return window;
    }
    window.startS = reader.number(object, path, QLatin1String("start_s"), 0.0, 0.0);
    window.durationS = reader.number(object, path, QLatin1String("duration_s"), 0.0, 0.0);
    window.everyS = reader.number(object, path, QLatin1String("every_s"), 0.0, 0.0);
    if (!object.contains(QLatin1String("duration_s")))
        reader.fail(path,
                    QStringLiteral("needs \"duration_s\" (with \"start_s\" and optional \"every_s\") or \"utc\""));
    else if (window.everyS > 0.0 && window.durationS > window.everyS)
        reader.fail(JsonFieldReader::join(path, QLatin1String("duration_s")),
                    QStringLiteral("must not exceed every_s (%1)").arg(window.everyS));
    return window;
}

void readFaults(const QJsonObject &profile, SimProfile &out, JsonFieldReader &reader)
{
    const QJsonValue value = profile.value(QLatin1String("faults"));
    if (value.isUndefined())
        return;
    if (!value.isObject()) {
        reader.fail(QStringLiteral("faults"), QStringLiteral("must be an object of fault name -> rate (0..1)"));
        return;
    }
    const QJsonObject faults = value.toObject();
    for (auto it = faults.constBegin(); it != faults.constEnd(); ++it) {
        const auto fault = simFaultFromName(it.key());
        if (!fault || *fault == SimFault::None) {
            QStringList names;
            for (int i = 1; i < simFaultCount; ++i)
                names.append(simFaultName(SimFault(i)));
            reader.fail(QStringLiteral("faults.") + it.key(),
                        QStringLiteral("unknown fault; known: ") + names.join(QStringLiteral(", ")));
            continue;
        }
        out.faultRates[size_t(*fault)] =
            reader.number(faults, QStringLiteral("faults"), QLatin1String(it.key().toLatin1()), 0.0, 0.0, 1.0);
    }
    if (out.totalFaultRate() > 1.0 + 1e-9)
        reader.fail(QStringLiteral("faults"),
                    QStringLiteral("rates add up to %1, must be at most 1").arg(out.totalFaultRate()));
}

} // namespace

bool SimPeakWindow::isActive(double secondsSinceStart, const QTime &utcNow) const
{
    if (utcFrom && utcTo) {
        if (*utcFrom <= *utcTo)
            return utcNow >= *utcFrom && utcNow < *utcTo;
        return utcNow >= *utcFrom || utcNow < *utcTo; // wraps past midnight
    }
    if (secondsSinceStart < startS)
        return false;
    double offset = secondsSinceStart - startS;
    if (everyS > 0.0)
        offset = std::fmod(offset, everyS);
    return offset < durationS;
}

double SimProfile::totalFaultRate() const
{
    double total = 0.0;
    for (int i = 1; i < simFaultCount; ++i)
        total += faultRates[size_t(i)];
    return total;
}

QJsonObject SimProfile::toJson() const
{
    QJsonObject faults;
    for (int i = 1; i < simFaultCount; ++i) {
        if (faultRates[size_t(i)] > 0.0)
            faults.insert(simFaultName(SimFault(i)), faultRates[size_t(i)]);
    }
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), description},
        {QStringLiteral("seed"), double(seed)},
        {QStringLiteral("headers_ms"), headersMs.toJson()},
        {QStringLiteral("ttft_ms"), ttftMs.toJson()},
        {QStringLiteral("tpot_ms"), tpotMs.toJson()},
        {QStringLiteral("completion_tokens"), completionTokens.toJson()},
        {QStringLiteral("reasoning_tokens"), reasoningTokens.toJson()},
        {QStringLiteral("tokens_per_chunk"), tokensPerChunk},
        {QStringLiteral("cached_prompt_share"), cachedPromptShare},
        {QStringLiteral("faults"), faults},
        {QStringLiteral("retry_after_s"), retryAfterS},
        {QStringLiteral("rate_limit"), QJsonObject{{QStringLiteral("requests_per_minute"), rateLimit.requestsPerMinute},
                                                   {QStringLiteral("tokens_per_minute"), rateLimit.tokensPerMinute}}},
    };
}

QString SimProfile::summary() const
{
    const auto ms = [](const Distribution &d) {
        return d.isFixed() ? QStringLiteral("%1 ms").arg(d.median())
                           : QStringLiteral("%1 ms median (p99 %2 ms)").arg(d.median()).arg(d.p99());
    };
    QString text = QStringLiteral("TTFT %1, %2 per token, about %3 tokens")
                       .arg(ms(ttftMs), ms(tpotMs))
                       .arg(qRound(completionTokens.mean()));
    if (reasoningTokens.median() > 0.0)
        text += QStringLiteral(" plus about %1 reasoning tokens").arg(qRound(reasoningTokens.mean()));
    QStringList faults;
    for (int i = 1; i < simFaultCount; ++i) {
        if (faultRates[size_t(i)] > 0.0)
            faults.append(QStringLiteral("%1 %2%").arg(simFaultName(SimFault(i))).arg(faultRates[size_t(i)] * 100.0));
    }
    text += faults.isEmpty() ? QStringLiteral("; no faults")
                             : QStringLiteral("; faults: ") + faults.join(QStringLiteral(", "));
    if (rateLimit.requestsPerMinute > 0.0 || rateLimit.tokensPerMinute > 0.0)
        text += QStringLiteral("; server limit %1 requests/min, %2 tokens/min (0 = none)")
                    .arg(rateLimit.requestsPerMinute)
                    .arg(rateLimit.tokensPerMinute);
    if (!peakWindows.isEmpty())
        text += QStringLiteral("; %1 peak window(s)").arg(peakWindows.size());
    text += apiKeys.isEmpty() ? QStringLiteral("; no API key needed") : QStringLiteral("; API key required");
    return text;
}

std::optional<SimProfile> parseSimProfile(const QByteArray &json, const QString &source, QString *error)
{
    const auto object = parseJsonObjectText(json, source, QStringLiteral("a JSON object"), error);
    if (!object)
        return std::nullopt;
    const QJsonObject &root = *object;
    JsonFieldReader reader(source);
    reader.warnUnknownKeys(root, QString(),
                           {QLatin1String("name"), QLatin1String("description"), QLatin1String("seed"),
                            QLatin1String("headers_ms"), QLatin1String("ttft_ms"), QLatin1String("tpot_ms"),
                            QLatin1String("completion_tokens"), QLatin1String("reasoning_tokens"),
                            QLatin1String("tokens_per_chunk"), QLatin1String("cached_prompt_share"),
                            QLatin1String("faults"), QLatin1String("retry_after_s"), QLatin1String("api_keys"),
                            QLatin1String("rate_limit"), QLatin1String("peak_windows"), QLatin1String("models"),
                            QLatin1String("$comment")});
    SimProfile profile;
    profile.name = reader.string(root, QString(), QLatin1String("name"), QFileInfo(source).completeBaseName());
    profile.description = reader.string(root, QString(), QLatin1String("description"), QString());
    profile.seed = quint64(reader.integer(root, QString(), QLatin1String("seed"), 1, 0));
    const auto distribution = [&](const char *key, const Distribution &fallback) {
        return Distribution::fromJson(root.value(QLatin1String(key)), QLatin1String(key), reader, fallback);
    };
    profile.headersMs = distribution("headers_ms", profile.headersMs);
    profile.ttftMs = distribution("ttft_ms", profile.ttftMs);
    profile.tpotMs = distribution("tpot_ms", profile.tpotMs);
    profile.completionTokens = distribution("completion_tokens", profile.completionTokens);
    profile.reasoningTokens = distribution("reasoning_tokens", profile.reasoningTokens);
    profile.tokensPerChunk = int(reader.integer(root, QString(), QLatin1String("tokens_per_chunk"), 1, 1, 1000));
    profile.cachedPromptShare = reader.number(root, QString(), QLatin1String("cached_prompt_share"), 0.0, 0.0, 1.0);
    profile.retryAfterS = reader.number(root, QString(), QLatin1String("retry_after_s"), 1.0, 0.0, 86400.0);
    profile.apiKeys = reader.stringList(root, QString(), QLatin1String("api_keys"));
    const QStringList models = reader.stringList(root, QString(), QLatin1String("models"));
    if (!models.isEmpty())
        profile.models = models;
    readFaults(root, profile, reader);

    const QJsonValue limit = root.value(QLatin1String("rate_limit"));
    if (limit.isObject()) {
        const QString path = QStringLiteral("rate_limit");
        reader.warnUnknownKeys(limit.toObject(), path,
                               {QLatin1String("requests_per_minute"), QLatin1String("tokens_per_minute")});
        profile.rateLimit.requestsPerMinute =
            reader.number(limit.toObject(), path, QLatin1String("requests_per_minute"), 0.0, 0.0);
        profile.rateLimit.tokensPerMinute =
            reader.number(limit.toObject(), path, QLatin1String("tokens_per_minute"), 0.0, 0.0);
    } else if (!limit.isUndefined()) {
        reader.fail(QStringLiteral("rate_limit"), QStringLiteral("must be an object"));
    }

    const QJsonValue windows = root.value(QLatin1String("peak_windows"));
    if (windows.isArray()) {
        const QJsonArray array = windows.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString path = QStringLiteral("peak_windows[%1]").arg(i);
            if (!array.at(i).isObject()) {
                reader.fail(path, QStringLiteral("must be an object"));
                continue;
            }
            profile.peakWindows.append(readPeakWindow(array.at(i).toObject(), path, reader));
        }
    } else if (!windows.isUndefined()) {
        reader.fail(QStringLiteral("peak_windows"), QStringLiteral("must be an array of windows"));
    }

    if (!reader.ok()) {
        if (error)
            *error = reader.errors().join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return profile;
}

QStringList shippedSimProfileNames()
{
    QStringList names;
    const QStringList files = QDir(shippedProfileDir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        names.append(QFileInfo(file).completeBaseName());
    return names;
}

std::optional<SimProfile> loadSimProfile(const QString &nameOrPath, QString *error)
{
    const QString shipped = shippedProfileDir + QLatin1Char('/') + nameOrPath + QStringLiteral(".json");
    const bool looksLikeName = !nameOrPath.contains(QLatin1Char('/')) && !nameOrPath.endsWith(QStringLiteral(".json"));
    const QString path = looksLikeName && QFile::exists(shipped) ? shipped : nameOrPath;
    if (looksLikeName && path != shipped && !QFile::exists(path)) {
        if (error)
            *error = QStringLiteral("profile \"%1\": no such shipped profile (known: %2) and no such file")
                         .arg(nameOrPath, shippedSimProfileNames().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    // A profile is a few hundred bytes: a device, a FIFO or a file of gigabytes is a mistake, not a profile.
    constexpr qint64 maxProfileBytes = 16 * 1024 * 1024;
    if (QFileInfo(path).exists() && !QFileInfo(path).isFile()) {
        if (error)
            *error = nameOrPath + QStringLiteral(": cannot read profile: not a regular file");
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = nameOrPath + QStringLiteral(": cannot read profile: ") + file.errorString();
        return std::nullopt;
    }
    const QByteArray bytes = file.read(maxProfileBytes + 1);
    if (bytes.size() > maxProfileBytes) {
        if (error)
            *error = nameOrPath + QStringLiteral(": cannot read profile: larger than 16 MiB");
        return std::nullopt;
    }
    const QString source = path == shipped ? nameOrPath + QStringLiteral(" (shipped profile)") : nameOrPath;
    return parseSimProfile(bytes, source, error);
}

} // namespace relaybench
