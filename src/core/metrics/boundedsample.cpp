#include "boundedsample.h"

#include "statistics.h"

#include <QJsonObject>

#include <cmath>

namespace relaybench {

void BoundedSample::add(float value)
{
    if (std::isnan(value))
        return;
    if (m_overflowed) {
        m_histogram.record(double(value));
        return;
    }
    m_values.push_back(value);
    if (m_values.size() <= m_exactLimit)
        return;
    for (float kept : m_values)
        m_histogram.record(double(kept));
    std::vector<float>().swap(m_values); // give the memory back
    m_overflowed = true;
}

QJsonValue BoundedSample::toJson() const
{
    if (!m_overflowed) {
        std::vector<double> values(m_values.begin(), m_values.end());
        return relaybench::toJson(describe(values));
    }
    SampleStats d;
    d.count = size_t(m_histogram.count());
    d.min = m_histogram.min();
    d.max = m_histogram.max();
    d.mean = m_histogram.mean();
    d.p50 = m_histogram.percentile(50.0);
    d.p90 = m_histogram.percentile(90.0);
    d.p95 = m_histogram.percentile(95.0);
    d.p99 = m_histogram.percentile(99.0);
    return relaybench::toJson(d);
}

} // namespace relaybench
