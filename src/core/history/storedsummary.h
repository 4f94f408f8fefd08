#pragma once

#include "metrics/targetstats.h"
#include "runstore.h"

#include <QHash>
#include <QJsonObject>

#include <vector>

namespace relaybench {

struct SloSpec;

// summary.json computed from a run's stored attempts, for a run that ended without writing one (interrupted:
// the process died). Fed the attempts in the order they were recorded, it rebuilds what the runner counted
// live: an attempt is its request's final one unless a retry delay follows it. What requests.csv does not
// hold is estimated or left out (docs/history.md): peak_in_flight comes from the overlap of the attempts'
// sent..end times, inter-token gaps (itl_ms) are not stored and stay null.
class StoredSummaryBuilder
{
public:
    explicit StoredSummaryBuilder(int targetCount);

    void add(const AttemptRecord &record);
    // `state` goes into the summary's "state" (and "stop_reason" when the run has none).
    QJsonObject summary(const RecordedRun &run, const SloSpec &slo) const;

private:
    struct PerTarget
    {
        TargetStats stats;
        QHash<qint64, double> firstScheduledMs;            // requests whose final attempt has not been seen yet
        std::vector<std::pair<double, int>> inFlightEdges; // (+1 at sent, -1 at end)
    };
    std::vector<PerTarget> m_targets;
    double m_lastMs = 0.0;
};

} // namespace relaybench
