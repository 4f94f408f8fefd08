#include "metricsregistry.h"

#include <QLocale>
#include <QMutexLocker>

#include <cmath>

namespace relaybench {

namespace {

// Label values may hold any UTF-8; the format escapes backslash, double quote and newline.
QByteArray labelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// Go's strconv 'g' style is what Prometheus prints; any float Prometheus can parse is accepted, but
// integers without an exponent keep the output readable and diff-able.
QByteArray number(double value)
{
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray number(quint64 value)
{
    return QByteArray::number(value);
}

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

} // namespace

const std::vector<double> &MetricsRegistry::durationBucketsS()
{
    static const std::vector<double> bounds = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300};
    return bounds;
}

const std::vector<double> &MetricsRegistry::ttftBucketsS()
{
    static const std::vector<double> bounds = {0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60};
    return bounds;
}

void MetricsRegistry::Histogram::observe(double value, const std::vector<double> &bounds)
{
    if (counts.empty())
        counts.assign(bounds.size() + 1, 0);
    size_t bucket = 0;
    while (bucket < bounds.size() && value > bounds[bucket])
        ++bucket;
    ++counts[bucket];
    sum += value;
    ++count;
}

MetricsRegistry::TargetSeries &MetricsRegistry::seriesOf(const QString &target)
{
    auto it = m_targets.find(target);
    if (it == m_targets.end()) {
        m_order.append(target);
        it = m_targets.emplace(target, TargetSeries{}).first;
        it->second.duration.counts.assign(durationBucketsS().size() + 1, 0);
        it->second.ttft.counts.assign(ttftBucketsS().size() + 1, 0);
    }
    return it->second;
}

void MetricsRegistry::addTarget(const QString &name)
{
    QMutexLocker lock(&m_mutex);
    seriesOf(name);
}

void MetricsRegistry::observe(const QString &target, const AttemptRecord &record)
{
    QMutexLocker lock(&m_mutex);
    TargetSeries &series = seriesOf(target);
    ++series.requests[size_t(record.outcome)];
    // Latency figures are successful attempts only, as in summary.json (docs/metrics.md): a fast 429
    // would otherwise pull the latency histogram down exactly when the endpoint is worst.
    if (record.outcome == Outcome::Ok && applies(record.latencyMs()))
        series.duration.observe(record.latencyMs() / 1000.0, durationBucketsS());
    if (record.outcome == Outcome::Ok && applies(record.ttftMs()))
        series.ttft.observe(record.ttftMs() / 1000.0, ttftBucketsS());
    series.promptTokens += quint64(std::max<qint64>(0, record.promptTokens));
    series.completionTokens += quint64(std::max<qint64>(0, record.completionTokens));
    series.cachedTokens += quint64(std::max<qint64>(0, record.cachedTokens));
    series.reasoningTokens += quint64(std::max<qint64>(0, record.reasoningTokens));
    series.costUsd += record.costUsd;
}

void MetricsRegistry::setInFlight(const QString &target, qint64 count)
{
    QMutexLocker lock(&m_mutex);
    seriesOf(target).inFlight = count;
}

void MetricsRegistry::setCircuitOpen(const QString &target, bool open)
{
    QMutexLocker lock(&m_mutex);
    seriesOf(target).circuitOpen = open;
}

void MetricsRegistry::setHealthState(const QString &target, int state)
{
    QMutexLocker lock(&m_mutex);
    seriesOf(target).healthState = state;
}

QByteArray MetricsRegistry::exposition() const
{
    QMutexLocker lock(&m_mutex);
    QByteArray out;
    out.reserve(4096 + 2048 * m_order.size());

    const auto targetLabel = [](const QString &target) -> QByteArray {
        return "target=\"" + labelValue(target) + '"';
    };
    const auto forEachTarget = [this](const auto &visit) {
        for (const QString &name : m_order)
            visit(name, m_targets.at(name));
    };

    header(out, "relaybench_requests_total", "counter",
           "Attempts sent (or refused by the client) per target and outcome, retries and warm-up included.");
    forEachTarget([&](const QString &name, const TargetSeries &series) {
        for (Outcome outcome : allOutcomes()) {
            out += "relaybench_requests_total{" + targetLabel(name) + ",outcome=\"" + outcomeName(outcome).data() +
                   "\"} " + number(series.requests[size_t(outcome)]) + '\n';
        }
    });

    const auto histogram = [&](const char *name, const char *help, const std::vector<double> &bounds,
                               Histogram TargetSeries::*member) {
        header(out, name, "histogram", help);
        forEachTarget([&](const QString &target, const TargetSeries &series) {
            const Histogram &h = series.*member;
            quint64 cumulative = 0;
            for (size_t i = 0; i <= bounds.size(); ++i) {
                cumulative += i < h.counts.size() ? h.counts[i] : 0;
                const QByteArray le = i < bounds.size() ? number(bounds[i]) : QByteArrayLiteral("+Inf");
                out += QByteArray(name) + "_bucket{" + targetLabel(target) + ",le=\"" + le + "\"} " +
                       number(cumulative) + '\n';
            }
            out += QByteArray(name) + "_sum{" + targetLabel(target) + "} " + number(h.sum) + '\n';
            out += QByteArray(name) + "_count{" + targetLabel(target) + "} " + number(h.count) + '\n';
        });
    };
    histogram("relaybench_request_duration_seconds",
              "Latency of successful attempts: request sent to last byte (docs/metrics.md).", durationBucketsS(),
              &TargetSeries::duration);
    histogram("relaybench_ttft_seconds", "Time to first token of successful attempts: request sent to first content.",
              ttftBucketsS(), &TargetSeries::ttft);

    header(out, "relaybench_tokens_total", "counter",
           "Tokens per target and type, as the server reported them (or estimated where it did not).");
    forEachTarget([&](const QString &name, const TargetSeries &series) {
        const std::pair<const char *, quint64> types[] = {{"prompt", series.promptTokens},
                                                          {"completion", series.completionTokens},
                                                          {"cached", series.cachedTokens},
                                                          {"reasoning", series.reasoningTokens}};
        for (const auto &[type, value] : types)
            out += "relaybench_tokens_total{" + targetLabel(name) + ",type=\"" + type + "\"} " + number(value) + '\n';
    });

    header(out, "relaybench_cost_usd_total", "counter", "Estimated cost in US dollars from the price catalogue.");
    forEachTarget([&](const QString &name, const TargetSeries &series) {
        out += "relaybench_cost_usd_total{" + targetLabel(name) + "} " + number(series.costUsd) + '\n';
    });

    header(out, "relaybench_in_flight", "gauge", "Attempts on the wire now.");
    forEachTarget([&](const QString &name, const TargetSeries &series) {
        out += "relaybench_in_flight{" + targetLabel(name) + "} " + number(double(series.inFlight)) + '\n';
    });

    header(out, "relaybench_circuit_open", "gauge",
           "1 while the client-side circuit breaker refuses requests (open or half-open), else 0.");
    forEachTarget([&](const QString &name, const TargetSeries &series) {
        out += "relaybench_circuit_open{" + targetLabel(name) + "} " + (series.circuitOpen ? "1" : "0") + '\n';
    });

    header(out, "relaybench_health_state", "gauge", "Monitor health state: 0 healthy, 1 degraded, 2 down.");
    forEachTarget([&](const QString &name, const TargetSeries &series) {
        if (series.healthState >= 0)
            out += "relaybench_health_state{" + targetLabel(name) + "} " + number(double(series.healthState)) + '\n';
    });
    return out;
}

} // namespace relaybench
