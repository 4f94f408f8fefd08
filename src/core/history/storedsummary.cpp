#include "storedsummary.h"

#include "campaign/campaign.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace relaybench {

StoredSummaryBuilder::StoredSummaryBuilder(int targetCount)
    : m_targets(size_t(std::max(targetCount, 0)))
{}

void StoredSummaryBuilder::add(const AttemptRecord &record)
{
    if (record.target < 0 || size_t(record.target) >= m_targets.size())
        return;
    PerTarget &target = m_targets[size_t(record.target)];
    target.stats.addAttempt(record);
    for (const double at : {record.scheduledMs, record.sentMs, record.endMs}) {
        if (applies(at))
            m_lastMs = std::max(m_lastMs, at);
    }
    if (applies(record.sentMs) && applies(record.endMs)) {
        target.inFlightEdges.emplace_back(record.sentMs, +1);
        target.inFlightEdges.emplace_back(record.endMs, -1);
    }
    // The first attempt of a request was due when the request was: its response time starts there.
    const auto first = target.firstScheduledMs.constFind(record.requestId);
    const double firstScheduledMs = first != target.firstScheduledMs.cend()
                                        ? *first
                                        : (applies(record.scheduledMs) ? record.scheduledMs : record.endMs);
    if (applies(record.retryDelayMs)) { // a retry follows: not the request's last attempt
        target.firstScheduledMs.insert(record.requestId, firstScheduledMs);
        return;
    }
    target.firstScheduledMs.remove(record.requestId);
    const double endMs = applies(record.endMs) ? record.endMs : m_lastMs;
    target.stats.addFinal(record, endMs - firstScheduledMs);
}

QJsonObject StoredSummaryBuilder::summary(const RecordedRun &run, const SloSpec &slo) const
{
    const double durationS = m_lastMs / 1000.0;
    QJsonArray targets;
    for (size_t i = 0; i < m_targets.size(); ++i) {
        // The peak of overlapping sent..end intervals; an end before a send at the same instant goes first,
        // as the runner frees a slot before it fills it again.
        TargetStats stats = m_targets[i].stats;
        std::vector<std::pair<double, int>> edges = m_targets[i].inFlightEdges;
        std::sort(edges.begin(), edges.end());
        qint64 inFlight = 0;
        for (const auto &edge : edges) {
            inFlight += edge.second;
            stats.notePeakInFlight(inFlight);
        }
        QJsonObject object = stats.toJson(durationS, slo);
        const RecordedTarget spec = run.targets.value(qsizetype(i));
        object.insert(QStringLiteral("name"), spec.name);
        object.insert(QStringLiteral("model"), spec.model);
        object.insert(QStringLiteral("base_url"), spec.baseUrl);
        targets.append(object);
    }
    return QJsonObject{
        {QStringLiteral("schema"), QStringLiteral("relaybench.summary/1")},
        {QStringLiteral("campaign"), run.campaignName},
        {QStringLiteral("started_at"), run.startedAt.isEmpty() ? QJsonValue() : QJsonValue(run.startedAt)},
        {QStringLiteral("finished_at"), run.endedAt.isEmpty() ? QJsonValue() : QJsonValue(run.endedAt)},
        {QStringLiteral("duration_s"), std::round(durationS * 1000.0) / 1000.0},
        {QStringLiteral("stopped_early"), true},
        {QStringLiteral("stop_reason"), run.stopReason.isEmpty() ? QJsonValue(run.state) : QJsonValue(run.stopReason)},
        {QStringLiteral("state"), run.state},
        {QStringLiteral("computed_from_attempts"), true},
        {QStringLiteral("targets"), targets},
    };
}

} // namespace relaybench
