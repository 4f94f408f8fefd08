#include "latencyhistogramchart.h"

#include "chartstyle.h"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace relaybench {

namespace {

constexpr double lowestEdgeMs = 0.001; // the histogram's bucket 0 (below 1 µs) is drawn from here

int binOfBucket(int bucket)
{
    const double lower = std::max(lowestEdgeMs, LogLinearHistogram::lowerBound(bucket));
    const double upper = std::max(lowestEdgeMs, LogLinearHistogram::lowerBound(bucket + 1));
    const double middle = std::sqrt(lower * upper);
    return int(std::floor(std::log10(middle) * LatencyHistogramChart::binsPerDecade + 1e-9));
}

// Bucket -> bin for the buckets a run can fill (1 µs .. years): computed once, so that a 10 Hz refresh is only
// additions.
const std::vector<int> &binTable()
{
    static const std::vector<int> table = [] {
        std::vector<int> bins(4096);
        for (size_t i = 0; i < bins.size(); ++i)
            bins[i] = binOfBucket(int(i));
        return bins;
    }();
    return table;
}

double binEdge(int index)
{
    return std::pow(10.0, double(index) / LatencyHistogramChart::binsPerDecade);
}

// A step outline: each bin a flat top from its lower to its upper edge, down to 0 at both ends.
QList<QPointF> steps(const QVector<LatencyBin> &bins, int firstBin, int lastBin, quint64 total)
{
    QList<QPointF> points;
    if (total == 0)
        return points;
    points.reserve((lastBin - firstBin + 1) * 2 + 2);
    points.append(QPointF(binEdge(firstBin), 0.0));
    int next = 0;
    for (int index = firstBin; index <= lastBin; ++index) {
        quint64 count = 0;
        if (next < bins.size() && bins.at(next).index == index)
            count = bins.at(next++).count;
        const double share = 100.0 * double(count) / double(total);
        points.append(QPointF(binEdge(index), share));
        points.append(QPointF(binEdge(index + 1), share));
    }
    points.append(QPointF(binEdge(lastBin + 1), 0.0));
    return points;
}

} // namespace

QVector<LatencyBin> LatencyHistogramChart::regroup(const LogLinearHistogram &histogram)
{
    QVector<LatencyBin> bins;
    const std::vector<quint64> &buckets = histogram.buckets();
    const std::vector<int> &table = binTable();
    for (size_t i = 0; i < buckets.size(); ++i) {
        if (!buckets[i])
            continue;
        const int index = i < table.size() ? table[i] : binOfBucket(int(i));
        if (bins.isEmpty() || bins.last().index != index) {
            // Fill the empty bins between, so that a bin's position in the list follows from its index.
            const int from = bins.isEmpty() ? index : bins.last().index + 1;
            for (int gap = from; gap <= index; ++gap)
                bins.append(LatencyBin{gap, binEdge(gap), binEdge(gap + 1), 0});
        }
        bins.last().count += buckets[i];
    }
    return bins;
}

LatencyHistogramChart::LatencyHistogramChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_x(new QLogValueAxis(this))
    , m_y(new QValueAxis(this))
{
    setRenderHint(QPainter::Antialiasing);
    m_x->setTitleText(tr("latency (ms, log scale)"));
    m_x->setBase(10.0);
    m_x->setLabelFormat(QStringLiteral("%g"));
    m_x->setMinorTickCount(8);
    m_x->setRange(1.0, 10000.0);
    m_y->setTitleText(tr("share of the target's successful attempts per bin (%)"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setRange(0.0, 10.0);
    chart()->addAxis(m_x, Qt::AlignBottom);
    chart()->addAxis(m_y, Qt::AlignLeft);
    styleChart(chart(), tr("Latency distribution: total (solid) and time to first token (dashed)"));
}

void LatencyHistogramChart::setTargets(const QStringList &names)
{
    chart()->removeAllSeries();
    m_latency.clear();
    m_ttft.clear();
    for (int i = 0; i < names.size(); ++i) {
        auto *latency = new QLineSeries;
        latency->setName(tr("%1 latency").arg(names.at(i).toHtmlEscaped())); // legends render rich text
        latency->setPen(QPen(targetColor(i), 2.0));
        auto *ttft = new QLineSeries;
        ttft->setName(tr("%1 TTFT").arg(names.at(i).toHtmlEscaped())); // legends render rich text
        ttft->setPen(QPen(targetColor(i), 1.5, Qt::DashLine));
        for (QLineSeries *series : {latency, ttft}) {
            chart()->addSeries(series);
            series->attachAxis(m_x);
            series->attachAxis(m_y);
        }
        m_latency.push_back(latency);
        m_ttft.push_back(ttft);
    }
    m_shownAny = false;
}

void LatencyHistogramChart::update(const LiveSnapshot &snapshot)
{
    if (m_shownAny && snapshot.version == m_shownVersion)
        return; // nothing new: no redraw
    m_shownVersion = snapshot.version;
    m_shownAny = true;

    const int targets = std::min(int(snapshot.targets.size()), int(m_latency.size()));
    std::vector<QVector<LatencyBin>> latencyBins(static_cast<size_t>(targets));
    std::vector<QVector<LatencyBin>> ttftBins(static_cast<size_t>(targets));
    // One x range for every series, so that the targets line up.
    int firstBin = std::numeric_limits<int>::max();
    int lastBin = std::numeric_limits<int>::min();
    for (int t = 0; t < targets; ++t) {
        latencyBins[size_t(t)] = regroup(snapshot.targets.at(t).latencyMs);
        ttftBins[size_t(t)] = regroup(snapshot.targets.at(t).ttftMs);
        for (const QVector<LatencyBin> *bins : {&latencyBins[size_t(t)], &ttftBins[size_t(t)]}) {
            if (bins->isEmpty())
                continue;
            firstBin = std::min(firstBin, bins->first().index);
            lastBin = std::max(lastBin, bins->last().index);
        }
    }
    if (firstBin > lastBin) {
        for (QLineSeries *series : m_latency)
            series->clear();
        for (QLineSeries *series : m_ttft)
            series->clear();
        return;
    }
    double highest = 1.0;
    for (int t = 0; t < targets; ++t) {
        const LiveTarget &target = snapshot.targets.at(t);
        const QList<QPointF> latency = steps(latencyBins[size_t(t)], firstBin, lastBin, target.latencyMs.count());
        const QList<QPointF> ttft = steps(ttftBins[size_t(t)], firstBin, lastBin, target.ttftMs.count());
        for (const QList<QPointF> *points : {&latency, &ttft}) {
            for (const QPointF &point : *points)
                highest = std::max(highest, point.y());
        }
        m_latency[size_t(t)]->replace(latency);
        m_ttft[size_t(t)]->replace(ttft);
    }
    // Whole decades on the x axis, so that the log axis labels read 1, 10, 100 ...
    const double from = std::pow(10.0, std::floor(double(firstBin) / binsPerDecade));
    const double to = std::pow(10.0, std::ceil(double(lastBin + 1) / binsPerDecade));
    m_x->setRange(from, std::max(to, from * 10.0));
    m_y->setRange(0.0, std::min(100.0, highest * 1.1));
    m_y->applyNiceNumbers(); // round ticks (0, 10, 20 ...), not 0, 9, 19, 28
}

} // namespace relaybench
