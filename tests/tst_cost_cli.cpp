#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

// `relaybench cost` as scripts use it: the real binary, its three formats, exit codes and messages.
class TestCostCli : public QObject
{
    Q_OBJECT

private slots:
    void jsonRowsReproduceTheArticles();
    void csvHasTheSameColumns();
    void tableShowsTheWorking();
    void currencyAndPlans();
    void badInputNamesTheField_data();
    void badInputNamesTheField();
    void examplesRun_data();
    void examplesRun();

private:
    QTemporaryDir m_dir;
};

namespace {

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

Result run(const QStringList &arguments, const QString &dataDir)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RELAYBENCH_DATA_DIR"), dataDir); // no user catalogue of the machine's
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(RELAYBENCH_BINARY), QStringList{QStringLiteral("cost")} + arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QString example(const char *name)
{
    return QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/cost/") + QLatin1String(name);
}

} // namespace

void TestCostCli::jsonRowsReproduceTheArticles()
{
    const Result r =
        run({example("articles-10m-output.json"), QStringLiteral("--format"), QStringLiteral("json")}, m_dir.path());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonArray rows = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QLatin1String("rows")).toArray();
    QCOMPARE(rows.size(), 4);
    const QStringList keys{QStringLiteral("annual_cost_usd"),
                           QStringLiteral("cost_per_1k_requests_usd"),
                           QStringLiteral("effective_usd_per_mtok_output"),
                           QStringLiteral("model"),
                           QStringLiteral("monthly_cost_usd"),
                           QStringLiteral("plan"),
                           QStringLiteral("savings_vs_baseline_pct")};
    const QJsonObject deepseek = rows.at(0).toObject();
    QCOMPARE(deepseek.keys(), keys);
    QCOMPARE(deepseek.value(QLatin1String("model")).toString(), QStringLiteral("deepseek-chat"));
    QCOMPARE(deepseek.value(QLatin1String("plan")).toString(), QStringLiteral("direct"));
    QCOMPARE(deepseek.value(QLatin1String("monthly_cost_usd")).toDouble(), 4.2);
    QCOMPARE(deepseek.value(QLatin1String("annual_cost_usd")).toDouble(), 50.4);
    QCOMPARE(deepseek.value(QLatin1String("effective_usd_per_mtok_output")).toDouble(), 0.42);
    QCOMPARE(deepseek.value(QLatin1String("cost_per_1k_requests_usd")).toDouble(), 0.42);
    QCOMPARE(deepseek.value(QLatin1String("savings_vs_baseline_pct")).toDouble(), 94.75);
    const double monthly[] = {4.2, 25.0, 80.0, 150.0};
    for (int i = 0; i < 4; ++i)
        QCOMPARE(rows.at(i).toObject().value(QLatin1String("monthly_cost_usd")).toDouble(), monthly[i]);
}

void TestCostCli::csvHasTheSameColumns()
{
    const Result r =
        run({example("articles-10m-output.json"), QStringLiteral("--format"), QStringLiteral("csv")}, m_dir.path());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines.at(0), QStringLiteral("model,plan,monthly_cost_usd,annual_cost_usd,effective_usd_per_mtok_output,"
                                         "cost_per_1k_requests_usd,savings_vs_baseline_pct"));
    QCOMPARE(lines.at(1), QStringLiteral("deepseek-chat,direct,4.2,50.4,0.42,0.42,94.75"));
    QCOMPARE(lines.at(4), QStringLiteral("claude-sonnet-4.5,direct,150,1800,15,15,-87.5"));
}

void TestCostCli::tableShowsTheWorking()
{
    const Result r = run({example("articles-10m-output.json")}, m_dir.path());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("10M output tokens × $0.42/M = $4.20")));
    QVERIFY(r.out.contains(QStringLiteral("$75.80 ÷ $80.00 = 94.75%")));
    QVERIFY(r.out.contains(QLatin1String("vs gpt-4.1")));
}

void TestCostCli::currencyAndPlans()
{
    const Result cny = run({example("articles-10m-output.json"), QStringLiteral("--currency"), QStringLiteral("CNY"),
                            QStringLiteral("--rate"), QStringLiteral("7.3")},
                           m_dir.path());
    QVERIFY2(cny.exitCode == 0, qPrintable(cny.err));
    QVERIFY(cny.out.contains(QStringLiteral("¥30.66"))); // $4.20 x 7.3
    QVERIFY(cny.out.contains(QLatin1String("monthly CNY")));
    const Result plans =
        run({example("relay-plans.json"), QStringLiteral("--format"), QStringLiteral("csv")}, m_dir.path());
    QVERIFY2(plans.exitCode == 0, qPrintable(plans.err));
    QVERIFY(plans.out.contains(QLatin1String("\ndeepseek-chat,relay-199,199,2388,19.9,19.9,")));
}

void TestCostCli::badInputNamesTheField_data()
{
    QTest::addColumn<QByteArray>("workload");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    const QByteArray good = R"({"requests_per_month": 10, "output_tokens_per_request": 1, "models": ["gpt-4.1"]})";
    QTest::addRow("unknown model") << QByteArray(R"({"requests_per_month": 10, "models": ["deepseek-chat", "gpt-5"]})")
                                   << QStringList()
                                   << QStringLiteral(R"(models[1]: unknown model id "gpt-5" (known: deepseek-chat)");
    QTest::addRow("unknown baseline") << QByteArray(
                                             R"({"requests_per_month": 10, "models": ["gpt-4.1"], "baseline": "gpt4"})")
                                      << QStringList() << QStringLiteral(R"(baseline: unknown model id "gpt4")");
    QTest::addRow("share above 1")
        << QByteArray(R"({"requests_per_month": 10, "cached_input_share": 1.5, "models": ["gpt-4.1"]})")
        << QStringList() << QStringLiteral("cached_input_share: must be a number");
    QTest::addRow("misspelt field")
        << QByteArray(R"({"requests_per_month": 10, "output_tokens_per_requst": 5, "models": ["gpt-4.1"]})")
        << QStringList() << QStringLiteral("output_tokens_per_requst: unknown field");
    QTest::addRow("text for a number") << QByteArray(R"({"requests_per_month": "lots", "models": ["gpt-4.1"]})")
                                       << QStringList()
                                       << QStringLiteral(R"(requests_per_month: must be a number >= 0, got "lots")");
    QTest::addRow("no requests") << QByteArray(R"({"models": ["gpt-4.1"]})") << QStringList()
                                 << QStringLiteral("requests_per_month: is required");
    QTest::addRow("plan in yuan without rate")
        << QByteArray(
               R"({"requests_per_month": 1, "models": ["gpt-4.1"], "plans": [{"name": "r", "currency": "CNY"}]})")
        << QStringList() << QStringLiteral("plans[0].exchange_rate: is required");
    QTest::addRow("not json") << QByteArray("{") << QStringList() << QStringLiteral("line 1");
    QTest::addRow("bad format") << good << QStringList{QStringLiteral("--format"), QStringLiteral("xml")}
                                << QStringLiteral("--format: must be table, csv or json");
    QTest::addRow("bad currency") << good << QStringList{QStringLiteral("--currency"), QStringLiteral("EUR")}
                                  << QStringLiteral("--currency: must be USD or CNY");
}

void TestCostCli::badInputNamesTheField()
{
    QFETCH(QByteArray, workload);
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    const QString path = m_dir.filePath(QStringLiteral("bad-%1.json")
                                            .arg(QLatin1String(QTest::currentDataTag()))
                                            .replace(QLatin1Char(' '), QLatin1Char('-')));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(workload);
    file.close();
    const Result r = run(QStringList{path} + options, m_dir.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY2(r.err.startsWith(QLatin1String("relaybench cost: ")), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCostCli::examplesRun_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/cost"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")});
    QVERIFY(files.size() >= 3);
    for (const QString &name : files)
        QTest::addRow("%s", qPrintable(name)) << dir.filePath(name);
}

void TestCostCli::examplesRun()
{
    QFETCH(QString, path);
    const Result r = run({path, QStringLiteral("--format"), QStringLiteral("json")}, m_dir.path());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!QJsonDocument::fromJson(r.out.toUtf8()).object().value(QLatin1String("rows")).toArray().isEmpty());
}

QTEST_GUILESS_MAIN(TestCostCli)
#include "tst_cost_cli.moc"
