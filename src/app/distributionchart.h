#pragma once

#include "metrics/runresult.h"

#include <QChartView>
#include <QList>

class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QValueAxis;

namespace relaybench {

// The latency distributions of a run's targets, overlaid: per target the cumulative share of successful
// attempts (CDF) at or below each total latency (solid) and each TTFT (dashed, same colour), from the live
// log-linear histograms, on a log-scale ms axis. A CDF compares targets at every percentile at once; markers
// label each target's exact p50 / p95 / p99 latency from summary.json.
class DistributionChart : public QChartView
{
    Q_OBJECT

public:
    // Whatever the histogram's size, a series never holds more points than this.
    static constexpr int maxPointsPerSeries = 300;

    explicit DistributionChart(QWidget *parent = nullptr);

    void setRun(const RunResult &run);
    void clear();

    int targetCount() const { return int(m_latency.size()); }
    QLineSeries *latencySeries(int target) const { return m_latency.value(target); }
    QLineSeries *ttftSeries(int target) const { return m_ttft.value(target); }
    QScatterSeries *percentileMarkers(int target) const { return m_markers.value(target); }

    // The CDF of a histogram as (upper bound of bucket ms, % at or below) points, starting at (min, 0),
    // decimated to at most `maxPoints` (the first and last points are always kept).
    static QList<QPointF> cumulativePoints(const LogLinearHistogram &histogram, int maxPoints = maxPointsPerSeries);

private:
    QValueAxis *m_share = nullptr;
    QLogValueAxis *m_ms = nullptr;
    QList<QLineSeries *> m_latency;
    QList<QLineSeries *> m_ttft;
    QList<QScatterSeries *> m_markers;
};

} // namespace relaybench
