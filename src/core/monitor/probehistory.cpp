#include "probehistory.h"

#include "metrics/statistics.h"

#include <algorithm>
#include <cmath>

namespace relaybench {

qsizetype ProbeHistory::capacityFor(double intervalS)
{
    return qsizetype(std::ceil(spanS / std::max(intervalS, minIntervalS))) + 1;
}

ProbeHistory::ProbeHistory(qsizetype capacity)
    : m_ring(size_t(std::max<qsizetype>(1, capacity)))
{}

void ProbeHistory::add(const ProbeSample &sample)
{
    m_ring[size_t(m_head)] = sample;
    m_head = (m_head + 1) % capacity();
    m_size = std::min(m_size + 1, capacity());
}

const ProbeSample &ProbeHistory::at(qsizetype i) const
{
    return m_ring[size_t((m_head - m_size + i + capacity()) % capacity())];
}

WindowFigures ProbeHistory::figures(qint64 nowMs, double windowS) const
{
    WindowFigures figures;
    figures.windowS = windowS;
    const double fromMs = double(nowMs) - windowS * 1000.0;
    std::vector<double> latencies;
    std::vector<double> ttfts;
    bool newestSeen = false;
    // Newest first, stopping at the first probe older than the window: the cost is that of the window.
    for (qsizetype i = m_size - 1; i >= 0; --i) {
        const ProbeSample &sample = at(i);
        if (double(sample.atMs) <= fromMs)
            break;
        if (sample.atMs > nowMs)
            continue;
        const bool ok = sample.outcome == Outcome::Ok;
        if (!newestSeen) {
            figures.lastProbeOk = ok;
            newestSeen = true;
        }
        ++figures.probes;
        ++figures.outcomes[size_t(sample.outcome)];
        if (!ok)
            continue;
        ++figures.successes;
        if (!std::isnan(sample.latencyMs))
            latencies.push_back(double(sample.latencyMs));
        if (!std::isnan(sample.ttftMs))
            ttfts.push_back(double(sample.ttftMs));
    }
    std::sort(latencies.begin(), latencies.end());
    std::sort(ttfts.begin(), ttfts.end());
    if (!latencies.empty()) {
        figures.latencyP50Ms = nearestRankPercentile(latencies, 50.0);
        figures.latencyP95Ms = nearestRankPercentile(latencies, 95.0);
        figures.latencyP99Ms = nearestRankPercentile(latencies, 99.0);
    }
    if (!ttfts.empty()) {
        figures.ttftP50Ms = nearestRankPercentile(ttfts, 50.0);
        figures.ttftP95Ms = nearestRankPercentile(ttfts, 95.0);
    }
    return figures;
}

} // namespace relaybench
