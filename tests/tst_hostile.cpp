#include "enginetesthelpers.h"

#include <QFile>
#include <QTest>

using namespace relaybench;
using namespace enginetest;

// Servers that break the rules (the simulator's hostile faults, a self-signed certificate, a name that
// does not resolve): every attempt ends as a clear outcome with a message, nothing crashes, and memory
// stays bounded by the campaign's limits.
class TestHostile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void hugeStreamKeepsMemoryBounded(); // first: the peak RSS of the process is measured
    void hostileServerEndsAsClearOutcome_data();
    void hostileServerEndsAsClearOutcome();
    void simulatorSurvivesHostileAnswers();
    void selfSignedCertificateIsRefusedWithAClearMessage();
    void tlsVerifyFalseAcceptsTheSelfSignedCertificate();
    void unresolvableHostIsANetworkError();

private:
    std::unique_ptr<SimServer> m_sim;
};

namespace {

// Peak and current resident set of this process (Linux /proc), in KiB; 0 when unknown.
qint64 statusKiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

Campaign hostileCampaign(const QString &url, const QString &fault, bool stream)
{
    Campaign campaign = campaignFor({url}, 1, 2);
    campaign.request.stream = stream;
    campaign.targets[0].headers.append({QStringLiteral("X-Sim-Fault"), fault});
    return campaign;
}

} // namespace

void TestHostile::initTestCase()
{
    m_sim = startSimulator("{\"headers_ms\": 2, \"ttft_ms\": 5, \"tpot_ms\": 1, \"completion_tokens\": 10}", 2);
}

void TestHostile::hugeStreamKeepsMemoryBounded()
{
    // 100 MB of valid SSE lines against the default 64 MiB body cap: the reader keeps one line at a time,
    // so the peak must stay far below the size of the answer (a margin of 48 MiB for a loaded machine).
    const qint64 rssBefore = statusKiB("VmRSS:");
    Campaign campaign = hostileCampaign(m_sim->baseUrl().toString(), QStringLiteral("huge_body"), true);
    campaign.load.requests = 1;
    campaign.timeouts.totalS = 120.0;
    const RunOutput out = run(campaign, 150000);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 1);
    QCOMPARE(out.records.first().outcome, Outcome::InvalidResponse);
    QVERIFY2(out.records.first().error.contains(QLatin1String("limits.max_response_bytes")),
             qPrintable(out.records.first().error));
    const qint64 peak = statusKiB("VmHWM:");
    if (rssBefore == 0 || peak == 0)
        QSKIP("no /proc/self/status: peak memory not measurable here");
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer keeps freed memory in quarantine (256 MiB by default): the RSS says nothing here.
    QSKIP("AddressSanitizer build: its quarantine hides the peak; the outcome above was checked");
#endif
    qInfo("RSS before %lld KiB, peak %lld KiB (growth %lld KiB) for a 100 MB answer", rssBefore, peak,
          peak - rssBefore);
    QVERIFY2(peak - rssBefore < 48 * 1024, qPrintable(QStringLiteral("peak grew by %1 KiB").arg(peak - rssBefore)));
}

void TestHostile::hostileServerEndsAsClearOutcome_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<double>("totalS");
    QTest::addColumn<double>("stallS");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<QString>("error"); // the message starts with this; empty: any non-empty message
    QTest::addRow("huge plain body") << "huge_body" << false << 60.0 << 0.0 << "invalid_response"
                                     << "response body larger than 4194304 bytes (limits.max_response_bytes)";
    QTest::addRow("huge stream") << "huge_body" << true << 60.0 << 0.0 << "invalid_response"
                                 << "response body larger than 4194304 bytes (limits.max_response_bytes)";
    QTest::addRow("endless SSE line") << "endless_line" << true << 60.0 << 0.0 << "invalid_response"
                                      << "SSE line longer than the line limit (limits.max_sse_line_bytes = 65536)";
    QTest::addRow("binary garbage") << "garbage" << true << 10.0 << 0.0 << "network_error"
                                    << "";
    QTest::addRow("closed mid-headers") << "close_mid_headers" << false << 10.0 << 0.0 << "network_error"
                                        << "";
    QTest::addRow("1 byte a second, total") << "trickle" << false << 2.5 << 0.0 << "timeout"
                                            << "no complete answer within 2.5 s";
    QTest::addRow("1 byte a second, stall") << "trickle" << true << 10.0 << 0.4 << "stalled"
                                            << "no bytes for 0.4 s";
    QTest::addRow("wrong Content-Length") << "wrong_length" << false << 10.0 << 0.0 << "network_error"
                                          << "connection lost mid-answer";
    QTest::addRow("invalid UTF-8 in a delta") << "invalid_utf8" << true << 10.0 << 0.0 << "invalid_response"
                                              << "SSE event is not valid JSON";
    QTest::addRow("invalid UTF-8 in a body") << "invalid_utf8" << false << 10.0 << 0.0 << "invalid_response"
                                             << "body is not valid JSON";
}

void TestHostile::hostileServerEndsAsClearOutcome()
{
    QFETCH(QString, fault);
    QFETCH(bool, stream);
    QFETCH(double, totalS);
    QFETCH(double, stallS);
    QFETCH(QString, outcome);
    QFETCH(QString, error);
    Campaign campaign = hostileCampaign(m_sim->baseUrl().toString(), fault, stream);
    campaign.timeouts.totalS = totalS;
    campaign.timeouts.stallS = stallS;
    campaign.limits.maxResponseBytes = 4 * 1024 * 1024;
    campaign.limits.maxSseLineBytes = 64 * 1024;
    const RunOutput out = run(campaign, int(totalS * 1000.0) + 30000);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 2);
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(QString(outcomeName(r.outcome)), outcome);
        QVERIFY2(!r.error.isEmpty(), "every failure carries a message");
        QVERIFY2(error.isEmpty() || r.error.startsWith(error), qPrintable(r.error));
        QVERIFY(applies(r.endMs));
    }
    const QJsonObject target = out.summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    QCOMPARE(target.value(QLatin1String("attempt_outcomes")).toObject().value(outcome).toInt(), 2);
}

void TestHostile::simulatorSurvivesHostileAnswers()
{
    // After every hostile answer above, the same simulator still answers a normal request.
    const RunOutput out = run(campaignFor({m_sim->baseUrl().toString()}, 2, 4));
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 4);
    for (const AttemptRecord &r : out.records)
        QCOMPARE(r.outcome, Outcome::Ok);
}

void TestHostile::selfSignedCertificateIsRefusedWithAClearMessage()
{
    QString error;
    auto profile = parseSimProfile("{\"ttft_ms\": 1, \"completion_tokens\": 5}", QStringLiteral("tls"), &error);
    QVERIFY(profile);
    auto tls = std::make_unique<SimServer>(*profile, 1);
    QVERIFY2(tls->setTls(QStringLiteral(RELAYBENCH_TEST_DATA "/tls/sim-selfsigned.crt"),
                         QStringLiteral(RELAYBENCH_TEST_DATA "/tls/sim-selfsigned.key"), &error),
             qPrintable(error));
    QVERIFY2(tls->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QCOMPARE(tls->baseUrl().scheme(), QStringLiteral("https"));
    const RunOutput out = run(campaignFor({tls->baseUrl().toString()}, 1, 2));
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 2);
    for (const AttemptRecord &r : out.records) {
        QCOMPARE(r.outcome, Outcome::NetworkError);
        QVERIFY2(r.error.startsWith(QLatin1String("TLS certificate of 127.0.0.1 rejected: ")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QLatin1String("self signed"), Qt::CaseInsensitive) ||
                     r.error.contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
                 qPrintable(r.error));
        QVERIFY2(r.error.contains(QLatin1String("tls_verify")), qPrintable(r.error));
    }
}

void TestHostile::tlsVerifyFalseAcceptsTheSelfSignedCertificate()
{
    QString error;
    auto profile = parseSimProfile("{\"ttft_ms\": 1, \"completion_tokens\": 5}", QStringLiteral("tls"), &error);
    QVERIFY(profile);
    SimServer tls(*profile, 1);
    QVERIFY(tls.setTls(QStringLiteral(RELAYBENCH_TEST_DATA "/tls/sim-selfsigned.crt"),
                       QStringLiteral(RELAYBENCH_TEST_DATA "/tls/sim-selfsigned.key"), &error));
    QVERIFY(tls.listen(QHostAddress::LocalHost, 0, &error));
    Campaign campaign = campaignFor({tls.baseUrl().toString()}, 1, 2);
    campaign.targets[0].tlsVerify = false;
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 2);
    for (const AttemptRecord &r : out.records)
        QVERIFY2(r.outcome == Outcome::Ok, qPrintable(r.error));
}

void TestHostile::unresolvableHostIsANetworkError()
{
    // .invalid is reserved (RFC 6761): it never resolves.
    Campaign campaign = campaignFor({QStringLiteral("http://relaybench-dns-test.invalid/v1")}, 1, 1);
    const RunOutput out = run(campaign);
    QVERIFY(out.finished);
    QCOMPARE(out.records.size(), 1);
    QCOMPARE(out.records.first().outcome, Outcome::NetworkError);
    QVERIFY2(out.records.first().error.contains(QLatin1String("relaybench-dns-test.invalid")),
             qPrintable(out.records.first().error));
    QVERIFY2(out.records.first().error.contains(QLatin1String("not found"), Qt::CaseInsensitive),
             qPrintable(out.records.first().error));
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
