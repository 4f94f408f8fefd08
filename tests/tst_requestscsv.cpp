#include "storage/requestscsvwriter.h"

#include <QBuffer>
#include <QTest>

#include <optional>

using namespace relaybench;

class TestRequestsCsv : public QObject
{
    Q_OBJECT

private slots:
    void headerIsExact();
    void rowsGoToAnyDevice();
    void emptyCellsWhereValuesDoNotApply_data();
    void emptyCellsWhereValuesDoNotApply();
    void derivedColumnsAreDifferences_data();
    void derivedColumnsAreDifferences();
    void quotingFollowsRfc4180_data();
    void quotingFollowsRfc4180();
    void formulaIsNeutralised_data();
    void formulaIsNeutralised();
    void failedWriteIsReported();
};

namespace {

const QStringList columns{
    QStringLiteral("target"),        QStringLiteral("request_id"),       QStringLiteral("attempt"),
    QStringLiteral("warmup"),        QStringLiteral("scheduled_ms"),     QStringLiteral("sent_ms"),
    QStringLiteral("headers_ms"),    QStringLiteral("first_token_ms"),   QStringLiteral("end_ms"),
    QStringLiteral("queue_ms"),      QStringLiteral("ttfb_ms"),          QStringLiteral("ttft_ms"),
    QStringLiteral("latency_ms"),    QStringLiteral("status"),           QStringLiteral("outcome"),
    QStringLiteral("error"),         QStringLiteral("prompt_tokens"),    QStringLiteral("completion_tokens"),
    QStringLiteral("cached_tokens"), QStringLiteral("reasoning_tokens"), QStringLiteral("token_source"),
    QStringLiteral("cost_usd"),      QStringLiteral("retry_delay_ms")};

// A strict RFC 4180 reader: records end in CRLF, fields are separated by commas, a field is quoted when
// it holds a comma, quote or line break, and quotes inside are doubled. Anything else is a failure.
std::optional<QList<QStringList>> readCsv(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    QList<QStringList> records;
    QStringList record;
    QString field;
    qsizetype i = 0;
    const qsizetype n = text.size();
    if (n == 0 || !text.endsWith(QLatin1String("\r\n")))
        return std::nullopt;
    while (i < n) {
        if (text[i] == QLatin1Char('"')) { // quoted field
            ++i;
            for (;;) {
                if (i >= n)
                    return std::nullopt; // unterminated quote
                if (text[i] == QLatin1Char('"')) {
                    if (i + 1 < n && text[i + 1] == QLatin1Char('"')) {
                        field += QLatin1Char('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text[i++];
            }
        } else { // plain field: no quotes, commas or line breaks inside
            while (i < n && text[i] != QLatin1Char(',') && text[i] != QLatin1Char('\r')) {
                if (text[i] == QLatin1Char('"') || text[i] == QLatin1Char('\n'))
                    return std::nullopt;
                field += text[i++];
            }
        }
        record.append(field);
        field.clear();
        if (i < n && text[i] == QLatin1Char(',')) {
            ++i;
            continue;
        }
        if (i + 1 < n && text[i] == QLatin1Char('\r') && text[i + 1] == QLatin1Char('\n')) {
            i += 2;
            records.append(record);
            record.clear();
            continue;
        }
        return std::nullopt; // something after a closing quote, or a lone CR
    }
    return records;
}

constexpr double na = notApplicable;

AttemptRecord completeRecord()
{
    AttemptRecord r;
    r.target = 1;
    r.requestId = 41;
    r.attempt = 2;
    r.warmup = false;
    r.scheduledMs = 100.0;
    r.sentMs = 102.5;
    r.headersMs = 150.25;
    r.firstTokenMs = 180.125;
    r.endMs = 400.0;
    r.status = 200;
    r.outcome = Outcome::Ok;
    r.promptTokens = 12;
    r.completionTokens = 34;
    r.cachedTokens = 5;
    r.reasoningTokens = 6;
    r.tokenSource = TokenSource::Server;
    r.costUsd = 0.00001234;
    r.interTokenMs = {1.0f, 2.0f};
    return r;
}

// The cells of one row, as a CSV reader sees them.
QStringList cellsOf(const AttemptRecord &record, const QString &target = QStringLiteral("relay"))
{
    const QByteArray row = RequestsCsvWriter::row(record, target);
    const auto records = readCsv(row);
    if (!records || records->size() != 1)
        return {QStringLiteral("<not one valid CSV record: %1>").arg(QString::fromUtf8(row))};
    return records->first();
}

QString cell(const QStringList &cells, const char *column)
{
    const qsizetype index = columns.indexOf(QLatin1String(column));
    return index >= 0 && index < cells.size() ? cells[index]
                                              : QStringLiteral("<no column %1>").arg(QLatin1String(column));
}

} // namespace

void TestRequestsCsv::headerIsExact()
{
    const QByteArray expected = "target,request_id,attempt,warmup,scheduled_ms,sent_ms,headers_ms,first_token_ms,"
                                "end_ms,queue_ms,ttfb_ms,ttft_ms,latency_ms,status,outcome,error,prompt_tokens,"
                                "completion_tokens,cached_tokens,reasoning_tokens,token_source,cost_usd,"
                                "retry_delay_ms\r\n";
    QCOMPARE(RequestsCsvWriter::header(), expected);
    const auto parsed = readCsv(expected);
    QVERIFY(parsed);
    QCOMPARE(parsed->size(), 1);
    QCOMPARE(parsed->first(), columns);

    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    RequestsCsvWriter writer(&buffer, {QStringLiteral("relay")});
    QVERIFY(writer.writeHeader());
    QCOMPARE(buffer.data(), expected);
}

void TestRequestsCsv::rowsGoToAnyDevice()
{
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    RequestsCsvWriter writer(&buffer, {QStringLiteral("relay"), QStringLiteral("direct")});
    QVERIFY(writer.writeHeader());
    AttemptRecord first = completeRecord();
    first.target = 0;
    first.requestId = 7;
    first.attempt = 1;
    first.warmup = true;
    QVERIFY(writer.write(first));
    QVERIFY(writer.write(completeRecord()));

    const auto records = readCsv(buffer.data());
    QVERIFY2(records, buffer.data().constData());
    QCOMPARE(records->size(), 3);
    QCOMPARE(records->at(0), columns);
    const QStringList expected{QStringLiteral("direct"),
                               QStringLiteral("41"),
                               QStringLiteral("2"),
                               QStringLiteral("false"),
                               QStringLiteral("100.000"),
                               QStringLiteral("102.500"),
                               QStringLiteral("150.250"),
                               QStringLiteral("180.125"),
                               QStringLiteral("400.000"),
                               QStringLiteral("2.500"),
                               QStringLiteral("47.750"),
                               QStringLiteral("77.625"),
                               QStringLiteral("297.500"),
                               QStringLiteral("200"),
                               QStringLiteral("ok"),
                               QString(),
                               QStringLiteral("12"),
                               QStringLiteral("34"),
                               QStringLiteral("5"),
                               QStringLiteral("6"),
                               QStringLiteral("server"),
                               QStringLiteral("0.00001234"),
                               QString()};
    QCOMPARE(records->at(2), expected);
    QCOMPARE(records->at(1).first(), QStringLiteral("relay"));
    QCOMPARE(records->at(1)[1], QStringLiteral("7"));
    QCOMPARE(records->at(1)[2], QStringLiteral("1"));
    QCOMPARE(records->at(1)[3], QStringLiteral("true"));
    // Byte for byte, the second row is what row() makes of it.
    QVERIFY(buffer.data().endsWith(RequestsCsvWriter::row(completeRecord(), QStringLiteral("direct"))));
}

void TestRequestsCsv::emptyCellsWhereValuesDoNotApply_data()
{
    QTest::addColumn<AttemptRecord>("record");
    QTest::addColumn<QStringList>("empty");    // columns that must be empty
    QTest::addColumn<QStringList>("nonEmpty"); // columns that must not

    AttemptRecord neverSent;
    neverSent.scheduledMs = 10.0;
    neverSent.outcome = Outcome::CircuitOpen;
    neverSent.error = QStringLiteral("not sent: circuit open after consecutive failures");
    QTest::addRow("never sent") << neverSent
                                << QStringList{QStringLiteral("sent_ms"),        QStringLiteral("headers_ms"),
                                               QStringLiteral("first_token_ms"), QStringLiteral("end_ms"),
                                               QStringLiteral("queue_ms"),       QStringLiteral("ttfb_ms"),
                                               QStringLiteral("ttft_ms"),        QStringLiteral("latency_ms"),
                                               QStringLiteral("prompt_tokens"),  QStringLiteral("completion_tokens"),
                                               QStringLiteral("cached_tokens"),  QStringLiteral("reasoning_tokens"),
                                               QStringLiteral("token_source"),   QStringLiteral("cost_usd"),
                                               QStringLiteral("retry_delay_ms")}
                                << QStringList{QStringLiteral("scheduled_ms"), QStringLiteral("status"),
                                               QStringLiteral("outcome"), QStringLiteral("error")};

    AttemptRecord refused = completeRecord(); // reset before headers: no headers, no token, estimated tokens
    refused.headersMs = na;
    refused.firstTokenMs = na;
    refused.status = 0;
    refused.outcome = Outcome::NetworkError;
    refused.tokenSource = TokenSource::Estimated;
    refused.costUsd = 0.0;
    QTest::addRow("no response") << refused
                                 << QStringList{QStringLiteral("headers_ms"), QStringLiteral("first_token_ms"),
                                                QStringLiteral("ttfb_ms"), QStringLiteral("ttft_ms"),
                                                QStringLiteral("retry_delay_ms")}
                                 << QStringList{QStringLiteral("sent_ms"),      QStringLiteral("end_ms"),
                                                QStringLiteral("queue_ms"),     QStringLiteral("latency_ms"),
                                                QStringLiteral("token_source"), QStringLiteral("cost_usd")};

    AttemptRecord notStreamed = completeRecord();
    notStreamed.firstTokenMs = na;
    QTest::addRow("not streamed") << notStreamed
                                  << QStringList{QStringLiteral("first_token_ms"), QStringLiteral("ttft_ms")}
                                  << QStringList{QStringLiteral("headers_ms"), QStringLiteral("ttfb_ms"),
                                                 QStringLiteral("latency_ms")};

    AttemptRecord sentNoTokens = completeRecord();
    sentNoTokens.tokenSource = TokenSource::None;
    QTest::addRow("sent, no tokens") << sentNoTokens
                                     << QStringList{QStringLiteral("prompt_tokens"),
                                                    QStringLiteral("completion_tokens"),
                                                    QStringLiteral("cached_tokens"), QStringLiteral("reasoning_tokens"),
                                                    QStringLiteral("token_source")}
                                     << QStringList{QStringLiteral("cost_usd")};

    AttemptRecord retried = completeRecord();
    retried.outcome = Outcome::RateLimited;
    retried.status = 429;
    retried.retryDelayMs = 250.0;
    QTest::addRow("retried") << retried << QStringList{QStringLiteral("error")}
                             << QStringList{QStringLiteral("retry_delay_ms")};
}

void TestRequestsCsv::emptyCellsWhereValuesDoNotApply()
{
    QFETCH(AttemptRecord, record);
    QFETCH(QStringList, empty);
    QFETCH(QStringList, nonEmpty);
    const QStringList cells = cellsOf(record);
    QCOMPARE(cells.size(), columns.size());
    for (const QString &column : empty)
        QVERIFY2(cell(cells, qPrintable(column)).isEmpty(),
                 qPrintable(column + QStringLiteral(" = ") + cell(cells, qPrintable(column))));
    for (const QString &column : nonEmpty)
        QVERIFY2(!cell(cells, qPrintable(column)).isEmpty(), qPrintable(column));
}

void TestRequestsCsv::derivedColumnsAreDifferences_data()
{
    QTest::addColumn<double>("scheduled");
    QTest::addColumn<double>("sent");
    QTest::addColumn<double>("headers");
    QTest::addColumn<double>("firstToken");
    QTest::addColumn<double>("end");
    QTest::addColumn<QStringList>("derived"); // queue, ttfb, ttft, latency
    QTest::addRow("all") << 1000.0 << 1012.345 << 1100.0 << 1250.5 << 3000.0
                         << QStringList{QStringLiteral("12.345"), QStringLiteral("87.655"), QStringLiteral("238.155"),
                                        QStringLiteral("1987.655")};
    QTest::addRow("sent on time") << 5.0 << 5.0 << 6.0 << 7.0 << 8.0
                                  << QStringList{QStringLiteral("0.000"), QStringLiteral("1.000"),
                                                 QStringLiteral("2.000"), QStringLiteral("3.000")};
    QTest::addRow("sub-microsecond rounds") << 0.0 << 0.0004 << 0.0006 << 1.0 << 2.0
                                            << QStringList{QStringLiteral("0.000"), QStringLiteral("0.000"),
                                                           QStringLiteral("1.000"), QStringLiteral("2.000")};
    QTest::addRow("no schedule") << na << 10.0 << 20.0 << 30.0 << 40.0
                                 << QStringList{QString(), QStringLiteral("10.000"), QStringLiteral("20.000"),
                                                QStringLiteral("30.000")};
    QTest::addRow("aborted before headers")
        << 0.0 << 10.0 << na << na << 60010.0
        << QStringList{QStringLiteral("10.000"), QString(), QString(), QStringLiteral("60000.000")};
}

void TestRequestsCsv::derivedColumnsAreDifferences()
{
    QFETCH(double, scheduled);
    QFETCH(double, sent);
    QFETCH(double, headers);
    QFETCH(double, firstToken);
    QFETCH(double, end);
    QFETCH(QStringList, derived);
    AttemptRecord r = completeRecord();
    r.scheduledMs = scheduled;
    r.sentMs = sent;
    r.headersMs = headers;
    r.firstTokenMs = firstToken;
    r.endMs = end;
    const QStringList cells = cellsOf(r);
    QCOMPARE((QStringList{cell(cells, "queue_ms"), cell(cells, "ttfb_ms"), cell(cells, "ttft_ms"),
                          cell(cells, "latency_ms")}),
             derived);
}

void TestRequestsCsv::quotingFollowsRfc4180_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("encoded"); // the cell as written
    QTest::addRow("plain") << QStringLiteral("HTTP 500: boom") << QByteArray("HTTP 500: boom");
    QTest::addRow("empty") << QString() << QByteArray();
    QTest::addRow("comma") << QStringLiteral("a, b") << QByteArray("\"a, b\"");
    QTest::addRow("quote") << QStringLiteral("say \"hi\"") << QByteArray("\"say \"\"hi\"\"\"");
    QTest::addRow("only a quote") << QStringLiteral("\"") << QByteArray("\"\"\"\"");
    QTest::addRow("LF") << QStringLiteral("line 1\nline 2") << QByteArray("\"line 1\nline 2\"");
    QTest::addRow("CRLF") << QStringLiteral("line 1\r\nline 2") << QByteArray("\"line 1\r\nline 2\"");
    QTest::addRow("CR") << QStringLiteral("a\rb") << QByteArray("\"a\rb\"");
    QTest::addRow("everything") << QStringLiteral("x,\"y\"\r\nz") << QByteArray("\"x,\"\"y\"\"\r\nz\"");
    QTest::addRow("unicode") << QString::fromUtf8("café — 東京") << QByteArray("café — 東京");
    QTest::addRow("spaces kept") << QStringLiteral("  padded  ") << QByteArray("  padded  ");
}

void TestRequestsCsv::quotingFollowsRfc4180()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, encoded);
    QCOMPARE(RequestsCsvWriter::cell(text), encoded);

    // The same text as error and as target name survives a round trip through a strict reader.
    AttemptRecord r = completeRecord();
    r.outcome = Outcome::ServerError;
    r.error = text;
    const QStringList cells = cellsOf(r, text);
    QCOMPARE(cells.size(), columns.size());
    QCOMPARE(cell(cells, "target"), text);
    QCOMPARE(cell(cells, "error"), text);
    QCOMPARE(cell(cells, "outcome"), QStringLiteral("server_error"));
    QCOMPARE(cell(cells, "prompt_tokens"), QStringLiteral("12")); // the columns after it are where they belong
    QCOMPARE(cell(cells, "retry_delay_ms"), QString());
}

void TestRequestsCsv::formulaIsNeutralised_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("read"); // what a CSV reader gets back
    QTest::addRow("=") << QStringLiteral("=HYPERLINK(\"http://x\")") << QStringLiteral("'=HYPERLINK(\"http://x\")");
    QTest::addRow("+") << QStringLiteral("+1 retry") << QStringLiteral("'+1 retry");
    QTest::addRow("-") << QStringLiteral("-2 tokens") << QStringLiteral("'-2 tokens");
    QTest::addRow("@") << QStringLiteral("@SUM(A1)") << QStringLiteral("'@SUM(A1)");
    QTest::addRow("tab") << QStringLiteral("\t=1") << QStringLiteral("'\t=1");
    QTest::addRow("CR") << QStringLiteral("\r=1") << QStringLiteral("'\r=1");
    QTest::addRow("= and comma") << QStringLiteral("=1,2") << QStringLiteral("'=1,2");
    QTest::addRow("inside is fine") << QStringLiteral("a=b+c-d@e") << QStringLiteral("a=b+c-d@e");
    QTest::addRow("quote first is fine") << QStringLiteral("'x") << QStringLiteral("'x");
}

void TestRequestsCsv::formulaIsNeutralised()
{
    QFETCH(QString, text);
    QFETCH(QString, read);
    AttemptRecord r = completeRecord();
    r.error = text;
    const QStringList cells = cellsOf(r, text);
    QCOMPARE(cells.size(), columns.size());
    QCOMPARE(cell(cells, "error"), read);
    QCOMPARE(cell(cells, "target"), read);
}

void TestRequestsCsv::failedWriteIsReported()
{
    QBuffer closed;
    RequestsCsvWriter writer(&closed, {QStringLiteral("relay")});
    QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (QBuffer): device not open");
    QVERIFY(!writer.writeHeader());
    QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (QBuffer): device not open");
    QVERIFY(!writer.write(completeRecord()));
}

QTEST_GUILESS_MAIN(TestRequestsCsv)
#include "tst_requestscsv.moc"
