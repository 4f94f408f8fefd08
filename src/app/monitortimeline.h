#pragma once

#include "monitor/healthstate.h"

#include <QList>
#include <QTimer>
#include <QWidget>

namespace relaybench {

// The uptime timeline of the Monitor page: one band per target, coloured by state over time (green
// healthy, amber degraded, red down, grey unknown), over the last `spanS` seconds (0: since the monitor
// started, so a young monitor fills the width), newest at the right.
// Painted with QPainter from the list of state changes; a timer moves it along once a second.
class MonitorTimeline : public QWidget
{
    Q_OBJECT

public:
    struct Segment
    {
        qint64 fromMs = 0; // ms since the epoch; lasts until the next segment (or now)
        HealthState state = HealthState::Unknown;
    };

    explicit MonitorTimeline(QWidget *parent = nullptr);

    void setTargets(const QStringList &names, qint64 startMs); // every band unknown from startMs
    void addChange(int target, qint64 atMs, HealthState state);
    void setSpanS(double spanS); // 0: since start; otherwise at least 60 s
    double spanS() const { return m_spanS; }
    const QList<Segment> &segments(int target) const { return m_bands.at(target).segments; }
    // The share of [fromMs, toMs] each target spent in `state` (0..1), for the tooltip and the tests.
    double shareIn(int target, HealthState state, qint64 fromMs, qint64 toMs) const;

    static QColor colorOf(HealthState state);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override; // tooltips: the state and uptime of the band under the mouse

private:
    struct Band
    {
        QString name;
        QList<Segment> segments;
    };
    int bandAt(int y) const;
    qint64 shownFromMs(qint64 nowMs) const;

    QList<Band> m_bands;
    double m_spanS = 3600.0;
    qint64 m_startMs = 0;
    QTimer m_tick;
};

} // namespace relaybench
