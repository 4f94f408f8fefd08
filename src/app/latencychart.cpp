#include "latencychart.h"

#include "chartstyle.h"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <map>

namespace relaybench {

namespace {
constexpr double windowS = 1.0;
} // namespace

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
    styleChart(chart(), tr("Latency over time"));
}

void LatencyChart::setTargets(const QStringList &names)
{
    chart()->removeAllSeries();
    m_points.clear();
    m_p95.clear();
    for (int i = 0; i < names.size(); ++i) {
        auto *points = new QScatterSeries;
        points->setName(names.at(i));
        points->setMarkerSize(5.0);
        points->setColor(targetColor(i));
        points->setBorderColor(targetColor(i));
        auto *p95 = new QLineSeries;
        p95->setName(tr("%1 p95 (1 s windows)").arg(names.at(i)));
        QPen pen(targetColor(i).darker(140));
        pen.setWidthF(2.0);
        p95->setPen(pen);
        for (QXYSeries *series : {static_cast<QXYSeries *>(points), static_cast<QXYSeries *>(p95)}) {
            chart()->addSeries(series);
            series->attachAxis(m_time);
            series->attachAxis(m_latency);
        }
        m_points.push_back(points);
        m_p95.push_back(p95);
    }
    m_failures = new QScatterSeries;
    m_failures->setName(tr("failed attempts"));
    m_failures->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_failures->setMarkerSize(6.0);
    m_failures->setColor(QColor(0xd6, 0x27, 0x28));
    m_failures->setBorderColor(QColor(0xd6, 0x27, 0x28));
    chart()->addSeries(m_failures);
    m_failures->attachAxis(m_time);
    m_failures->attachAxis(m_latency);
    m_time->setRange(0.0, 10.0);
    m_latency->setRange(1.0, 10000.0);
}

void LatencyChart::update(const LiveSnapshot &snapshot)
{
    double maxTime = 10.0;
    double minLatency = 1e9;
    double maxLatency = 0.0;
    QList<QPointF> failures;
    for (int t = 0; t < snapshot.targets.size() && size_t(t) < m_points.size(); ++t) {
        QList<QPointF> points;
        std::map<int, std::vector<float>> windows;
        for (const LivePoint &point : snapshot.targets.at(t).recentPoints) {
            const QPointF xy(point.endS, std::max(0.1f, point.latencyMs));
            (point.outcome == Outcome::Ok ? points : failures).append(xy);
            if (point.outcome == Outcome::Ok)
                windows[int(point.endS / windowS)].push_back(point.latencyMs);
            maxTime = std::max(maxTime, double(point.endS));
            minLatency = std::min(minLatency, xy.y());
            maxLatency = std::max(maxLatency, xy.y());
        }
        QList<QPointF> p95;
        for (auto &[window, values] : windows) {
            std::sort(values.begin(), values.end());
            const size_t rank = size_t(std::ceil(0.95 * double(values.size())));
            p95.append(QPointF((window + 0.5) * windowS, double(values[std::max<size_t>(rank, 1) - 1])));
        }
        m_points[size_t(t)]->replace(points);
        m_p95[size_t(t)]->replace(p95);
    }
    m_failures->replace(failures);
    m_time->setRange(0.0, std::ceil(maxTime * 1.05));
    if (maxLatency > 0.0)
        m_latency->setRange(std::pow(10.0, std::floor(std::log10(minLatency))),
                            std::pow(10.0, std::ceil(std::log10(maxLatency))));
}

} // namespace relaybench
