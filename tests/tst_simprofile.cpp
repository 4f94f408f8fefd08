#include "sim/distribution.h"
#include "sim/simprofile.h"

#include <QDir>
#include <QTest>

#include <algorithm>

using namespace relaybench;

class TestSimProfile : public QObject
{
    Q_OBJECT

private slots:
    void shippedProfilesLoad_data();
    void shippedProfilesLoad();
    void exampleProfilesLoad_data();
    void exampleProfilesLoad();
    void unknownNameListsTheShippedOnes();
    void unreadableFileNamesThePath();
    void badProfileIsExplained_data();
    void badProfileIsExplained();
    void everyErrorIsReportedAtOnce();
    void fixedDistributionIsExact();
    void logNormalHitsMedianAndP99_data();
    void logNormalHitsMedianAndP99();
    void peakWindow_data();
    void peakWindow();
};

void TestSimProfile::shippedProfilesLoad_data()
{
    QTest::addColumn<QString>("name");
    const QStringList names = shippedSimProfileNames();
    for (const char *required : {"relay", "direct-peak", "local-gpu", "flaky", "reasoner"})
        QVERIFY2(names.contains(QLatin1String(required)), required);
    for (const QString &name : names)
        QTest::addRow("%s", qPrintable(name)) << name;
}

void TestSimProfile::shippedProfilesLoad()
{
    QFETCH(QString, name);
    QString error;
    const auto profile = loadSimProfile(name, &error);
    QVERIFY2(profile, qPrintable(error));
    QCOMPARE(profile->name, name);
    QVERIFY(!profile->description.isEmpty());
    QVERIFY(profile->totalFaultRate() <= 1.0);
}

void TestSimProfile::exampleProfilesLoad_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/profiles"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    QVERIFY(!files.isEmpty());
    for (const QString &file : files)
        QTest::addRow("%s", qPrintable(file)) << dir.filePath(file);
}

void TestSimProfile::exampleProfilesLoad()
{
    QFETCH(QString, path);
    QString error;
    QVERIFY2(loadSimProfile(path, &error), qPrintable(error));
}

void TestSimProfile::unknownNameListsTheShippedOnes()
{
    QString error;
    QVERIFY(!loadSimProfile(QStringLiteral("nope"), &error));
    QVERIFY2(error.contains(QLatin1String("\"nope\"")) && error.contains(QLatin1String("relay")), qPrintable(error));
}

void TestSimProfile::unreadableFileNamesThePath()
{
    QString error;
    QVERIFY(!loadSimProfile(QStringLiteral("/nonexistent/dir/p.json"), &error));
    QVERIFY2(error.startsWith(QLatin1String("/nonexistent/dir/p.json: cannot read")), qPrintable(error));
}

void TestSimProfile::badProfileIsExplained_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::addRow("empty") << QByteArray("  \n") << QStringLiteral("p.json: empty file");
    QTest::addRow("syntax") << QByteArray("{\n  \"seed\": 1,\n  \"ttft_ms\" 5\n}")
                            << QStringLiteral("p.json: line 3, column 14");
    QTest::addRow("not utf-8") << QByteArray("{\"name\": \"\xff\xfe\"}") << QStringLiteral("p.json: not valid UTF-8");
    QTest::addRow("array") << QByteArray("[]") << QStringLiteral("p.json: must be a JSON object");
    QTest::addRow("delay as text") << QByteArray("{\"ttft_ms\": \"fast\"}")
                                   << QStringLiteral("p.json: ttft_ms: must be a number or an object");
    QTest::addRow("negative delay") << QByteArray("{\"tpot_ms\": -1}")
                                    << QStringLiteral("p.json: tpot_ms: must be >= 0, got -1");
    QTest::addRow("p99 below median") << QByteArray("{\"ttft_ms\": {\"median\": 100, \"p99\": 50}}")
                                      << QStringLiteral("p.json: ttft_ms.p99: must be >= median (100), got 50");
    QTest::addRow("distribution without median") << QByteArray("{\"ttft_ms\": {\"p99\": 50}}")
                                                 << QStringLiteral("p.json: ttft_ms: needs \"fixed\" or \"median\"");
    QTest::addRow("fault rate above 1") << QByteArray("{\"faults\": {\"hang\": 2}}")
                                        << QStringLiteral(
                                               "p.json: faults.hang: must be a number between 0 and 1, got 2");
    QTest::addRow("unknown fault") << QByteArray("{\"faults\": {\"explode\": 0.1}}")
                                   << QStringLiteral("p.json: faults.explode: unknown fault; known: rate_limited");
    QTest::addRow("rates over 1") << QByteArray("{\"faults\": {\"hang\": 0.6, \"reset\": 0.6}}")
                                  << QStringLiteral("p.json: faults: rates add up to 1.2");
    QTest::addRow("chunk size") << QByteArray("{\"tokens_per_chunk\": 0}")
                                << QStringLiteral(
                                       "p.json: tokens_per_chunk: must be an integer between 1 and 1000, got 0");
    QTest::addRow("seed not integer") << QByteArray("{\"seed\": 1.5}")
                                      << QStringLiteral("p.json: seed: must be an integer >= 0, got 1.5");
    QTest::addRow("utc window") << QByteArray("{\"peak_windows\": [{\"utc\": \"9-11\"}]}")
                                << QStringLiteral("p.json: peak_windows[0].utc: must look like \"09:00-11:30\"");
    QTest::addRow("window without duration") << QByteArray("{\"peak_windows\": [{\"start_s\": 5}]}")
                                             << QStringLiteral("p.json: peak_windows[0]: needs \"duration_s\"");
    QTest::addRow("keys not a list") << QByteArray("{\"api_keys\": \"k\"}")
                                     << QStringLiteral("p.json: api_keys: must be an array of strings, got \"k\"");
    QTest::addRow("rate limit") << QByteArray("{\"rate_limit\": {\"requests_per_minute\": \"many\"}}")
                                << QStringLiteral("p.json: rate_limit.requests_per_minute: must be a number >= 0");
}

void TestSimProfile::badProfileIsExplained()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!parseSimProfile(json, QStringLiteral("p.json"), &error));
    QVERIFY2(error.startsWith(expected), qPrintable(QStringLiteral("got: ") + error));
}

void TestSimProfile::everyErrorIsReportedAtOnce()
{
    QString error;
    QVERIFY(!parseSimProfile("{\"tpot_ms\": -1, \"seed\": \"x\", \"faults\": {\"hang\": 3}}", QStringLiteral("p.json"),
                             &error));
    QCOMPARE(error.count(QLatin1Char('\n')), 2);
}

void TestSimProfile::fixedDistributionIsExact()
{
    std::mt19937_64 rng(1);
    const Distribution d = Distribution::logNormal(40.0, 40.0);
    QVERIFY(d.isFixed());
    for (int i = 0; i < 100; ++i)
        QCOMPARE(d.sample(rng), 40.0);
    QCOMPARE(d.mean(), 40.0);
}

void TestSimProfile::logNormalHitsMedianAndP99_data()
{
    QTest::addColumn<double>("median");
    QTest::addColumn<double>("p99");
    QTest::addRow("relay ttft") << 37.0 << 118.0;
    QTest::addRow("peak ttft") << 1450.0 << 6400.0;
    QTest::addRow("narrow") << 20.0 << 24.0;
}

void TestSimProfile::logNormalHitsMedianAndP99()
{
    QFETCH(double, median);
    QFETCH(double, p99);
    const Distribution d = Distribution::logNormal(median, p99);
    std::mt19937_64 rng(42);
    std::vector<double> samples(200000);
    double sum = 0.0;
    for (double &s : samples) {
        s = d.sample(rng);
        sum += s;
    }
    std::sort(samples.begin(), samples.end());
    const double measuredMedian = samples[samples.size() / 2];
    const double measuredP99 = samples[samples.size() * 99 / 100];
    QVERIFY2(std::abs(measuredMedian / median - 1.0) < 0.02, qPrintable(QString::number(measuredMedian)));
    QVERIFY2(std::abs(measuredP99 / p99 - 1.0) < 0.03, qPrintable(QString::number(measuredP99)));
    QVERIFY2(std::abs(sum / double(samples.size()) / d.mean() - 1.0) < 0.02, "mean formula");
}

void TestSimProfile::peakWindow_data()
{
    QTest::addColumn<QByteArray>("window");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("utc");
    QTest::addColumn<bool>("active");
    const QByteArray once = "{\"start_s\": 10, \"duration_s\": 5}";
    const QByteArray every = "{\"start_s\": 10, \"duration_s\": 5, \"every_s\": 60}";
    const QByteArray night = "{\"utc\": \"22:00-02:00\"}";
    QTest::addRow("before") << once << 9.9 << "12:00" << false;
    QTest::addRow("start") << once << 10.0 << "12:00" << true;
    QTest::addRow("inside") << once << 14.9 << "12:00" << true;
    QTest::addRow("end is exclusive") << once << 15.0 << "12:00" << false;
    QTest::addRow("once means once") << once << 70.0 << "12:00" << false;
    QTest::addRow("repeats") << every << 71.0 << "12:00" << true;
    QTest::addRow("between repeats") << every << 76.0 << "12:00" << false;
    QTest::addRow("utc wraps midnight, late") << night << 0.0 << "23:30" << true;
    QTest::addRow("utc wraps midnight, early") << night << 0.0 << "01:59" << true;
    QTest::addRow("utc outside") << night << 0.0 << "02:00" << false;
}

void TestSimProfile::peakWindow()
{
    QFETCH(QByteArray, window);
    QFETCH(double, seconds);
    QFETCH(QString, utc);
    QFETCH(bool, active);
    QString error;
    const auto profile = parseSimProfile("{\"peak_windows\": [" + window + "]}", QStringLiteral("p.json"), &error);
    QVERIFY2(profile, qPrintable(error));
    QCOMPARE(profile->peakWindows.first().isActive(seconds, QTime::fromString(utc, QStringLiteral("HH:mm"))), active);
}

QTEST_GUILESS_MAIN(TestSimProfile)
#include "tst_simprofile.moc"
