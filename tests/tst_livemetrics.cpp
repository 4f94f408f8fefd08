#include "enginetesthelpers.h"

#include "engine/runcontroller.h"
#include "metrics/liveaggregator.h"
#include "metrics/loglinearhistogram.h"
#include "metrics/statistics.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <cmath>
#include <numeric>
#include <random>

using namespace relaybench;

// Live metrics for views and exporters: the bounded histogram, the aggregator, and the controller
// that runs a campaign on an engine thread of its own.
class TestLiveMetrics : public QObject
{
    Q_OBJECT

private slots:
    void histogramPercentilesWithinOneBucket_data();
    void histogramPercentilesWithinOneBucket();
    void histogramBucketsCoverEveryValue();
    void mergedHistogramEqualsOneFedEverything();
    void aggregatorCountsAndStaysBounded();
    void aggregatorPerSecondPercentilesAreExact_data();
    void aggregatorPerSecondPercentilesAreExact();
    void controllerRunsOnItsOwnThread();
    void controllerStopKeepsWhatWasMeasured();
    void controllerReportsWhyItCouldNotStart();
};

void TestLiveMetrics::histogramPercentilesWithinOneBucket_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addRow("uniform 1..1000 ms") << "uniform";
    QTest::addRow("log-normal around 50 ms") << "lognormal";
    QTest::addRow("sub-millisecond") << "small";
}

void TestLiveMetrics::histogramPercentilesWithinOneBucket()
{
    QFETCH(QString, shape);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> uniform(1.0, 1000.0);
    std::lognormal_distribution<double> lognormal(std::log(50.0), 0.6);
    std::uniform_real_distribution<double> small(0.01, 0.9);
    std::vector<double> exact;
    LogLinearHistogram histogram;
    for (int i = 0; i < 100000; ++i) {
        const double v = shape == QLatin1String("uniform")     ? uniform(rng)
                         : shape == QLatin1String("lognormal") ? lognormal(rng)
                                                               : small(rng);
        exact.push_back(v);
        histogram.record(v);
    }
    std::sort(exact.begin(), exact.end());
    for (double p : {50.0, 90.0, 95.0, 99.0, 99.9}) {
        const double truth = nearestRankPercentile(exact, p);
        const double estimate = histogram.percentile(p);
        QVERIFY2(std::abs(estimate / truth - 1.0) < 1.0 / 64.0,
                 qPrintable(QStringLiteral("p%1: %2 vs %3").arg(p).arg(estimate).arg(truth)));
    }
    QCOMPARE(histogram.count(), quint64(100000));
    QCOMPARE(histogram.min(), exact.front());
    QCOMPARE(histogram.max(), exact.back());
}

void TestLiveMetrics::histogramBucketsCoverEveryValue()
{
    for (double v : {0.0, 0.0005, 0.001, 0.0011, 1.0, 1.5, 2.0, 63.9, 64.0, 1000.0, 86400000.0}) {
        const int bucket = LogLinearHistogram::bucketOf(v);
        QVERIFY2(LogLinearHistogram::lowerBound(bucket) <= v, qPrintable(QString::number(v)));
        QVERIFY2(v < LogLinearHistogram::lowerBound(bucket + 1) || bucket == 0, qPrintable(QString::number(v)));
    }
}

void TestLiveMetrics::mergedHistogramEqualsOneFedEverything()
{
    LogLinearHistogram a, b, all;
    for (int i = 1; i <= 1000; ++i) {
        (i % 3 ? a : b).record(double(i));
        all.record(double(i));
    }
    a.merge(b);
    QCOMPARE(a.count(), all.count());
    QCOMPARE(a.buckets(), all.buckets());
    QCOMPARE(a.percentile(99.0), all.percentile(99.0));
    QCOMPARE(a.mean(), all.mean());
}

void TestLiveMetrics::aggregatorCountsAndStaysBounded()
{
    LiveAggregator live({QStringLiteral("a"), QStringLiteral("b")});
    for (int i = 0; i < 20000; ++i) {
        AttemptRecord r;
        r.target = i % 2;
        r.requestId = i;
        r.sentMs = i * 0.5;
        r.firstTokenMs = r.sentMs + 10.0;
        r.endMs = r.sentMs + 20.0;
        r.completionTokens = 5;
        r.outcome = i % 10 == 0 ? Outcome::ServerError : Outcome::Ok;
        r.warmup = i < 4;
        r.costUsd = 0.001;
        live.write(r);
    }
    const LiveSnapshot snapshot = live.snapshot();
    QCOMPARE(snapshot.version, quint64(20000));
    const LiveTarget &a = snapshot.targets.at(0);
    QCOMPARE(a.attempts, 9998); // two warm-ups left out
    // Every tenth record fails, and every one of them is even, so target a: 2000 minus the warm-up at 0.
    QCOMPARE(a.attemptOutcomes[size_t(Outcome::ServerError)], 1999);
    QCOMPARE(snapshot.targets.at(1).attemptOutcomes[size_t(Outcome::ServerError)], 0);
    QCOMPARE(a.latencyMs.count(), quint64(9998 - 1999));
    QVERIFY(std::abs(a.latencyMs.percentile(50.0) - 20.0) < 0.4);
    QVERIFY(std::abs(a.costUsd - 10.0) < 1e-9); // warm-ups are paid for too
    QCOMPARE(a.seconds.size(), 11);             // attempts ended within 0..10.02 s
    QCOMPARE(a.recentPoints.size(), LiveAggregator::maxPoints);
    QCOMPARE(snapshot.recentFailures.size(), LiveAggregator::maxFailures);
    QCOMPARE(snapshot.recentFailures.last().outcome, Outcome::ServerError);
}

void TestLiveMetrics::aggregatorPerSecondPercentilesAreExact_data()
{
    QTest::addColumn<int>("perSecond");
    QTest::addColumn<int>("seconds");
    QTest::addRow("one attempt a second") << 1 << 5;
    QTest::addRow("100 a second, 10 s") << 100 << 10;
    QTest::addRow("1000 a second, 3 s") << 1000 << 3;
}

// Second s holds latencies s*10 + 1 .. s*10 + n (ms) in shuffled order: the nearest-rank p50/p95/p99 of each
// second are known exactly, for closed seconds and for the still-open ones the snapshot computes.
void TestLiveMetrics::aggregatorPerSecondPercentilesAreExact()
{
    QFETCH(int, perSecond);
    QFETCH(int, seconds);
    LiveAggregator live({QStringLiteral("a")});
    std::mt19937 rng(3);
    for (int s = 0; s < seconds; ++s) {
        std::vector<int> ranks(static_cast<size_t>(perSecond));
        std::iota(ranks.begin(), ranks.end(), 1);
        std::shuffle(ranks.begin(), ranks.end(), rng);
        for (int rank : ranks) {
            AttemptRecord r;
            r.endMs = s * 1000.0 + 500.0;
            r.sentMs = r.endMs - (s * 10.0 + rank);
            r.outcome = Outcome::Ok;
            live.write(r);
        }
    }
    const LiveTarget target = live.snapshot().targets.first();
    QCOMPARE(target.seconds.size(), seconds);
    const auto expected = [perSecond](int s, double fraction) {
        return float(s * 10 + std::max(1, int(std::ceil(fraction * perSecond))));
    };
    for (int s = 0; s < seconds; ++s) {
        QCOMPARE(target.seconds.at(s).latencyP50Ms, expected(s, 0.50));
        QCOMPARE(target.seconds.at(s).latencyP95Ms, expected(s, 0.95));
        QCOMPARE(target.seconds.at(s).latencyP99Ms, expected(s, 0.99));
    }
}

void TestLiveMetrics::controllerRunsOnItsOwnThread()
{
    auto sim = enginetest::startSimulator("{\"ttft_ms\": 20, \"tpot_ms\": 2, \"completion_tokens\": 10}");
    RunController controller(enginetest::campaignFor({sim->baseUrl().toString()}, 4, 40), {});
    QSignalSpy finished(&controller, &RunController::finished);
    controller.start();
    QVERIFY(controller.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(controller.snapshot().version > 0, 5000); // read while the engine runs
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().toString(), QString());
    QVERIFY(!controller.isRunning());
    const LiveSnapshot snapshot = controller.snapshot();
    QCOMPARE(snapshot.targets.first().attempts, 40);
    QCOMPARE(controller.progress().first().finished, 40);
    QCOMPARE(controller.summary().value(QLatin1String("schema")).toString(), QStringLiteral("relaybench.summary/1"));
}

void TestLiveMetrics::controllerStopKeepsWhatWasMeasured()
{
    auto sim = enginetest::startSimulator("{\"ttft_ms\": 50, \"tpot_ms\": 10, \"completion_tokens\": 30}");
    RunController controller(enginetest::campaignFor({sim->baseUrl().toString()}, 4, 100000), {});
    QSignalSpy finished(&controller, &RunController::finished);
    controller.start();
    QTRY_VERIFY_WITH_TIMEOUT(controller.snapshot().targets.first().attempts >= 8, 5000);
    controller.stop();
    QVERIFY(finished.wait(10000));
    const QJsonObject summary = controller.summary();
    QCOMPARE(summary.value(QLatin1String("stopped_early")).toBool(), true);
    const QJsonObject target = summary.value(QLatin1String("targets")).toArray().first().toObject();
    QCOMPARE(target.value(QLatin1String("attempt_outcomes")).toObject().value(QLatin1String("cancelled")).toInt(), 4);
    QCOMPARE(qint64(target.value(QLatin1String("attempts")).toInt()), controller.snapshot().targets.first().attempts);
}

void TestLiveMetrics::controllerReportsWhyItCouldNotStart()
{
    Campaign campaign = enginetest::campaignFor({QStringLiteral("sim://no-such-profile")}, 1, 1);
    RunController controller(campaign, {});
    QSignalSpy finished(&controller, &RunController::finished);
    controller.start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(finished.first().first().toString().contains(QLatin1String("no-such-profile")),
             qPrintable(finished.first().first().toString()));
}

QTEST_GUILESS_MAIN(TestLiveMetrics)
#include "tst_livemetrics.moc"
