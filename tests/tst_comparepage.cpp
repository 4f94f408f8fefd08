#include "enginetesthelpers.h"

#include "app/comparemodel.h"
#include "app/comparepage.h"
#include "app/distributionchart.h"

#include "engine/runcontroller.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFont>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QRandomGenerator>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

#include <cmath>
#include <limits>

using namespace relaybench;

namespace {

const QString dash = QString(QChar(0x2013));
const QString minus = QString(QChar(0x2212));
constexpr double noValue = std::numeric_limits<double>::quiet_NaN();

// The test's own reading of summary.json, written from docs/metrics.md, not from the model's code.
double expectedValue(CompareModel::Metric metric, const QJsonObject &target, double durationS)
{
    const auto get = [](const QJsonValue &v) {
        return v.isNull() || v.isUndefined() ? noValue : v.toDouble();
    };
    const QJsonValue latency = target[QLatin1String("latency_ms")];
    const QJsonValue ttft = target[QLatin1String("ttft_ms")];
    const QJsonObject outcomes = target[QLatin1String("attempt_outcomes")].toObject();
    const double attempts = target[QLatin1String("attempts")].toDouble();
    const double requests = target[QLatin1String("requests")].toDouble();
    switch (metric) {
    case CompareModel::SuccessRate:
        return get(target[QLatin1String("success_rate")]);
    case CompareModel::LatencyMean:
        return latency.isNull() ? noValue : get(latency[QLatin1String("mean")]);
    case CompareModel::LatencyP50:
        return latency.isNull() ? noValue : get(latency[QLatin1String("p50")]);
    case CompareModel::LatencyP95:
        return latency.isNull() ? noValue : get(latency[QLatin1String("p95")]);
    case CompareModel::LatencyP99:
        return latency.isNull() ? noValue : get(latency[QLatin1String("p99")]);
    case CompareModel::TtftP50:
        return ttft.isNull() ? noValue : get(ttft[QLatin1String("p50")]);
    case CompareModel::TtftP95:
        return ttft.isNull() ? noValue : get(ttft[QLatin1String("p95")]);
    case CompareModel::TimeoutRate:
        return (outcomes[QLatin1String("timeout")].toDouble() + outcomes[QLatin1String("stalled")].toDouble()) /
               attempts;
    case CompareModel::RateLimitedPerHour:
        return outcomes[QLatin1String("rate_limited")].toDouble() / (durationS / 3600.0);
    case CompareModel::OutputTokensPerS:
        return target[QLatin1String("throughput")][QLatin1String("output_tokens_per_s")].toDouble();
    case CompareModel::CostPer1kRequests:
        return target[QLatin1String("cost_usd")].toDouble() / requests * 1000.0;
    case CompareModel::Requests:
        return requests;
    case CompareModel::Attempts:
        return attempts;
    case CompareModel::CostUsd:
        return target[QLatin1String("cost_usd")].toDouble();
    default:
        return noValue;
    }
}

// "+35.2%" / "−4.0%" / "+1.2 pp", as the issue spells them.
QString signedText(double difference, const QString &unit)
{
    const double rounded = std::round(difference * 10.0) / 10.0;
    const QString sign = rounded > 0.0 ? QStringLiteral("+") : rounded < 0.0 ? minus : QStringLiteral("\u00b1");
    return sign + QString::number(std::abs(rounded), 'f', 1) + unit;
}

void setPath(QJsonObject &object, const QStringList &keys, const QJsonValue &value)
{
    if (keys.size() == 1) {
        object.insert(keys.first(), value);
        return;
    }
    QJsonObject child = object.value(keys.first()).toObject();
    setPath(child, keys.mid(1), value);
    object.insert(keys.first(), child);
}

// A summary.json with one target per value, each having only `path` set (NaN: the top-level key is null,
// as summary.json writes latency_ms when nothing succeeded).
RunResult handMadeRun(const QString &path, const QList<double> &values, double durationS)
{
    QJsonArray targets;
    for (int i = 0; i < values.size(); ++i) {
        QJsonObject target{{QStringLiteral("name"), QStringLiteral("t%1").arg(i)},
                           {QStringLiteral("model"), QStringLiteral("m")},
                           {QStringLiteral("base_url"), QStringLiteral("http://x/v1")}};
        const QStringList keys = path.split(QLatin1Char('.'));
        if (std::isnan(values.at(i)))
            target.insert(keys.first(), QJsonValue::Null);
        else
            setPath(target, keys, values.at(i));
        targets.append(target);
    }
    RunResult run;
    run.summary = QJsonObject{{QStringLiteral("campaign"), QStringLiteral("hand-made")},
                              {QStringLiteral("duration_s"), durationS},
                              {QStringLiteral("targets"), targets}};
    return run;
}

bool isBold(const QModelIndex &index)
{
    return index.data(Qt::FontRole).value<QFont>().bold();
}

} // namespace

class TestComparePage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void saysHowToGetAComparisonBeforeAnyRun();
    void valuesAreSummaryJsonExactly();
    void differencesAgainstTheBaseline();
    void bestCellIsBoldAndTinted();
    void switchingTheBaselineChangesTheDifferences();
    void nullValuesShowADash();
    void chartHoldsLatencyAndTtftPerTarget();
    void captionNamesTheRun();
    void exportsTheSameTable();
    void clearGoesBackToTheHint();
    void differenceAndBest_data();
    void differenceAndBest();
    void cumulativePointsAreDecimated();

private:
    const QJsonObject &summary() const { return m_run.summary; }

    std::unique_ptr<SimServer> m_fast;
    std::unique_ptr<SimServer> m_slow;
    RunResult m_run;
};

void TestComparePage::initTestCase()
{
    // t0: fast, no faults. t1: six times slower to the first token, one answer in five a 429, one in ten
    // hanging (ended by the 0.4 s stall timeout). t2: every request forced to a 500 by X-Sim-Fault, so nothing
    // succeeds and summary.json has null latencies for it.
    m_fast = enginetest::startSimulator("{\"ttft_ms\": 10, \"tpot_ms\": 1, \"completion_tokens\": 8}", 2);
    m_slow = enginetest::startSimulator("{\"ttft_ms\": 60, \"tpot_ms\": 3, \"completion_tokens\": 8, "
                                        "\"faults\": {\"rate_limited\": 0.2, \"hang\": 0.1}}",
                                        2);
    Campaign campaign = enginetest::campaignFor(
        {m_fast->baseUrl().toString(), m_slow->baseUrl().toString(), m_fast->baseUrl().toString()}, 4, 40);
    campaign.name = QStringLiteral("compare-test");
    campaign.targets[0].name = QStringLiteral("relay");
    campaign.targets[1].name = QStringLiteral("direct");
    campaign.targets[2].name = QStringLiteral("broken");
    campaign.targets[2].headers.append({QStringLiteral("X-Sim-Fault"), QStringLiteral("server_error")});
    campaign.timeouts.stallS = 0.4;

    RunController controller(campaign, {QString(), QString(), QString()});
    QSignalSpy finished(&controller, &RunController::finished);
    controller.start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toString(), QString());
    m_run = RunResult{campaign, controller.summary(), controller.snapshot(), QString()};
    QCOMPARE(summary()[QLatin1String("targets")].toArray().size(), 3);
    QCOMPARE(m_run.live.targets.size(), 3);
    const QJsonObject direct = summary()[QLatin1String("targets")][1].toObject();
    // The run is what the test needs: the slow target did see 429s and failures.
    QVERIFY(direct[QLatin1String("attempt_outcomes")][QLatin1String("rate_limited")].toInt() > 0);
    QVERIFY(direct[QLatin1String("success_rate")].toDouble() < 1.0);
    QVERIFY(summary()[QLatin1String("targets")][2][QLatin1String("latency_ms")].isNull());
    qInfo("relay vs direct: success %.3f / %.3f, latency p95 %.1f / %.1f ms, 429s %d, stalled %d, duration %.2f s",
          summary()[QLatin1String("targets")][0][QLatin1String("success_rate")].toDouble(),
          direct[QLatin1String("success_rate")].toDouble(),
          summary()[QLatin1String("targets")][0][QLatin1String("latency_ms")][QLatin1String("p95")].toDouble(),
          direct[QLatin1String("latency_ms")][QLatin1String("p95")].toDouble(),
          direct[QLatin1String("attempt_outcomes")][QLatin1String("rate_limited")].toInt(),
          direct[QLatin1String("attempt_outcomes")][QLatin1String("stalled")].toInt(),
          summary()[QLatin1String("duration_s")].toDouble());
}

void TestComparePage::saysHowToGetAComparisonBeforeAnyRun()
{
    ComparePage page;
    page.show();
    auto *hint = page.findChild<QLabel *>(QStringLiteral("emptyLabel"));
    QVERIFY(hint);
    QVERIFY(hint->isVisible());
    QCOMPARE(hint->text(), QStringLiteral("Run a campaign to compare its targets here."));
    QVERIFY(!page.findChild<QTableView *>(QStringLiteral("table"))->isVisible());
    QCOMPARE(page.model()->rowCount(), 0);
    QCOMPARE(page.distributionChart()->targetCount(), 0);
}

void TestComparePage::valuesAreSummaryJsonExactly()
{
    ComparePage page;
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.setRun(m_run);
    CompareModel *model = page.model();
    QCOMPARE(model->rowCount(), int(CompareModel::MetricCount));
    QCOMPARE(model->columnCount(), 3);
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("relay (baseline)"));
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("direct"));
    const double durationS = summary()[QLatin1String("duration_s")].toDouble();
    const QJsonArray targets = summary()[QLatin1String("targets")].toArray();
    for (int t = 0; t < 3; ++t) {
        for (int metric = 0; metric < CompareModel::MetricCount; ++metric) {
            const double expected = expectedValue(CompareModel::Metric(metric), targets.at(t).toObject(), durationS);
            const QVariant raw = model->index(metric, t).data(CompareModel::RawValueRole);
            const QByteArray where =
                CompareModel::metricName(CompareModel::Metric(metric)).toUtf8() + " of t" + QByteArray::number(t);
            if (std::isnan(expected)) {
                QVERIFY2(!raw.isValid(), where.constData());
                continue;
            }
            QVERIFY2(raw.isValid(), where.constData());
            QVERIFY2(raw.toDouble() == expected, QByteArray(where + ": " + QByteArray::number(raw.toDouble(), 'g', 17) +
                                                            " != " + QByteArray::number(expected, 'g', 17))
                                                     .constData());
            // Every cell says what it is and carries its raw value in the tooltip.
            const QString tip = model->index(metric, t).data(Qt::ToolTipRole).toString();
            QVERIFY2(tip.contains(QString::number(expected, 'g', 15)), qPrintable(tip));
        }
    }
    // Spot checks of the display against summary.json's figures.
    const double p95 = targets.at(0)[QLatin1String("latency_ms")][QLatin1String("p95")].toDouble();
    QVERIFY2(model->index(CompareModel::LatencyP95, 0).data().toString() == QString::number(p95, 'f',
                                                                                            p95 < 10.0    ? 2
                                                                                            : p95 < 100.0 ? 1
                                                                                                          : 0) +
                                                                                QStringLiteral(" ms"),
             qPrintable(model->index(CompareModel::LatencyP95, 0).data().toString()));
    QCOMPARE(model->index(CompareModel::Requests, 1).data().toString().section(QLatin1Char(' '), 0, 0),
             QStringLiteral("40"));
    QVERIFY(model->index(CompareModel::LatencyP95, 0)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("end_ms − sent_ms")));
}

void TestComparePage::differencesAgainstTheBaseline()
{
    ComparePage page;
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.setRun(m_run);
    CompareModel *model = page.model();
    const QJsonArray targets = summary()[QLatin1String("targets")].toArray();
    const auto p95 = [&](int t) {
        return targets.at(t)[QLatin1String("latency_ms")][QLatin1String("p95")].toDouble();
    };
    // Relative difference, by hand: the slow target against the fast baseline.
    const double byHand = (p95(1) - p95(0)) / p95(0) * 100.0;
    QVERIFY(byHand > 0.0);
    QCOMPARE(model->index(CompareModel::LatencyP95, 1).data(CompareModel::DifferenceRole).toDouble(), byHand);
    const QString cell = model->index(CompareModel::LatencyP95, 1).data().toString();
    QVERIFY2(cell.endsWith(QStringLiteral(" (") + signedText(byHand, QStringLiteral("%")) + QLatin1Char(')')),
             qPrintable(cell));
    // The baseline's own cell has no difference.
    QVERIFY(!model->index(CompareModel::LatencyP95, 0).data(CompareModel::DifferenceRole).isValid());
    QVERIFY(!model->index(CompareModel::LatencyP95, 0).data().toString().contains(QLatin1Char('(')));
    // Rates in percentage points.
    const auto rate = [&](int t) {
        return targets.at(t)[QLatin1String("success_rate")].toDouble();
    };
    const double points = (rate(1) - rate(0)) * 100.0;
    QCOMPARE(model->index(CompareModel::SuccessRate, 1).data(CompareModel::DifferenceRole).toDouble(), points);
    const QString rateCell = model->index(CompareModel::SuccessRate, 1).data().toString();
    QVERIFY2(rateCell.endsWith(QStringLiteral(" (") + signedText(points, QStringLiteral(" pp")) + QLatin1Char(')')),
             qPrintable(rateCell));
    QVERIFY(rateCell.contains(minus)); // the slow target lost requests to 429s and hangs
    QVERIFY(model->headerData(CompareModel::SuccessRate, Qt::Vertical, Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("percentage points")));
    QVERIFY(model->headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QLatin1String("pp")));
}

void TestComparePage::bestCellIsBoldAndTinted()
{
    ComparePage page;
    page.setRun(m_run);
    CompareModel *model = page.model();
    // The fast, fault-free target wins on latency, TTFT and success; the broken one (no latency) never wins.
    for (int metric :
         {CompareModel::LatencyP50, CompareModel::LatencyP95, CompareModel::TtftP50, CompareModel::SuccessRate}) {
        const QModelIndex best = model->index(metric, 0);
        QVERIFY2(isBold(best), qPrintable(CompareModel::metricName(CompareModel::Metric(metric))));
        QVERIFY(best.data(Qt::BackgroundRole).isValid());
        QVERIFY(best.data(CompareModel::IsBestRole).toBool());
        QVERIFY(!isBold(model->index(metric, 1)));
        QVERIFY(!model->index(metric, 1).data(Qt::BackgroundRole).isValid());
        QVERIFY(!isBold(model->index(metric, 2)));
    }
    // 429s per hour: the two targets without any tie at 0 and are both best; the slow one is not.
    QVERIFY(isBold(model->index(CompareModel::RateLimitedPerHour, 0)));
    QVERIFY(isBold(model->index(CompareModel::RateLimitedPerHour, 2)));
    QVERIFY(!isBold(model->index(CompareModel::RateLimitedPerHour, 1)));
    // Sample sizes are not a quality: all three ran 40 requests, and nobody "wins" requests anyway.
    for (int t = 0; t < 3; ++t)
        QVERIFY(!isBold(model->index(CompareModel::Requests, t)));
}

void TestComparePage::switchingTheBaselineChangesTheDifferences()
{
    ComparePage page;
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.setRun(m_run);
    CompareModel *model = page.model();
    auto *combo = page.findChild<QComboBox *>(QStringLiteral("baselineCombo"));
    QCOMPARE(combo->count(), 3);
    QCOMPARE(combo->currentIndex(), 0);
    const QString before = model->index(CompareModel::LatencyP95, 0).data().toString();
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    combo->setCurrentIndex(1);
    QCOMPARE(model->baseline(), 1);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("direct (baseline)"));
    const QJsonArray targets = summary()[QLatin1String("targets")].toArray();
    const double p95fast = targets.at(0)[QLatin1String("latency_ms")][QLatin1String("p95")].toDouble();
    const double p95slow = targets.at(1)[QLatin1String("latency_ms")][QLatin1String("p95")].toDouble();
    const double byHand = (p95fast - p95slow) / p95slow * 100.0;
    QCOMPARE(model->index(CompareModel::LatencyP95, 0).data(CompareModel::DifferenceRole).toDouble(), byHand);
    const QString after = model->index(CompareModel::LatencyP95, 0).data().toString();
    QVERIFY(after != before);
    QVERIFY2(after.endsWith(QStringLiteral(" (") + signedText(byHand, QStringLiteral("%")) + QLatin1Char(')')),
             qPrintable(after));
    QVERIFY(after.contains(minus));
    QVERIFY(!model->index(CompareModel::LatencyP95, 1).data(CompareModel::DifferenceRole).isValid());
    // Best does not depend on the baseline.
    QVERIFY(isBold(model->index(CompareModel::LatencyP95, 0)));
    // Against a baseline with nothing measured, there is no difference to show.
    combo->setCurrentIndex(2);
    QVERIFY(!model->index(CompareModel::LatencyP95, 0).data(CompareModel::DifferenceRole).isValid());
    QVERIFY(!model->index(CompareModel::LatencyP95, 0).data().toString().contains(QLatin1Char('(')));
}

void TestComparePage::nullValuesShowADash()
{
    ComparePage page;
    page.setRun(m_run);
    CompareModel *model = page.model();
    for (int metric : {CompareModel::LatencyMean, CompareModel::LatencyP50, CompareModel::LatencyP95,
                       CompareModel::LatencyP99, CompareModel::TtftP50, CompareModel::TtftP95}) {
        const QModelIndex cell = model->index(metric, 2);
        QCOMPARE(cell.data().toString(), dash);
        QVERIFY(!cell.data(CompareModel::RawValueRole).isValid());
        QVERIFY(!cell.data(CompareModel::IsBestRole).toBool());
        QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(QLatin1String("No value")));
    }
    // Nothing failed on the broken target's count side: its success rate is a real 0%, not a dash.
    QCOMPARE(model->index(CompareModel::SuccessRate, 2).data(CompareModel::RawValueRole).toDouble(), 0.0);
}

void TestComparePage::chartHoldsLatencyAndTtftPerTarget()
{
    ComparePage page;
    page.setRun(m_run);
    DistributionChart *chart = page.distributionChart();
    QCOMPARE(chart->targetCount(), 3);
    for (int t = 0; t < 2; ++t) {
        QLineSeries *latency = chart->latencySeries(t);
        QLineSeries *ttft = chart->ttftSeries(t);
        QVERIFY(latency && ttft);
        QVERIFY(latency->count() >= 2);
        QVERIFY(ttft->count() >= 2);
        QVERIFY(latency->count() <= DistributionChart::maxPointsPerSeries);
        QCOMPARE(latency->points().first().y(), 0.0);
        QCOMPARE(latency->points().last().y(), 100.0);
        QCOMPARE(ttft->points().last().y(), 100.0);
        QCOMPARE(ttft->pen().style(), Qt::DashLine);
        QCOMPARE(latency->pen().style(), Qt::SolidLine);
        QCOMPARE(ttft->pen().color(), latency->pen().color());
        QVERIFY(latency->name().contains(m_run.campaign.targets.at(t).name));
        // p50 / p95 / p99 markers at summary.json's exact figures (rounded to whole ms for the label).
        const QList<QPointF> markers = chart->percentileMarkers(t)->points();
        QCOMPARE(markers.size(), 3);
        const double p50 =
            summary()[QLatin1String("targets")][t][QLatin1String("latency_ms")][QLatin1String("p50")].toDouble();
        QCOMPARE(markers.at(0).y(), 50.0);
        QVERIFY(std::abs(markers.at(0).x() - p50) <= 0.5);
    }
    QVERIFY(chart->latencySeries(0)->pen().color() != chart->latencySeries(1)->pen().color());
    // The broken target has nothing to draw, but keeps its (empty) series so colours line up.
    QCOMPARE(chart->latencySeries(2)->count(), 0);
    QCOMPARE(chart->ttftSeries(2)->count(), 0);
    // The slow target's median TTFT is right of the fast one's: the CDF reaches 50% later.
    const auto medianOf = [](QLineSeries *series) {
        for (const QPointF &point : series->points())
            if (point.y() >= 50.0)
                return point.x();
        return 0.0;
    };
    QVERIFY(medianOf(chart->ttftSeries(1)) > medianOf(chart->ttftSeries(0)));
}

void TestComparePage::captionNamesTheRun()
{
    ComparePage page;
    page.show();
    page.setRun(m_run);
    const QString caption = page.findChild<QLabel *>(QStringLiteral("caption"))->text();
    QVERIFY2(caption.contains(QLatin1String("compare-test")), qPrintable(caption));
    QVERIFY2(caption.contains(QLatin1String("ran to the end")), qPrintable(caption));
    QVERIFY2(caption.contains(QLatin1String("3 targets")), qPrintable(caption));
    QVERIFY(page.findChild<QTableView *>(QStringLiteral("table"))->isVisible());
    QVERIFY(!page.findChild<QLabel *>(QStringLiteral("emptyLabel"))->isVisible());

    RunResult stopped = m_run;
    stopped.summary.insert(QStringLiteral("stopped_early"), true);
    stopped.summary.insert(QStringLiteral("stop_reason"), QStringLiteral("budget"));
    page.setRun(stopped);
    const QString stoppedCaption = page.findChild<QLabel *>(QStringLiteral("caption"))->text();
    QVERIFY2(stoppedCaption.contains(QLatin1String("stopped early (budget)")), qPrintable(stoppedCaption));
}

void TestComparePage::exportsTheSameTable()
{
    ComparePage page;
    page.setRun(m_run);
    const QString csv = page.model()->toCsv();
    const QStringList lines = csv.trimmed().split(QStringLiteral("\r\n"));
    QCOMPARE(lines.size(), 1 + int(CompareModel::MetricCount));
    QCOMPARE(lines.first(),
             QStringLiteral("metric,unit,difference,relay,direct,broken,direct vs relay,broken vs relay"));
    // Latency p95: raw values, the null one empty, then the differences.
    const QStringList p95 = lines.at(1 + CompareModel::LatencyP95).split(QLatin1Char(','));
    QCOMPARE(p95.size(), 8);
    QCOMPARE(p95.at(0), QStringLiteral("Latency p95"));
    const double fast =
        summary()[QLatin1String("targets")][0][QLatin1String("latency_ms")][QLatin1String("p95")].toDouble();
    QCOMPARE(p95.at(3).toDouble(), fast);
    QCOMPARE(p95.at(5), QString());
    QVERIFY(p95.at(6).toDouble() > 0.0);
    // Rates as %, differences in pp.
    const QStringList success = lines.at(1 + CompareModel::SuccessRate).split(QLatin1Char(','));
    QCOMPARE(success.at(1), QStringLiteral("%"));
    QCOMPARE(success.at(2), QStringLiteral("pp"));
    QCOMPARE(success.at(3).toDouble(), 100.0);

    const QString html = page.model()->toHtmlTable();
    QVERIFY(html.startsWith(QLatin1String("<table")));
    QCOMPARE(html.count(QLatin1String("<tr>")), 1 + int(CompareModel::MetricCount));
    QVERIFY(html.contains(QLatin1String("relay (baseline)")));
    QVERIFY(html.contains(QLatin1String("font-weight:bold")));
    QVERIFY(html.contains(page.model()->index(CompareModel::LatencyP95, 1).data().toString().toHtmlEscaped()));
    QVERIFY(html.contains(QStringLiteral(">") + dash + QStringLiteral("</td>")));
}

void TestComparePage::clearGoesBackToTheHint()
{
    ComparePage page;
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.show();
    page.setRun(m_run);
    QCOMPARE(page.model()->columnCount(), 3);
    page.clear();
    QCOMPARE(page.model()->rowCount(), 0);
    QCOMPARE(page.model()->columnCount(), 0);
    QCOMPARE(page.distributionChart()->targetCount(), 0);
    QVERIFY(page.distributionChart()->chart()->series().isEmpty());
    QVERIFY(page.findChild<QLabel *>(QStringLiteral("emptyLabel"))->isVisible());
    QCOMPARE(page.findChild<QComboBox *>(QStringLiteral("baselineCombo"))->count(), 0);
    // An empty run result is the same as clearing.
    page.setRun(m_run);
    page.setRun(RunResult{});
    QVERIFY(page.findChild<QLabel *>(QStringLiteral("emptyLabel"))->isVisible());
}

void TestComparePage::differenceAndBest_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<int>("baseline");
    QTest::addColumn<QStringList>("texts");
    QTest::addColumn<QList<bool>>("best");

    QTest::addRow("latency: lower is best, %% differences") // 135.2 / 100 and 50 / 100
        << int(CompareModel::LatencyP50) << QStringLiteral("latency_ms.p50") << QList<double>{100.0, 135.2, 50.0} << 0
        << QStringList{QStringLiteral("100 ms"), QStringLiteral("135 ms (+35.2%)"),
                       QStringLiteral("50.0 ms (") + minus + QStringLiteral("50.0%)")}
        << QList<bool>{false, false, true};
    QTest::addRow("null is a dash and never best")
        << int(CompareModel::LatencyP95) << QStringLiteral("latency_ms.p95") << QList<double>{noValue, 200.0, 300.0}
        << 1 << QStringList{dash, QStringLiteral("200 ms"), QStringLiteral("300 ms (+50.0%)")}
        << QList<bool>{false, true, false};
    QTest::addRow("all equal: no best") << int(CompareModel::LatencyMean) << QStringLiteral("latency_ms.mean")
                                        << QList<double>{80.0, 80.0, 80.0} << 0
                                        << QStringList{QStringLiteral("80.0 ms"),
                                                       QStringLiteral("80.0 ms (\u00b10.0%)"),
                                                       QStringLiteral("80.0 ms (\u00b10.0%)")}
                                        << QList<bool>{false, false, false};
    QTest::addRow("one value: no best") << int(CompareModel::TtftP50) << QStringLiteral("ttft_ms.p50")
                                        << QList<double>{noValue, noValue, 42.0} << 0
                                        << QStringList{dash, dash, QStringLiteral("42.0 ms")}
                                        << QList<bool>{false, false, false};
    QTest::addRow("success rate: higher is best, pp")
        << int(CompareModel::SuccessRate) << QStringLiteral("success_rate") << QList<double>{0.9, 0.912, 0.95} << 0
        << QStringList{QStringLiteral("90.0%"), QStringLiteral("91.2% (+1.2 pp)"), QStringLiteral("95.0% (+5.0 pp)")}
        << QList<bool>{false, false, true};
    QTest::addRow("success rate: loss in pp")
        << int(CompareModel::SuccessRate) << QStringLiteral("success_rate") << QList<double>{0.9, 0.86, 0.9} << 2
        << QStringList{QStringLiteral("90.0% (\u00b10.0 pp)"),
                       QStringLiteral("86.0% (") + minus + QStringLiteral("4.0 pp)"), QStringLiteral("90.0%")}
        << QList<bool>{true, false, true};
    QTest::addRow("tokens/s: higher is best")
        << int(CompareModel::OutputTokensPerS) << QStringLiteral("throughput.output_tokens_per_s")
        << QList<double>{250.0, 225.0, 300.0} << 0
        << QStringList{QStringLiteral("250.0 tok/s"),
                       QStringLiteral("225.0 tok/s (") + minus + QStringLiteral("10.0%)"),
                       QStringLiteral("300.0 tok/s (+20.0%)")}
        << QList<bool>{false, false, true};
    // Half an hour: 429s per hour are twice the count. No % of a zero baseline.
    QTest::addRow("429s per hour: zero baseline, ties at best")
        << int(CompareModel::RateLimitedPerHour) << QStringLiteral("attempt_outcomes.rate_limited")
        << QList<double>{0.0, 10.0, 0.0} << 0
        << QStringList{QStringLiteral("0.0 /h"), QStringLiteral("20.0 /h"), QStringLiteral("0.0 /h")}
        << QList<bool>{true, false, true};
    QTest::addRow("cost: lower is best") << int(CompareModel::CostUsd) << QStringLiteral("cost_usd")
                                         << QList<double>{0.02, 0.03, 1.5} << 0
                                         << QStringList{QStringLiteral("$0.0200"), QStringLiteral("$0.0300 (+50.0%)"),
                                                        QStringLiteral("$1.50 (+7400.0%)")}
                                         << QList<bool>{true, false, false};
}

void TestComparePage::differenceAndBest()
{
    QFETCH(int, metric);
    QFETCH(QString, path);
    QFETCH(QList<double>, values);
    QFETCH(int, baseline);
    QFETCH(QStringList, texts);
    QFETCH(QList<bool>, best);

    CompareModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRun(handMadeRun(path, values, 1800.0));
    model.setBaseline(baseline);
    for (int t = 0; t < values.size(); ++t) {
        const QModelIndex cell = model.index(metric, t);
        QCOMPARE(cell.data().toString(), texts.at(t));
        QCOMPARE(cell.data(CompareModel::IsBestRole).toBool(), best.at(t));
        QCOMPARE(isBold(cell), best.at(t));
        QCOMPARE(cell.data(Qt::BackgroundRole).isValid(), best.at(t));
    }
}

void TestComparePage::cumulativePointsAreDecimated()
{
    // Log-uniform over 0.1 ms .. 100 s: thousands of non-empty buckets.
    LogLinearHistogram wide;
    QRandomGenerator random(42);
    for (int i = 0; i < 100000; ++i)
        wide.record(std::pow(10.0, -1.0 + 6.0 * random.generateDouble()));
    QVERIFY(wide.buckets().size() > 1000);
    const QList<QPointF> points = DistributionChart::cumulativePoints(wide);
    QVERIFY(points.size() <= DistributionChart::maxPointsPerSeries);
    QVERIFY(points.size() >= DistributionChart::maxPointsPerSeries / 2);
    QCOMPARE(points.first(), QPointF(wide.min(), 0.0));
    QCOMPARE(points.last().y(), 100.0);
    QCOMPARE(points.last().x(), wide.max());
    for (qsizetype i = 1; i < points.size(); ++i) {
        QVERIFY(points.at(i).x() >= points.at(i - 1).x());
        QVERIFY(points.at(i).y() >= points.at(i - 1).y());
    }
    // The median drawn lies within a stride of buckets (here about 5, each 1/64 wide) of the histogram's own.
    for (const QPointF &point : points) {
        if (point.y() >= 50.0) {
            QVERIFY2(std::abs(point.x() / wide.percentile(50.0) - 1.0) < 0.1, qPrintable(QString::number(point.x())));
            break;
        }
    }

    // Small samples: every step kept, exact shares.
    LogLinearHistogram four;
    for (double v : {10.0, 20.0, 30.0, 40.0})
        four.record(v);
    const QList<QPointF> steps = DistributionChart::cumulativePoints(four);
    QCOMPARE(steps.size(), 5);
    QCOMPARE(steps.at(0), QPointF(10.0, 0.0));
    QCOMPARE(steps.at(1).y(), 25.0);
    QCOMPARE(steps.at(2).y(), 50.0);
    QCOMPARE(steps.at(4), QPointF(40.0, 100.0));
    QVERIFY(DistributionChart::cumulativePoints(LogLinearHistogram()).isEmpty());
}

QTEST_MAIN(TestComparePage)
#include "tst_comparepage.moc"
