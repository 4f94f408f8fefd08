#include "campaign/campaignloader.h"
#include "pricing/pricecatalog.h"
#include "pricing/userpricecatalog.h"
#include "sim/simprofile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace relaybench;

// Files users hand RelayBench, wrong in every way we could think of: each gives exactly one clear
// message naming the file and, inside a JSON document, the field.
class TestBadFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void campaignFieldWithWrongTypeOrRange_data();
    void campaignFieldWithWrongTypeOrRange();
    void badCampaignFile_data();
    void badCampaignFile();
    void badPromptsFile_data();
    void badPromptsFile();
    void profileThatIsNotJson_data();
    void profileThatIsNotJson();
    void catalogueThatIsNotJson();

private:
    QString write(const QString &name, const QByteArray &bytes);

    QTemporaryDir m_dir;
    PriceCatalog m_catalog;
};

namespace {

// A valid campaign: each data row breaks one field of it.
QJsonObject validCampaign()
{
    return QJsonDocument::fromJson(R"({
        "name": "bad-files",
        "targets": [{"name": "a", "base_url": "http://127.0.0.1:9/v1", "model": "m"}],
        "load": {"mode": "closed", "concurrency": 2, "requests": 10},
        "request": {"max_tokens": 16},
        "timeouts": {"total_s": 5},
        "limits": {"max_response_bytes": 1048576},
        "retry": {"max_attempts": 2},
        "rate_limit": {},
        "circuit_breaker": {},
        "budget": {},
        "slo": {}
    })")
        .object();
}

// Sets "a.b" or "targets[0].c" in a campaign object to `value`.
void setField(QJsonObject &root, const QString &path, const QJsonValue &value)
{
    const QStringList parts = path.split(QLatin1Char('.'));
    if (parts.size() == 1) {
        root.insert(parts[0], value);
        return;
    }
    if (parts[0] == QLatin1String("targets[0]")) {
        QJsonArray targets = root.value(QLatin1String("targets")).toArray();
        QJsonObject target = targets.at(0).toObject();
        target.insert(parts[1], value);
        targets[0] = target;
        root.insert(QStringLiteral("targets"), targets);
        return;
    }
    QJsonObject section = root.value(parts[0]).toObject();
    section.insert(parts[1], value);
    root.insert(parts[0], section);
}

QJsonValue jsonValue(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

} // namespace

void TestBadFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_catalog = PriceCatalog::shipped();
}

QString TestBadFiles::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestBadFiles::campaignFieldWithWrongTypeOrRange_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("reported"); // the path the message names (a list item may be named)
    const auto row = [](const char *field, const char *value, const char *reported = nullptr) {
        QTest::addRow("%s = %s", field, value)
            << QString::fromLatin1(field) << QByteArray(value) << QString::fromLatin1(reported ? reported : field);
    };
    row("name", "5");
    row("targets", "\"x\"");
    row("targets[0].name", "3");
    row("targets[0].base_url", "\"ftp://x\"");
    row("targets[0].model", "[]");
    row("targets[0].api_key_env", "\"sk-pasted-key-by-mistake\"");
    row("targets[0].headers", "5");
    row("targets[0].tls_verify", "\"no\"");
    row("load", "5");
    row("load.mode", "\"half\"");
    row("load.concurrency", "\"eight\"");
    row("load.concurrency", "0");
    row("load.concurrency", "1.5");
    row("load.rate", "0");
    row("load.arrival", "3");
    row("load.requests", "-5");
    row("load.duration_s", "\"long\"");
    row("load.warmup_requests", "1e12");
    row("load.ramp_up_s", "-1");
    row("request", "[]");
    row("request.max_tokens", "0");
    row("request.temperature", "\"hot\"");
    row("request.stream", "\"yes\"");
    row("request.include_usage", "1");
    row("request.extra_body", "[]");
    row("request.prompts", "[]");
    row("request.messages", "[1]", "request.messages[0]");
    row("request.prompts_file", "7");
    row("timeouts.total_s", "0");
    row("timeouts.stall_s", "-1");
    row("limits.max_response_bytes", "10");
    row("limits.max_sse_line_bytes", "\"big\"");
    row("retry.max_attempts", "0");
    row("retry.base_delay_s", "-1");
    row("retry.jitter", "2");
    row("retry.respect_retry_after", "\"y\"");
    row("retry.on", "[\"ok\"]", "retry.on[0]");
    row("rate_limit.requests_per_minute", "-1");
    row("rate_limit.tokens_per_minute", "\"many\"");
    row("circuit_breaker.failure_threshold", "1.5");
    row("circuit_breaker.cooldown_s", "0");
    row("budget.max_cost_usd", "-1");
    row("slo.success_rate", "2");
    row("slo.latency_p95_ms", "\"fast\"");
    row("slo.ttft_p95_ms", "-3");
}

void TestBadFiles::campaignFieldWithWrongTypeOrRange()
{
    QFETCH(QString, field);
    QFETCH(QByteArray, value);
    QFETCH(QString, reported);
    QJsonObject campaign = validCampaign();
    setField(campaign, field, jsonValue(value.constData()));
    const QString path = write(QStringLiteral("campaign.json"), QJsonDocument(campaign).toJson());
    const CampaignLoadResult result = loadCampaignFile(path, m_catalog);
    QVERIFY(!result.campaign);
    QVERIFY2(result.errors.size() == 1, qPrintable(result.errors.join(QLatin1Char('\n'))));
    const QString expected = path + QStringLiteral(": ") + reported + QStringLiteral(": ");
    QVERIFY2(result.errors.first().startsWith(expected), qPrintable(result.errors.first()));
    // A key pasted into the wrong field must not be repeated in the message.
    QVERIFY(!result.errors.first().contains(QLatin1String("sk-pasted-key-by-mistake")));
}

void TestBadFiles::badCampaignFile_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("problem");
    QTest::addRow("empty") << QByteArray() << "empty file, expected a JSON object";
    QTest::addRow("not JSON") << QByteArray("targets = [relay]\n") << "line 1, column";
    QTest::addRow("not UTF-8") << QByteArray("{\"name\": \"caf\xe9\"}") << "not valid UTF-8 text";
    QTest::addRow("a JSON array") << QByteArray("[1, 2]") << "must be a JSON object";
    QTest::addRow("binary, ASCII range") << QByteArray("\x7f"
                                                       "ELF\x02\x01\x01\x00\x00",
                                                       9)
                                         << "line 1, column 2";
    QTest::addRow("binary, high bytes") << QByteArray("\x89PNG\r\n\x1a\n\x00\x00", 10) << "not valid UTF-8 text";
}

void TestBadFiles::badCampaignFile()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, problem);
    const QString path = write(QStringLiteral("file.json"), bytes);
    const CampaignLoadResult result = loadCampaignFile(path, m_catalog);
    QVERIFY(!result.campaign);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().startsWith(path + QStringLiteral(": ")), qPrintable(result.errors.first()));
    QVERIFY2(result.errors.first().contains(problem), qPrintable(result.errors.first()));
}

void TestBadFiles::badPromptsFile_data()
{
    QTest::addColumn<QString>("file"); // written here unless it is an absolute path
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("sparseSize"); // > 0: a file of that size (holes), not `bytes`
    QTest::addColumn<QString>("problem");
    QTest::addRow("empty") << "empty.jsonl" << QByteArray() << qint64(0) << "no prompts in the file";
    QTest::addRow("blank lines only") << "blank.jsonl" << QByteArray("\n\n  \n") << qint64(0)
                                      << "no prompts in the file";
    QTest::addRow("not UTF-8") << "latin1.jsonl" << QByteArray("\"caf\xe9\"\n") << qint64(0) << "not valid UTF-8 text";
    QTest::addRow("huge") << "huge.jsonl" << QByteArray() << maxPromptsFileBytes + 1
                          << "larger than 256 MiB, the most a prompts file may hold";
    QTest::addRow("a device") << "/dev/zero" << QByteArray() << qint64(0) << "not a regular file";
    QTest::addRow("a folder") << "." << QByteArray() << qint64(0) << "not a regular file";
    QTest::addRow("missing") << "missing.jsonl" << QByteArray() << qint64(-1) << "cannot read: No such file";
}

void TestBadFiles::badPromptsFile()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, sparseSize);
    QFETCH(QString, problem);
    QString promptsPath = file.startsWith(QLatin1Char('/')) || file == QLatin1String(".") ? file : m_dir.filePath(file);
    if (sparseSize > 0) {
        QFile huge(promptsPath);
        QVERIFY(huge.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QVERIFY(huge.resize(sparseSize)); // sparse: no disk used
    } else if (sparseSize == 0 && !file.startsWith(QLatin1Char('/')) && file != QLatin1String(".")) {
        write(file, bytes);
    }
    QJsonObject campaign = validCampaign();
    setField(campaign, QStringLiteral("request.prompts_file"), promptsPath);
    const QString path = write(QStringLiteral("campaign.json"), QJsonDocument(campaign).toJson());
    const CampaignLoadResult result = loadCampaignFile(path, m_catalog);
    QVERIFY(!result.campaign);
    QVERIFY2(result.errors.size() == 1, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY2(result.errors.first().contains(QLatin1String("request.prompts_file")), qPrintable(result.errors.first()));
    QVERIFY2(result.errors.first().contains(problem), qPrintable(result.errors.first()));
    if (sparseSize > 0)
        QFile::remove(promptsPath);
}

void TestBadFiles::profileThatIsNotJson_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("problem");
    QTest::addRow("empty") << QByteArray() << "empty file, expected a JSON object";
    QTest::addRow("YAML") << QByteArray("ttft_ms: 100\n") << "line 1, column";
    QTest::addRow("not UTF-8") << QByteArray("{\"name\": \"\xff\"}") << "not valid UTF-8 text";
    QTest::addRow("wrong field type") << QByteArray("{\"ttft_ms\": \"fast\"}") << "ttft_ms";
}

void TestBadFiles::profileThatIsNotJson()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, problem);
    const QString path = write(QStringLiteral("profile.json"), bytes);
    QString error;
    QVERIFY(!loadSimProfile(path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
    QVERIFY2(error.contains(problem), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    QVERIFY(!loadSimProfile(QStringLiteral("/dev/zero"), &error)); // must not read forever
    QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));
}

void TestBadFiles::catalogueThatIsNotJson()
{
    const QString path = write(QStringLiteral("prices.user.json"), QByteArray("model,input\ngpt,1\n"));
    UserPriceCatalog user(path);
    QString error;
    QVERIFY(!user.load(&error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    QVERIFY(!PriceCatalog::fromAnyJson("\xff\xfe{}", QStringLiteral("import.json"), &error));
    QVERIFY2(error.startsWith(QLatin1String("import.json: ")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestBadFiles)
#include "tst_badfiles.moc"
