#include "enginetesthelpers.h"

#include "app/failuresmodel.h"
#include "app/latencychart.h"
#include "app/livepage.h"
#include "app/ratecharts.h"
#include "app/targettile.h"

#include "engine/runcontroller.h"
#include "history/runstore.h"
#include "util/datadirectory.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QAreaSeries>
#include <QChartView>
#include <QDir>
#include <QJsonDocument>
#include <QLineSeries>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace relaybench;

class TestLivePage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void runFillsTilesChartAndFailures();
    void stopKeepsWhatWasMeasured();
    void runFolderHoldsTheCliFiles();
    void rollingPercentileLines();
    void everyRunIsRecorded();

private:
    std::unique_ptr<SimServer> m_sim;
};

void TestLivePage::initTestCase()
{
    // One in ten answers is a 500, so the failures table has something to show.
    m_sim = enginetest::startSimulator(
        "{\"ttft_ms\": 10, \"tpot_ms\": 1, \"completion_tokens\": 8, \"faults\": {\"server_error\": 0.1}}", 2);
}

void TestLivePage::runFillsTilesChartAndFailures()
{
    LivePage page;
    QAbstractItemModelTester tester(page.failuresModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.setCampaign(enginetest::campaignFor({m_sim->baseUrl().toString(), m_sim->baseUrl().toString()}, 4, 60));
    page.show();
    QSignalSpy finished(&page, &LivePage::runFinished);
    QString error;
    QVERIFY2(page.startRun({QString(), QString()}, &error), qPrintable(error));
    QVERIFY(page.isRunning());
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.first().first().toString(), QString());
    QCOMPARE(page.tile(0)->text(QStringLiteral("Done")), QStringLiteral("60 / 60"));
    QCOMPARE(page.tile(1)->text(QStringLiteral("Done")), QStringLiteral("60 / 60"));
    QVERIFY(page.tile(0)->text(QStringLiteral("Latency p50/p95/p99")).endsWith(QLatin1String(" ms")));
    QVERIFY(page.tile(0)->text(QStringLiteral("TTFT p50")).endsWith(QLatin1String(" ms")));
    QVERIFY(page.failuresModel()->rowCount() > 0); // about 12 of 120 failed
    QCOMPARE(page.failuresModel()->index(0, FailuresModel::OutcomeColumn).data().toString(),
             QStringLiteral("server_error"));
    QCOMPARE(page.findChild<LatencyChart *>()->pointCount(), 120); // every attempt a point, failures included

    // Errors chart: only server_error happened, and its area adds up to the failures (one step per second:
    // two points a second, each at the second's count).
    auto *errors = page.findChild<ErrorRateChart *>();
    QCOMPARE(errors->shownOutcomes(), QList<Outcome>{Outcome::ServerError});
    QAreaSeries *area = errors->area(Outcome::ServerError);
    QCOMPARE(area->name(), QStringLiteral("server_error"));
    double failed = 0.0;
    const QList<QPointF> upper = area->upperSeries()->points();
    const QList<QPointF> lower = area->lowerSeries()->points();
    QCOMPARE(upper.size(), lower.size());
    for (qsizetype i = 0; i < upper.size(); i += 2)
        failed += upper.at(i).y() - lower.at(i).y();
    QCOMPARE(qRound(failed), int(page.failuresModel()->rowCount()));
    // Throughput chart: per target, finished attempts per second add up to its 60 attempts.
    for (QLineSeries *line : page.findChild<ThroughputChart *>()->requestSeries()) {
        double sum = 0.0;
        for (const QPointF &point : line->points())
            sum += point.y();
        QCOMPARE(qRound(sum), 60);
    }
}

void TestLivePage::stopKeepsWhatWasMeasured()
{
    auto slow = enginetest::startSimulator("{\"ttft_ms\": 50, \"tpot_ms\": 10, \"completion_tokens\": 20}");
    LivePage page;
    page.setCampaign(enginetest::campaignFor({slow->baseUrl().toString()}, 2, 100000));
    QSignalSpy finished(&page, &LivePage::runFinished);
    QString error;
    QVERIFY2(page.startRun({QString(), QString()}, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(page.controller()->snapshot().targets.first().attempts >= 4, 5000);
    page.stopRun();
    QVERIFY(finished.wait(10000));
    QVERIFY(!page.isRunning());
    const QJsonObject summary = page.controller()->summary();
    QCOMPARE(summary.value(QLatin1String("stopped_early")).toBool(), true);
    QVERIFY(summary.value(QLatin1String("targets"))
                .toArray()
                .first()
                .toObject()
                .value(QLatin1String("succeeded"))
                .toInt() >= 4);
}

void TestLivePage::runFolderHoldsTheCliFiles()
{
    LivePage page;
    page.setCampaign(enginetest::campaignFor({m_sim->baseUrl().toString()}, 2, 20));
    QSignalSpy finished(&page, &LivePage::runFinished);
    QString error;
    QVERIFY2(page.startRun({QString()}, &error), qPrintable(error));
    QVERIFY(finished.wait(15000));
    const RunResult &run = page.lastRun();
    QVERIFY(!run.isEmpty());
    QVERIFY2(run.folder.startsWith(dataDirectory()), qPrintable(run.folder)); // under XDG_DATA_HOME in ctest
    QFile csv(QDir(run.folder).filePath(QStringLiteral("requests.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + 20); // the header and one row per attempt (no retries configured)
    QFile summaryFile(QDir(run.folder).filePath(QStringLiteral("summary.json")));
    QVERIFY(summaryFile.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(summaryFile.readAll()).object(), run.summary);
    QCOMPARE(run.live.targets.first().attempts, 20);
}

void TestLivePage::everyRunIsRecorded()
{
    QTemporaryDir dir;
    LivePage page;
    page.setHistoryPath(dir.filePath(QStringLiteral("history.sqlite")));
    const QByteArray json = R"({"name": "test", "targets": []})"; // stored as given
    page.setCampaign(enginetest::campaignFor({m_sim->baseUrl().toString()}, 2, 25), json);
    QSignalSpy finished(&page, &LivePage::runFinished);
    QSignalSpy recorded(&page, &LivePage::runRecorded);
    QString error;
    QVERIFY2(page.startRun({QString()}, &error), qPrintable(error));
    QVERIFY(finished.wait(15000));
    QVERIFY(recorded.wait(15000)); // after runFinished: the last batch is written off the GUI thread
    QCOMPARE(recorded.first().at(1).toString(), QString());
    const qint64 runId = recorded.first().at(0).toLongLong();
    QVERIFY(runId > 0);

    RunStore store;
    QVERIFY2(store.open(dir.filePath(QStringLiteral("history.sqlite")), &error), qPrintable(error));
    RecordedRun run;
    QVERIFY2(store.run(runId, &run, &error), qPrintable(error));
    QCOMPARE(run.kind, QStringLiteral("campaign"));
    QCOMPARE(run.state, QStringLiteral("finished"));
    QCOMPARE(run.campaignJson, json);
    QCOMPARE(run.summary, page.lastRun().summary);
    QCOMPARE(run.attempts, 25);
    QCOMPARE(run.targets.size(), 1);
    QCOMPARE(run.targets.first().baseUrl, m_sim->baseUrl().toString());
}

void TestLivePage::rollingPercentileLines()
{
    LivePage page;
    page.setCampaign(enginetest::campaignFor({m_sim->baseUrl().toString()}, 2, 30));
    page.show();
    QSignalSpy finished(&page, &LivePage::runFinished);
    QString error;
    QVERIFY(page.startRun({QString()}, &error));
    QVERIFY(finished.wait(15000));
    auto *chart = page.findChild<LatencyChart *>();
    QStringList names;
    int linePoints = 0;
    for (QAbstractSeries *series : chart->chart()->series()) {
        names.append(series->name());
        if (auto *line = qobject_cast<QLineSeries *>(series)) {
            linePoints += int(line->count());
            for (const QPointF &point : line->points())
                QVERIFY(point.y() > 0.0);
        }
    }
    for (const char *percentile : {"p50", "p95", "p99"})
        QVERIFY2(names.contains(QStringLiteral("t0 %1").arg(QLatin1String(percentile))),
                 qPrintable(names.join(QLatin1String(", "))));
    QVERIFY(linePoints >= 3); // every line has at least the run's one second
}

QTEST_MAIN(TestLivePage)
#include "tst_livepage.moc"
