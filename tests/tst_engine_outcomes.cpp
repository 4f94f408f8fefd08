#include "enginetesthelpers.h"

#include <QJsonDocument>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

using namespace relaybench;
using namespace enginetest;

// Every outcome class, produced for real by the simulator (forced with X-Sim-Fault) or by the
// engine's own controls, and counted in the summary.
class TestEngineOutcomes : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void faultBecomesOutcome_data();
    void faultBecomesOutcome();
    void authErrorsAndClientErrors();
    void refusedConnectionIsANetworkError();
    void stallTimeout();
    void circuitBreakerRefusesThenRecovers();
    void budgetStopsTheRun();
    void stopCancelsWhatIsInFlightAndKeepsTheRest();
    void apiKeyNeverAppearsInRecords();
    void estimatedTokensWithoutUsage();

private:
    std::unique_ptr<SimServer> m_sim;
};

void TestEngineOutcomes::initTestCase()
{
    m_sim = startSimulator("{\"headers_ms\": 2, \"ttft_ms\": 10, \"tpot_ms\": 2, \"completion_tokens\": 20}", 2);
}

void TestEngineOutcomes::faultBecomesOutcome_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addRow("none") << "none" << true << "ok" << 200 << "";
    QTest::addRow("429") << "rate_limited" << true << "rate_limited" << 429 << "HTTP 429: Rate limit";
    QTest::addRow("500") << "server_error" << true << "server_error" << 500 << "HTTP 500";
    QTest::addRow("502") << "bad_gateway" << false << "server_error" << 502 << "HTTP 502: Bad gateway";
    QTest::addRow("503") << "service_unavailable" << true << "server_error" << 503 << "HTTP 503";
    QTest::addRow("hang") << "hang" << true << "timeout" << 0 << "no complete answer within 0.4 s";
    QTest::addRow("reset") << "reset" << true << "network_error" << 0 << "";
    QTest::addRow("stream cut") << "stream_cut" << true << "stream_error" << 200 << "connection lost mid-answer";
    QTest::addRow("error event") << "error_event" << true << "stream_error" << 200 << "error event in the stream";
    QTest::addRow("malformed stream") << "malformed_json" << true << "invalid_response" << 200
                                      << "SSE event is not valid JSON";
    QTest::addRow("malformed body") << "malformed_json" << false << "invalid_response" << 200
                                    << "body is not valid JSON";
}

void TestEngineOutcomes::faultBecomesOutcome()
{
    QFETCH(QString, fault);
    QFETCH(bool, stream);
    QFETCH(QString, outcome);
    QFETCH(int, status);
    QFETCH(QString, error);
    Campaign campaign = campaignFor({m_sim->baseUrl().toString()}, 2, 4);
    campaign.request.stream = stream;
    campaign.timeouts.totalS = 0.4;
    campaign.targets[0].headers.append({QStringLiteral("X-Sim-Fault"), fault});
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 4);
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(QString(outcomeName(r.outcome)), outcome);
        QCOMPARE(r.status, status);
        QVERIFY2(error.isEmpty() ? r.outcome == Outcome::Ok || !r.error.isEmpty() : r.error.startsWith(error),
                 qPrintable(r.error));
        QVERIFY(applies(r.sentMs) && applies(r.endMs));
    }
    const QJsonObject target = out.summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    QCOMPARE(target.value(QLatin1String("outcomes")).toObject().value(outcome).toInt(), 4);
    QCOMPARE(target.value(QLatin1String("attempt_outcomes")).toObject().value(outcome).toInt(), 4);
    QCOMPARE(target.value(QLatin1String("outcomes")).toObject().size(), outcomeCount); // zeros listed too
}

void TestEngineOutcomes::authErrorsAndClientErrors()
{
    auto keyed = startSimulator("{\"ttft_ms\": 1, \"api_keys\": [\"sk-good-key-123456\"]}");
    const QString url = keyed->baseUrl().toString();
    Campaign campaign = campaignFor({url, url, url + QStringLiteral("/nowhere")}, 1, 2);
    const RunOutput out = run(campaign, 30000, {},
                              {QStringLiteral("sk-wrong-key-999999"), QStringLiteral("sk-good-key-123456"),
                               QStringLiteral("sk-good-key-123456")});
    QVERIFY(out.finished);
    for (const AttemptRecord &r : ofTarget(out.records, 0)) {
        QCOMPARE(r.outcome, Outcome::AuthError);
        QCOMPARE(r.status, 401);
    }
    for (const AttemptRecord &r : ofTarget(out.records, 1))
        QCOMPARE(r.outcome, Outcome::Ok);
    for (const AttemptRecord &r : ofTarget(out.records, 2)) {
        QCOMPARE(r.outcome, Outcome::ClientError);
        QCOMPARE(r.status, 404);
    }
}

void TestEngineOutcomes::refusedConnectionIsANetworkError()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    const RunOutput out = run(campaignFor({QStringLiteral("http://127.0.0.1:%1/v1").arg(port)}, 1, 2));
    QVERIFY(out.finished);
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(r.outcome, Outcome::NetworkError);
        QCOMPARE(r.status, 0);
        QVERIFY2(r.error.contains(QLatin1String("refused"), Qt::CaseInsensitive), qPrintable(r.error));
    }
}

void TestEngineOutcomes::stallTimeout()
{
    auto slow = startSimulator("{\"headers_ms\": 0, \"ttft_ms\": 3000}");
    Campaign campaign = campaignFor({slow->baseUrl().toString()}, 1, 1);
    campaign.timeouts.stallS = 0.3;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 1);
    QCOMPARE(out.records.first().outcome, Outcome::Stalled);
    QVERIFY(out.records.first().latencyMs() < 1000.0);
}

void TestEngineOutcomes::circuitBreakerRefusesThenRecovers()
{
    // Always 500: after 3 consecutive failures the circuit opens, requests are refused until the
    // 0.3 s cooldown passes, then one probe goes out (and fails again).
    Campaign campaign = campaignFor({m_sim->baseUrl().toString()}, 1, 12);
    campaign.targets[0].headers.append({QStringLiteral("X-Sim-Fault"), QStringLiteral("server_error")});
    campaign.circuitBreaker.failureThreshold = 3;
    campaign.circuitBreaker.cooldownS = 0.3;
    campaign.load.mode = LoadSpec::Mode::Open;
    campaign.load.rate = 20.0;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 12);
    QStringList sequence;
    for (const AttemptRecord &r : out.records)
        sequence.append(QString(outcomeName(r.outcome)));
    QCOMPARE(sequence.mid(0, 3), (QStringList{QStringLiteral("server_error"), QStringLiteral("server_error"),
                                              QStringLiteral("server_error")}));
    QCOMPARE(sequence.at(3), QStringLiteral("circuit_open"));
    QVERIFY(sequence.count(QStringLiteral("circuit_open")) >= 5);
    QVERIFY2(sequence.count(QStringLiteral("server_error")) >= 4, "a probe went out after the cooldown");
    QCOMPARE(out.stopReason, QStringLiteral("circuit")); // refused requests: the run did not do its work
    QCOMPARE(out.summary.value(QLatin1String("stopped_early")).toBool(), true);
    for (const AttemptRecord &r : out.records) {
        if (r.outcome == Outcome::CircuitOpen)
            QVERIFY(!applies(r.sentMs)); // never sent
    }
}

void TestEngineOutcomes::budgetStopsTheRun()
{
    Campaign campaign = campaignFor({m_sim->baseUrl().toString()}, 1, 100);
    // $1000 per million output tokens: each answer of 20 tokens costs about $0.02; the estimate of
    // one attempt (prompt + 64 max_tokens) about $0.064. A $0.10 budget allows only a few.
    campaign.targets[0].price = Price{1000.0, 1000.0, 1000.0};
    campaign.maxCostUsd = 0.10;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.stopReason, QStringLiteral("budget"));
    QCOMPARE(out.summary.value(QLatin1String("stopped_early")).toBool(), true);
    QCOMPARE(out.records.last().outcome, Outcome::BudgetStopped);
    double spent = 0.0;
    for (const AttemptRecord &r : out.records)
        spent += r.costUsd;
    QVERIFY2(spent <= 0.10, qPrintable(QString::number(spent)));
    QVERIFY(out.records.size() < 10);
}

void TestEngineOutcomes::stopCancelsWhatIsInFlightAndKeepsTheRest()
{
    auto slow = startSimulator("{\"ttft_ms\": 100, \"tpot_ms\": 20, \"completion_tokens\": 100}");
    Campaign campaign = campaignFor({slow->baseUrl().toString()}, 4, 1000);
    const RunOutput out = run(campaign, 30000, [](Runner &runner) {
        QTimer::singleShot(1000, &runner, [&runner] { runner.stop(QStringLiteral("interrupted")); });
    });
    QVERIFY(out.finished);
    QCOMPARE(out.stopReason, QStringLiteral("interrupted"));
    int ok = 0;
    int cancelled = 0;
    for (const AttemptRecord &r : out.records) {
        ok += r.outcome == Outcome::Ok;
        cancelled += r.outcome == Outcome::Cancelled;
    }
    // Each answer takes 2.08 s; stopped at 1 s, the four in flight are cancelled and nothing else started.
    QCOMPARE(cancelled, 4);
    QCOMPARE(ok, 0);
    QCOMPARE(out.records.size(), 4);
    for (const AttemptRecord &r : out.records) {
        QVERIFY(applies(r.sentMs) && applies(r.firstTokenMs)); // what was measured before the stop is kept
        QVERIFY(r.endMs > 900.0 && r.endMs < 1500.0);
    }
    QTRY_COMPARE_WITH_TIMEOUT(slow->stats().clientAborts, 4u, 5000); // the server saw the connections go
}

void TestEngineOutcomes::apiKeyNeverAppearsInRecords()
{
    // A server that echoes the key in its error message: the record must not carry it.
    auto keyed = startSimulator("{\"ttft_ms\": 1, \"api_keys\": [\"sk-other\"]}");
    const QString key = QStringLiteral("sk-secret-abcdef-123456");
    const RunOutput out = run(campaignFor({keyed->baseUrl().toString()}, 1, 2), 30000, {}, {key});
    for (const AttemptRecord &r : out.records)
        QVERIFY(!r.error.contains(key));
    const QByteArray summary = QJsonDocument(out.summary).toJson();
    QVERIFY(!summary.contains(key.toUtf8()));
}

void TestEngineOutcomes::estimatedTokensWithoutUsage()
{
    Campaign campaign = campaignFor({m_sim->baseUrl().toString()}, 1, 2);
    campaign.request.includeUsage = false; // no usage chunk: count from the text
    const RunOutput out = run(campaign);
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.tokenSource, TokenSource::Estimated);
        QVERIFY(r.completionTokens > 10 && r.completionTokens < 60); // 20 words of ~6 characters
        QCOMPARE(r.promptTokens, 1 + 4);                             // "ping": 1 token + 4 per message
    }
    const QJsonObject tokens = out.summary.value(QLatin1String("targets"))
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(QLatin1String("tokens"))
                                   .toObject();
    QCOMPARE(tokens.value(QLatin1String("source")).toString(), QStringLiteral("estimated"));
}

QTEST_GUILESS_MAIN(TestEngineOutcomes)
#include "tst_engine_outcomes.moc"
