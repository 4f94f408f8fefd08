#pragma once

#include "metrics/liveaggregator.h"

#include <QChartView>
#include <QVector>

#include <vector>

class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace relaybench {

// One bin of the chart: [lowerMs, upperMs) with lowerMs = 10^(index / binsPerDecade).
struct LatencyBin
{
    int index = 0;
    double lowerMs = 0.0;
    double upperMs = 0.0;
    quint64 count = 0;
};

// The distribution of total latency (solid) and TTFT (dashed) of successful attempts, per target in its colour,
// over log-scale bins: the aggregator's fine log-linear buckets (1/64 of an octave) regrouped into
// binsPerDecade bins per decade, so a run from 1 ms to 100 s is about 40 bins. Y is the share of the target's
// successful attempts in each bin, so targets with different numbers of successes compare directly.
class LatencyHistogramChart : public QChartView
{
    Q_OBJECT

public:
    static constexpr int binsPerDecade = 8;

    explicit LatencyHistogramChart(QWidget *parent = nullptr);
    void setTargets(const QStringList &names);
    void update(const LiveSnapshot &snapshot);

    // Every bin from the first to the last non-empty one (empty ones between included); none when empty.
    // Each fine bucket goes whole to the bin holding its geometric middle: a bin edge is off by at most 1.6%.
    static QVector<LatencyBin> regroup(const LogLinearHistogram &histogram);

    const std::vector<QLineSeries *> &latencySeries() const { return m_latency; }
    const std::vector<QLineSeries *> &ttftSeries() const { return m_ttft; }

private:
    QLogValueAxis *m_x;
    QValueAxis *m_y;
    std::vector<QLineSeries *> m_latency;
    std::vector<QLineSeries *> m_ttft;
    quint64 m_shownVersion = 0;
    bool m_shownAny = false;
};

} // namespace relaybench
