#include "sim/httprequestparser.h"

#include <QTest>

using namespace relaybench;

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void parsesRequest_data();
    void parsesRequest();
    void bytesArrivingOneByOne();
    void pipelinedRequestsComeOutInOrder();
    void rejectsBadInput_data();
    void rejectsBadInput();
};

void TestHttpRequestParser::parsesRequest_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");
    QTest::addRow("post with body") << QByteArray("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                                                  "Content-Length: 2\r\n\r\n{}")
                                    << QByteArray("POST") << QByteArray("/v1/chat/completions") << QByteArray("{}")
                                    << true;
    QTest::addRow("get with query") << QByteArray("GET /v1/models?x=1 HTTP/1.1\r\n\r\n") << QByteArray("GET")
                                    << QByteArray("/v1/models") << QByteArray() << true;
    QTest::addRow("connection close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << QByteArray("GET")
                                      << QByteArray("/") << QByteArray() << false;
    QTest::addRow("http/1.0 closes") << QByteArray("GET / HTTP/1.0\r\n\r\n") << QByteArray("GET") << QByteArray("/")
                                     << QByteArray() << false;
    QTest::addRow("http/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                                         << QByteArray("GET") << QByteArray("/") << QByteArray() << true;
    QTest::addRow("stray crlf before") << QByteArray("\r\nGET / HTTP/1.1\r\n\r\n") << QByteArray("GET")
                                       << QByteArray("/") << QByteArray() << true;
}

void TestHttpRequestParser::parsesRequest()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    HttpRequestParser parser;
    HttpRequest request;
    QCOMPARE(parser.parse(raw, request), HttpRequestParser::Result::Complete);
    QCOMPARE(request.method, method);
    QCOMPARE(request.path, path);
    QCOMPARE(request.body, body);
    QCOMPARE(request.keepAlive(), keepAlive);
    QVERIFY(raw.isEmpty());
}

void TestHttpRequestParser::bytesArrivingOneByOne()
{
    const QByteArray raw = "POST /x HTTP/1.1\r\nAuthorization: Bearer k\r\nContent-Length: 5\r\n\r\nhello";
    HttpRequestParser parser;
    HttpRequest request;
    QByteArray buffer;
    for (qsizetype i = 0; i < raw.size() - 1; ++i) {
        buffer += raw.at(i);
        QCOMPARE(parser.parse(buffer, request), HttpRequestParser::Result::NeedMore);
    }
    buffer += raw.back();
    QCOMPARE(parser.parse(buffer, request), HttpRequestParser::Result::Complete);
    QCOMPARE(request.header("authorization"), QByteArray("Bearer k"));
    QCOMPARE(request.body, QByteArray("hello"));
}

void TestHttpRequestParser::pipelinedRequestsComeOutInOrder()
{
    QByteArray buffer = "POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nAGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n";
    HttpRequestParser parser;
    HttpRequest request;
    QCOMPARE(parser.parse(buffer, request), HttpRequestParser::Result::Complete);
    QCOMPARE(request.path, QByteArray("/a"));
    QCOMPARE(parser.parse(buffer, request), HttpRequestParser::Result::Complete);
    QCOMPARE(request.path, QByteArray("/b"));
    QCOMPARE(parser.parse(buffer, request), HttpRequestParser::Result::NeedMore);
}

void TestHttpRequestParser::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    QTest::addRow("garbage") << QByteArray("\x16\x03\x01 hello\r\n\r\n") << 400;
    QTest::addRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 400;
    QTest::addRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nnonsense\r\n\r\n") << 400;
    QTest::addRow("bad length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n") << 400;
    QTest::addRow("huge body") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n") << 413;
    QTest::addRow("chunked body") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") << 411;
    QTest::addRow("endless headers") << QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(70000, 'a') << 431;
}

void TestHttpRequestParser::rejectsBadInput()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    HttpRequestParser parser;
    HttpRequest request;
    QCOMPARE(parser.parse(raw, request), HttpRequestParser::Result::Error);
    QCOMPARE(parser.errorStatus(), status);
    QVERIFY(!parser.errorMessage().isEmpty());
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
