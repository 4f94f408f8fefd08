#include "campaign/campaigndocument.h"
#include "pricing/pricecatalog.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace relaybench;

class TestCampaignDocument : public QObject
{
    Q_OBJECT

private slots:
    void saveKeepsEverything_data();
    void saveKeepsEverything();
    void editAndUndoLeavesTheRestAlone();
    void valueByPath_data();
    void valueByPath();
    void setByPath();
    void badPathsAreRefused_data();
    void badPathsAreRefused();
    void targetsAddRemoveMove();
    void errorsAreKeyedByPath_data();
    void errorsAreKeyedByPath();
    void keychainEntryIsLoaded();
    void unreadableFileIsAnError();
};

namespace {

const PriceCatalog &catalog()
{
    static const PriceCatalog shipped = PriceCatalog::shipped();
    return shipped;
}

QJsonObject parsedFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

CampaignDocument demo()
{
    CampaignDocument document;
    QString error;
    if (!document.loadFile(QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/demo.json"), &error))
        qWarning("%s", qPrintable(error));
    return document;
}

} // namespace

void TestCampaignDocument::saveKeepsEverything_data()
{
    QTest::addColumn<QString>("path");
    QDirIterator examples(QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples"), {QStringLiteral("*.json")}, QDir::Files,
                          QDirIterator::Subdirectories);
    int count = 0;
    while (examples.hasNext()) {
        const QString path = examples.next();
        QTest::addRow("%s", qPrintable(QDir(QStringLiteral(RELAYBENCH_SOURCE_DIR)).relativeFilePath(path))) << path;
        ++count;
    }
    QVERIFY(count >= 3);
    QTest::addRow("unknown keys") << QStringLiteral(RELAYBENCH_TEST_DATA "/campaigns/unknown-keys.json");
}

void TestCampaignDocument::saveKeepsEverything()
{
    QFETCH(QString, path);
    CampaignDocument document;
    QString error;
    QVERIFY2(document.loadFile(path, &error), qPrintable(error));
    QVERIFY(!document.isModified());
    QTemporaryDir dir;
    const QString saved = dir.filePath(QStringLiteral("saved.json"));
    QVERIFY2(document.saveFile(saved, &error), qPrintable(error));
    QCOMPARE(parsedFile(saved), parsedFile(path));
    QCOMPARE(document.filePath(), saved);

    // Saving what was opened again writes the very same bytes.
    CampaignDocument reopened;
    QVERIFY(reopened.loadFile(saved, &error));
    const QString again = dir.filePath(QStringLiteral("again.json"));
    QVERIFY(reopened.saveFile(again, &error));
    QFile first(saved);
    QFile second(again);
    QVERIFY(first.open(QIODevice::ReadOnly) && second.open(QIODevice::ReadOnly));
    QCOMPARE(second.readAll(), first.readAll());
}

void TestCampaignDocument::editAndUndoLeavesTheRestAlone()
{
    CampaignDocument document;
    QString error;
    const QString path = QStringLiteral(RELAYBENCH_TEST_DATA "/campaigns/unknown-keys.json");
    QVERIFY(document.loadFile(path, &error));
    QVERIFY(document.setValue(QStringLiteral("load.rate"), 9.0));
    QVERIFY(document.setValue(QStringLiteral("targets[1].model"), QStringLiteral("other")));
    QVERIFY(document.isModified());
    QCOMPARE(document.value(QStringLiteral("load.x_future_option")).toDouble(), 1.5e-7);
    QCOMPARE(document.value(QStringLiteral("targets[0].x_note")).toString(), QStringLiteral("kept"));
    QVERIFY(document.setValue(QStringLiteral("load.rate"), 2.5));
    QVERIFY(document.setValue(QStringLiteral("targets[1].model"), QStringLiteral("m")));
    QCOMPARE(document.root(), parsedFile(path));
}

void TestCampaignDocument::valueByPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addRow("top level") << "name" << QJsonValue(QStringLiteral("demo"));
    QTest::addRow("nested") << "load.concurrency" << QJsonValue(8);
    QTest::addRow("in a target") << "targets[1].base_url" << QJsonValue(QStringLiteral("sim://direct-peak"));
    QTest::addRow("in an array") << "request.prompts[1]"
                                 << QJsonValue(QStringLiteral("Name three causes of HTTP 429."));
    QTest::addRow("absent key") << "load.rate" << QJsonValue(QJsonValue::Undefined);
    QTest::addRow("absent object") << "budget.max_cost_usd" << QJsonValue(QJsonValue::Undefined);
    QTest::addRow("past the end") << "targets[2].name" << QJsonValue(QJsonValue::Undefined);
}

void TestCampaignDocument::valueByPath()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, expected);
    QCOMPARE(demo().value(path), expected);
}

void TestCampaignDocument::setByPath()
{
    CampaignDocument document = demo();
    QVERIFY(document.setValue(QStringLiteral("load.concurrency"), 4));
    QCOMPARE(document.value(QStringLiteral("load.concurrency")).toInt(), 4);
    QVERIFY(document.setValue(QStringLiteral("targets[1].model"), QStringLiteral("gpt-4.1")));
    QCOMPARE(document.target(1).value(QLatin1String("model")).toString(), QStringLiteral("gpt-4.1"));
    QCOMPARE(document.target(0).value(QLatin1String("model")).toString(), QStringLiteral("deepseek-chat"));

    // A key in an object the file does not have creates the object; removing its last key removes it again.
    QVERIFY(!document.root().contains(QLatin1String("budget")));
    QVERIFY(document.setValue(QStringLiteral("budget.max_cost_usd"), 2.5));
    QCOMPARE(document.root().value(QLatin1String("budget")).toObject().value(QLatin1String("max_cost_usd")), 2.5);
    QVERIFY(document.setValue(QStringLiteral("budget.max_cost_usd"), QJsonValue(QJsonValue::Undefined)));
    QVERIFY(!document.root().contains(QLatin1String("budget")));
    // Removing one of several keys keeps the object.
    QVERIFY(document.setValue(QStringLiteral("slo.ttft_p95_ms"), QJsonValue(QJsonValue::Undefined)));
    QCOMPARE(document.value(QStringLiteral("slo.success_rate")).toDouble(), 0.95);
    // Removing what is not there changes nothing.
    const QJsonObject before = document.root();
    QVERIFY(document.setValue(QStringLiteral("rate_limit.requests_per_minute"), QJsonValue(QJsonValue::Undefined)));
    QCOMPARE(document.root(), before);
    QVERIFY(document.isModified());
}

void TestCampaignDocument::badPathsAreRefused_data()
{
    QTest::addColumn<QString>("path");
    QTest::addRow("empty") << "";
    QTest::addRow("trailing dot") << "load.";
    QTest::addRow("leading dot") << ".load";
    QTest::addRow("index not a number") << "targets[x].name";
    QTest::addRow("unclosed index") << "targets[0.name";
    QTest::addRow("index past the end") << "targets[5].name";
    QTest::addRow("through a number") << "load.concurrency.x";
    QTest::addRow("index into an object") << "load[0]";
    QTest::addRow("root index") << "[0]";
}

void TestCampaignDocument::badPathsAreRefused()
{
    QFETCH(QString, path);
    CampaignDocument document = demo();
    const QJsonObject before = document.root();
    QVERIFY(!document.setValue(path, 1));
    QCOMPARE(document.root(), before);
    QVERIFY(!document.isModified());
}

void TestCampaignDocument::targetsAddRemoveMove()
{
    CampaignDocument document = demo();
    QCOMPARE(document.targetCount(), 2);
    const int added = document.addTarget(QJsonObject{{QStringLiteral("name"), QStringLiteral("third")},
                                                     {QStringLiteral("base_url"), QStringLiteral("sim://relay")},
                                                     {QStringLiteral("model"), QStringLiteral("m")}});
    QCOMPARE(added, 2);
    document.moveTarget(2, 0);
    QCOMPARE(document.target(0).value(QLatin1String("name")).toString(), QStringLiteral("third"));
    QCOMPARE(document.target(1).value(QLatin1String("name")).toString(), QStringLiteral("relay"));
    document.removeTarget(1);
    QCOMPARE(document.targetCount(), 2);
    QCOMPARE(document.target(1).value(QLatin1String("name")).toString(), QStringLiteral("direct-peak"));
    document.moveTarget(0, 7); // out of range: nothing happens
    QCOMPARE(document.target(0).value(QLatin1String("name")).toString(), QStringLiteral("third"));
    const CampaignLoadResult result = document.validate(catalog());
    QVERIFY2(result.campaign, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.campaign->targets.size(), 2);
}

void TestCampaignDocument::errorsAreKeyedByPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("problem");
    QTest::addRow("concurrency a word") << "load.concurrency" << QJsonValue(QStringLiteral("eight"))
                                        << "must be an integer >= 1, got \"eight\"";
    QTest::addRow("concurrency 0") << "load.concurrency" << QJsonValue(0) << "must be an integer >= 1, got 0";
    QTest::addRow("mode") << "load.mode" << QJsonValue(QStringLiteral("half-open"))
                          << "must be \"closed\" or \"open\", got \"half-open\"";
    QTest::addRow("base URL") << "targets[1].base_url" << QJsonValue(QStringLiteral("ftp://example.com"))
                              << "must be an http:// or https:// URL";
    QTest::addRow("price id") << "targets[0].price" << QJsonValue(QStringLiteral("no-such-model"))
                              << "unknown catalogue id \"no-such-model\"";
    QTest::addRow("timeout") << "timeouts.total_s" << QJsonValue(-1) << "must be a number between 0.001 and 86400";
    QTest::addRow("retry outcome") << "retry.on[0]" << QJsonValue(QStringLiteral("bogus"))
                                   << "must be a retryable outcome";
    QTest::addRow("keychain entry empty") << "targets[0].api_key_keychain" << QJsonValue(QStringLiteral(" "))
                                          << "must be the name of an entry in the system keychain";
}

void TestCampaignDocument::errorsAreKeyedByPath()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, problem);
    CampaignDocument document = demo();
    if (path.startsWith(QLatin1String("retry.on")))
        QVERIFY(document.setValue(QStringLiteral("retry.on"), QJsonArray{QStringLiteral("timeout")}));
    QVERIFY(document.setValue(path, value));
    const CampaignLoadResult result = document.validate(catalog());
    QVERIFY(!result.campaign);
    QCOMPARE(result.fieldErrors.size(), 1);
    QCOMPARE(result.fieldErrors.first().path, path);
    QVERIFY2(result.fieldErrors.first().problem.startsWith(problem), qPrintable(result.fieldErrors.first().problem));
    // The same error as `relaybench run` prints it: FILE: PATH: PROBLEM.
    QCOMPARE(result.errors.size(), 1);
    QVERIFY(result.errors.first().endsWith(QStringLiteral(": ") + path + QStringLiteral(": ") +
                                           result.fieldErrors.first().problem));
}

void TestCampaignDocument::keychainEntryIsLoaded()
{
    CampaignDocument document = demo();
    QVERIFY(document.setValue(QStringLiteral("targets[0].api_key_keychain"), QStringLiteral("demo/relay")));
    CampaignLoadResult result = document.validate(catalog());
    QVERIFY2(result.campaign, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.campaign->targets.at(0).apiKeyKeychain, QStringLiteral("demo/relay"));
    QVERIFY(result.campaign->targets.at(0).apiKeyEnv.isEmpty());
    QVERIFY(result.campaign->targets.at(1).apiKeyKeychain.isEmpty());

    // Exactly one key source, or none.
    QVERIFY(document.setValue(QStringLiteral("targets[0].api_key_env"), QStringLiteral("RELAY_API_KEY")));
    result = document.validate(catalog());
    QVERIFY(!result.campaign);
    QCOMPARE(result.fieldErrors.size(), 1);
    QCOMPARE(result.fieldErrors.first().path, QStringLiteral("targets[0].api_key_keychain"));
    QVERIFY(result.fieldErrors.first().problem.contains(QLatin1String("not both")));
}

void TestCampaignDocument::unreadableFileIsAnError()
{
    CampaignDocument document;
    QString error;
    QVERIFY(!document.loadFile(QStringLiteral("/nonexistent/campaign.json"), &error));
    QVERIFY(error.contains(QLatin1String("/nonexistent/campaign.json")));
    QTemporaryDir dir;
    QFile notAnObject(dir.filePath(QStringLiteral("array.json")));
    QVERIFY(notAnObject.open(QIODevice::WriteOnly));
    notAnObject.write("[1, 2]");
    notAnObject.close();
    QVERIFY(!document.loadFile(notAnObject.fileName(), &error));
    QVERIFY(error.endsWith(QLatin1String("must be a JSON object")));
    QVERIFY(!document.saveFile(QStringLiteral("/nonexistent/dir/out.json"), &error));
    QVERIFY(error.contains(QLatin1String("cannot write")));
}

QTEST_GUILESS_MAIN(TestCampaignDocument)
#include "tst_campaigndocument.moc"
