#include "distribution.h"

#include "util/jsonfieldreader.h"

#include <QJsonObject>

#include <cmath>

namespace relaybench {

namespace {
// z-score of the 99th percentile of the standard normal distribution.
constexpr double z99 = 2.3263478740408408;
} // namespace

Distribution Distribution::fixed(double value)
{
    Distribution d;
    d.m_median = d.m_p99 = std::max(0.0, value);
    return d;
}

Distribution Distribution::logNormal(double median, double p99, double max)
{
    Distribution d;
    d.m_median = std::max(0.0, median);
    d.m_p99 = std::max(d.m_median, p99);
    d.m_max = std::max(0.0, max);
    if (d.m_median > 0.0 && d.m_p99 > d.m_median)
        d.m_sigma = std::log(d.m_p99 / d.m_median) / z99;
    return d;
}

Distribution Distribution::fromJson(const QJsonValue &value, const QString &path, JsonFieldReader &reader,
                                    const Distribution &fallback)
{
    if (value.isUndefined())
        return fallback;
    if (value.isDouble()) {
        if (value.toDouble() < 0.0 || !std::isfinite(value.toDouble())) {
            reader.fail(path, QStringLiteral("must be >= 0, got %1").arg(value.toDouble()));
            return fallback;
        }
        return fixed(value.toDouble());
    }
    if (!value.isObject()) {
        reader.fail(path, QStringLiteral("must be a number or an object like {\"median\": 40, \"p99\": 130}"));
        return fallback;
    }
    const QJsonObject object = value.toObject();
    reader.warnUnknownKeys(
        object, path, {QLatin1String("fixed"), QLatin1String("median"), QLatin1String("p99"), QLatin1String("max")});
    if (object.contains(QLatin1String("fixed")))
        return fixed(reader.number(object, path, QLatin1String("fixed"), 0.0, 0.0));
    if (!object.contains(QLatin1String("median"))) {
        reader.fail(path, QStringLiteral("needs \"fixed\" or \"median\" (with an optional \"p99\")"));
        return fallback;
    }
    const double median = reader.number(object, path, QLatin1String("median"), 0.0, 0.0);
    const double p99 = reader.number(object, path, QLatin1String("p99"), median, 0.0);
    const double max = reader.number(object, path, QLatin1String("max"), 0.0, 0.0);
    if (p99 < median)
        reader.fail(JsonFieldReader::join(path, QLatin1String("p99")),
                    QStringLiteral("must be >= median (%1), got %2").arg(median).arg(p99));
    if (max > 0.0 && max < median)
        reader.fail(JsonFieldReader::join(path, QLatin1String("max")),
                    QStringLiteral("must be >= median (%1) or 0 for no cap, got %2").arg(median).arg(max));
    return logNormal(median, p99, max);
}

QJsonValue Distribution::toJson() const
{
    if (isFixed() && m_max == 0.0)
        return m_median;
    QJsonObject object{{QStringLiteral("median"), m_median}, {QStringLiteral("p99"), m_p99}};
    if (m_max > 0.0)
        object.insert(QStringLiteral("max"), m_max);
    return object;
}

double Distribution::sample(std::mt19937_64 &rng) const
{
    if (m_sigma == 0.0)
        return m_median;
    std::normal_distribution<double> normal(0.0, m_sigma);
    double value = m_median * std::exp(normal(rng));
    if (m_max > 0.0)
        value = std::min(value, m_max);
    return value;
}

double Distribution::mean() const
{
    return m_median * std::exp(m_sigma * m_sigma / 2.0);
}

Distribution Distribution::scaled(double factor) const
{
    Distribution d = *this;
    d.m_median *= factor;
    d.m_p99 *= factor;
    if (d.m_max > 0.0)
        d.m_max *= factor;
    return d;
}

} // namespace relaybench
