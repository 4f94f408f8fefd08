#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// `relaybench serve-mock` as a user runs it: a real process, its exit codes and messages.
class TestServeMockCli : public QObject
{
    Q_OBJECT

private slots:
    void badInputIsOneClearLine_data();
    void badInputIsOneClearLine();
    void busyPortIsReported();
    void servesUntilSignalled_data();
    void servesUntilSignalled();
    void helpDescribesTheCommand();

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

Result run(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(RELAYBENCH_BINARY), arguments);
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

void TestServeMockCli::badInputIsOneClearLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");
    QVERIFY(m_dir.isValid());
    const QString badJson = m_dir.filePath(QStringLiteral("bad.json"));
    QFile bad(badJson);
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"ttft_ms\": 10,\n \"faults\": {\"hang\": 5}}");
    bad.close();
    const QString notJson = m_dir.filePath(QStringLiteral("notjson.json"));
    QFile text(notJson);
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("ttft: 10\n");
    text.close();

    QTest::addRow("port not a number") << QStringList{QStringLiteral("--port"), QStringLiteral("abc")}
                                       << "--port: must be an integer from 0 to 65535, got \"abc\"";
    QTest::addRow("port too big") << QStringList{QStringLiteral("--port"), QStringLiteral("70000")}
                                  << "--port: must be an integer from 0 to 65535, got \"70000\"";
    QTest::addRow("host") << QStringList{QStringLiteral("--host"), QStringLiteral("my.host")}
                          << "--host: not an IP address: \"my.host\"";
    QTest::addRow("threads") << QStringList{QStringLiteral("--threads"), QStringLiteral("0")}
                             << "--threads: must be an integer from 1 to 256, got \"0\"";
    QTest::addRow("unknown profile") << QStringList{QStringLiteral("--profile"), QStringLiteral("nope")}
                                     << "profile \"nope\": no such shipped profile";
    QTest::addRow("missing file") << QStringList{QStringLiteral("--profile"), QStringLiteral("/no/such/p.json")}
                                  << "/no/such/p.json: cannot read profile";
    QTest::addRow("invalid field") << QStringList{QStringLiteral("--profile"), badJson}
                                   << badJson +
                                          QStringLiteral(": faults.hang: must be a number between 0 and 1, got 5");
    QTest::addRow("not json") << QStringList{QStringLiteral("--profile"), notJson}
                              << notJson + QStringLiteral(": line 1, column 2: ");
    QTest::addRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << "Unknown option 'frobnicate'";
    QTest::addRow("stray argument") << QStringList{QStringLiteral("extra")} << "unexpected argument \"extra\"";
    QTest::addRow("empty key") << QStringList{QStringLiteral("--api-key"), QString()} << "--api-key: must not be empty";
}

void TestServeMockCli::badInputIsOneClearLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    const Result result = run(QStringList{QStringLiteral("serve-mock")} + arguments);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith(QStringLiteral("relaybench serve-mock: ") + expected), qPrintable(result.err));
    QCOMPARE(result.err.count(QLatin1Char('\n')), 1);
    QVERIFY(result.out.isEmpty());
}

void TestServeMockCli::busyPortIsReported()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const Result result =
        run({QStringLiteral("serve-mock"), QStringLiteral("--port"), QString::number(squatter.serverPort())});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith(
                 QStringLiteral("relaybench serve-mock: cannot listen on 127.0.0.1:%1: ").arg(squatter.serverPort())),
             qPrintable(result.err));

    const Result unknownCommand = run({QStringLiteral("frobnicate")});
    QCOMPARE(unknownCommand.exitCode, 2);
    QVERIFY(unknownCommand.err.startsWith(QStringLiteral("relaybench: unknown command \"frobnicate\"")));
}

void TestServeMockCli::servesUntilSignalled_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addRow("SIGTERM") << int(SIGTERM);
    QTest::addRow("SIGINT") << int(SIGINT);
}

void TestServeMockCli::servesUntilSignalled()
{
    QFETCH(int, signalNumber);
    QProcess process;
    process.start(QStringLiteral(RELAYBENCH_BINARY),
                  {QStringLiteral("serve-mock"), QStringLiteral("--port"), QStringLiteral("0"),
                   QStringLiteral("--profile"), QStringLiteral("local-gpu")});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 10000);
    const QString banner = QString::fromUtf8(process.readLine());
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+/v1) \\(profile local-gpu"))
            .match(banner);
    QVERIFY2(match.hasMatch(), qPrintable(banner));

    QNetworkAccessManager manager;
    std::unique_ptr<QNetworkReply> reply(
        manager.get(QNetworkRequest(QUrl(match.captured(1) + QStringLiteral("/models")))));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().contains("local-model"));

    ::kill(pid_t(process.processId()), signalNumber);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QString rest = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(rest.startsWith(QStringLiteral("Simulator stopped. {")), qPrintable(rest));
}

void TestServeMockCli::helpDescribesTheCommand()
{
    const Result result = run({QStringLiteral("serve-mock"), QStringLiteral("--help")});
    QCOMPARE(result.exitCode, 0);
    for (const char *text : {"--port", "--profile", "--api-key", "direct-peak", "X-Sim-Fault"})
        QVERIFY2(result.out.contains(QLatin1String(text)), text);
    const Result top = run({QStringLiteral("--help")});
    QCOMPARE(top.exitCode, 0);
    QVERIFY(top.out.contains(QLatin1String("serve-mock")));
}

QTEST_GUILESS_MAIN(TestServeMockCli)
#include "tst_servemock_cli.moc"
