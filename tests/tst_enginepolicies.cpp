#include "engine/circuitbreaker.h"
#include "engine/retrypolicy.h"
#include "engine/tokenbucket.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace relaybench;

class TestEnginePolicies : public QObject
{
    Q_OBJECT

private slots:
    void parseRetryAfter_data();
    void parseRetryAfter();
    void shouldRetry_data();
    void shouldRetry();
    void backoffGrowsExponentiallyUpToTheCap();
    void jitterStaysWithinItsBounds_data();
    void jitterStaysWithinItsBounds();
    void sameSeedSameDelays();
    void retryAfterIsHonouredAndCapped_data();
    void retryAfterIsHonouredAndCapped();
    void retryAfterIsIgnoredWhenNotRespected();
    void unlimitedBucketNeverWaits();
    void requestBucketWaitsForRefill();
    void tokenBucketWaitsForTokens();
    void amountAboveCapacityWaitsForAFullBucket();
    void givenBackTokensAreUsableAgain();
    void olderTimestampDoesNotDrainTheBucket();
    void breakerOpensAfterConsecutiveFailures();
    void successResetsTheFailureCount();
    void breakerRefusesDuringTheCooldown();
    void halfOpenLetsExactlyOneProbe();
    void probeSuccessCloses();
    void probeFailureReopens();
    void cancelledDoesNotCount();
    void cancelledProbeFreesTheWayForAnother();
    void lateResultIsNotTakenForTheProbe();
    void thresholdZeroNeverOpens();
    void whichOutcomesAreFailures_data();
    void whichOutcomesAreFailures();
};

namespace {

const double noRetryAfter = std::numeric_limits<double>::quiet_NaN();

QDateTime fixedNow()
{
    return QDateTime(QDate(2026, 10, 21), QTime(7, 28, 0), Qt::UTC); // a Wednesday
}

RetrySpec spec(double baseS, double maxS, double jitter, int maxAttempts = 5)
{
    RetrySpec s;
    s.baseDelayS = baseS;
    s.maxDelayS = maxS;
    s.jitter = jitter;
    s.maxAttempts = maxAttempts;
    return s;
}

// Opens a breaker (threshold 3, cooldown 1000 ms) at `atMs`.
CircuitBreaker openedAt(double atMs)
{
    CircuitBreaker breaker(3, 1000.0);
    for (int i = 0; i < 3; ++i) {
        breaker.allow(atMs);
        breaker.record(Outcome::ServerError, atMs);
    }
    return breaker;
}

} // namespace

void TestEnginePolicies::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<double>("seconds"); // NaN: unreadable
    QTest::addRow("seconds") << QByteArray("120") << 120.0;
    QTest::addRow("zero") << QByteArray("0") << 0.0;
    QTest::addRow("fraction") << QByteArray("1.5") << 1.5;
    QTest::addRow("spaces") << QByteArray(" 7 ") << 7.0;
    QTest::addRow("IMF-fixdate") << QByteArray("Wed, 21 Oct 2026 07:28:30 GMT") << 30.0;
    QTest::addRow("RFC 850") << QByteArray("Wednesday, 21-Oct-26 07:28:30 GMT") << 30.0;
    QTest::addRow("asctime") << QByteArray("Wed Oct 21 07:28:30 2026") << 30.0;
    QTest::addRow("asctime, one-digit day") << QByteArray("Sun Nov  1 07:28:00 2026") << 11.0 * 86400.0;
    QTest::addRow("numeric zone") << QByteArray("Wed, 21 Oct 2026 07:28:30 +0000") << 30.0;
    QTest::addRow("other zone") << QByteArray("Wed, 21 Oct 2026 09:28:30 +0200") << 30.0;
    QTest::addRow("next year") << QByteArray("Thu, 21 Oct 2027 07:28:00 GMT") << 365.0 * 86400.0;
    QTest::addRow("past date") << QByteArray("Wed, 21 Oct 2026 07:27:00 GMT") << 0.0;
    QTest::addRow("garbage") << QByteArray("soon") << noRetryAfter;
    QTest::addRow("empty") << QByteArray() << noRetryAfter;
    QTest::addRow("negative") << QByteArray("-5") << noRetryAfter;
    QTest::addRow("infinite") << QByteArray("inf") << noRetryAfter;
    QTest::addRow("not a number") << QByteArray("nan") << noRetryAfter;
    QTest::addRow("day 32") << QByteArray("Wed, 32 Oct 2026 07:28:30 GMT") << noRetryAfter;
    QTest::addRow("unknown month") << QByteArray("Wed, 21 Okt 2026 07:28:30 GMT") << noRetryAfter;
    QTest::addRow("hour 25") << QByteArray("Wed, 21 Oct 2026 25:28:30 GMT") << noRetryAfter;
    QTest::addRow("no time") << QByteArray("Wed, 21 Oct 2026 GMT") << noRetryAfter;
}

void TestEnginePolicies::parseRetryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(double, seconds);
    const double parsed = relaybench::parseRetryAfter(value, fixedNow());
    if (std::isnan(seconds))
        QVERIFY2(std::isnan(parsed), qPrintable(QString::number(parsed)));
    else
        QCOMPARE(parsed, seconds);
}

void TestEnginePolicies::shouldRetry_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<bool>("retry");
    // The default "on" list: rate_limited, server_error, timeout, network_error.
    QTest::addRow("429, first") << 3 << Outcome::RateLimited << 1 << true;
    QTest::addRow("429, second") << 3 << Outcome::RateLimited << 2 << true;
    QTest::addRow("429, last") << 3 << Outcome::RateLimited << 3 << false;
    QTest::addRow("429, beyond") << 3 << Outcome::RateLimited << 4 << false;
    QTest::addRow("5xx") << 3 << Outcome::ServerError << 1 << true;
    QTest::addRow("timeout") << 3 << Outcome::Timeout << 2 << true;
    QTest::addRow("network") << 3 << Outcome::NetworkError << 1 << true;
    QTest::addRow("ok") << 3 << Outcome::Ok << 1 << false;
    QTest::addRow("auth") << 3 << Outcome::AuthError << 1 << false;
    QTest::addRow("4xx") << 3 << Outcome::ClientError << 1 << false;
    QTest::addRow("stalled, not listed") << 3 << Outcome::Stalled << 1 << false;
    QTest::addRow("stream, not listed") << 3 << Outcome::StreamError << 1 << false;
    QTest::addRow("cancelled") << 3 << Outcome::Cancelled << 1 << false;
    QTest::addRow("one attempt only") << 1 << Outcome::RateLimited << 1 << false;
}

void TestEnginePolicies::shouldRetry()
{
    QFETCH(int, maxAttempts);
    QFETCH(Outcome, outcome);
    QFETCH(int, attempt);
    QFETCH(bool, retry);
    const RetryPolicy policy(spec(0.5, 30.0, 0.2, maxAttempts));
    QCOMPARE(policy.shouldRetry(outcome, attempt), retry);

    RetrySpec streamOnly = spec(0.5, 30.0, 0.2, maxAttempts);
    streamOnly.on = {Outcome::StreamError};
    const RetryPolicy custom(streamOnly);
    QCOMPARE(custom.shouldRetry(outcome, attempt), outcome == Outcome::StreamError && attempt < maxAttempts);
}

void TestEnginePolicies::backoffGrowsExponentiallyUpToTheCap()
{
    RetryPolicy policy(spec(0.5, 30.0, 0.0));
    const QList<double> expected{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    QList<double> delays;
    for (int attempt = 1; attempt <= expected.size(); ++attempt)
        delays.append(policy.delayMs(attempt, noRetryAfter));
    QCOMPARE(delays, expected);
    QCOMPARE(policy.delayMs(100, noRetryAfter), 30000.0); // 2^99 times the base: still the cap
}

void TestEnginePolicies::jitterStaysWithinItsBounds_data()
{
    QTest::addColumn<double>("jitter");
    QTest::addRow("0.2") << 0.2;
    QTest::addRow("0.5") << 0.5;
    QTest::addRow("1.0") << 1.0;
}

void TestEnginePolicies::jitterStaysWithinItsBounds()
{
    QFETCH(double, jitter);
    const double maxS = 4.0;
    for (int attempt = 1; attempt <= 5; ++attempt) {
        const double nominal = std::min(1000.0 * std::pow(2.0, attempt - 1), maxS * 1000.0);
        double lowest = std::numeric_limits<double>::max();
        double highest = 0.0;
        for (quint64 seed = 1; seed <= 500; ++seed) {
            RetryPolicy policy(spec(1.0, maxS, jitter), seed);
            const double delay = policy.delayMs(attempt, noRetryAfter);
            lowest = std::min(lowest, delay);
            highest = std::max(highest, delay);
            const QByteArray where = "attempt " + QByteArray::number(attempt) + ", seed " + QByteArray::number(seed) +
                                     ": " + QByteArray::number(delay);
            QVERIFY2(delay >= nominal * (1.0 - jitter) && delay <= nominal * (1.0 + jitter), where.constData());
            QVERIFY2(delay <= maxS * 1000.0, where.constData()); // the cap holds after the jitter too
        }
        // The spread is used: 500 draws come close to both ends (of the capped range at the cap).
        const double top = std::min(nominal * (1.0 + jitter), maxS * 1000.0);
        QVERIFY2(lowest < nominal * (1.0 - 0.9 * jitter), qPrintable(QString::number(lowest)));
        QVERIFY2(highest > top - nominal * 0.1 * jitter, qPrintable(QString::number(highest)));
    }
}

void TestEnginePolicies::sameSeedSameDelays()
{
    RetryPolicy a(spec(0.5, 30.0, 0.3), 42);
    RetryPolicy b(spec(0.5, 30.0, 0.3), 42);
    RetryPolicy c(spec(0.5, 30.0, 0.3), 43);
    QList<double> da;
    QList<double> db;
    QList<double> dc;
    for (int attempt = 1; attempt <= 6; ++attempt) {
        da.append(a.delayMs(attempt, noRetryAfter));
        db.append(b.delayMs(attempt, noRetryAfter));
        dc.append(c.delayMs(attempt, noRetryAfter));
    }
    QCOMPARE(da, db);
    QVERIFY(da != dc);
}

void TestEnginePolicies::retryAfterIsHonouredAndCapped_data()
{
    QTest::addColumn<double>("retryAfterS");
    QTest::addColumn<double>("delayMs");
    QTest::addRow("7 s") << 7.0 << 7000.0;
    QTest::addRow("1.5 s") << 1.5 << 1500.0;
    QTest::addRow("0 s") << 0.0 << 0.0;
    QTest::addRow("at the cap") << 30.0 << 30000.0;
    QTest::addRow("above the cap") << 120.0 << 30000.0;
}

void TestEnginePolicies::retryAfterIsHonouredAndCapped()
{
    QFETCH(double, retryAfterS);
    QFETCH(double, delayMs);
    RetryPolicy policy(spec(0.5, 30.0, 0.5)); // no jitter on the server's figure
    for (int attempt = 1; attempt <= 4; ++attempt)
        QCOMPARE(policy.delayMs(attempt, retryAfterS), delayMs);
}

void TestEnginePolicies::retryAfterIsIgnoredWhenNotRespected()
{
    RetrySpec s = spec(0.5, 30.0, 0.0);
    s.respectRetryAfter = false;
    RetryPolicy policy(s);
    QCOMPARE(policy.delayMs(1, 7.0), 500.0);
    QCOMPARE(policy.delayMs(3, 120.0), 2000.0);
}

void TestEnginePolicies::unlimitedBucketNeverWaits()
{
    TokenBucket bucket;
    QVERIFY(bucket.unlimited());
    for (int i = 0; i < 1000; ++i)
        bucket.take(1e6, 0.0);
    QCOMPARE(bucket.waitMs(1e9, 0.0), 0.0);
    QVERIFY(TokenBucket(0.0).unlimited());
    QVERIFY(!TokenBucket(1.0).unlimited());
}

void TestEnginePolicies::requestBucketWaitsForRefill()
{
    TokenBucket bucket(60.0); // 60 a minute: one a second, and a full minute's worth to start with
    for (int i = 0; i < 60; ++i) {
        QCOMPARE(bucket.waitMs(1.0, 0.0), 0.0);
        bucket.take(1.0, 0.0);
    }
    QCOMPARE(bucket.waitMs(1.0, 0.0), 1000.0);
    QCOMPARE(bucket.waitMs(1.0, 250.0), 750.0);
    QCOMPARE(bucket.waitMs(1.0, 1000.0), 0.0);
    bucket.take(1.0, 1000.0);
    QCOMPARE(bucket.waitMs(2.0, 1000.0), 2000.0);
    QCOMPARE(bucket.waitMs(1.0, 3000.0), 0.0);
    QCOMPARE(bucket.waitMs(2.0, 3000.0), 0.0);
}

void TestEnginePolicies::tokenBucketWaitsForTokens()
{
    TokenBucket bucket(6000.0); // 100 tokens a second
    bucket.take(6000.0, 0.0);
    QCOMPARE(bucket.waitMs(250.0, 0.0), 2500.0);
    QCOMPARE(bucket.waitMs(250.0, 2000.0), 500.0);
    QCOMPARE(bucket.waitMs(250.0, 2500.0), 0.0);
    bucket.take(250.0, 2500.0);
    QCOMPARE(bucket.waitMs(1.0, 2500.0), 10.0);
    // Refill stops at the capacity: an hour idle still holds one minute's allowance.
    QCOMPARE(bucket.waitMs(6000.0, 3600000.0), 0.0);
    bucket.take(6000.0, 3600000.0);
    QCOMPARE(bucket.waitMs(1.0, 3600000.0), 10.0);
}

void TestEnginePolicies::amountAboveCapacityWaitsForAFullBucket()
{
    TokenBucket bucket(6000.0);
    QCOMPARE(bucket.waitMs(10000.0, 0.0), 0.0); // the bucket starts full: that is as good as it gets
    bucket.take(10000.0, 0.0);                  // takes what there is, no debt beyond it
    QCOMPARE(bucket.waitMs(10000.0, 0.0), 60000.0);
    QCOMPARE(bucket.waitMs(10000.0, 30000.0), 30000.0);
    QCOMPARE(bucket.waitMs(1.0, 60000.0), 0.0);
}

void TestEnginePolicies::givenBackTokensAreUsableAgain()
{
    TokenBucket bucket(6000.0);
    bucket.take(6000.0, 0.0);
    bucket.giveBack(3000.0);
    QCOMPARE(bucket.waitMs(3000.0, 0.0), 0.0);
    QCOMPARE(bucket.waitMs(3001.0, 0.0), 10.0);
    bucket.giveBack(1e9); // never above the capacity
    QCOMPARE(bucket.waitMs(6000.0, 0.0), 0.0);
    bucket.take(6000.0, 0.0);
    QCOMPARE(bucket.waitMs(1.0, 0.0), 10.0);
    bucket.giveBack(-50.0); // a negative amount is nothing
    QCOMPARE(bucket.waitMs(1.0, 0.0), 10.0);
}

void TestEnginePolicies::olderTimestampDoesNotDrainTheBucket()
{
    TokenBucket bucket(60.0);
    bucket.take(60.0, 10000.0);
    QCOMPARE(bucket.waitMs(1.0, 5000.0), 1000.0); // from a caller running behind: the same missing second
    QCOMPARE(bucket.waitMs(1.0, 10500.0), 500.0);
}

void TestEnginePolicies::breakerOpensAfterConsecutiveFailures()
{
    CircuitBreaker breaker(3, 1000.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    for (int i = 0; i < 2; ++i) {
        QVERIFY(breaker.allow(100.0));
        breaker.record(Outcome::ServerError, 100.0);
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    }
    QVERIFY(breaker.allow(100.0));
    breaker.record(Outcome::Timeout, 150.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
    QCOMPARE(breaker.openings(), 1);
    QCOMPARE(breaker.reopensAtMs(), 1150.0);
    QVERIFY(!breaker.allow(150.0));
    QVERIFY(breaker.refusing(150.0));
}

void TestEnginePolicies::successResetsTheFailureCount()
{
    CircuitBreaker breaker(3, 1000.0);
    const Outcome sequence[] = {Outcome::ServerError, Outcome::RateLimited,  Outcome::Ok,
                                Outcome::ServerError, Outcome::NetworkError, Outcome::Ok,
                                Outcome::ServerError, Outcome::ServerError};
    for (Outcome outcome : sequence) {
        QVERIFY(breaker.allow(0.0));
        breaker.record(outcome, 0.0);
    }
    QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    breaker.record(Outcome::ServerError, 0.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
}

void TestEnginePolicies::breakerRefusesDuringTheCooldown()
{
    CircuitBreaker breaker = openedAt(500.0);
    for (double t : {500.0, 900.0, 1499.0}) {
        QVERIFY2(breaker.refusing(t), qPrintable(QString::number(t)));
        QVERIFY2(!breaker.allow(t), qPrintable(QString::number(t)));
    }
    QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
    QVERIFY(!breaker.refusing(1500.0));
}

void TestEnginePolicies::halfOpenLetsExactlyOneProbe()
{
    CircuitBreaker breaker = openedAt(0.0);
    QVERIFY(breaker.allow(1000.0)); // the probe
    QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen);
    QVERIFY(breaker.refusing(1000.0));
    for (double t : {1000.0, 1001.0, 5000.0})
        QVERIFY(!breaker.allow(t));
}

void TestEnginePolicies::probeSuccessCloses()
{
    CircuitBreaker breaker = openedAt(0.0);
    QVERIFY(breaker.allow(1000.0));
    breaker.record(Outcome::Ok, 1200.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    QVERIFY(!breaker.refusing(1200.0));
    QVERIFY(breaker.allow(1200.0));
    QVERIFY(breaker.allow(1200.0));
    // The failure count starts again from zero.
    breaker.record(Outcome::ServerError, 1300.0);
    breaker.record(Outcome::ServerError, 1300.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    breaker.record(Outcome::ServerError, 1300.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
    QCOMPARE(breaker.openings(), 2);
}

void TestEnginePolicies::probeFailureReopens()
{
    CircuitBreaker breaker = openedAt(0.0);
    QVERIFY(breaker.allow(1000.0));
    breaker.record(Outcome::RateLimited, 1300.0); // one failed probe is enough, whatever the threshold
    QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
    QCOMPARE(breaker.openings(), 2);
    QCOMPARE(breaker.reopensAtMs(), 2300.0); // a fresh cooldown from the probe's end
    QVERIFY(!breaker.allow(2299.0));
    QVERIFY(breaker.allow(2300.0));
    QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen);
}

void TestEnginePolicies::cancelledDoesNotCount()
{
    CircuitBreaker breaker(3, 1000.0);
    breaker.record(Outcome::ServerError, 0.0);
    breaker.record(Outcome::ServerError, 0.0);
    for (Outcome ignored : {Outcome::Cancelled, Outcome::CircuitOpen, Outcome::BudgetStopped})
        breaker.record(ignored, 0.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    breaker.record(Outcome::ServerError, 0.0); // neither reset nor counted: this is the third failure
    QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
}

void TestEnginePolicies::cancelledProbeFreesTheWayForAnother()
{
    CircuitBreaker breaker = openedAt(0.0);
    QVERIFY(breaker.allow(1000.0));
    breaker.record(Outcome::Cancelled, 1100.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen); // nothing learnt
    QVERIFY(!breaker.refusing(1100.0));
    QVERIFY(breaker.allow(1100.0)); // a new probe, instead of refusing for ever
    QVERIFY(!breaker.allow(1100.0));
    breaker.record(Outcome::Ok, 1200.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
}

void TestEnginePolicies::lateResultIsNotTakenForTheProbe()
{
    CircuitBreaker breaker = openedAt(0.0); // with attempts sent at 0 still in flight
    QVERIFY(breaker.allow(1000.0));         // the probe, sent just after
    breaker.record(Outcome::Ok, 1100.0, 0.0);
    breaker.record(Outcome::Cancelled, 1100.0, 0.0);
    QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen); // still waiting for the probe
    QVERIFY(!breaker.allow(1100.0));
    breaker.record(Outcome::Timeout, 1200.0, 1000.5); // the probe itself
    QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
    QCOMPARE(breaker.openings(), 2);
}

void TestEnginePolicies::thresholdZeroNeverOpens()
{
    CircuitBreaker breaker(0, 1000.0);
    for (int i = 0; i < 1000; ++i) {
        QVERIFY(breaker.allow(double(i)));
        breaker.record(Outcome::ServerError, double(i));
    }
    QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    QCOMPARE(breaker.openings(), 0);
    QVERIFY(!breaker.refusing(1000.0));
    QVERIFY(CircuitBreaker().allow(0.0));
}

void TestEnginePolicies::whichOutcomesAreFailures_data()
{
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<bool>("failure");
    for (Outcome outcome : allOutcomes()) {
        const bool failure = outcome != Outcome::Ok && outcome != Outcome::Cancelled &&
                             outcome != Outcome::CircuitOpen && outcome != Outcome::BudgetStopped;
        QTest::addRow("%s", outcomeName(outcome).data()) << outcome << failure;
    }
}

void TestEnginePolicies::whichOutcomesAreFailures()
{
    QFETCH(Outcome, outcome);
    QFETCH(bool, failure);
    CircuitBreaker breaker(1, 1000.0);
    QVERIFY(breaker.allow(0.0));
    breaker.record(outcome, 0.0);
    QCOMPARE(breaker.state() == CircuitBreaker::State::Open, failure);
}

QTEST_GUILESS_MAIN(TestEnginePolicies)
#include "tst_enginepolicies.moc"
