#include "latencychart.h"

#include "chartstyle.h"

#include <QChart>
#include <QImage>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>

namespace relaybench {

LatencyChart::LatencyChart(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    m_time = new QValueAxis(this);
    m_time->setTitleText(tr("time since start (s)"));
    m_time->setLabelFormat(QStringLiteral("%.0f"));
    m_latency = new QLogValueAxis(this);
    m_latency->setTitleText(tr("latency (ms, log scale)"));
    m_latency->setBase(10.0);
    m_latency->setLabelFormat(QStringLiteral("%g"));
    chart()->addAxis(m_time, Qt::AlignBottom);
    chart()->addAxis(m_latency, Qt::AlignLeft);
    styleChart(chart(), tr("Latency over time: each attempt a point; p50 dotted, p95 solid, p99 dashed per second"));
}

namespace {

// Points are line series without a line, marked with "light markers": Qt Charts paints an image per point
// in one paint() call, where a QScatterSeries makes a QGraphicsItem per point (~150 ms a refresh for 10,000).
QImage markerImage(const QColor &color, int size, bool square)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    if (square)
        painter.drawRect(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
    else
        painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
    return image;
}

} // namespace

void LatencyChart::setTargets(const QStringList &names)
{
    chart()->removeAllSeries();
    m_points.clear();
    m_percentiles.clear();
    // p50 dotted, p95 solid, p99 dashed: one colour per target, the line style tells the percentile.
    static const std::array<std::pair<const char *, Qt::PenStyle>, 3> lines = {
        {{"p50", Qt::DotLine}, {"p95", Qt::SolidLine}, {"p99", Qt::DashLine}}};
    for (int i = 0; i < names.size(); ++i) {
        auto *points = new QLineSeries;
        points->setName(names.at(i).toHtmlEscaped()); // legends render names as rich text
        points->setPen(Qt::NoPen);
        points->setColor(targetColor(i));
        points->setPointsVisible(true);
        points->setMarkerSize(7.0);
        points->setLightMarker(markerImage(targetColor(i), 7, false));
        std::vector<QXYSeries *> series{points};
        std::array<QLineSeries *, 3> percentiles{};
        for (size_t k = 0; k < lines.size(); ++k) {
            auto *line = new QLineSeries;
            line->setName(tr("%1 %2").arg(names.at(i).toHtmlEscaped(), QLatin1String(lines[k].first)));
            line->setPen(QPen(targetColor(i).darker(140), 2.0, lines[k].second));
            percentiles[k] = line;
            series.push_back(line);
        }
        for (QXYSeries *one : series) {
            chart()->addSeries(one);
            one->attachAxis(m_time);
            one->attachAxis(m_latency);
        }
        m_points.push_back(points);
        m_percentiles.push_back(percentiles);
    }
    m_failures = new QLineSeries;
    m_failures->setName(tr("failed attempts"));
    m_failures->setPen(Qt::NoPen);
    m_failures->setColor(QColor(0xd6, 0x27, 0x28));
    m_failures->setPointsVisible(true);
    m_failures->setMarkerSize(7.0);
    m_failures->setLightMarker(markerImage(QColor(0xd6, 0x27, 0x28), 7, true));
    chart()->addSeries(m_failures);
    m_failures->attachAxis(m_time);
    m_failures->attachAxis(m_latency);
    m_time->setRange(0.0, 10.0);
    m_latency->setRange(1.0, 10000.0);
}

qsizetype LatencyChart::pointCount() const
{
    qsizetype count = m_failures ? m_failures->count() : 0;
    for (const QLineSeries *points : m_points)
        count += points->count();
    return count;
}

void LatencyChart::update(const LiveSnapshot &snapshot)
{
    double maxTime = 10.0;
    double minLatency = 1e9;
    double maxLatency = 0.0;
    QList<QPointF> failures;
    for (int t = 0; t < snapshot.targets.size() && size_t(t) < m_points.size(); ++t) {
        const LiveTarget &target = snapshot.targets.at(t);
        QList<QPointF> points;
        // The newest maxDrawnPoints attempts: painting costs per point, and older ones are in the lines.
        const qsizetype first = std::max<qsizetype>(0, target.recentPoints.size() - maxDrawnPoints);
        for (qsizetype i = first; i < target.recentPoints.size(); ++i) {
            const LivePoint &point = target.recentPoints.at(i);
            const QPointF xy(point.endS, std::max(0.1f, point.latencyMs));
            (point.outcome == Outcome::Ok ? points : failures).append(xy);
            minLatency = std::min(minLatency, xy.y());
            maxLatency = std::max(maxLatency, xy.y());
        }
        m_points[size_t(t)]->replace(points);
        // The rolling lines cover the whole run from the per-second figures. Beyond maxLinePoints seconds,
        // every stride-th second is drawn (each still an exact per-second figure), so a frame stays cheap.
        const qsizetype seconds = target.seconds.size();
        const qsizetype stride = std::max<qsizetype>(1, (seconds + maxLinePoints - 1) / maxLinePoints);
        std::array<QList<QPointF>, 3> lines;
        for (qsizetype s = 0; s < seconds; s += stride) {
            const LiveSecond &second = target.seconds.at(s);
            const std::array<float, 3> values{second.latencyP50Ms, second.latencyP95Ms, second.latencyP99Ms};
            for (size_t k = 0; k < values.size(); ++k)
                if (!std::isnan(values[k]))
                    lines[k].append(QPointF(double(s) + 0.5, std::max(0.1, double(values[k]))));
        }
        for (size_t k = 0; k < lines.size(); ++k)
            m_percentiles[size_t(t)][k]->replace(lines[k]);
        maxTime = std::max(maxTime, double(seconds));
    }
    m_failures->replace(failures);
    m_time->setRange(0.0, std::ceil(maxTime * 1.05));
    if (maxLatency > 0.0)
        m_latency->setRange(std::pow(10.0, std::floor(std::log10(minLatency))),
                            std::pow(10.0, std::ceil(std::log10(maxLatency))));
}

} // namespace relaybench
