#pragma once

#include "metrics/liveaggregator.h"

#include <QChartView>

#include <vector>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace relaybench {

// Failed attempts per second over time, stacked by outcome class (all targets together): one area per
// outcome, made once and refreshed with replace() (bars were re-created on every refresh, ~30 ms a frame).
// Long runs are grouped into at most maxPoints points, each the mean rate of its seconds.
class ErrorRateChart : public QChartView
{
    Q_OBJECT

public:
    static constexpr qsizetype maxPoints = 500; // steps: two points each
    explicit ErrorRateChart(QWidget *parent = nullptr);
    void update(const LiveSnapshot &snapshot);
    // The area of one failure outcome (its upper line minus its lower line is that outcome's rate).
    QAreaSeries *area(Outcome outcome) const;
    // The outcomes drawn (those that happened), in stacking order.
    QList<Outcome> shownOutcomes() const;

private:
    std::vector<std::pair<Outcome, QAreaSeries *>> m_areas;
    QValueAxis *m_time;
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
    static constexpr qsizetype maxPoints = 1200; // per series
    QValueAxis *m_time;
    QValueAxis *m_rate;
    QValueAxis *m_tokens;
    std::vector<QLineSeries *> m_requests;
    std::vector<QLineSeries *> m_outputTokens;
};

} // namespace relaybench
