#pragma once

#include "metrics/liveaggregator.h"

#include <QChartView>

#include <vector>

class QLogValueAxis;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace relaybench {

// Latency over time: every recent attempt a point (successes in the target's colour, failures in red),
// and per target a rolling p95 line over 1-second windows. Series are refreshed with replace(), never
// point by point, and at most LiveAggregator::maxPoints points per target are drawn.
class LatencyChart : public QChartView
{
    Q_OBJECT

public:
    explicit LatencyChart(QWidget *parent = nullptr);

    void setTargets(const QStringList &names);
    void update(const LiveSnapshot &snapshot);

private:
    QValueAxis *m_time = nullptr;
    QLogValueAxis *m_latency = nullptr;
    std::vector<QScatterSeries *> m_points;
    std::vector<QLineSeries *> m_p95;
    QScatterSeries *m_failures = nullptr;
};

} // namespace relaybench
