#pragma once

#include "runstore.h"

#include <QList>
#include <QString>

namespace relaybench {

// One metric of one target in two runs (docs/history.md, "Comparing runs").
struct MetricChange
{
    QString target;
    QString metric; // e.g. "latency_ms.p95", "success_rate"
    QString unit;   // "ms", "%", "tokens/s", "$", or empty for counts
    double before = 0.0;
    double after = 0.0;
    double change = 0.0;        // after - before
    double changePercent = 0.0; // change / |before| * 100; NaN when before is 0
    bool lowerIsBetter = true;
    bool tooFewSamples = false; // the change cannot be told from sampling noise (docs/history.md)
    QString why;                // why tooFewSamples is set, in words; empty otherwise
};

// Every metric present in both summaries, for every target present in both runs (matched by name), in the
// order of `before`'s targets. Empty when either run has no summary or they share no target.
QList<MetricChange> compareRuns(const RecordedRun &before, const RecordedRun &after);

} // namespace relaybench
