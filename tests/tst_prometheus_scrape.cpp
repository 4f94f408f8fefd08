#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

// The exporter as a user meets it: `relaybench run --metrics-port` during a campaign against the
// simulator, scraped by a real Prometheus (Debian package `prometheus`) whose query API must then return
// our series with the counts the run wrote to requests.csv.
class TestPrometheusScrape : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void prometheusScrapesARun();
    void badMetricsOptionsAreUsageErrors_data();
    void badMetricsOptionsAreUsageErrors();

private:
    QJsonArray query(const QString &promql);
    quint16 freePort() const;

    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    quint16 m_prometheusPort = 0;
    std::unique_ptr<QProcess> m_run;
    std::unique_ptr<QProcess> m_prometheus;
};

namespace {

const char campaign[] = R"({
  "name": "scrape",
  "targets": [
    {"name": "relay", "base_url": "sim://relay", "model": "deepseek-chat", "price": "deepseek-chat"},
    {"name": "flaky", "base_url": "sim://flaky", "model": "deepseek-chat", "price": "deepseek-chat"}
  ],
  "load": {"mode": "closed", "concurrency": 4, "requests": 60},
  "request": {"prompts": ["Say hello."], "max_tokens": 16, "stream": true},
  "timeouts": {"total_s": 5}
})";

void stop(std::unique_ptr<QProcess> &process)
{
    if (!process)
        return;
    if (process->state() != QProcess::NotRunning) {
        process->terminate();
        if (!process->waitForFinished(10000)) {
            process->kill();
            process->waitForFinished(5000);
        }
    }
    process.reset();
}

} // namespace

void TestPrometheusScrape::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestPrometheusScrape::cleanup()
{
    stop(m_prometheus);
    stop(m_run);
}

quint16 TestPrometheusScrape::freePort() const
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

QJsonArray TestPrometheusScrape::query(const QString &promql)
{
    QUrl url(QStringLiteral("http://127.0.0.1:%1/api/v1/query").arg(m_prometheusPort));
    QUrlQuery parameters;
    parameters.addQueryItem(QStringLiteral("query"), promql);
    url.setQuery(parameters);
    std::unique_ptr<QNetworkReply> reply(m_network.get(QNetworkRequest(url)));
    QEventLoop wait;
    connect(reply.get(), &QNetworkReply::finished, &wait, &QEventLoop::quit);
    wait.exec();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    return answer.value(QLatin1String("data")).toObject().value(QLatin1String("result")).toArray();
}

void TestPrometheusScrape::prometheusScrapesARun()
{
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (prometheus.isEmpty())
        QSKIP("prometheus not installed (Debian package prometheus; scripts/test.sh installs it)");

    QFile file(m_dir.filePath(QStringLiteral("campaign.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(campaign);
    file.close();

    // The run serves its metrics on a free port and keeps serving them a minute after it ends.
    m_run = std::make_unique<QProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("RELAYBENCH_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
    m_run->setProcessEnvironment(environment);
    m_run->start(QStringLiteral(RELAYBENCH_BINARY),
                 {QStringLiteral("run"), file.fileName(), QStringLiteral("--out"),
                  m_dir.filePath(QStringLiteral("out")), QStringLiteral("--quiet"), QStringLiteral("--no-history"),
                  QStringLiteral("--metrics-port"), QStringLiteral("0"), QStringLiteral("--metrics-linger"),
                  QStringLiteral("120")});
    QVERIFY(m_run->waitForStarted());
    QString stderrText;
    const QRegularExpression served(
        QStringLiteral("serving Prometheus metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics"));
    QTRY_VERIFY_WITH_TIMEOUT(
        (stderrText += QString::fromLocal8Bit(m_run->readAllStandardError()), served.match(stderrText).hasMatch()),
        30000);
    const QString exporterPort = served.match(stderrText).captured(1);

    m_prometheusPort = freePort();
    QVERIFY(m_prometheusPort != 0);
    QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                                "scrape_configs:\n  - job_name: relaybench\n    static_configs:\n"
                                "      - targets: ['127.0.0.1:%1']\n")
                     .arg(exporterPort)
                     .toUtf8());
    config.close();
    m_prometheus = std::make_unique<QProcess>();
    m_prometheus->setProcessChannelMode(QProcess::MergedChannels);
    m_prometheus->start(prometheus, {QStringLiteral("--config.file=") + config.fileName(),
                                     QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("tsdb")),
                                     QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_prometheusPort)});
    QVERIFY(m_prometheus->waitForStarted());

    // Wait for the run to end; its requests.csv then holds the final counts the exporter serves.
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(m_dir.filePath(QStringLiteral("out/summary.json"))), 90000);
    QFile csv(m_dir.filePath(QStringLiteral("out/requests.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    const QList<QByteArray> header = rows.first().split(',');
    const qsizetype targetColumn = header.indexOf("target");
    const qsizetype outcomeColumn = header.indexOf("outcome");
    QVERIFY(targetColumn >= 0 && outcomeColumn >= 0);
    QHash<QString, int> okPerTarget;
    int attempts = 0;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QList<QByteArray> cells = rows.at(i).split(',');
        ++attempts;
        if (cells.value(outcomeColumn) == "ok")
            ++okPerTarget[QString::fromUtf8(cells.value(targetColumn))];
    }
    QVERIFY(attempts >= 120);

    // Prometheus scrapes every second: within a generous wait its newest sample must equal the file's count.
    QJsonArray result;
    const auto scrapedOk = [&](const QString &target) {
        result = query(
            QStringLiteral("relaybench_requests_total{job=\"relaybench\",outcome=\"ok\",target=\"%1\"}").arg(target));
        return result.size() == 1 &&
               result.first().toObject().value(QLatin1String("value")).toArray().at(1).toString().toInt() ==
                   okPerTarget.value(target);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(scrapedOk(QStringLiteral("relay")),
                              qPrintable(QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact)) +
                                         QString::fromLocal8Bit(m_prometheus->readAll().right(2000))),
                              60000);
    QTRY_VERIFY_WITH_TIMEOUT(scrapedOk(QStringLiteral("flaky")), 30000);

    // Every metric family of docs/prometheus.md reached Prometheus with both targets.
    const QStringList families = {
        QStringLiteral("relaybench_requests_total"),     QStringLiteral("relaybench_request_duration_seconds_bucket"),
        QStringLiteral("relaybench_ttft_seconds_count"), QStringLiteral("relaybench_tokens_total"),
        QStringLiteral("relaybench_cost_usd_total"),     QStringLiteral("relaybench_in_flight"),
        QStringLiteral("relaybench_circuit_open")};
    for (const QString &family : families) {
        const QJsonArray series = query(QStringLiteral("count by (target) (%1)").arg(family));
        QVERIFY2(series.size() == 2, qPrintable(family));
    }
    // A PromQL quantile over our buckets agrees with the run: the relay's p95 lies under 5 s.
    const QJsonArray p95 = query(QStringLiteral("histogram_quantile(0.95, "
                                                "relaybench_request_duration_seconds_bucket{target=\"relay\"})"));
    QCOMPARE(p95.size(), 1);
    const double p95S = p95.first().toObject().value(QLatin1String("value")).toArray().at(1).toString().toDouble();
    QVERIFY2(p95S > 0.0 && p95S <= 5.0, qPrintable(QString::number(p95S)));
    // After the run, nothing is in flight any more (once a scrape after the run's last poll has landed).
    const auto inFlight = [this] {
        const QJsonArray sum = query(QStringLiteral("sum(relaybench_in_flight)"));
        return sum.isEmpty() ? QString()
                             : sum.first().toObject().value(QLatin1String("value")).toArray().at(1).toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(inFlight(), QStringLiteral("0"), 30000);
}

void TestPrometheusScrape::badMetricsOptionsAreUsageErrors_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::newRow("port not a number") << QStringList{QStringLiteral("--metrics-port"), QStringLiteral("http")}
                                       << QStringLiteral("--metrics-port: \"http\" is not a port number");
    QTest::newRow("port too big") << QStringList{QStringLiteral("--metrics-port"), QStringLiteral("70000")}
                                  << QStringLiteral("--metrics-port: \"70000\"");
    QTest::newRow("host not an address") << QStringList{QStringLiteral("--metrics-port"), QStringLiteral("0"),
                                                        QStringLiteral("--metrics-host"),
                                                        QStringLiteral("nowhere.invalid")}
                                         << QStringLiteral("metrics host \"nowhere.invalid\" is not an IP address");
    QTest::newRow("negative linger") << QStringList{QStringLiteral("--metrics-linger"), QStringLiteral("-1")}
                                     << QStringLiteral("--metrics-linger: \"-1\"");
}

void TestPrometheusScrape::badMetricsOptionsAreUsageErrors()
{
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("RELAYBENCH_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
    process.setProcessEnvironment(environment);
    const QString out = m_dir.filePath(QStringLiteral("bad-out"));
    process.start(QStringLiteral(RELAYBENCH_BINARY),
                  QStringList{QStringLiteral("run"), QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/demo.json"),
                              QStringLiteral("--out"), out, QStringLiteral("--no-history")} +
                      options);
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 2);
    const QString err = QString::fromLocal8Bit(process.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    // Refused before anything ran: no run folder was made.
    QVERIFY(!QDir(out).exists());
}

QTEST_GUILESS_MAIN(TestPrometheusScrape)
#include "tst_prometheus_scrape.moc"
