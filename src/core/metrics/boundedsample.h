#pragma once

#include "loglinearhistogram.h"

#include <QJsonValue>

#include <vector>

namespace relaybench {

// A sample that is exact up to `exactLimit` values and bounded after it. Inter-token gaps are the one metric
// that grows with tokens, not requests: a million streamed answers of 64 tokens are 64 million gaps, 512 MB
// as doubles. Up to the limit every value is kept (as float: gaps are measured as floats) and percentiles
// are exact; past it the values move into a LogLinearHistogram, percentiles are then within 1/64 (1.6%) of
// the truth, and min, max and mean stay exact. docs/metrics.md says so.
class BoundedSample
{
public:
    static constexpr size_t defaultExactLimit = 8'000'000; // 32 MB per target

    explicit BoundedSample(size_t exactLimit = defaultExactLimit)
        : m_exactLimit(exactLimit)
    {}

    void add(float value);
    bool isExact() const { return !m_overflowed; }
    size_t count() const { return m_overflowed ? size_t(m_histogram.count()) : m_values.size(); }
    // Same shape as toJson(describe(...)): {"min", "mean", "p50", "p90", "p95", "p99", "max"} or null.
    QJsonValue toJson() const;

private:
    size_t m_exactLimit;
    bool m_overflowed = false;
    std::vector<float> m_values;
    LogLinearHistogram m_histogram;
};

} // namespace relaybench
