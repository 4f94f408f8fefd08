#include "app/chartstyle.h"
#include "app/latencyhistogramchart.h"

#include <QChart>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QTest>

#include <cmath>
#include <map>
#include <random>

using namespace relaybench;

using BinCounts = std::map<int, quint64>;
Q_DECLARE_METATYPE(BinCounts)

// The latency histogram: fine log-linear buckets regrouped into 8 bins per decade, and one solid (total
// latency) and one dashed (TTFT) step line per target.
class TestHistogramChart : public QObject
{
    Q_OBJECT

private slots:
    void regroupCountsEachValueInItsBin_data();
    void regroupCountsEachValueInItsBin();
    void totalAndTtftSeriesPerTarget_data();
    void totalAndTtftSeriesPerTarget();
    void updateIsCheapWithAMillionValues();
};

namespace {

LogLinearHistogram histogramOf(const QList<double> &values)
{
    LogLinearHistogram histogram;
    for (double value : values)
        histogram.record(value);
    return histogram;
}

QList<double> repeated(double value, int times)
{
    return QList<double>(times, value);
}

// The sum of the flat tops of a step outline: the shares of every bin, 100% for a non-empty histogram.
double sumOfShares(const QList<QPointF> &points)
{
    double sum = 0.0;
    for (qsizetype i = 1; i + 1 < points.size(); i += 2)
        sum += points.at(i).y();
    return sum;
}

} // namespace

void TestHistogramChart::regroupCountsEachValueInItsBin_data()
{
    // Bin k covers [10^(k/8), 10^((k+1)/8)) ms; the values sit well inside their bins.
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<BinCounts>("expected");
    QTest::addRow("empty") << QList<double>() << BinCounts{};
    QTest::addRow("one value, 50 ms") << QList<double>{50.0} << BinCounts{{13, 1}};
    QTest::addRow("1.1, 2 and 50 ms") << (repeated(1.1, 3) + repeated(2.0, 2) + repeated(50.0, 5))
                                      << BinCounts{{0, 3}, {2, 2}, {13, 5}};
    QTest::addRow("below a millisecond and over a second")
        << (repeated(0.5, 4) + repeated(1200.0, 1) + repeated(30000.0, 2)) << BinCounts{{-3, 4}, {24, 1}, {35, 2}};
    QTest::addRow("one bin, spread inside it") << QList<double>{10.5, 11.0, 12.0, 13.0} << BinCounts{{8, 4}};
}

void TestHistogramChart::regroupCountsEachValueInItsBin()
{
    QFETCH(QList<double>, values);
    QFETCH(BinCounts, expected);
    const QVector<LatencyBin> bins = LatencyHistogramChart::regroup(histogramOf(values));
    if (expected.empty()) {
        QVERIFY(bins.isEmpty());
        return;
    }
    QCOMPARE(bins.first().index, expected.begin()->first);
    QCOMPARE(bins.last().index, expected.rbegin()->first);
    quint64 total = 0;
    for (qsizetype i = 0; i < bins.size(); ++i) {
        const LatencyBin &bin = bins.at(i);
        QCOMPARE(bin.index, bins.first().index + int(i)); // contiguous: empty bins between are listed
        QVERIFY(qFuzzyCompare(bin.lowerMs, std::pow(10.0, bin.index / 8.0)));
        QVERIFY(qFuzzyCompare(bin.upperMs, std::pow(10.0, (bin.index + 1) / 8.0)));
        const auto want = expected.find(bin.index);
        QCOMPARE(bin.count, want == expected.end() ? quint64(0) : want->second);
        total += bin.count;
    }
    QCOMPARE(total, quint64(values.size()));
}

void TestHistogramChart::totalAndTtftSeriesPerTarget_data()
{
    QTest::addColumn<int>("targets");
    QTest::addColumn<bool>("streamed"); // not streamed: no TTFT, its series stays empty
    QTest::addRow("one target") << 1 << true;
    QTest::addRow("two targets") << 2 << true;
    QTest::addRow("three targets, not streamed") << 3 << false;
}

void TestHistogramChart::totalAndTtftSeriesPerTarget()
{
    QFETCH(int, targets);
    QFETCH(bool, streamed);
    LatencyHistogramChart chart;
    QStringList names;
    LiveSnapshot snapshot;
    snapshot.version = 1;
    for (int t = 0; t < targets; ++t) {
        names << QStringLiteral("target %1").arg(t);
        LiveTarget target;
        target.name = names.last();
        // Target t: latencies at 20 * (t + 1) ms and 300 ms, TTFTs at 5 ms.
        target.latencyMs = histogramOf(repeated(20.0 * (t + 1), 6) + repeated(300.0, 4));
        if (streamed)
            target.ttftMs = histogramOf(repeated(5.0, 10));
        snapshot.targets.append(target);
    }
    chart.setTargets(names);
    chart.update(snapshot);

    QCOMPARE(int(chart.latencySeries().size()), targets);
    QCOMPARE(int(chart.ttftSeries().size()), targets);
    QCOMPARE(int(chart.chart()->series().size()), 2 * targets);
    QVERIFY(chart.chart()->legend()->isVisible());
    for (int t = 0; t < targets; ++t) {
        QLineSeries *latency = chart.latencySeries().at(size_t(t));
        QLineSeries *ttft = chart.ttftSeries().at(size_t(t));
        QVERIFY(latency->name().contains(names.at(t)));
        QVERIFY(ttft->name().contains(names.at(t)));
        QCOMPARE(latency->pen().color(), targetColor(t));
        QCOMPARE(ttft->pen().color(), targetColor(t));
        QCOMPARE(latency->pen().style(), Qt::SolidLine);
        QCOMPARE(ttft->pen().style(), Qt::DashLine);
        QCOMPARE(qRound(sumOfShares(latency->points())), 100);
        // The 300 ms bin (bin 19: [237, 316) ms) holds 40% of the target's successes.
        int tops300 = 0;
        for (const QPointF &point : latency->points()) {
            if (qFuzzyCompare(point.x(), std::pow(10.0, 19 / 8.0)) && point.y() > 0.0) {
                QCOMPARE(qRound(point.y()), 40);
                ++tops300;
            }
        }
        QCOMPARE(tops300, 1);
        if (streamed) {
            QCOMPARE(qRound(sumOfShares(ttft->points())), 100);
        } else {
            QCOMPARE(ttft->count(), 0);
        }
    }
    // One x range for all: from the decade below the lowest value to the one above the highest.
    auto *x = qobject_cast<QLogValueAxis *>(chart.chart()->axes(Qt::Horizontal).first());
    QVERIFY(x);
    QVERIFY(x->titleText().contains(QLatin1String("ms")));
    QVERIFY(x->min() <= (streamed ? 5.0 : 20.0));
    QVERIFY(x->max() >= 300.0);
    QVERIFY(!chart.chart()->axes(Qt::Vertical).first()->titleText().isEmpty());
}

void TestHistogramChart::updateIsCheapWithAMillionValues()
{
    // Two targets, each a million latencies and TTFTs spread log-normally over 1 ms .. 100 s.
    std::mt19937_64 random(42);
    std::lognormal_distribution<double> spread(std::log(300.0), 2.0);
    LiveSnapshot snapshot;
    for (int t = 0; t < 2; ++t) {
        LiveTarget target;
        for (int i = 0; i < 1000000; ++i) {
            const double latency = std::clamp(spread(random), 1.0, 100000.0);
            target.latencyMs.record(latency);
            target.ttftMs.record(latency / 3.0);
        }
        snapshot.targets.append(target);
    }
    LatencyHistogramChart chart;
    chart.setTargets({QStringLiteral("a"), QStringLiteral("b")});
    chart.resize(1000, 600);
    chart.show();
    constexpr int rounds = 50;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < rounds; ++i) {
        snapshot.version = quint64(i + 1); // a new version each time, so that nothing is skipped
        chart.update(snapshot);
    }
    const double updateMs = double(timer.nsecsElapsed()) / 1e6 / rounds;
    timer.restart();
    for (int i = 0; i < 10; ++i)
        chart.grab(); // a full repaint of the chart
    const double paintMs = double(timer.nsecsElapsed()) / 1e6 / 10;
    const QVector<LatencyBin> bins = LatencyHistogramChart::regroup(snapshot.targets.first().latencyMs);
    qInfo("update() with 2 targets x 2 histograms of 1,000,000 values (%zu fine buckets, %lld bins): %.3f ms; "
          "repaint at 1000x600: %.1f ms",
          snapshot.targets.first().latencyMs.buckets().size(), qlonglong(bins.size()), updateMs, paintMs);
    QVERIFY(bins.size() >= 35 && bins.size() <= 45); // 1 ms .. 100 s at 8 bins per decade
    QVERIFY2(updateMs < 20.0, qPrintable(QStringLiteral("update took %1 ms").arg(updateMs))); // 10 Hz: 100 ms
}

QTEST_MAIN(TestHistogramChart)
#include "tst_histogramchart.moc"
