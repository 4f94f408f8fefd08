#include "engine/chatresponsereader.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace relaybench;

class TestChatResponseReader : public QObject
{
    Q_OBJECT

private slots:
    void streamInPiecesOfEverySize_data();
    void streamInPiecesOfEverySize();
    void firstTokenIsTheArrivalOfTheCompletingPiece();
    void roleOnlyChunkIsNotAToken_data();
    void roleOnlyChunkIsNotAToken();
    void eventsInOneReadShareATimestamp();
    void unterminatedLastEventArrivedWithTheLastBytes();
    void errorEvent_data();
    void errorEvent();
    void malformedEventMakesTheStreamInvalid_data();
    void malformedEventMakesTheStreamInvalid();
    void usageIsReadSanely_data();
    void usageIsReadSanely();
    void bodyOverTheSizeLimitStopsReading_data();
    void bodyOverTheSizeLimitStopsReading();
    void endlessLineStopsReading();
    void jsonBodyInPiecesOfEverySize_data();
    void jsonBodyInPiecesOfEverySize();
    void invalidJsonBody_data();
    void invalidJsonBody();
    void errorMessageOf_data();
    void errorMessageOf();
};

namespace {

constexpr qint64 bodyLimit = 64 * 1024 * 1024;
constexpr qint64 lineLimit = 4 * 1024 * 1024;

QByteArray recorded(const QString &name)
{
    QFile file(QStringLiteral(RELAYBENCH_TEST_DATA "/responses/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

// The arrival time given to the piece with this index: distinct, increasing, not a multiple of anything.
double arrivalMs(qsizetype piece)
{
    return 10.0 * double(piece) + 3.0;
}

// Feeds `body` in pieces of `size` bytes, piece i arriving at arrivalMs(i), then finishes.
void feedInPieces(ChatResponseReader &reader, const QByteArray &body, qsizetype size)
{
    for (qsizetype offset = 0, piece = 0; offset < body.size(); offset += size, ++piece)
        QVERIFY(reader.feed(body.mid(offset, size), arrivalMs(piece)));
    reader.finish();
}

// The offset of the byte that completes each event of an SSE body: the last line break of the blank line
// that ends it (the second LF of "\n\n"; the second CR of "\r\n\r\n", the LF after it being optional).
QList<qsizetype> eventEnds(const QByteArray &body, const QByteArray &separator)
{
    QList<qsizetype> ends;
    for (qsizetype at = body.indexOf(separator); at >= 0; at = body.indexOf(separator, at + separator.size()))
        ends.append(at + separator.size() / 2);
    return ends;
}

QList<qint64> asList(const std::optional<ServerUsage> &usage)
{
    if (!usage)
        return {};
    return {usage->promptTokens, usage->completionTokens, usage->cachedTokens, usage->reasoningTokens};
}

QByteArray contentChunk(const char *content)
{
    return QByteArray(R"(data: {"choices":[{"index":0,"delta":{"content":")") + content +
           R"("},"finish_reason":null}]})" + "\n\n";
}

} // namespace

void TestChatResponseReader::streamInPiecesOfEverySize_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("separator");
    QTest::addColumn<QList<int>>("tokenEvents"); // indexes of the blocks that carry text
    QTest::addColumn<qint64>("contentChars");
    QTest::addColumn<qint64>("reasoningChars");
    QTest::addColumn<QList<qint64>>("usage"); // prompt, completion, cached, reasoning; empty: none
    QTest::addColumn<QString>("finishReason");
    QTest::addColumn<bool>("sawDone");
    QTest::addColumn<QString>("errorEvent");
    QTest::addColumn<QString>("invalid"); // the start of invalid(); empty: valid

    // Blocks: role-only, "Hello", ",", " wörld", "!", finish, usage, [DONE].
    QTest::addRow("openai") << QStringLiteral("openai-stream.sse") << QByteArray("\n\n") << QList<int>{1, 2, 3, 4}
                            << qint64(13) << qint64(0) << QList<qint64>{2006, 4, 1920, 0} << QStringLiteral("stop")
                            << true << QString() << QString();
    // Blocks: comment, role-only (content null, reasoning ""), "Okay", comment, ", the user says hi.", "Hi",
    // " there", finish + usage, [DONE]. CRLF line ends.
    QTest::addRow("deepseek reasoner") << QStringLiteral("deepseek-reasoner-stream.sse") << QByteArray("\r\n\r\n")
                                       << QList<int>{2, 4, 5, 6} << qint64(8) << qint64(23)
                                       << QList<qint64>{10, 25, 0, 21} << QStringLiteral("stop") << true << QString()
                                       << QString();
    // Blocks: role-only, "Par", error event.
    QTest::addRow("error event") << QStringLiteral("error-event-stream.sse") << QByteArray("\n\n") << QList<int>{1}
                                 << qint64(3) << qint64(0) << QList<qint64>{} << QString() << false
                                 << QStringLiteral("The server had an error while processing your request. Sorry about "
                                                   "that!")
                                 << QString();
    // Blocks: role-only, "A", cut-short JSON, "C", finish, [DONE].
    QTest::addRow("malformed event") << QStringLiteral("malformed-event-stream.sse") << QByteArray("\n\n")
                                     << QList<int>{1, 3} << qint64(2) << qint64(0) << QList<qint64>{}
                                     << QStringLiteral("stop") << true << QString()
                                     << QStringLiteral("SSE event is not valid JSON: ");
}

void TestChatResponseReader::streamInPiecesOfEverySize()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, separator);
    QFETCH(QList<int>, tokenEvents);
    QFETCH(qint64, contentChars);
    QFETCH(qint64, reasoningChars);
    QFETCH(QList<qint64>, usage);
    QFETCH(QString, finishReason);
    QFETCH(bool, sawDone);
    QFETCH(QString, errorEvent);
    QFETCH(QString, invalid);

    const QByteArray body = recorded(file);
    const QList<qsizetype> ends = eventEnds(body, separator);
    QVERIFY(tokenEvents.last() < ends.size());
    for (qsizetype size = 1; size <= body.size(); ++size) {
        const QByteArray where = "pieces of " + QByteArray::number(size) + " bytes";
        ChatResponseReader reader(true, bodyLimit, lineLimit);
        feedInPieces(reader, body, size);
        if (QTest::currentTestFailed())
            return;

        // Each token event is stamped with the arrival of the piece holding the byte that completed it.
        QList<double> tokenTimes;
        for (int block : tokenEvents)
            tokenTimes.append(arrivalMs(ends[block] / size));
        QVector<float> gaps;
        for (qsizetype i = 1; i < tokenTimes.size(); ++i)
            gaps.append(float(tokenTimes[i] - tokenTimes[i - 1]));
        const QByteArray first = where + ": first token at " + QByteArray::number(reader.firstTokenMs()) +
                                 ", expected " + QByteArray::number(tokenTimes.first());
        QVERIFY2(reader.firstTokenMs() == tokenTimes.first(), first.constData());
        QVERIFY2(reader.interTokenMs() == gaps, where.constData());
        QCOMPARE(reader.tokenEvents(), qint64(tokenEvents.size()));

        QVERIFY(reader.isSse());
        QCOMPARE(reader.contentChars(), contentChars);
        QCOMPARE(reader.reasoningChars(), reasoningChars);
        QCOMPARE(asList(reader.usage()), usage);
        QCOMPARE(reader.finishReason(), finishReason);
        QCOMPARE(reader.sawDone(), sawDone);
        QCOMPARE(reader.errorEvent(), errorEvent);
        if (invalid.isEmpty())
            QVERIFY2(reader.invalid().isEmpty(), qPrintable(reader.invalid()));
        else
            QVERIFY2(reader.invalid().startsWith(invalid), qPrintable(reader.invalid()));
        QVERIFY(!reader.overLimit());
    }
}

void TestChatResponseReader::firstTokenIsTheArrivalOfTheCompletingPiece()
{
    ChatResponseReader reader(true, bodyLimit, lineLimit);
    QVERIFY(reader.feed(R"(data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"
                        "\n\n",
                        1.0));
    QVERIFY(reader.feed(R"(data: {"choices":[{"index":0,"delta":{"content":"Hel)", 5.0));
    QVERIFY(std::isnan(reader.firstTokenMs()));
    QVERIFY(reader.feed(R"(lo"}}]})"
                        "\n",
                        7.5));
    QVERIFY(std::isnan(reader.firstTokenMs())); // the event is not complete before its blank line
    QVERIFY(reader.feed("\n", 9.25));
    QCOMPARE(reader.firstTokenMs(), 9.25);
    QVERIFY(reader.feed(contentChunk("!"), 20.0));
    QVERIFY(reader.feed(contentChunk("?"), 20.5));
    QCOMPARE(reader.interTokenMs(), (QVector<float>{10.75f, 0.5f}));
    QCOMPARE(reader.tokenEvents(), qint64(3));
    QCOMPARE(reader.contentChars(), qint64(7));
}

void TestChatResponseReader::roleOnlyChunkIsNotAToken_data()
{
    QTest::addColumn<QByteArray>("chunk");
    QTest::addRow("role, empty content") << QByteArray(R"({"choices":[{"delta":{"role":"assistant","content":""}}]})");
    QTest::addRow("role, null content") << QByteArray(R"({"choices":[{"delta":{"role":"assistant","content":null}}]})");
    QTest::addRow("role only") << QByteArray(R"({"choices":[{"delta":{"role":"assistant"}}]})");
    QTest::addRow("empty reasoning") << QByteArray(
        R"({"choices":[{"delta":{"role":"assistant","content":null,"reasoning_content":""}}]})");
    QTest::addRow("empty delta") << QByteArray(R"({"choices":[{"delta":{}}]})");
    QTest::addRow("no choices") << QByteArray(R"({"choices":[]})");
}

void TestChatResponseReader::roleOnlyChunkIsNotAToken()
{
    QFETCH(QByteArray, chunk);
    ChatResponseReader reader(true, bodyLimit, lineLimit);
    QVERIFY(reader.feed("data: " + chunk + "\n\n", 1.0));
    QVERIFY(std::isnan(reader.firstTokenMs()));
    QCOMPARE(reader.tokenEvents(), qint64(0));
    // The first text is the first token; a reasoning model's reasoning counts ("reasoning" as vLLM names it).
    QVERIFY(reader.feed(R"(data: {"choices":[{"delta":{"reasoning":"Hm"}}]})"
                        "\n\n",
                        4.0));
    QCOMPARE(reader.firstTokenMs(), 4.0);
    QCOMPARE(reader.reasoningChars(), qint64(2));
    QVERIFY(reader.interTokenMs().isEmpty());
    QVERIFY(reader.invalid().isEmpty());
}

void TestChatResponseReader::eventsInOneReadShareATimestamp()
{
    ChatResponseReader reader(true, bodyLimit, lineLimit);
    QVERIFY(reader.feed(contentChunk("a") + contentChunk("b") + contentChunk("c"), 42.0));
    QCOMPARE(reader.firstTokenMs(), 42.0);
    QCOMPARE(reader.interTokenMs(), (QVector<float>{0.0f, 0.0f}));
}

void TestChatResponseReader::unterminatedLastEventArrivedWithTheLastBytes()
{
    // A server that closes the stream without the blank line after its last event: finish() delivers the
    // event, stamped with the arrival of the bytes that held it (not NaN, which would poison ITL statistics).
    ChatResponseReader reader(true, bodyLimit, lineLimit);
    QVERIFY(reader.feed(contentChunk("a"), 2.0));
    QVERIFY(reader.feed(R"(data: {"choices":[{"delta":{"content":"b"},"finish_reason":"stop"}]})"
                        "\n",
                        7.0));
    QCOMPARE(reader.tokenEvents(), qint64(1));
    reader.finish();
    QCOMPARE(reader.tokenEvents(), qint64(2));
    QCOMPARE(reader.interTokenMs(), QVector<float>{5.0f});
    QCOMPARE(reader.finishReason(), QStringLiteral("stop"));

    ChatResponseReader only(true, bodyLimit, lineLimit);
    QVERIFY(only.feed(R"(data: {"choices":[{"delta":{"content":"x"}}]})", 3.5));
    only.finish();
    QCOMPARE(only.firstTokenMs(), 3.5);
    QVERIFY(only.interTokenMs().isEmpty());
}

void TestChatResponseReader::errorEvent_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QString>("message");
    QTest::addRow("openai") << QByteArray(R"({"error":{"message":"Overloaded","type":"server_error","code":null}})")
                            << QStringLiteral("Overloaded");
    QTest::addRow("multi-line message") << QByteArray(R"({"error":{"message":"bad\n  thing"}})")
                                        << QStringLiteral("bad thing");
    QTest::addRow("no message") << QByteArray(R"({"error":{"code":503,"type":"overloaded"}})")
                                << QStringLiteral(R"({"code":503,"type":"overloaded"})");
    QTest::addRow("empty message") << QByteArray(R"({"error":{"message":""}})") << QStringLiteral(R"({"message":""})");
    QTest::addRow("string") << QByteArray(R"({"error":"upstream timed out"})") << QStringLiteral("upstream timed out");
    QTest::addRow("long message") << QByteArray(R"({"error":{"message":")") + QByteArray(300, 'x') + "\"}}"
                                  << QString(QString(200, QLatin1Char('x')) + QStringLiteral("..."));
}

void TestChatResponseReader::errorEvent()
{
    QFETCH(QByteArray, event);
    QFETCH(QString, message);
    ChatResponseReader reader(true, bodyLimit, lineLimit);
    QVERIFY(reader.feed(contentChunk("Hi"), 1.0));
    QVERIFY(reader.feed("data: " + event + "\n\n", 2.0));
    reader.finish();
    QCOMPARE(reader.errorEvent(), message);
    QVERIFY(reader.invalid().isEmpty());
    QVERIFY(!reader.sawDone());
    QCOMPARE(reader.tokenEvents(), qint64(1));
}

void TestChatResponseReader::malformedEventMakesTheStreamInvalid_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QString>("invalid");
    QTest::addRow("cut short") << QByteArray(R"({"choices":[{"delta":{"content":"x"})")
                               << QStringLiteral("SSE event is not valid JSON: ");
    QTest::addRow("not json") << QByteArray("hello") << QStringLiteral("SSE event is not valid JSON: ");
    QTest::addRow("array") << QByteArray("[1, 2]")
                           << QStringLiteral(R"(SSE event is valid JSON but not an object: "[1, 2]")");
    QTest::addRow("number") << QByteArray("42")
                            << QStringLiteral(R"(SSE event is not valid JSON: illegal value at )"
                                              R"(offset 1 of "42")");
}

void TestChatResponseReader::malformedEventMakesTheStreamInvalid()
{
    QFETCH(QByteArray, event);
    QFETCH(QString, invalid);
    ChatResponseReader reader(true, bodyLimit, lineLimit);
    QVERIFY(reader.feed(contentChunk("a"), 1.0));
    QVERIFY(reader.feed("data: " + event + "\n\n", 2.0));
    QVERIFY(reader.feed("data: also bad\n\n", 3.0));
    QVERIFY(reader.feed("data: [DONE]\n\n", 4.0));
    reader.finish();
    QVERIFY2(reader.invalid().startsWith(invalid), qPrintable(reader.invalid()));
    QVERIFY2(!reader.invalid().contains(QLatin1String("also bad")), "the first problem is the one reported");
    QVERIFY(reader.sawDone());
    QVERIFY(!reader.overLimit());
}

void TestChatResponseReader::usageIsReadSanely_data()
{
    QTest::addColumn<QByteArray>("usage");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::addRow("plain") << QByteArray(R"({"prompt_tokens":5,"completion_tokens":7,"total_tokens":12})")
                           << QList<qint64>{5, 7, 0, 0};
    QTest::addRow("details") << QByteArray(R"({"prompt_tokens":5,"completion_tokens":7,)"
                                           R"("prompt_tokens_details":{"cached_tokens":3},)"
                                           R"("completion_tokens_details":{"reasoning_tokens":6}})")
                             << QList<qint64>{5, 7, 3, 6};
    QTest::addRow("null details") << QByteArray(R"({"prompt_tokens":5,"completion_tokens":7,)"
                                                R"("prompt_tokens_details":null,"completion_tokens_details":null})")
                                  << QList<qint64>{5, 7, 0, 0};
    QTest::addRow("nonsense") << QByteArray(R"({"prompt_tokens":-5,"completion_tokens":1e300,)"
                                            R"("prompt_tokens_details":{"cached_tokens":"3"}})")
                              << QList<qint64>{0, qint64(9e15), 0, 0};
}

void TestChatResponseReader::usageIsReadSanely()
{
    QFETCH(QByteArray, usage);
    QFETCH(QList<qint64>, expected);
    ChatResponseReader reader(true, bodyLimit, lineLimit);
    // With continuous usage stats every chunk carries usage: the last one wins.
    QVERIFY(reader.feed(R"(data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}})"
                        "\n\n",
                        1.0));
    QVERIFY(reader.feed(R"(data: {"choices":[],"usage":)" + usage + "}\n\n", 2.0));
    reader.finish();
    QCOMPARE(asList(reader.usage()), expected);
}

void TestChatResponseReader::bodyOverTheSizeLimitStopsReading_data()
{
    QTest::addColumn<bool>("sse");
    QTest::addRow("stream") << true;
    QTest::addRow("json") << false;
}

void TestChatResponseReader::bodyOverTheSizeLimitStopsReading()
{
    QFETCH(bool, sse);
    const QByteArray body =
        sse ? recorded(QStringLiteral("openai-stream.sse")) : recorded(QStringLiteral("openai-completion.json"));
    const qint64 limit = 300;
    ChatResponseReader reader(sse, limit, lineLimit);
    QVERIFY(reader.feed(body.left(200), 1.0));
    QVERIFY(reader.feed(body.mid(200, 100), 2.0)); // exactly at the limit: still fine
    QVERIFY(!reader.overLimit());
    QVERIFY(!reader.feed(body.mid(300, 1), 3.0));
    QVERIFY(reader.overLimit());
    QCOMPARE(reader.invalid(), QStringLiteral("response body larger than 300 bytes"));
    QVERIFY(!reader.feed(body.mid(301), 4.0)); // and it stays stopped
    reader.finish();
    QVERIFY(reader.overLimit());
    QCOMPARE(reader.invalid(), QStringLiteral("response body larger than 300 bytes"));
    QVERIFY(!reader.usage());
}

void TestChatResponseReader::endlessLineStopsReading()
{
    const qint64 maxLine = 1024;
    ChatResponseReader reader(true, bodyLimit, maxLine);
    QVERIFY(reader.feed(contentChunk("a"), 1.0));
    QVERIFY(reader.feed("data: {\"choices\":[{\"delta\":{\"content\":\"", 2.0));
    int pieces = 0;
    bool accepted = true;
    while (accepted && pieces < 100) {
        accepted = reader.feed(QByteArray(100, 'x'), 3.0 + pieces);
        ++pieces;
    }
    QVERIFY(!accepted);
    QVERIFY2(pieces >= 10 && pieces <= 11, qPrintable(QString::number(pieces))); // stops just past 1024 bytes
    QVERIFY(reader.overLimit());
    QCOMPARE(reader.invalid(), QStringLiteral("SSE line longer than the line limit"));
    QVERIFY(!reader.feed("\n\n", 200.0));
    reader.finish();
    QCOMPARE(reader.tokenEvents(), qint64(1));
}

void TestChatResponseReader::jsonBodyInPiecesOfEverySize_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<qint64>("contentChars");
    QTest::addColumn<qint64>("reasoningChars");
    QTest::addColumn<QList<qint64>>("usage");
    QTest::addColumn<QString>("finishReason");
    QTest::addRow("openai") << QStringLiteral("openai-completion.json") << qint64(35) << qint64(0)
                            << QList<qint64>{1117, 46, 1024, 0} << QStringLiteral("length");
    QTest::addRow("deepseek reasoner") << QStringLiteral("deepseek-reasoner-completion.json") << qint64(8) << qint64(23)
                                       << QList<qint64>{10, 25, 0, 21} << QStringLiteral("stop");
}

void TestChatResponseReader::jsonBodyInPiecesOfEverySize()
{
    QFETCH(QString, file);
    QFETCH(qint64, contentChars);
    QFETCH(qint64, reasoningChars);
    QFETCH(QList<qint64>, usage);
    QFETCH(QString, finishReason);
    const QByteArray body = recorded(file);
    for (qsizetype size = 1; size <= body.size(); ++size) {
        ChatResponseReader reader(false, bodyLimit, lineLimit);
        for (qsizetype offset = 0; offset < body.size(); offset += size)
            QVERIFY(reader.feed(body.mid(offset, size), double(offset)));
        QVERIFY(!reader.usage()); // read at finish(), not before
        reader.finish();
        QVERIFY(!reader.isSse());
        QVERIFY2(reader.invalid().isEmpty(), qPrintable(reader.invalid()));
        QCOMPARE(reader.contentChars(), contentChars);
        QCOMPARE(reader.reasoningChars(), reasoningChars);
        QCOMPARE(asList(reader.usage()), usage);
        QCOMPARE(reader.finishReason(), finishReason);
        QVERIFY(std::isnan(reader.firstTokenMs())); // no token timing without a stream
        QCOMPARE(reader.tokenEvents(), qint64(0));
    }
}

void TestChatResponseReader::invalidJsonBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("invalid");
    QTest::addRow("no choices") << recorded(QStringLiteral("no-choices.json"))
                                << QStringLiteral(R"(body has no "choices": not a chat completion)");
    QTest::addRow("choices missing") << QByteArray(R"({"id":"x","object":"chat.completion"})")
                                     << QStringLiteral(R"(body has no "choices": not a chat completion)");
    QTest::addRow("choice not object") << QByteArray(R"({"choices":[5]})")
                                       << QStringLiteral(R"(body has no "choices": not a chat completion)");
    QTest::addRow("choice without message") << QByteArray(R"({"choices":[{"index":0,"finish_reason":"stop"}]})")
                                            << QStringLiteral(R"(body has no "choices[0].message": not a chat )"
                                                              "completion");
    QTest::addRow("error with 200") << recorded(QStringLiteral("openai-error-429.json"))
                                    << QStringLiteral("body is an error, not a chat completion: Rate limit reached for "
                                                      "gpt-4.1 in organization org-abc on tokens per min (TPM): Limit "
                                                      "30000, Used 29876, Requested 512. Please try again in 788ms.");
    QTest::addRow("empty") << QByteArray() << QStringLiteral("body is empty: not a chat completion");
    QTest::addRow("blank") << QByteArray(" \r\n") << QStringLiteral("body is empty: not a chat completion");
    QTest::addRow("html") << recorded(QStringLiteral("nginx-502.html"))
                          << QStringLiteral("body is not valid JSON: illegal value at offset 1");
    QTest::addRow("cut short") << QByteArray(R"({"choices":[{"message":{"content":"x"}})")
                               << QStringLiteral("body is not valid JSON: unterminated array at offset 39");
    QTest::addRow("array") << QByteArray("[]")
                           << QStringLiteral("body is valid JSON but not an object: not a chat completion");
}

void TestChatResponseReader::invalidJsonBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, invalid);
    ChatResponseReader reader(false, bodyLimit, lineLimit);
    QVERIFY(reader.feed(body, 1.0));
    QVERIFY(reader.invalid().isEmpty()); // judged at the end, when the whole body is there
    reader.finish();
    QCOMPARE(reader.invalid(), invalid);
    QVERIFY(!reader.overLimit());
}

void TestChatResponseReader::errorMessageOf_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::addRow("openai 429") << recorded(QStringLiteral("openai-error-429.json"))
                                << QStringLiteral(
                                       "Rate limit reached for gpt-4.1 in organization org-abc on tokens per "
                                       "min (TPM): Limit 30000, Used 29876, Requested 512. Please try again "
                                       "in 788ms.");
    QTest::addRow("error string") << QByteArray(R"({"error": "model not found"})") << QStringLiteral("model not found");
    QTest::addRow("error without message")
        << QByteArray(R"({"error": {"code": "overloaded"}})") << QStringLiteral(R"({"code":"overloaded"})");
    QTest::addRow("vllm") << QByteArray(
                                 R"({"object":"error","message":"max_tokens is too large","type":"BadRequestError",)"
                                 R"("param":null,"code":400})")
                          << QStringLiteral("max_tokens is too large");
    QTest::addRow("fastapi") << QByteArray(R"({"detail":"Not Found"})") << QStringLiteral("Not Found");
    QTest::addRow("html") << recorded(QStringLiteral("nginx-502.html"))
                          << QStringLiteral("<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 "
                                            "Bad Gateway</h1></center> <hr><center>nginx/1.22.1</center> </body> "
                                            "</html>");
    QTest::addRow("plain text") << QByteArray("upstream connect error or disconnect/reset before headers\n")
                                << QStringLiteral("upstream connect error or disconnect/reset before headers");
    QTest::addRow("long text") << QByteArray(5000, 'z')
                               << QString(QString(200, QLatin1Char('z')) + QStringLiteral("..."));
    QTest::addRow("empty") << QByteArray() << QStringLiteral("(empty body)");
}

void TestChatResponseReader::errorMessageOf()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    QCOMPARE(ChatResponseReader::errorMessageOf(body), message);
}

QTEST_GUILESS_MAIN(TestChatResponseReader)
#include "tst_chatresponsereader.moc"
