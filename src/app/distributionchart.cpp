#include "distributionchart.h"

#include "chartstyle.h"

#include <QApplication>
#include <QChart>
#include <QJsonArray>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPalette>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>

namespace relaybench {

namespace {

// The log axis cannot show 0; a TTFT of 0 ms would be a bug elsewhere, but must not break the chart.
constexpr double smallestMs = 0.01;

// The exact nearest-rank figure from summary.json when there is one, else the histogram's (within 1/64).
double percentileOf(const QJsonObject &summaryTarget, const char *key, const LogLinearHistogram &histogram,
                    double percent)
{
    const QJsonValue exact = summaryTarget.value(QLatin1String("latency_ms")).toObject().value(QLatin1String(key));
    return exact.isDouble() ? exact.toDouble() : histogram.percentile(percent);
}

// Marker labels read "p95: 812 ms" (the label shows the point's x): whole milliseconds beyond 100 ms,
// tenths below, so the marker stays on the curve.
double labelRounded(double ms)
{
    return ms >= 100.0 ? std::round(ms) : std::round(ms * 10.0) / 10.0;
}

} // namespace

DistributionChart::DistributionChart(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    m_ms = new QLogValueAxis(this);
    m_ms->setTitleText(tr("latency (solid) and TTFT (dashed), ms, log scale"));
    m_ms->setBase(10.0);
    m_ms->setLabelFormat(QStringLiteral("%g"));
    m_ms->setMinorTickCount(8); // 2, 3, ... 9 within each decade
    m_share = new QValueAxis(this);
    m_share->setTitleText(tr("share of successful attempts (%)"));
    m_share->setRange(0.0, 100.0);
    m_share->setTickCount(11);
    m_share->setLabelFormat(QStringLiteral("%.0f"));
    chart()->addAxis(m_ms, Qt::AlignBottom);
    chart()->addAxis(m_share, Qt::AlignLeft);
    styleChart(chart(), tr("Latency distribution (cumulative)"));
    // Line samples in the legend, so that solid latency and dashed TTFT read apart.
    chart()->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    m_ms->setRange(1.0, 10000.0);
}

QList<QPointF> DistributionChart::cumulativePoints(const LogLinearHistogram &histogram, int maxPoints)
{
    QList<QPointF> all;
    if (histogram.count() == 0)
        return all;
    const double total = double(histogram.count());
    const double first = std::max(smallestMs, histogram.min());
    const double last = std::max(first, histogram.max());
    all.append(QPointF(first, 0.0));
    quint64 seen = 0;
    const std::vector<quint64> &buckets = histogram.buckets();
    for (size_t i = 0; i < buckets.size(); ++i) {
        if (buckets[i] == 0)
            continue;
        seen += buckets[i];
        // Everything in the bucket is at or below its upper bound (and at or below the largest value).
        const double x = std::clamp(LogLinearHistogram::lowerBound(int(i) + 1), first, last);
        all.append(QPointF(x, double(seen) / total * 100.0));
    }
    maxPoints = std::max(2, maxPoints);
    if (all.size() <= maxPoints)
        return all;
    // Every stride-th point, plus the last: the CDF is monotonic, so straight lines between kept points stay
    // within one stride of buckets of the true curve.
    const qsizetype stride = (all.size() - 2 + (maxPoints - 2) - 1) / (maxPoints - 2);
    QList<QPointF> kept;
    kept.reserve(maxPoints);
    for (qsizetype i = 0; i < all.size() - 1; i += stride)
        kept.append(all.at(i));
    kept.append(all.last());
    return kept;
}

void DistributionChart::clear()
{
    chart()->removeAllSeries();
    m_latency.clear();
    m_ttft.clear();
    m_markers.clear();
    m_ms->setRange(1.0, 10000.0);
}

void DistributionChart::setRun(const RunResult &run)
{
    clear();
    const QJsonArray summaryTargets = run.summary.value(QLatin1String("targets")).toArray();
    const QColor labelColor = QApplication::palette().color(QPalette::Text);
    double lowest = 0.0;
    double highest = 0.0;
    for (int t = 0; t < run.live.targets.size(); ++t) {
        const LiveTarget &target = run.live.targets.at(t);
        const QColor color = targetColor(t);

        auto *latency = new QLineSeries;
        latency->setName(tr("%1 latency").arg(target.name.toHtmlEscaped())); // legends render rich text
        latency->setPen(QPen(color, 2.0, Qt::SolidLine));
        auto *ttft = new QLineSeries;
        ttft->setName(tr("%1 TTFT").arg(target.name.toHtmlEscaped())); // legends render rich text
        ttft->setPen(QPen(color, 2.0, Qt::DashLine));

        const QList<QPointF> latencyPoints = cumulativePoints(target.latencyMs);
        const QList<QPointF> ttftPoints = cumulativePoints(target.ttftMs);
        for (const QList<QPointF> *points : {&latencyPoints, &ttftPoints}) {
            if (points->isEmpty())
                continue;
            lowest = lowest > 0.0 ? std::min(lowest, points->first().x()) : points->first().x();
            highest = std::max(highest, points->last().x());
        }

        // p50 / p95 / p99 of the total latency, labelled: where a CDF crosses those lines is hard to read by eye.
        auto *markers = new QScatterSeries;
        markers->setName(tr("%1 p50 / p95 / p99").arg(target.name.toHtmlEscaped())); // legends render rich text
        markers->setMarkerSize(8.0);
        markers->setColor(color);
        markers->setBorderColor(labelColor);
        markers->setPointLabelsFormat(QStringLiteral("p@yPoint: @xPoint ms"));
        markers->setPointLabelsColor(labelColor);
        markers->setPointLabelsClipping(false);
        markers->setPointLabelsVisible(true);
        QList<QPointF> percentilePoints;
        if (target.latencyMs.count() > 0) {
            const QJsonObject summaryTarget = summaryTargets.at(t).toObject();
            static const std::array<std::pair<const char *, double>, 3> levels = {
                {{"p50", 50.0}, {"p95", 95.0}, {"p99", 99.0}}};
            for (const auto &[key, percent] : levels)
                percentilePoints.append(QPointF(
                    std::max(smallestMs, labelRounded(percentileOf(summaryTarget, key, target.latencyMs, percent))),
                    percent));
        }

        for (QXYSeries *series : std::initializer_list<QXYSeries *>{latency, ttft, markers}) {
            chart()->addSeries(series);
            series->attachAxis(m_ms);
            series->attachAxis(m_share);
        }
        latency->replace(latencyPoints);
        ttft->replace(ttftPoints);
        markers->replace(percentilePoints);
        // The legend names the lines; the markers explain themselves through their labels. A target with
        // nothing successful keeps its empty series (so indices and colours line up) under one legend entry.
        if (latencyPoints.isEmpty())
            latency->setName(
                tr("%1: no successful attempts").arg(target.name.toHtmlEscaped())); // legends render rich text
        for (QXYSeries *hidden : std::initializer_list<QXYSeries *>{markers, ttft}) {
            if (hidden == ttft && !ttftPoints.isEmpty())
                continue;
            const auto legendMarkers = chart()->legend()->markers(hidden);
            for (QLegendMarker *marker : legendMarkers)
                marker->setVisible(false);
        }
        m_latency.append(latency);
        m_ttft.append(ttft);
        m_markers.append(markers);
    }
    if (highest > 0.0) {
        const double fromDecade = std::floor(std::log10(lowest));
        const double toDecade = std::max(fromDecade + 1.0, std::ceil(std::log10(highest)));
        m_ms->setRange(std::pow(10.0, fromDecade), std::pow(10.0, toDecade));
    }
    restyleChart(chart());
}

} // namespace relaybench
