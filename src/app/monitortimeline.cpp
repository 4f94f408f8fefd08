#include "monitortimeline.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace relaybench {

namespace {

constexpr int bandHeight = 22;
constexpr int bandGap = 6;
constexpr int labelWidth = 120;
constexpr int axisHeight = 18;
constexpr qsizetype maxSegments = 10000; // a flapping target over days: keep the newest

} // namespace

MonitorTimeline::MonitorTimeline(QWidget *parent)
    : QWidget(parent)
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    m_tick.start();
}

QColor MonitorTimeline::colorOf(HealthState state)
{
    switch (state) {
    case HealthState::Healthy:
        return QColor(0x2e, 0xa0, 0x43);
    case HealthState::Degraded:
        return QColor(0xe0, 0x9b, 0x1a);
    case HealthState::Down:
        return QColor(0xd0, 0x33, 0x33);
    case HealthState::Unknown:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

void MonitorTimeline::setTargets(const QStringList &names, qint64 startMs)
{
    m_bands.clear();
    m_startMs = startMs;
    for (const QString &name : names)
        m_bands.append({name, {Segment{startMs, HealthState::Unknown}}});
    updateGeometry();
    update();
}

void MonitorTimeline::addChange(int target, qint64 atMs, HealthState state)
{
    if (target < 0 || target >= m_bands.size())
        return;
    QList<Segment> &segments = m_bands[target].segments;
    segments.append({atMs, state});
    if (segments.size() > maxSegments)
        segments.remove(0, segments.size() - maxSegments);
    update();
}

void MonitorTimeline::setSpanS(double spanS)
{
    m_spanS = spanS <= 0.0 ? 0.0 : std::max(60.0, spanS);
    update();
}

qint64 MonitorTimeline::shownFromMs(qint64 nowMs) const
{
    if (m_spanS > 0.0)
        return nowMs - qint64(m_spanS * 1000.0);
    // Since start, but never less than a minute wide: the first seconds would otherwise be stretched across
    // the whole width, each probe's change looking like minutes.
    return std::min(m_startMs, nowMs - 60 * 1000);
}

double MonitorTimeline::shareIn(int target, HealthState state, qint64 fromMs, qint64 toMs) const
{
    if (target < 0 || target >= m_bands.size() || toMs <= fromMs)
        return 0.0;
    const QList<Segment> &segments = m_bands.at(target).segments;
    qint64 inState = 0;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const qint64 begin = std::max(fromMs, segments.at(i).fromMs);
        const qint64 end = std::min(toMs, i + 1 < segments.size() ? segments.at(i + 1).fromMs : toMs);
        if (end > begin && segments.at(i).state == state)
            inState += end - begin;
    }
    return double(inState) / double(toMs - fromMs);
}

QSize MonitorTimeline::sizeHint() const
{
    return {600, axisHeight + int(std::max<qsizetype>(1, m_bands.size())) * (bandHeight + bandGap)};
}

QSize MonitorTimeline::minimumSizeHint() const
{
    return {labelWidth + 100, sizeHint().height()};
}

int MonitorTimeline::bandAt(int y) const
{
    const int band = y / (bandHeight + bandGap);
    return band >= 0 && band < m_bands.size() && y % (bandHeight + bandGap) < bandHeight ? band : -1;
}

void MonitorTimeline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 from = shownFromMs(now);
    const QRect area(labelWidth, 0, std::max(1, width() - labelWidth - 4), height());
    auto xOf = [&](qint64 ms) {
        return area.left() + int(double(std::clamp(ms, from, now) - from) / double(now - from) * area.width());
    };
    for (int b = 0; b < m_bands.size(); ++b) {
        const Band &band = m_bands.at(b);
        const int y = b * (bandHeight + bandGap);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(0, y, labelWidth - 8, bandHeight), Qt::AlignVCenter | Qt::AlignRight,
                         fontMetrics().elidedText(band.name, Qt::ElideRight, labelWidth - 8));
        // Nothing before the first segment: the monitor was not running then.
        for (qsizetype i = 0; i < band.segments.size(); ++i) {
            const qint64 begin = band.segments.at(i).fromMs;
            const qint64 end = i + 1 < band.segments.size() ? band.segments.at(i + 1).fromMs : now;
            if (end <= from)
                continue;
            const int x0 = xOf(begin);
            const int x1 = std::max(x0 + 1, xOf(end)); // a blip stays visible
            painter.fillRect(QRect(x0, y, x1 - x0, bandHeight), colorOf(band.segments.at(i).state));
        }
    }
    const int axisY = int(m_bands.size()) * (bandHeight + bandGap);
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRect(area.left(), axisY, area.width(), axisHeight), Qt::AlignLeft | Qt::AlignVCenter,
                     m_spanS <= 0.0
                         ? QDateTime::fromMSecsSinceEpoch(from).toString(QStringLiteral("HH:mm:ss"))
                         : tr("%1 ago").arg(m_spanS >= 3600.0 ? tr("%1 h").arg(m_spanS / 3600.0, 0, 'g', 3)
                                                              : tr("%1 min").arg(m_spanS / 60.0, 0, 'g', 3)));
    painter.drawText(QRect(area.left(), axisY, area.width(), axisHeight), Qt::AlignRight | Qt::AlignVCenter, tr("now"));
}

bool MonitorTimeline::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const auto *help = static_cast<QHelpEvent *>(event);
    const int band = bandAt(help->pos().y());
    if (band < 0) {
        QToolTip::hideText();
        return true;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 from = std::max(shownFromMs(now), m_bands.at(band).segments.first().fromMs);
    QToolTip::showText(help->globalPos(),
                       tr("%1: now %2; over the span shown %3% healthy, %4% degraded, %5% down")
                           .arg(m_bands.at(band).name, QString(healthStateName(m_bands.at(band).segments.last().state)))
                           .arg(shareIn(band, HealthState::Healthy, from, now) * 100.0, 0, 'f', 1)
                           .arg(shareIn(band, HealthState::Degraded, from, now) * 100.0, 0, 'f', 1)
                           .arg(shareIn(band, HealthState::Down, from, now) * 100.0, 0, 'f', 1),
                       this);
    return true;
}

} // namespace relaybench
