#include "enginetesthelpers.h"
#include "simclient.h"

#include "sim/simprofile.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace relaybench;
using namespace simtest;
using enginetest::startSimulator;

class TestSimServer : public QObject
{
    Q_OBJECT

private slots:
    void nonStreamedCompletion();
    void streamedCompletionInOpenAIsOrder();
    void usageChunkOnlyWhenAsked();
    void reasoningDeltasComeBeforeTheAnswer();
    void timingFollowsTheProfile_data();
    void timingFollowsTheProfile();
    void keepAliveServesSeveralRequests();
    void pipelinedRequestsAnsweredInOrder();
    void concurrencyIsReal();
    void qtNetworkClientReadsIt();
    void badRequestsGetOpenAIErrors_data();
    void badRequestsGetOpenAIErrors();
    void apiKeyIsRequiredWhenConfigured();
    void serverRateLimitAnswers429();
    void profileSwitchAppliesToNextRequest();
    void clientAbortIsCounted();
    void busyPortIsAClearError();
};

namespace {
const QByteArray fastProfile = "{\"headers_ms\": 0, \"ttft_ms\": 2, \"tpot_ms\": 1, \"completion_tokens\": 12}";

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), json.constData());
    return doc.object();
}
} // namespace

void TestSimServer::nonStreamedCompletion()
{
    auto server = startSimulator(fastProfile);
    const RawExchange ex = exchange(server->port(), chatRequest(chatBody(false)), 5000, responseComplete);
    const ParsedResponse response = parseResponse(ex.received);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("content-type"), QByteArray("application/json"));
    QVERIFY(response.complete);
    const QJsonObject body = parseObject(response.body);
    QCOMPARE(body.value(QLatin1String("object")).toString(), QStringLiteral("chat.completion"));
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("sim-model"));
    const QJsonObject choice = body.value(QLatin1String("choices")).toArray().at(0).toObject();
    QCOMPARE(choice.value(QLatin1String("finish_reason")).toString(), QStringLiteral("stop"));
    const QString content =
        choice.value(QLatin1String("message")).toObject().value(QLatin1String("content")).toString();
    QCOMPARE(content.split(QLatin1Char(' ')).size(), 12); // one word per token
    const QJsonObject usage = body.value(QLatin1String("usage")).toObject();
    QCOMPARE(usage.value(QLatin1String("completion_tokens")).toInt(), 12);
    QCOMPARE(usage.value(QLatin1String("total_tokens")).toInt(),
             usage.value(QLatin1String("prompt_tokens")).toInt() + 12);
    QVERIFY(usage.value(QLatin1String("prompt_tokens_details")).toObject().contains(QLatin1String("cached_tokens")));
    QVERIFY(
        usage.value(QLatin1String("completion_tokens_details")).toObject().contains(QLatin1String("reasoning_tokens")));
}

void TestSimServer::streamedCompletionInOpenAIsOrder()
{
    auto server = startSimulator(fastProfile);
    const RawExchange ex = exchange(server->port(), chatRequest(chatBody(true, 5)), 5000, responseComplete);
    const ParsedResponse response = parseResponse(ex.received);
    QCOMPARE(response.status, 200);
    QVERIFY(response.headers.value("content-type").startsWith("text/event-stream"));
    QVERIFY(response.chunked && response.complete);
    const QByteArrayList events = sseData(response.body);
    // role chunk, 5 content chunks, finish chunk, usage chunk, [DONE]
    QCOMPARE(events.size(), 9);
    const auto delta = [&](int i) {
        return parseObject(events[i])
            .value(QLatin1String("choices"))
            .toArray()
            .at(0)
            .toObject()
            .value(QLatin1String("delta"))
            .toObject();
    };
    QCOMPARE(delta(0).value(QLatin1String("role")).toString(), QStringLiteral("assistant"));
    QCOMPARE(delta(0).value(QLatin1String("content")).toString(), QString());
    for (int i = 1; i <= 5; ++i)
        QVERIFY(!delta(i).value(QLatin1String("content")).toString().isEmpty());
    const QJsonObject finish = parseObject(events[6]).value(QLatin1String("choices")).toArray().at(0).toObject();
    QCOMPARE(finish.value(QLatin1String("finish_reason")).toString(), QStringLiteral("length"));
    const QJsonObject usageChunk = parseObject(events[7]);
    QVERIFY(usageChunk.value(QLatin1String("choices")).toArray().isEmpty());
    QCOMPARE(usageChunk.value(QLatin1String("usage")).toObject().value(QLatin1String("completion_tokens")).toInt(), 5);
    QCOMPARE(events[8], QByteArray("[DONE]"));
    for (int i = 0; i < 8; ++i)
        QCOMPARE(parseObject(events[i]).value(QLatin1String("object")).toString(),
                 QStringLiteral("chat.completion.chunk"));
}

void TestSimServer::usageChunkOnlyWhenAsked()
{
    auto server = startSimulator(fastProfile);
    const RawExchange ex = exchange(server->port(), chatRequest(chatBody(true, 3, false)), 5000, responseComplete);
    const QByteArrayList events = sseData(parseResponse(ex.received).body);
    QCOMPARE(events.size(), 1 + 3 + 1 + 1);
    for (const QByteArray &event : events)
        QVERIFY(!event.contains("\"usage\""));
}

void TestSimServer::reasoningDeltasComeBeforeTheAnswer()
{
    auto server = startSimulator("{\"ttft_ms\": 1, \"tpot_ms\": 0, \"reasoning_tokens\": 4, \"completion_tokens\": 3}");
    const RawExchange ex = exchange(server->port(), chatRequest(chatBody(true)), 5000, responseComplete);
    const QByteArrayList events = sseData(parseResponse(ex.received).body);
    QStringList kinds;
    for (const QByteArray &event : events) {
        const QJsonObject delta = parseObject(event)
                                      .value(QLatin1String("choices"))
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(QLatin1String("delta"))
                                      .toObject();
        if (delta.contains(QLatin1String("reasoning_content")))
            kinds.append(QStringLiteral("r"));
        else if (!delta.value(QLatin1String("content")).toString().isEmpty())
            kinds.append(QStringLiteral("c"));
    }
    QCOMPARE(kinds.join(QString()), QStringLiteral("rrrrccc"));
    const QJsonObject usage = parseObject(events[events.size() - 2]).value(QLatin1String("usage")).toObject();
    QCOMPARE(usage.value(QLatin1String("completion_tokens_details"))
                 .toObject()
                 .value(QLatin1String("reasoning_tokens"))
                 .toInt(),
             4);
    QCOMPARE(usage.value(QLatin1String("completion_tokens")).toInt(), 7);

    const RawExchange plain = exchange(server->port(), chatRequest(chatBody(false)), 5000, responseComplete);
    const QJsonObject message = parseObject(parseResponse(plain.received).body)
                                    .value(QLatin1String("choices"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QLatin1String("message"))
                                    .toObject();
    QCOMPARE(message.value(QLatin1String("reasoning_content")).toString().split(QLatin1Char(' ')).size(), 4);
    QCOMPARE(message.value(QLatin1String("content")).toString().split(QLatin1Char(' ')).size(), 3);
}

void TestSimServer::timingFollowsTheProfile_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addRow("streamed") << true;
    QTest::addRow("non-streamed") << false;
}

void TestSimServer::timingFollowsTheProfile()
{
    // Wide margins: this checks the simulator keeps its schedule, the benchmark measures how closely.
    QFETCH(bool, stream);
    auto server = startSimulator("{\"headers_ms\": 30, \"ttft_ms\": 120, \"tpot_ms\": 15, \"completion_tokens\": 10}");
    const RawExchange ex = exchange(server->port(), chatRequest(chatBody(stream)), 5000, responseComplete);
    QVERIFY(parseResponse(ex.received).complete);
    const double tolerance = 10.0;
    if (!stream) {
        // The whole body goes out when the last token would have: 120 + 9 * 15 = 255 ms.
        QVERIFY2(std::abs(ex.arrivals.first().ms - 255.0) < tolerance,
                 qPrintable(QString::number(ex.arrivals.first().ms)));
        return;
    }
    QList<double> contentTimes;
    double headersAt = -1.0;
    for (const Arrival &arrival : ex.arrivals) {
        if (headersAt < 0 && arrival.bytes.contains("HTTP/1.1 200"))
            headersAt = arrival.ms;
        // Each arrival normally holds one chunk; count the content deltas in it.
        const int deltas = int(arrival.bytes.count("\"content\":\"")) - int(arrival.bytes.count("\"content\":\"\""));
        for (int i = 0; i < deltas; ++i)
            contentTimes.append(arrival.ms);
    }
    QCOMPARE(contentTimes.size(), 10);
    QVERIFY2(std::abs(headersAt - 30.0) < tolerance, qPrintable(QString::number(headersAt)));
    QVERIFY2(std::abs(contentTimes.first() - 120.0) < tolerance, qPrintable(QString::number(contentTimes.first())));
    QVERIFY2(std::abs(contentTimes.last() - 255.0) < tolerance, qPrintable(QString::number(contentTimes.last())));
    const double meanGap = (contentTimes.last() - contentTimes.first()) / 9.0;
    QVERIFY2(std::abs(meanGap - 15.0) < 1.5, qPrintable(QString::number(meanGap)));
}

void TestSimServer::keepAliveServesSeveralRequests()
{
    auto server = startSimulator(fastProfile);
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), server->port());
    QVERIFY(socket.waitForConnected(5000));
    for (int i = 0; i < 3; ++i) {
        socket.write(chatRequest(chatBody(i % 2 == 0)));
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll(), responseComplete(received)), 5000);
        QCOMPARE(parseResponse(received).status, 200);
        QCOMPARE(parseResponse(received).headers.value("connection"), QByteArray("keep-alive"));
    }
    QCOMPARE(server->stats().connectionsOpened, 1u);
    QCOMPARE(server->stats().chatRequests, 3u);
}

void TestSimServer::pipelinedRequestsAnsweredInOrder()
{
    auto server = startSimulator(fastProfile);
    const QByteArray models = "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";
    const QByteArray request = chatRequest(chatBody(true, 2)) + models + chatRequest(chatBody(false, 2), {}, false);
    const RawExchange ex = exchange(server->port(), request, 5000);
    QVERIFY(ex.peerClosed); // the last request asked for Connection: close
    const QByteArray all = ex.received;
    const qsizetype first = all.indexOf("text/event-stream");
    const qsizetype second = all.indexOf("\"object\":\"list\"");
    const qsizetype third = all.indexOf("\"object\":\"chat.completion\"");
    QVERIFY(first > 0 && second > first && third > second);
    QCOMPARE(all.count("HTTP/1.1 200 OK"), 3);
}

void TestSimServer::concurrencyIsReal()
{
    auto server = startSimulator("{\"ttft_ms\": 400, \"tpot_ms\": 1, \"completion_tokens\": 5}", 2);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    const int concurrency = 64;
    for (int i = 0; i < concurrency; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QStringLiteral("127.0.0.1"), server->port());
        sockets.push_back(std::move(socket));
    }
    for (auto &socket : sockets) {
        QVERIFY(socket->waitForConnected(5000));
        socket->write(chatRequest(chatBody(true)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(server->stats().inFlight, qint64(concurrency), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(server->stats().completed, quint64(concurrency), 10000);
    QCOMPARE(server->stats().peakInFlight, qint64(concurrency));
    QCOMPARE(server->stats().inFlight, qint64(0));
}

void TestSimServer::qtNetworkClientReadsIt()
{
    auto server = startSimulator(fastProfile);
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(server->baseUrl().toString() + QStringLiteral("/chat/completions")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    for (int i = 0; i < 2; ++i) {
        std::unique_ptr<QNetworkReply> reply(
            manager.post(request, QJsonDocument(chatBody(i == 1)).toJson(QJsonDocument::Compact)));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QByteArray body = reply->readAll();
        QVERIFY(i == 0 ? body.contains("\"chat.completion\"") : body.endsWith("data: [DONE]\n\n"));
    }
    QCOMPARE(server->stats().connectionsOpened, 1u); // Qt kept the connection alive
}

void TestSimServer::badRequestsGetOpenAIErrors_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("param");
    const auto post = [](const QByteArray &body) -> QByteArray {
        return "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
               body;
    };
    QTest::addRow("invalid json") << post("{\"model\": ") << 400 << QByteArray("could not parse the JSON body")
                                  << QString();
    QTest::addRow("no model") << post("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}") << 400
                              << QByteArray("provide a model") << QStringLiteral("model");
    QTest::addRow("no messages") << post("{\"model\": \"m\"}") << 400 << QByteArray("'messages' must be")
                                 << QStringLiteral("messages");
    QTest::addRow("message without role") << post("{\"model\": \"m\", \"messages\": [{\"content\": \"x\"}]}") << 400
                                          << QByteArray("messages[0]") << QStringLiteral("messages[0]");
    QTest::addRow("max_tokens 0")
        << post("{\"model\": \"m\", \"max_tokens\": 0, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}")
        << 400 << QByteArray("Invalid 'max_tokens'") << QStringLiteral("max_tokens");
    QTest::addRow("stream not bool")
        << post("{\"model\": \"m\", \"stream\": \"yes\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}")
        << 400 << QByteArray("Invalid 'stream'") << QStringLiteral("stream");
    QTest::addRow("unknown fault header") << QByteArray(chatRequest(chatBody(false), "X-Sim-Fault: meteor\r\n")) << 400
                                          << QByteArray("X-Sim-Fault") << QString();
    QTest::addRow("unknown path") << QByteArray("GET /v2/nothing HTTP/1.1\r\n\r\n") << 404
                                  << QByteArray("Unknown request URL") << QString();
    QTest::addRow("wrong method") << QByteArray("GET /v1/chat/completions HTTP/1.1\r\n\r\n") << 405
                                  << QByteArray("Use POST") << QString();
    QTest::addRow("chunked upload") << QByteArray(
                                           "POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                    << 411 << QByteArray("Content-Length") << QString();
}

void TestSimServer::badRequestsGetOpenAIErrors()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, message);
    QFETCH(QString, param);
    auto server = startSimulator(fastProfile);
    const RawExchange ex = exchange(server->port(), request, 5000, responseComplete);
    const ParsedResponse response = parseResponse(ex.received);
    QCOMPARE(response.status, status);
    const QJsonObject error = parseObject(response.body).value(QLatin1String("error")).toObject();
    QVERIFY2(error.value(QLatin1String("message")).toString().contains(QString::fromLatin1(message)),
             response.body.constData());
    QVERIFY(error.contains(QLatin1String("type")));
    QCOMPARE(error.value(QLatin1String("param")).toString(), param);
    QCOMPARE(server->stats().badRequests, 1u);
}

void TestSimServer::apiKeyIsRequiredWhenConfigured()
{
    auto server = startSimulator("{\"ttft_ms\": 1, \"api_keys\": [\"sk-right-key\"]}");
    const auto statusWith = [&](const QByteArray &header, QByteArray *body) {
        const RawExchange ex = exchange(server->port(), chatRequest(chatBody(false), header), 5000, responseComplete);
        const ParsedResponse response = parseResponse(ex.received);
        *body = response.body;
        return response.status;
    };
    QByteArray body;
    QCOMPARE(statusWith({}, &body), 401);
    QVERIFY(body.contains("didn't provide an API key"));
    QCOMPARE(statusWith("Authorization: Bearer sk-wrong-secret-123\r\n", &body), 401);
    QVERIFY(body.contains("invalid_api_key"));
    QVERIFY2(!body.contains("sk-wrong") && !body.contains("secret-123"), "the key must never be echoed");
    QCOMPARE(statusWith("Authorization: Bearer sk-right-key\r\n", &body), 200);
    const RawExchange models = exchange(server->port(), "GET /v1/models HTTP/1.1\r\n\r\n", 5000, responseComplete);
    QCOMPARE(parseResponse(models.received).status, 401);
    QCOMPARE(server->stats().unauthorized, 3u);
}

void TestSimServer::serverRateLimitAnswers429()
{
    auto server = startSimulator("{\"ttft_ms\": 0, \"tpot_ms\": 0, \"rate_limit\": {\"requests_per_minute\": 3}}");
    QList<int> statuses;
    QByteArray retryAfter;
    for (int i = 0; i < 4; ++i) {
        const RawExchange ex = exchange(server->port(), chatRequest(chatBody(false)), 5000, responseComplete);
        const ParsedResponse response = parseResponse(ex.received);
        statuses.append(response.status);
        retryAfter = response.headers.value("retry-after");
    }
    QCOMPARE(statuses, (QList<int>{200, 200, 200, 429}));
    // One request's worth refills in 60 / 3 = 20 s.
    QVERIFY2(retryAfter.toInt() >= 19 && retryAfter.toInt() <= 20, retryAfter.constData());
    QCOMPARE(server->stats().rateLimited, 1u);
}

void TestSimServer::profileSwitchAppliesToNextRequest()
{
    auto server = startSimulator(fastProfile);
    QString error;
    auto failing =
        parseSimProfile("{\"name\": \"always-500\", \"faults\": {\"server_error\": 1}}", QStringLiteral("p"), &error);
    QVERIFY(failing);
    server->setProfile(*failing);
    QCOMPARE(server->profile()->name, QStringLiteral("always-500"));
    const RawExchange ex = exchange(server->port(), chatRequest(chatBody(false)), 5000, responseComplete);
    QCOMPARE(parseResponse(ex.received).status, 500);
}

void TestSimServer::clientAbortIsCounted()
{
    auto server = startSimulator("{\"ttft_ms\": 5000}");
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), server->port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write(chatRequest(chatBody(true)));
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().inFlight, qint64(1), 5000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(server->stats().clientAborts, quint64(1), 5000);
    QCOMPARE(server->stats().inFlight, qint64(0));
    QTRY_COMPARE_WITH_TIMEOUT(server->stats().connectionsOpen, qint64(0), 5000);
}

void TestSimServer::busyPortIsAClearError()
{
    auto first = startSimulator(fastProfile);
    SimServer second(SimProfile{}, 1);
    QString error;
    QVERIFY(!second.listen(QHostAddress::LocalHost, first->port(), &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot listen on 127.0.0.1:%1: ").arg(first->port())), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSimServer)
#include "tst_simserver.moc"
