#pragma once

#include "campaign/campaign.h"
#include "liveaggregator.h"

#include <QJsonObject>
#include <QString>

namespace relaybench {

// A finished (or stopped) run as the window's Compare page, exporter and report see it: the campaign
// as run, summary.json's content, the live histograms and per-second buckets, and the folder that
// holds the run's requests.csv and summary.json.
struct RunResult
{
    Campaign campaign;
    QJsonObject summary; // docs/metrics.md, "summary.json"
    LiveSnapshot live;
    QString folder; // requests.csv + summary.json (+ campaign.json); empty when nothing was written
    bool isEmpty() const { return summary.isEmpty(); }
};

} // namespace relaybench
