#pragma once

#include <QtGlobal>

#include <vector>

namespace relaybench {

// A mergeable histogram of non-negative values (ms) with log-linear buckets: each power of two is split
// into 64 equal sub-buckets, so any value is known to within 1/64 (1.6%) of itself, from 1 µs to days,
// in a few thousand counters. For live views and exporters, where keeping every value is too costly;
// the final summary still uses exact percentiles.
class LogLinearHistogram
{
public:
    void record(double value);
    void merge(const LogLinearHistogram &other);
    void clear();

    quint64 count() const { return m_count; }
    double min() const { return m_count ? m_min : 0.0; }
    double max() const { return m_count ? m_max : 0.0; }
    double mean() const { return m_count ? m_sum / double(m_count) : 0.0; }
    // The nearest-rank percentile, answered as the middle of its bucket (clamped to min and max).
    double percentile(double percent) const;

    // Bucket i covers [lowerBound(i), lowerBound(i + 1)).
    static double lowerBound(int bucket);
    static int bucketOf(double value);
    const std::vector<quint64> &buckets() const { return m_buckets; }

private:
    std::vector<quint64> m_buckets;
    quint64 m_count = 0;
    double m_sum = 0.0;
    double m_min = 0.0;
    double m_max = 0.0;
};

} // namespace relaybench
