#include "simclient.h"

#include "sim/simprofile.h"
#include "sim/simserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace relaybench;
using namespace simtest;

// Every fault type as a client sees it on the wire, forced per request with X-Sim-Fault.
class TestSimFaults : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void errorStatuses_data();
    void errorStatuses();
    void hangNeverAnswers();
    void resetClosesWithoutAnswer();
    void streamCutEndsMidway();
    void errorEventEndsTheStream();
    void malformedJson_data();
    void malformedJson();
    void faultsAreDrawnAtTheProfilesRates();
    void hostileFaultsOnTheWire_data();
    void hostileFaultsOnTheWire();
    void trickleSendsOneByteASecond();

private:
    std::unique_ptr<SimServer> m_server;
};

namespace {
QByteArray faultHeader(const char *fault)
{
    return QByteArray("X-Sim-Fault: ") + fault + "\r\n";
}

bool isJson(const QByteArray &text)
{
    QJsonParseError error;
    QJsonDocument::fromJson(text, &error);
    return error.error == QJsonParseError::NoError;
}
} // namespace

void TestSimFaults::init()
{
    QString error;
    auto profile = parseSimProfile("{\"headers_ms\": 5, \"ttft_ms\": 10, \"tpot_ms\": 2, \"completion_tokens\": 20,"
                                   " \"retry_after_s\": 7}",
                                   QStringLiteral("faults"), &error);
    QVERIFY2(profile, qPrintable(error));
    m_server = std::make_unique<SimServer>(*profile, 1);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0, &error));
}

void TestSimFaults::cleanup()
{
    m_server.reset();
}

void TestSimFaults::errorStatuses_data()
{
    QTest::addColumn<QByteArray>("fault");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("status");
    for (bool stream : {false, true}) {
        const char *mode = stream ? "stream" : "plain";
        QTest::addRow("rate_limited %s", mode) << QByteArray("rate_limited") << stream << 429;
        QTest::addRow("server_error %s", mode) << QByteArray("server_error") << stream << 500;
        QTest::addRow("bad_gateway %s", mode) << QByteArray("bad_gateway") << stream << 502;
        QTest::addRow("service_unavailable %s", mode) << QByteArray("service_unavailable") << stream << 503;
    }
}

void TestSimFaults::errorStatuses()
{
    QFETCH(QByteArray, fault);
    QFETCH(bool, stream);
    QFETCH(int, status);
    const RawExchange ex = exchange(m_server->port(), chatRequest(chatBody(stream), faultHeader(fault.constData())),
                                    5000, responseComplete);
    const ParsedResponse response = parseResponse(ex.received);
    QCOMPARE(response.status, status);
    QCOMPARE(response.headers.value("content-type"), QByteArray("application/json"));
    QVERIFY(QJsonDocument::fromJson(response.body).object().value(QLatin1String("error")).isObject());
    if (status == 429)
        QCOMPARE(response.headers.value("retry-after"), QByteArray("7"));
    QVERIFY(!ex.peerClosed); // errors keep the connection alive, as real APIs do
}

void TestSimFaults::hangNeverAnswers()
{
    const RawExchange ex = exchange(m_server->port(), chatRequest(chatBody(true), faultHeader("hang")), 400);
    QVERIFY(ex.timedOut);
    QVERIFY(ex.received.isEmpty());
    QVERIFY(!ex.peerClosed);
    // The exchange's socket is gone now: the hung request is released and counted as a client abort.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().inFlight, qint64(0), 5000);
    QCOMPARE(m_server->stats().clientAborts, 1u);
}

void TestSimFaults::resetClosesWithoutAnswer()
{
    const RawExchange ex = exchange(m_server->port(), chatRequest(chatBody(false), faultHeader("reset")), 5000);
    QVERIFY(ex.peerClosed);
    QVERIFY(ex.received.isEmpty());
    QVERIFY2(ex.closedMs >= 4.0, "the reset comes at headers_ms, not at once");
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().inFlight, qint64(0), 5000);
    QCOMPARE(m_server->stats().faults[size_t(SimFault::Reset)], 1.0);
}

void TestSimFaults::streamCutEndsMidway()
{
    const RawExchange ex = exchange(m_server->port(), chatRequest(chatBody(true), faultHeader("stream_cut")), 5000);
    QVERIFY(ex.peerClosed);
    const ParsedResponse response = parseResponse(ex.received);
    QCOMPARE(response.status, 200);
    QVERIFY(!response.complete); // no terminating chunk
    const QByteArrayList events = sseData(response.body);
    QVERIFY(events.size() >= 2); // the role chunk and at least one token
    QVERIFY(events.size() < 21);
    QVERIFY(!events.contains("[DONE]"));
    QVERIFY(!response.body.contains("\"finish_reason\":\"stop\""));
}

void TestSimFaults::errorEventEndsTheStream()
{
    const RawExchange ex =
        exchange(m_server->port(), chatRequest(chatBody(true), faultHeader("error_event")), 5000, responseComplete);
    const ParsedResponse response = parseResponse(ex.received);
    QCOMPARE(response.status, 200);
    QVERIFY(response.complete); // framing is intact; the content is what failed
    const QByteArrayList events = sseData(response.body);
    QVERIFY(!events.contains("[DONE]"));
    const QJsonObject last = QJsonDocument::fromJson(events.last()).object();
    QVERIFY(last.value(QLatin1String("error")).toObject().contains(QLatin1String("message")));
    QVERIFY(!response.body.contains("\"finish_reason\":\"stop\""));
}

void TestSimFaults::malformedJson_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addRow("plain") << false;
    QTest::addRow("stream") << true;
}

void TestSimFaults::malformedJson()
{
    QFETCH(bool, stream);
    const RawExchange ex = exchange(m_server->port(), chatRequest(chatBody(stream), faultHeader("malformed_json")),
                                    5000, responseComplete);
    const ParsedResponse response = parseResponse(ex.received);
    QCOMPARE(response.status, 200);
    QVERIFY(response.complete);
    if (!stream) {
        QVERIFY(!isJson(response.body));
        return;
    }
    const QByteArrayList events = sseData(response.body);
    int broken = 0;
    for (const QByteArray &event : events)
        broken += event != "[DONE]" && !isJson(event);
    QCOMPARE(broken, 1);
    QCOMPARE(events.last(), QByteArray("[DONE]"));
}

void TestSimFaults::faultsAreDrawnAtTheProfilesRates()
{
    QString error;
    auto profile = parseSimProfile("{\"ttft_ms\": 0, \"tpot_ms\": 0, \"completion_tokens\": 1,"
                                   " \"faults\": {\"server_error\": 0.2, \"rate_limited\": 0.1}}",
                                   QStringLiteral("rates"), &error);
    m_server->setProfile(*profile);
    int counts[600] = {};
    const int n = 400;
    for (int i = 0; i < n; ++i) {
        const RawExchange ex = exchange(m_server->port(), chatRequest(chatBody(false)), 5000, responseComplete);
        ++counts[parseResponse(ex.received).status];
    }
    // Binomial: 400 draws at 20% have a standard deviation of 8; allow 4 of them.
    QVERIFY2(std::abs(counts[500] - 80) <= 32, qPrintable(QString::number(counts[500])));
    QVERIFY2(std::abs(counts[429] - 40) <= 24, qPrintable(QString::number(counts[429])));
    QCOMPARE(counts[200] + counts[500] + counts[429], n);
}

void TestSimFaults::hostileFaultsOnTheWire_data()
{
    QTest::addColumn<QByteArray>("fault");
    QTest::addColumn<bool>("stream");
    QTest::addRow("huge_body plain") << QByteArray("huge_body") << false;
    QTest::addRow("huge_body stream") << QByteArray("huge_body") << true;
    QTest::addRow("endless_line") << QByteArray("endless_line") << true;
    QTest::addRow("garbage") << QByteArray("garbage") << false;
    QTest::addRow("close_mid_headers") << QByteArray("close_mid_headers") << false;
    QTest::addRow("wrong_length") << QByteArray("wrong_length") << false;
    QTest::addRow("invalid_utf8 plain") << QByteArray("invalid_utf8") << false;
    QTest::addRow("invalid_utf8 stream") << QByteArray("invalid_utf8") << true;
}

void TestSimFaults::hostileFaultsOnTheWire()
{
    QFETCH(QByteArray, fault);
    QFETCH(bool, stream);
    constexpr qsizetype enough = 2 * 1024 * 1024; // of a 100 MB answer: then the client leaves
    const RawExchange ex = exchange(m_server->port(), chatRequest(chatBody(stream), faultHeader(fault.constData())),
                                    20000, [](const QByteArray &received) { return received.size() > enough; });
    QVERIFY(!ex.timedOut);
    const ParsedResponse response = parseResponse(ex.received);
    if (fault == "huge_body") {
        QCOMPARE(response.status, 200);
        QCOMPARE(response.headers.value("content-length"), stream ? QByteArray() : QByteArray("100000000"));
        QVERIFY(ex.received.size() > enough);
        if (stream)
            QVERIFY(response.body.startsWith(": ppp"));
    } else if (fault == "endless_line") {
        QCOMPARE(response.status, 200);
        QVERIFY(ex.received.size() > enough);
        QVERIFY(response.body.startsWith("data: {"));
        QVERIFY(!response.body.contains('\n'));
    } else if (fault == "garbage") {
        QVERIFY(ex.peerClosed);
        QCOMPARE(ex.received.size(), 4096);
        QVERIFY(!ex.received.startsWith("HTTP/"));
    } else if (fault == "close_mid_headers") {
        QVERIFY(ex.peerClosed);
        QCOMPARE(ex.received, QByteArray("HTTP/1.1 200 OK\r\nContent-Type: appl"));
    } else if (fault == "wrong_length") {
        QVERIFY(ex.peerClosed);
        QCOMPARE(response.headers.value("content-length").toLongLong(), 2 * response.body.size());
        QVERIFY(isJson(response.body)); // the body itself is a whole, valid completion
    } else if (fault == "invalid_utf8") {
        QVERIFY(ex.peerClosed);
        QCOMPARE(response.status, 200);
        QVERIFY(response.complete);
        QVERIFY(response.body.contains("caf\x80 \xc3\x28 \xff\xfe"));
    }
    // The simulator's own bookkeeping survives: nothing left in flight once the client has gone.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().inFlight, qint64(0), 10000);
}

void TestSimFaults::trickleSendsOneByteASecond()
{
    const RawExchange ex = exchange(m_server->port(), chatRequest(chatBody(false), faultHeader("trickle")), 2500);
    QVERIFY(ex.timedOut);
    // "H" at once, "T" after a second, "T" after two (wide margins: the machine may be loaded).
    QVERIFY2(ex.received.size() >= 2 && ex.received.size() <= 3, ex.received.constData());
    QVERIFY(QByteArray("HTTP/1.1").startsWith(ex.received));
    QVERIFY(ex.arrivals.size() >= 2);
    QVERIFY(ex.arrivals.at(1).ms - ex.arrivals.at(0).ms >= 900.0);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().inFlight, qint64(0), 5000);
}

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_simfaults.moc"
