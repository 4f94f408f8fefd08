#include "loglinearhistogram.h"

#include <algorithm>
#include <cmath>

namespace relaybench {

namespace {
constexpr int subBuckets = 64;     // per power of two: relative resolution 1/64
constexpr double smallest = 0.001; // 1 µs in ms: everything below shares bucket 0
} // namespace

int LogLinearHistogram::bucketOf(double value)
{
    if (!(value > smallest))
        return 0;
    const double scaled = value / smallest; // > 1
    const int exponent = int(std::floor(std::log2(scaled)));
    const double base = std::ldexp(1.0, exponent);
    const int sub = std::min(subBuckets - 1, int((scaled - base) / base * subBuckets));
    return 1 + exponent * subBuckets + sub;
}

double LogLinearHistogram::lowerBound(int bucket)
{
    if (bucket <= 0)
        return 0.0;
    const int exponent = (bucket - 1) / subBuckets;
    const int sub = (bucket - 1) % subBuckets;
    const double base = std::ldexp(1.0, exponent);
    return smallest * (base + base * sub / subBuckets);
}

void LogLinearHistogram::record(double value)
{
    if (std::isnan(value))
        return;
    value = std::max(0.0, value);
    const size_t bucket = size_t(bucketOf(value));
    if (bucket >= m_buckets.size())
        m_buckets.resize(bucket + 1, 0);
    ++m_buckets[bucket];
    m_min = m_count ? std::min(m_min, value) : value;
    m_max = m_count ? std::max(m_max, value) : value;
    m_sum += value;
    ++m_count;
}

void LogLinearHistogram::merge(const LogLinearHistogram &other)
{
    if (!other.m_count)
        return;
    if (other.m_buckets.size() > m_buckets.size())
        m_buckets.resize(other.m_buckets.size(), 0);
    for (size_t i = 0; i < other.m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_min = m_count ? std::min(m_min, other.m_min) : other.m_min;
    m_max = m_count ? std::max(m_max, other.m_max) : other.m_max;
    m_sum += other.m_sum;
    m_count += other.m_count;
}

void LogLinearHistogram::clear()
{
    *this = LogLinearHistogram();
}

double LogLinearHistogram::percentile(double percent) const
{
    if (!m_count)
        return 0.0;
    const quint64 rank = std::clamp<quint64>(quint64(std::ceil(percent / 100.0 * double(m_count))), 1, m_count);
    quint64 seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank) {
            const double middle = (lowerBound(int(i)) + lowerBound(int(i) + 1)) / 2.0;
            return std::clamp(middle, m_min, m_max);
        }
    }
    return m_max;
}

} // namespace relaybench
