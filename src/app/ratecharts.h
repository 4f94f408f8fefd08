#pragma once

#include "metrics/liveaggregator.h"

#include <QChartView>

#include <vector>

class QBarCategoryAxis;
class QLineSeries;
class QStackedBarSeries;
class QValueAxis;

namespace relaybench {

// Failed attempts per second over time, stacked by outcome class (all targets together). Long runs are
// grouped into at most maxBars bars so that a frame stays cheap.
class ErrorRateChart : public QChartView
{
    Q_OBJECT

public:
    static constexpr int maxBars = 120;
    explicit ErrorRateChart(QWidget *parent = nullptr);
    void update(const LiveSnapshot &snapshot);
    QStackedBarSeries *series() const { return m_series; }

private:
    QStackedBarSeries *m_series;
    QBarCategoryAxis *m_time;
    QValueAxis *m_count;
};

// Finished attempts per second and output tokens per second, one colour per target (the same as in
// the latency chart): requests solid on the left axis, tokens dashed on the right one.
class ThroughputChart : public QChartView
{
    Q_OBJECT

public:
    explicit ThroughputChart(QWidget *parent = nullptr);
    void setTargets(const QStringList &names);
    void update(const LiveSnapshot &snapshot);
    const std::vector<QLineSeries *> &requestSeries() const { return m_requests; }

private:
    QValueAxis *m_time;
    QValueAxis *m_rate;
    QValueAxis *m_tokens;
    std::vector<QLineSeries *> m_requests;
    std::vector<QLineSeries *> m_outputTokens;
};

} // namespace relaybench
