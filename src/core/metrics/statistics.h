#pragma once

#include <QJsonValue>

#include <vector>

namespace relaybench {

// min, mean, p50, p90, p95, p99, max of a sample, exact: computed from all values, not from buckets.
// Percentiles use the nearest-rank method: pX is the smallest value with at least X% of the sample
// at or below it (docs/metrics.md).
struct SampleStats
{
    double min = 0.0;
    double mean = 0.0;
    double p50 = 0.0;
    double p90 = 0.0;
    double p95 = 0.0;
    double p99 = 0.0;
    double max = 0.0;
    size_t count = 0;
};

double nearestRankPercentile(const std::vector<double> &sorted, double percent);
// Drops NaN values and sorts the rest in place. Empty input gives count 0.
SampleStats describe(std::vector<double> &values);
// {"min", "mean", "p50", "p90", "p95", "p99", "max"}, or null when there is nothing to describe.
QJsonValue toJson(const SampleStats &d);

} // namespace relaybench
