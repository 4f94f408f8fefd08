#include "liveaggregator.h"

#include <algorithm>
#include <cmath>

namespace relaybench {

namespace {

// A second stays open (its percentiles provisional) while records may still end in it.
constexpr int openSecondsKept = 2;

void setPercentiles(LiveSecond &second, std::vector<float> values)
{
    if (values.empty())
        return;
    std::sort(values.begin(), values.end());
    const auto nearestRank = [&values](double fraction) {
        const size_t rank = size_t(std::ceil(fraction * double(values.size())));
        return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
    };
    second.latencyP50Ms = nearestRank(0.50);
    second.latencyP95Ms = nearestRank(0.95);
    second.latencyP99Ms = nearestRank(0.99);
}

} // namespace

LiveAggregator::LiveAggregator(const QStringList &targetNames)
{
    for (const QString &name : targetNames) {
        LiveTarget target;
        target.name = name;
        m_live.targets.append(target);
    }
    m_points.resize(size_t(targetNames.size()));
    m_openSeconds.resize(size_t(targetNames.size()));
}

void LiveAggregator::write(const AttemptRecord &record)
{
    QMutexLocker lock(&m_mutex);
    if (record.target < 0 || record.target >= m_live.targets.size())
        return;
    ++m_live.version;
    LiveTarget &target = m_live.targets[record.target];
    target.costUsd += record.costUsd;
    if (record.warmup)
        return;
    ++target.attempts;
    ++target.attemptOutcomes[size_t(record.outcome)];
    target.outputTokens += record.completionTokens;
    const double endMs = applies(record.endMs) ? record.endMs : 0.0;
    const int second = int(endMs / 1000.0);
    if (target.seconds.size() <= second)
        target.seconds.resize(second + 1);
    ++target.seconds[second].outcomes[size_t(record.outcome)];
    target.seconds[second].outputTokens += record.completionTokens;
    if (record.outcome == Outcome::Ok) {
        target.latencyMs.record(record.latencyMs());
        target.ttftMs.record(record.ttftMs());
        auto &open = m_openSeconds[size_t(record.target)];
        open[second].push_back(float(record.latencyMs()));
        while (!open.empty() && open.begin()->first < second - openSecondsKept) {
            setPercentiles(target.seconds[open.begin()->first], std::move(open.begin()->second));
            open.erase(open.begin());
        }
    }
    if (applies(record.latencyMs())) {
        auto &points = m_points[size_t(record.target)];
        points.push_back({float(endMs / 1000.0), float(record.latencyMs()), record.outcome});
        if (points.size() > size_t(maxPoints))
            points.pop_front();
    }
    if (record.outcome != Outcome::Ok) {
        m_failures.push_back({endMs, record.target, record.status, record.outcome, record.error});
        if (m_failures.size() > size_t(maxFailures))
            m_failures.pop_front();
    }
}

LiveSnapshot LiveAggregator::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    LiveSnapshot copy = m_live;
    for (int i = 0; i < copy.targets.size(); ++i) {
        const auto &points = m_points[size_t(i)];
        copy.targets[i].recentPoints = QVector<LivePoint>(points.begin(), points.end());
        for (const auto &[second, latencies] : m_openSeconds[size_t(i)])
            setPercentiles(copy.targets[i].seconds[second], latencies);
    }
    copy.recentFailures = QVector<LiveFailure>(m_failures.begin(), m_failures.end());
    return copy;
}

} // namespace relaybench
