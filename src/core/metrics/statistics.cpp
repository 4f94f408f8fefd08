#include "statistics.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace relaybench {

double nearestRankPercentile(const std::vector<double> &sorted, double percent)
{
    if (sorted.empty())
        return 0.0;
    // percent * n first: for whole percents that product is exact, so the rank is too (percent / 100 * n
    // gives 7.000000000000001 for p7 of 100 values, and so the 8th value). The epsilon absorbs the rounding
    // of fractional percents (99.9 * 1000 / 100).
    const double rank = std::ceil(percent * double(sorted.size()) / 100.0 - 1e-9);
    const size_t index = size_t(std::clamp(rank, 1.0, double(sorted.size()))) - 1;
    return sorted[index];
}

SampleStats describe(std::vector<double> &values)
{
    // NaN means "does not apply": it is not a sample (and would break the sort's ordering).
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
    SampleStats d;
    d.count = values.size();
    if (values.empty())
        return d;
    std::sort(values.begin(), values.end());
    double sum = 0.0;
    for (double v : values)
        sum += v;
    d.min = values.front();
    d.max = values.back();
    d.mean = sum / double(values.size());
    d.p50 = nearestRankPercentile(values, 50.0);
    d.p90 = nearestRankPercentile(values, 90.0);
    d.p95 = nearestRankPercentile(values, 95.0);
    d.p99 = nearestRankPercentile(values, 99.0);
    return d;
}

QJsonValue toJson(const SampleStats &d)
{
    if (d.count == 0)
        return QJsonValue::Null;
    // Three decimals: microsecond resolution is all a millisecond figure can honestly carry.
    const auto r = [](double v) {
        return std::round(v * 1000.0) / 1000.0;
    };
    return QJsonObject{{QStringLiteral("min"), r(d.min)}, {QStringLiteral("mean"), r(d.mean)},
                       {QStringLiteral("p50"), r(d.p50)}, {QStringLiteral("p90"), r(d.p90)},
                       {QStringLiteral("p95"), r(d.p95)}, {QStringLiteral("p99"), r(d.p99)},
                       {QStringLiteral("max"), r(d.max)}};
}

} // namespace relaybench
