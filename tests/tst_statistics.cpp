#include "campaign/campaign.h"
#include "metrics/boundedsample.h"
#include "metrics/statistics.h"
#include "metrics/targetstats.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <numeric>

using namespace relaybench;

class TestStatistics : public QObject
{
    Q_OBJECT

private slots:
    void boundedSampleExactThenWithinABucket_data();
    void boundedSampleExactThenWithinABucket();
    void nearestRank_data();
    void nearestRank();
    void wholePercentsAreExactForEverySize();
    void describeSortsAndSummarises_data();
    void describeSortsAndSummarises();
    void describeSkipsNotApplicable();
    void toJsonRoundsToMicroseconds();
    void emptySampleIsNull();
    void warmUpIsLeftOutButItsCostCounts();
    void onlyOkAttemptsFeedTimings();
    void outcomesListEveryName();
    void successRate_data();
    void successRate();
    void tokenSource_data();
    void tokenSource();
    void throughputAndPeak();
    void sloChecks_data();
    void sloChecks();
    void noSloSetPasses();
};

namespace {

std::vector<double> oneTo(int n)
{
    std::vector<double> values(static_cast<size_t>(n));
    std::iota(values.begin(), values.end(), 1.0);
    return values;
}

AttemptRecord okAttempt(double sentMs, double ttftMs, double latencyMs, qint64 completionTokens = 0,
                        QVector<float> gaps = {})
{
    AttemptRecord r;
    r.scheduledMs = sentMs;
    r.sentMs = sentMs;
    r.headersMs = sentMs + ttftMs / 2.0;
    r.firstTokenMs = sentMs + ttftMs;
    r.endMs = sentMs + latencyMs;
    r.status = 200;
    r.outcome = Outcome::Ok;
    r.promptTokens = 10;
    r.completionTokens = completionTokens;
    r.tokenSource = TokenSource::Server;
    r.interTokenMs = std::move(gaps);
    return r;
}

AttemptRecord failedAttempt(Outcome outcome, double sentMs, double latencyMs)
{
    AttemptRecord r = okAttempt(sentMs, latencyMs / 2.0, latencyMs, 5, {1000.0f});
    r.outcome = outcome;
    r.status = outcome == Outcome::ServerError ? 500 : 0;
    return r;
}

// Adds one logical request that ended with this single attempt.
void addRequest(TargetStats &stats, const AttemptRecord &record)
{
    stats.addAttempt(record);
    stats.addFinal(record, record.latencyMs());
}

QJsonObject statsOf(const QJsonObject &summary, const char *key)
{
    return summary.value(QLatin1String(key)).toObject();
}

} // namespace

void TestStatistics::nearestRank_data()
{
    QTest::addColumn<std::vector<double>>("sorted");
    QTest::addColumn<double>("percent");
    QTest::addColumn<double>("expected");
    const std::vector<double> hundred = oneTo(100);
    QTest::addRow("1..100 p50") << hundred << 50.0 << 50.0;
    QTest::addRow("1..100 p90") << hundred << 90.0 << 90.0;
    QTest::addRow("1..100 p95") << hundred << 95.0 << 95.0;
    QTest::addRow("1..100 p99") << hundred << 99.0 << 99.0;
    QTest::addRow("1..100 p100") << hundred << 100.0 << 100.0;
    QTest::addRow("1..100 p7") << hundred << 7.0 << 7.0;    // 7/100*100 is 7.000000000000001 in doubles
    QTest::addRow("1..100 p28") << hundred << 28.0 << 28.0; // likewise
    QTest::addRow("1..100 p0") << hundred << 0.0 << 1.0;    // the smallest value, not an invalid index
    QTest::addRow("1..100 p99.9") << hundred << 99.9 << 100.0;
    QTest::addRow("1..100 p50.5") << hundred << 50.5 << 51.0;
    QTest::addRow("1..1000 p99.9") << oneTo(1000) << 99.9 << 999.0;
    QTest::addRow("1..1000 p99.99") << oneTo(1000) << 99.99 << 1000.0;
    QTest::addRow("1..10 p95") << oneTo(10) << 95.0 << 10.0;
    QTest::addRow("1..10 p90") << oneTo(10) << 90.0 << 9.0;
    QTest::addRow("1..20 p95") << oneTo(20) << 95.0 << 19.0;
    QTest::addRow("single p50") << std::vector<double>{42.0} << 50.0 << 42.0;
    QTest::addRow("single p99") << std::vector<double>{42.0} << 99.0 << 42.0;
    QTest::addRow("two p50") << std::vector<double>{1.0, 2.0} << 50.0 << 1.0;
    QTest::addRow("two p51") << std::vector<double>{1.0, 2.0} << 51.0 << 2.0;
    QTest::addRow("two p99") << std::vector<double>{1.0, 2.0} << 99.0 << 2.0;
    QTest::addRow("empty") << std::vector<double>{} << 50.0 << 0.0;
}

void TestStatistics::nearestRank()
{
    QFETCH(std::vector<double>, sorted);
    QFETCH(double, percent);
    QFETCH(double, expected);
    QCOMPARE(nearestRankPercentile(sorted, percent), expected);
}

void TestStatistics::wholePercentsAreExactForEverySize()
{
    // pX is the smallest value with at least X% of the sample at or below it: value ceil(X * n / 100).
    for (int n = 1; n <= 400; ++n) {
        const std::vector<double> values = oneTo(n);
        for (int percent = 1; percent <= 100; ++percent) {
            const double expected = double((percent * n + 99) / 100);
            const double actual = nearestRankPercentile(values, percent);
            if (actual != expected)
                QFAIL(qPrintable(
                    QStringLiteral("p%1 of 1..%2: %3, expected %4").arg(percent).arg(n).arg(actual).arg(expected)));
        }
    }
}

void TestStatistics::describeSortsAndSummarises_data()
{
    QTest::addColumn<std::vector<double>>("values");
    QTest::addColumn<QList<double>>("expected"); // min, mean, p50, p90, p95, p99, max, count
    QTest::addRow("1..100 shuffled") << [] {
        std::vector<double> v = oneTo(100);
        std::reverse(v.begin(), v.begin() + 50);
        std::rotate(v.begin(), v.begin() + 37, v.end());
        return v;
    }() << QList<double>{1, 50.5, 50, 90, 95, 99, 100, 100};
    QTest::addRow("unsorted five") << std::vector<double>{5, 1, 4, 2, 3} << QList<double>{1, 3, 3, 5, 5, 5, 5, 5};
    QTest::addRow("single") << std::vector<double>{7.5} << QList<double>{7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 1};
    QTest::addRow("two") << std::vector<double>{20, 10} << QList<double>{10, 15, 10, 20, 20, 20, 20, 2};
    QTest::addRow("ties") << std::vector<double>{3, 3, 1, 3} << QList<double>{1, 2.5, 3, 3, 3, 3, 3, 4};
}

void TestStatistics::describeSortsAndSummarises()
{
    QFETCH(std::vector<double>, values);
    QFETCH(QList<double>, expected);
    std::vector<double> copy = values;
    const SampleStats d = describe(copy);
    QCOMPARE((QList<double>{d.min, d.mean, d.p50, d.p90, d.p95, d.p99, d.max, double(d.count)}), expected);
    QVERIFY(std::is_sorted(copy.begin(), copy.end()));
}

void TestStatistics::describeSkipsNotApplicable()
{
    std::vector<double> values{3.0, notApplicable, 1.0, notApplicable};
    const SampleStats d = describe(values);
    QCOMPARE(d.count, size_t(2));
    QCOMPARE(d.min, 1.0);
    QCOMPARE(d.max, 3.0);
    QCOMPARE(d.mean, 2.0);
    std::vector<double> none{notApplicable};
    QCOMPARE(toJson(describe(none)), QJsonValue(QJsonValue::Null));
}

void TestStatistics::toJsonRoundsToMicroseconds()
{
    std::vector<double> values{2.0006, 1.2344, 3.0};
    const QJsonValue json = toJson(describe(values));
    QVERIFY(json.isObject());
    const QJsonObject o = json.toObject();
    QCOMPARE(o.keys(),
             (QStringList{QStringLiteral("max"), QStringLiteral("mean"), QStringLiteral("min"), QStringLiteral("p50"),
                          QStringLiteral("p90"), QStringLiteral("p95"), QStringLiteral("p99")}));
    QCOMPARE(o.value(QLatin1String("min")).toDouble(), 1.234);
    QCOMPARE(o.value(QLatin1String("mean")).toDouble(), 2.078);
    QCOMPARE(o.value(QLatin1String("p50")).toDouble(), 2.001);
    QCOMPARE(o.value(QLatin1String("p90")).toDouble(), 3.0);
    QCOMPARE(o.value(QLatin1String("p99")).toDouble(), 3.0);
    QCOMPARE(o.value(QLatin1String("max")).toDouble(), 3.0);
}

void TestStatistics::emptySampleIsNull()
{
    std::vector<double> none;
    const SampleStats d = describe(none);
    QCOMPARE(d.count, size_t(0));
    QCOMPARE(toJson(d), QJsonValue(QJsonValue::Null));

    const QJsonObject summary = TargetStats().toJson(10.0, SloSpec());
    for (const char *key : {"latency_ms", "response_time_ms", "ttfb_ms", "ttft_ms", "itl_ms", "tpot_ms"})
        QVERIFY2(summary.value(QLatin1String(key)).isNull(), key);
    QVERIFY(summary.value(QLatin1String("success_rate")).isNull());
}

void TestStatistics::warmUpIsLeftOutButItsCostCounts()
{
    TargetStats stats;
    AttemptRecord warm = okAttempt(0.0, 5000.0, 9000.0, 100, {700.0f});
    warm.warmup = true;
    warm.costUsd = 0.25;
    warm.promptTokens = 1000;
    addRequest(stats, warm);
    AttemptRecord measured = okAttempt(100.0, 50.0, 200.0, 11, {10.0f, 20.0f});
    measured.costUsd = 0.5;
    addRequest(stats, measured);

    QCOMPARE(stats.requests(), qint64(1));
    QCOMPARE(stats.attempts(), qint64(1));
    QCOMPARE(stats.succeeded(), qint64(1));
    QCOMPARE(stats.completionTokens(), qint64(11));
    QCOMPARE(stats.costUsd(), 0.75);
    const QJsonObject summary = stats.toJson(10.0, SloSpec());
    QCOMPARE(summary.value(QLatin1String("requests")).toDouble(), 1.0);
    QCOMPARE(summary.value(QLatin1String("attempts")).toDouble(), 1.0);
    QCOMPARE(summary.value(QLatin1String("cost_usd")).toDouble(), 0.75);
    QCOMPARE(statsOf(summary, "latency_ms").value(QLatin1String("max")).toDouble(), 200.0);
    QCOMPARE(statsOf(summary, "ttft_ms").value(QLatin1String("max")).toDouble(), 50.0);
    QCOMPARE(statsOf(summary, "itl_ms").value(QLatin1String("max")).toDouble(), 20.0);
    QCOMPARE(statsOf(summary, "response_time_ms").value(QLatin1String("max")).toDouble(), 200.0);
    const QJsonObject tokens = statsOf(summary, "tokens");
    QCOMPARE(tokens.value(QLatin1String("prompt")).toDouble(), 10.0);
    QCOMPARE(tokens.value(QLatin1String("completion")).toDouble(), 11.0);
    QCOMPARE(statsOf(summary, "outcomes").value(QLatin1String("ok")).toDouble(), 1.0);
}

void TestStatistics::onlyOkAttemptsFeedTimings()
{
    TargetStats stats;
    // One request that failed twice, then succeeded; one that failed for good.
    stats.addAttempt(failedAttempt(Outcome::ServerError, 0.0, 5000.0));
    stats.addAttempt(failedAttempt(Outcome::Timeout, 6000.0, 60000.0));
    const AttemptRecord ok = okAttempt(70000.0, 100.0, 1100.0, 11, {90.0f, 110.0f});
    stats.addAttempt(ok);
    stats.addFinal(ok, 71100.0);
    const AttemptRecord failed = failedAttempt(Outcome::NetworkError, 0.0, 30.0);
    stats.addAttempt(failed);
    stats.addFinal(failed, 30.0);

    QCOMPARE(stats.attempts(), qint64(4));
    QCOMPARE(stats.failedAttempts(), qint64(3));
    QCOMPARE(stats.requests(), qint64(2));
    QCOMPARE(stats.succeeded(), qint64(1));
    const QJsonObject summary = stats.toJson(100.0, SloSpec());
    const auto only = [&](const char *key, double value) {
        const QJsonObject s = statsOf(summary, key);
        return s.value(QLatin1String("min")).toDouble() == value && s.value(QLatin1String("max")).toDouble() == value;
    };
    QVERIFY(only("latency_ms", 1100.0));
    QVERIFY(only("ttfb_ms", 50.0));
    QVERIFY(only("ttft_ms", 100.0));
    QVERIFY(only("tpot_ms", 100.0)); // (1100 - 100) / (11 - 1)
    QVERIFY(only("response_time_ms", 71100.0));
    const QJsonObject itl = statsOf(summary, "itl_ms");
    QCOMPARE(itl.value(QLatin1String("min")).toDouble(), 90.0);
    QCOMPARE(itl.value(QLatin1String("max")).toDouble(), 110.0);
    QCOMPARE(summary.value(QLatin1String("failed")).toDouble(), 1.0);
}

void TestStatistics::outcomesListEveryName()
{
    TargetStats stats;
    stats.addAttempt(failedAttempt(Outcome::RateLimited, 0.0, 10.0));
    const AttemptRecord ok = okAttempt(20.0, 5.0, 10.0);
    stats.addAttempt(ok);
    stats.addFinal(ok, 30.0);
    const QJsonObject summary = stats.toJson(1.0, SloSpec());
    for (const char *key : {"outcomes", "attempt_outcomes"}) {
        const QJsonObject counts = statsOf(summary, key);
        QCOMPARE(counts.size(), outcomeCount);
        for (Outcome outcome : allOutcomes())
            QVERIFY2(counts.value(outcomeName(outcome)).isDouble(), outcomeName(outcome).data());
    }
    QCOMPARE(statsOf(summary, "outcomes").value(QLatin1String("ok")).toDouble(), 1.0);
    QCOMPARE(statsOf(summary, "outcomes").value(QLatin1String("rate_limited")).toDouble(), 0.0);
    QCOMPARE(statsOf(summary, "outcomes").value(QLatin1String("budget_stopped")).toDouble(), 0.0);
    QCOMPARE(statsOf(summary, "attempt_outcomes").value(QLatin1String("ok")).toDouble(), 1.0);
    QCOMPARE(statsOf(summary, "attempt_outcomes").value(QLatin1String("rate_limited")).toDouble(), 1.0);
    QCOMPARE(statsOf(summary, "attempt_outcomes").value(QLatin1String("timeout")).toDouble(), 0.0);
}

void TestStatistics::successRate_data()
{
    QTest::addColumn<int>("ok");
    QTest::addColumn<int>("failed");
    QTest::addColumn<QJsonValue>("rate");
    QTest::addRow("all ok") << 4 << 0 << QJsonValue(1.0);
    QTest::addRow("three of four") << 3 << 1 << QJsonValue(0.75);
    QTest::addRow("none ok") << 0 << 2 << QJsonValue(0.0);
    QTest::addRow("no requests") << 0 << 0 << QJsonValue(QJsonValue::Null);
}

void TestStatistics::successRate()
{
    QFETCH(int, ok);
    QFETCH(int, failed);
    QFETCH(QJsonValue, rate);
    TargetStats stats;
    for (int i = 0; i < ok; ++i)
        addRequest(stats, okAttempt(i, 1.0, 2.0));
    for (int i = 0; i < failed; ++i)
        addRequest(stats, failedAttempt(Outcome::ServerError, i, 2.0));
    const QJsonObject summary = stats.toJson(1.0, SloSpec());
    QCOMPARE(summary.value(QLatin1String("success_rate")), rate);
    QCOMPARE(summary.value(QLatin1String("succeeded")).toDouble(), double(ok));
    QCOMPARE(summary.value(QLatin1String("failed")).toDouble(), double(failed));
}

void TestStatistics::tokenSource_data()
{
    QTest::addColumn<QList<TokenSource>>("sources");
    QTest::addColumn<QString>("summary");
    QTest::addRow("none") << QList<TokenSource>{TokenSource::None} << QStringLiteral("none");
    QTest::addRow("server") << QList<TokenSource>{TokenSource::Server, TokenSource::None} << QStringLiteral("server");
    QTest::addRow("estimated") << QList<TokenSource>{TokenSource::Estimated} << QStringLiteral("estimated");
    QTest::addRow("mixed") << QList<TokenSource>{TokenSource::Server, TokenSource::Estimated}
                           << QStringLiteral("mixed");
}

void TestStatistics::tokenSource()
{
    QFETCH(QList<TokenSource>, sources);
    QFETCH(QString, summary);
    TargetStats stats;
    for (TokenSource source : sources) {
        AttemptRecord r = okAttempt(0.0, 1.0, 2.0, 3);
        r.tokenSource = source;
        addRequest(stats, r);
    }
    QCOMPARE(statsOf(stats.toJson(1.0, SloSpec()), "tokens").value(QLatin1String("source")).toString(), summary);
}

void TestStatistics::throughputAndPeak()
{
    TargetStats stats;
    for (int i = 0; i < 10; ++i)
        addRequest(stats, okAttempt(i * 100.0, 10.0, 50.0, 20));
    addRequest(stats, failedAttempt(Outcome::ServerError, 0.0, 10.0));
    stats.notePeakInFlight(3);
    stats.notePeakInFlight(7);
    stats.notePeakInFlight(2);
    const QJsonObject summary = stats.toJson(4.0, SloSpec());
    const QJsonObject throughput = statsOf(summary, "throughput");
    QCOMPARE(throughput.value(QLatin1String("requests_per_s")).toDouble(), 2.5);
    QCOMPARE(throughput.value(QLatin1String("output_tokens_per_s")).toDouble(), (10 * 20 + 5) / 4.0);
    QCOMPARE(summary.value(QLatin1String("peak_in_flight")).toDouble(), 7.0);
    QCOMPARE(stats.peakInFlight(), qint64(7));
}

void TestStatistics::sloChecks_data()
{
    QTest::addColumn<SloSpec>("slo");
    QTest::addColumn<bool>("empty"); // no request at all
    QTest::addColumn<QJsonArray>("checks");
    QTest::addColumn<bool>("passed");
    // The sample: 20 requests, 19 ok with latency 101..119 ms and TTFT 11..29 ms, one server error: success
    // rate 0.95; p95 is the value of rank ceil(0.95 * 19) = 19 of the ok attempts: latency 119, TTFT 29.
    const auto check = [](const char *metric, double threshold, QJsonValue actual, bool passed) -> QJsonObject {
        return QJsonObject{{QStringLiteral("metric"), QLatin1String(metric)},
                           {QStringLiteral("threshold"), threshold},
                           {QStringLiteral("actual"), actual},
                           {QStringLiteral("passed"), passed}};
    };
    SloSpec all;
    all.successRate = 0.95;
    all.latencyP95Ms = 119.0;
    all.ttftP95Ms = 30.0;
    QTest::addRow("all pass") << all << false
                              << QJsonArray{check("success_rate", 0.95, 0.95, true),
                                            check("latency_p95_ms", 119.0, 119.0, true),
                                            check("ttft_p95_ms", 30.0, 29.0, true)}
                              << true;
    SloSpec strict = all;
    strict.successRate = 0.99;
    strict.latencyP95Ms = 118.9;
    QTest::addRow("two fail") << strict << false
                              << QJsonArray{check("success_rate", 0.99, 0.95, false),
                                            check("latency_p95_ms", 118.9, 119.0, false),
                                            check("ttft_p95_ms", 30.0, 29.0, true)}
                              << false;
    SloSpec ttftOnly;
    ttftOnly.ttftP95Ms = 28.0;
    QTest::addRow("ttft only, fails") << ttftOnly << false << QJsonArray{check("ttft_p95_ms", 28.0, 29.0, false)}
                                      << false;
    QTest::addRow("nothing measured") << all << true
                                      << QJsonArray{check("success_rate", 0.95, QJsonValue(), false),
                                                    check("latency_p95_ms", 119.0, QJsonValue(), false),
                                                    check("ttft_p95_ms", 30.0, QJsonValue(), false)}
                                      << false;
}

void TestStatistics::sloChecks()
{
    QFETCH(SloSpec, slo);
    QFETCH(bool, empty);
    QFETCH(QJsonArray, checks);
    QFETCH(bool, passed);
    TargetStats stats;
    if (!empty) {
        for (int i = 1; i <= 19; ++i)
            addRequest(stats, okAttempt(i * 1000.0, 10.0 + i, 100.0 + i));
        addRequest(stats, failedAttempt(Outcome::ServerError, 0.0, 5.0));
    }
    const QJsonObject sloJson = statsOf(stats.toJson(60.0, slo), "slo");
    QCOMPARE(sloJson.value(QLatin1String("checks")).toArray(), checks);
    QCOMPARE(sloJson.value(QLatin1String("passed")).toBool(), passed);
    QCOMPARE(stats.sloPassed(slo), passed);
}

void TestStatistics::noSloSetPasses()
{
    TargetStats stats;
    addRequest(stats, failedAttempt(Outcome::ServerError, 0.0, 5.0));
    const QJsonObject slo = statsOf(stats.toJson(1.0, SloSpec()), "slo");
    QCOMPARE(slo.value(QLatin1String("passed")), QJsonValue(true));
    QCOMPARE(slo.value(QLatin1String("checks")).toArray(), QJsonArray());
    QVERIFY(stats.sloPassed(SloSpec()));
    QVERIFY(TargetStats().sloPassed(SloSpec()));
}

void TestStatistics::boundedSampleExactThenWithinABucket_data()
{
    QTest::addColumn<int>("values");
    QTest::addColumn<int>("limit");
    QTest::addRow("under the limit: exact") << 1000 << 1000;
    QTest::addRow("one over: bucketed") << 1001 << 1000;
    QTest::addRow("100x over") << 100000 << 1000;
}

// Gaps 1..n ms in a scrambled order: exact nearest-rank figures while within the limit, within one
// log-linear bucket (1/64) after it, and min, max and mean exact in both cases.
void TestStatistics::boundedSampleExactThenWithinABucket()
{
    QFETCH(int, values);
    QFETCH(int, limit);
    BoundedSample sample{size_t(limit)};
    std::vector<double> truth;
    for (int i = 0; i < values; ++i) {
        const int v = 1 + int((qint64(i) * 7919) % values); // a permutation of 1..n (7919 is prime)
        sample.add(float(v));
        truth.push_back(double(v));
    }
    QCOMPARE(sample.isExact(), values <= limit);
    QCOMPARE(sample.count(), size_t(values));
    const QJsonObject json = sample.toJson().toObject();
    const SampleStats exact = describe(truth);
    QCOMPARE(json.value(QLatin1String("min")).toDouble(), exact.min);
    QCOMPARE(json.value(QLatin1String("max")).toDouble(), exact.max);
    QVERIFY(std::abs(json.value(QLatin1String("mean")).toDouble() - exact.mean) < 1e-6 * exact.mean);
    const std::pair<const char *, double> percentiles[] = {
        {"p50", exact.p50}, {"p90", exact.p90}, {"p95", exact.p95}, {"p99", exact.p99}};
    for (const auto &[key, expected] : percentiles) {
        const double got = json.value(QLatin1String(key)).toDouble();
        if (sample.isExact())
            QCOMPARE(got, expected);
        else
            QVERIFY2(std::abs(got - expected) <= expected / 64.0 + 1e-9,
                     qPrintable(QStringLiteral("%1: %2 vs %3").arg(QLatin1String(key)).arg(got).arg(expected)));
    }
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
