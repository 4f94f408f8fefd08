#include "runcomparison.h"

#include <QJsonArray>

#include <cmath>
#include <limits>
#include <map>

namespace relaybench {

namespace {

// Below this many samples in either run no figure is trusted: one slow request moves a median of 9.
constexpr qint64 minimumSamples = 10;
// Two-sided 95%: a success-rate change with |z| under this is within the sampling noise.
constexpr double zCritical = 1.96;

const QLatin1String latencyGroups[] = {QLatin1String("latency_ms"), QLatin1String("response_time_ms"),
                                       QLatin1String("ttfb_ms"),    QLatin1String("ttft_ms"),
                                       QLatin1String("tpot_ms"),    QLatin1String("itl_ms")};

// "latency_ms.p95" -> value: every number in a summary target, however deep, by its dotted path.
void flatten(const QJsonObject &object, const QString &prefix, std::map<QString, double> *out)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isDouble())
            (*out)[key] = it.value().toDouble();
        else if (it.value().isObject())
            flatten(it.value().toObject(), key, out);
    }
}

QJsonObject targetNamed(const QJsonArray &targets, const QString &name)
{
    for (const QJsonValue &value : targets) {
        if (value.toObject().value(QLatin1String("name")).toString() == name)
            return value.toObject();
    }
    return {};
}

qint64 count(const std::map<QString, double> &metrics, const QString &key)
{
    const auto it = metrics.find(key);
    return it == metrics.end() ? 0 : qint64(it->second);
}

// The headline metrics first, in this order (the regression view's rows); the rest follow alphabetically.
int rank(const QString &metric)
{
    static const QStringList headline = {
        QStringLiteral("success_rate"),
        QStringLiteral("latency_ms.p50"),
        QStringLiteral("latency_ms.p95"),
        QStringLiteral("latency_ms.p99"),
        QStringLiteral("ttft_ms.p50"),
        QStringLiteral("ttft_ms.p95"),
        QStringLiteral("ttft_ms.p99"),
        QStringLiteral("throughput.requests_per_s"),
        QStringLiteral("throughput.output_tokens_per_s"),
        QStringLiteral("cost_usd"),
    };
    const qsizetype index = headline.indexOf(metric);
    return index < 0 ? int(headline.size()) : int(index);
}

// Sets unit, direction and the too-few-samples flag of one metric from both runs' figures.
void classify(MetricChange *change, const std::map<QString, double> &before, const std::map<QString, double> &after)
{
    const QString &metric = change->metric;
    const QString group = metric.section(QLatin1Char('.'), 0, 0);
    const QString leaf = metric.section(QLatin1Char('.'), -1);
    const auto flag = [change](const QString &why) {
        change->tooFewSamples = true;
        change->why = why;
    };
    const qint64 requestsBefore = count(before, QStringLiteral("requests"));
    const qint64 requestsAfter = count(after, QStringLiteral("requests"));

    if (metric == QLatin1String("success_rate")) {
        change->unit = QStringLiteral("%");
        change->lowerIsBetter = false;
        const double n1 = double(requestsBefore);
        const double n2 = double(requestsAfter);
        if (requestsBefore < minimumSamples || requestsAfter < minimumSamples) {
            flag(QStringLiteral("fewer than %1 requests in a run").arg(minimumSamples));
            return;
        }
        const double p1 = change->before / 100.0;
        const double p2 = change->after / 100.0;
        const double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        const double standardError = std::sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (standardError == 0.0)
            return; // both 0% or both 100%: no change to tell from noise
        const double z = (p2 - p1) / standardError;
        if (std::abs(z) < zCritical)
            flag(QStringLiteral("within sampling noise (two-proportion z = %1, |z| < %2)")
                     .arg(z, 0, 'f', 2)
                     .arg(zCritical));
        return;
    }
    for (const QLatin1String &latency : latencyGroups) {
        if (group != latency)
            continue;
        change->unit = QStringLiteral("ms");
        change->lowerIsBetter = true;
        // Samples behind a latency-type figure: successful measured attempts (response time: requests).
        const QString samplesKey = group == QLatin1String("response_time_ms") ? QStringLiteral("succeeded")
                                                                              : QStringLiteral("attempt_outcomes.ok");
        const qint64 samples = std::min(count(before, samplesKey), count(after, samplesKey));
        if (leaf == QLatin1String("min") || leaf == QLatin1String("max")) {
            flag(QStringLiteral("a single extreme sample"));
            return;
        }
        // A percentile q needs at least one sample expected above it (n >= 1 / (1 - q)), and 10 in all.
        qint64 needed = minimumSamples;
        if (leaf.startsWith(QLatin1Char('p'))) {
            const double q = leaf.mid(1).toDouble() / 100.0;
            if (q > 0.0 && q < 1.0)
                needed = std::max(needed, qint64(std::ceil(1.0 / (1.0 - q) - 1e-9)));
        }
        if (samples < needed)
            flag(QStringLiteral("%1 needs %2 successful samples in each run, has %3")
                     .arg(leaf)
                     .arg(needed)
                     .arg(samples));
        return;
    }
    if (group == QLatin1String("throughput")) {
        change->unit = QStringLiteral("/s");
        change->lowerIsBetter = false;
        if (requestsBefore < minimumSamples || requestsAfter < minimumSamples)
            flag(QStringLiteral("fewer than %1 requests in a run").arg(minimumSamples));
        return;
    }
    if (metric == QLatin1String("cost_usd")) {
        change->unit = QStringLiteral("$");
        change->lowerIsBetter = true;
        return;
    }
    if (group == QLatin1String("tokens")) {
        change->unit = QStringLiteral("tokens");
        change->lowerIsBetter = true; // the same work for fewer tokens costs less
        return;
    }
    if (group == QLatin1String("outcomes") || group == QLatin1String("attempt_outcomes")) {
        change->lowerIsBetter = leaf != QLatin1String("ok");
        return;
    }
    // requests, attempts, succeeded, peak_in_flight: more is more work done; failed: fewer is better.
    change->lowerIsBetter = metric == QLatin1String("failed");
}

} // namespace

QList<MetricChange> compareRuns(const RecordedRun &before, const RecordedRun &after)
{
    QList<MetricChange> changes;
    const QJsonArray beforeTargets = before.summary.value(QLatin1String("targets")).toArray();
    const QJsonArray afterTargets = after.summary.value(QLatin1String("targets")).toArray();
    for (const QJsonValue &value : beforeTargets) {
        const QString name = value.toObject().value(QLatin1String("name")).toString();
        const QJsonObject other = targetNamed(afterTargets, name);
        if (other.isEmpty())
            continue;
        std::map<QString, double> was;
        std::map<QString, double> is;
        flatten(value.toObject(), {}, &was);
        flatten(other, {}, &is);
        QList<MetricChange> target;
        for (const auto &[metric, beforeValue] : was) {
            const auto now = is.find(metric);
            if (now == is.end())
                continue;
            MetricChange change;
            change.target = name;
            change.metric = metric;
            const bool percent = metric == QLatin1String("success_rate");
            change.before = percent ? beforeValue * 100.0 : beforeValue;
            change.after = percent ? now->second * 100.0 : now->second;
            change.change = change.after - change.before;
            change.changePercent = change.before != 0.0 ? change.change / std::abs(change.before) * 100.0
                                                        : std::numeric_limits<double>::quiet_NaN();
            classify(&change, was, is);
            target.append(change);
        }
        std::stable_sort(target.begin(), target.end(),
                         [](const MetricChange &a, const MetricChange &b) { return rank(a.metric) < rank(b.metric); });
        changes.append(target);
    }
    return changes;
}

} // namespace relaybench
