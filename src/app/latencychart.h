#pragma once

#include "metrics/liveaggregator.h"

#include <QChartView>

#include <array>
#include <vector>

class QLogValueAxis;
class QLineSeries;
class QValueAxis;

namespace relaybench {

// Latency over time: every recent attempt a point (successes in the target's colour, failures in red),
// and per target rolling p50/p95/p99 lines over 1-second windows for the whole run. Series are refreshed
// with replace(), never point by point; at most maxDrawnPoints points per target and
// maxLinePoints points per line are drawn, however long the run.
class LatencyChart : public QChartView
{
    Q_OBJECT

public:
    explicit LatencyChart(QWidget *parent = nullptr);

    void setTargets(const QStringList &names);
    void update(const LiveSnapshot &snapshot);
    // Attempts drawn as points (successes and failures).
    qsizetype pointCount() const;

private:
    QValueAxis *m_time = nullptr;
    QLogValueAxis *m_latency = nullptr;
    std::vector<QLineSeries *> m_points;
    static constexpr qsizetype maxLinePoints = 600;
    static constexpr qsizetype maxDrawnPoints = 2000;        // per target, the newest
    std::vector<std::array<QLineSeries *, 3>> m_percentiles; // p50, p95, p99
    QLineSeries *m_failures = nullptr;
};

} // namespace relaybench
