#include "engine/sseparser.h"

#include <QTest>

using namespace relaybench;

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void parsesWholeStream_data();
    void parsesWholeStream();
    void everySplitPointGivesTheSameEvents_data();
    void everySplitPointGivesTheSameEvents();
    void crlfSplitAcrossPieces();
    void finishDispatchesTrailingEvent();
    void overlongLineStopsTheParser();
};

namespace {
QByteArrayList datas(const QList<SseEvent> &events)
{
    QByteArrayList out;
    for (const SseEvent &event : events)
        out.append(event.data);
    return out;
}
} // namespace

void TestSseParser::parsesWholeStream_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addRow("lf") << QByteArray("data: a\n\ndata: b\n\n") << QByteArrayList{"a", "b"};
    QTest::addRow("crlf") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n") << QByteArrayList{"a", "b"};
    QTest::addRow("cr") << QByteArray("data: a\r\rdata: b\r\r") << QByteArrayList{"a", "b"};
    QTest::addRow("multi-line data") << QByteArray("data: a\ndata: b\n\n") << QByteArrayList{"a\nb"};
    QTest::addRow("no space after colon") << QByteArray("data:x\n\n") << QByteArrayList{"x"};
    QTest::addRow("only one leading space removed") << QByteArray("data:  x\n\n") << QByteArrayList{" x"};
    QTest::addRow("comment ignored") << QByteArray(": ping\n\ndata: a\n\n") << QByteArrayList{"a"};
    QTest::addRow("no data, no event") << QByteArray("event: x\n\n") << QByteArrayList{};
    QTest::addRow("empty data is an event") << QByteArray("data\n\n") << QByteArrayList{""};
    QTest::addRow("unterminated last event waits") << QByteArray("data: a\n\ndata: b\n") << QByteArrayList{"a"};
    QTest::addRow("done marker") << QByteArray("data: {\"x\":1}\n\ndata: [DONE]\n\n")
                                 << QByteArrayList{"{\"x\":1}", "[DONE]"};
}

void TestSseParser::parsesWholeStream()
{
    QFETCH(QByteArray, stream);
    QFETCH(QByteArrayList, expected);
    SseParser parser;
    parser.feed(stream);
    QCOMPARE(datas(parser.takeEvents()), expected);
    QVERIFY(!parser.hasEvents());
}

void TestSseParser::everySplitPointGivesTheSameEvents_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addRow("lf") << QByteArray("data: {\"a\":1}\n\nevent: e\ndata: two\ndata: lines\n\n: c\n\ndata: [DONE]\n\n");
    QTest::addRow("crlf") << QByteArray("data: {\"a\":1}\r\n\r\nid: 7\r\ndata: x\r\n\r\ndata: [DONE]\r\n\r\n");
    QTest::addRow("cr") << QByteArray("data: one\r\rdata: two\r\r");
}

void TestSseParser::everySplitPointGivesTheSameEvents()
{
    QFETCH(QByteArray, stream);
    SseParser whole;
    whole.feed(stream);
    const QByteArrayList expected = datas(whole.takeEvents());
    QVERIFY(!expected.isEmpty());
    for (qsizetype a = 0; a <= stream.size(); ++a) {
        for (qsizetype b = a; b <= stream.size(); b += 3) {
            SseParser parser;
            parser.feed(stream.left(a));
            parser.feed(stream.mid(a, b - a));
            parser.feed(stream.mid(b));
            QCOMPARE(datas(parser.takeEvents()), expected);
        }
    }
}

void TestSseParser::crlfSplitAcrossPieces()
{
    SseParser parser;
    parser.feed("data: a\r");
    parser.feed("\n\r");
    parser.feed("\ndata: b\r\n\r\n");
    QCOMPARE(datas(parser.takeEvents()), (QByteArrayList{"a", "b"}));
}

void TestSseParser::finishDispatchesTrailingEvent()
{
    SseParser parser;
    parser.feed("data: a\n\ndata: tail");
    parser.finish();
    QCOMPARE(datas(parser.takeEvents()), (QByteArrayList{"a", "tail"}));
}

void TestSseParser::overlongLineStopsTheParser()
{
    SseParser parser(1024);
    parser.feed("data: ok\n\n");
    for (int i = 0; i < 100; ++i)
        parser.feed(QByteArray(100, 'x')); // 10 KB without a newline
    QVERIFY(parser.overflowed());
    QVERIFY(parser.bufferedBytes() <= 1024);
    QCOMPARE(datas(parser.takeEvents()), QByteArrayList{"ok"});
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
