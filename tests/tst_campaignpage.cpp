#include "app/campaignpage.h"
#include "app/targetsmodel.h"
#include "secrets/apikeyresolver.h"
#include "secrets/keychainstore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace relaybench;

// The Campaign page. The keychain tests need a Secret Service: tests/scripts/with-secret-service.sh starts
// one (its own D-Bus session and an unlocked GNOME Keyring) and sets RELAYBENCH_SECRET_SERVICE=1; the plain
// ctest entry points D-Bus nowhere, so the page must say that there is no keychain.
class TestCampaignPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void demoLoadsWithTwoTargets();
    void invalidFieldShowsItsErrorBesideIt_data();
    void invalidFieldShowsItsErrorBesideIt();
    void targetErrorsShowInTheTable();
    void targetsCanBeAddedAndRemoved();
    void saveThenOpenRoundTrips();
    void promptsFileIsShownReadOnly();
    void tlsOptOutIsAVisibleWarning();
    void confirmRunAsksAboveTheThreshold();
    void keysFromTheEnvironment();
    void keyWithoutKeychainIsAClearError();
    void keyInTheKeychainNeverReachesTheFile();

private:
    static bool haveSecretService() { return qEnvironmentVariableIsSet("RELAYBENCH_SECRET_SERVICE"); }
};

namespace {

QLineEdit *fieldEdit(CampaignPage &page, const QString &path)
{
    return page.findChild<QLineEdit *>(path);
}

QLabel *fieldError(CampaignPage &page, const QString &path)
{
    return page.findChild<QLabel *>(path + QStringLiteral(".error"));
}

TargetsModel *targetsOf(CampaignPage &page)
{
    return qobject_cast<TargetsModel *>(page.findChild<QTableView *>(QStringLiteral("targetsView"))->model());
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
}

struct Resolution
{
    QStringList keys;
    QString error;
    bool done = false;
};

Resolution resolveKeys(const Campaign &campaign)
{
    ApiKeyResolver resolver;
    Resolution result;
    QObject::connect(&resolver, &ApiKeyResolver::resolved, &resolver, [&](const QStringList &keys) {
        result.keys = keys;
        result.done = true;
    });
    QObject::connect(&resolver, &ApiKeyResolver::failed, &resolver, [&](const QString &error) {
        result.error = error;
        result.done = true;
    });
    resolver.resolve(campaign);
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(result.done, 30000);
    }();
    return result;
}

} // namespace

void TestCampaignPage::initTestCase()
{
    QSettings().setValue(QStringLiteral("campaign/confirmAboveUsd"), 1.0);
}

void TestCampaignPage::demoLoadsWithTwoTargets()
{
    CampaignPage page;
    QAbstractItemModelTester tester(targetsOf(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(page.filePath().isEmpty());
    QVERIFY(!page.isModified());
    QVERIFY2(page.errors().isEmpty(), qPrintable(page.errors().join(QLatin1Char('\n'))));
    QVERIFY(page.campaign());
    QCOMPARE(page.campaign()->targets.size(), 2);
    QCOMPARE(targetsOf(page)->rowCount(), 2);
    QCOMPARE(targetsOf(page)->index(1, TargetsModel::BaseUrl).data().toString(), QStringLiteral("sim://direct-peak"));
    QCOMPARE(targetsOf(page)->index(0, TargetsModel::KeySource).data().toString(), QStringLiteral("none"));
    QCOMPARE(fieldEdit(page, QStringLiteral("load.concurrency"))->text(), QStringLiteral("8"));
    QCOMPARE(page.estimate().requests, 200);
    QVERIFY(page.estimate().text.startsWith(QLatin1String("200 requests to 2 targets, at most $")));
    QVERIFY(page.findChild<QLabel *>(QStringLiteral("estimateLabel"))->text() == page.estimate().text);
    // Every field explains itself.
    const auto edits = page.findChildren<QLineEdit *>();
    QVERIFY(edits.size() > 20);
    for (const QLineEdit *edit : edits)
        if (edit->objectName().contains(QLatin1Char('.')))
            QVERIFY2(!edit->toolTip().isEmpty(), qPrintable(edit->objectName()));
}

void TestCampaignPage::invalidFieldShowsItsErrorBesideIt_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("bad");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("good");
    QTest::addRow("concurrency 0") << "load.concurrency"
                                   << "0"
                                   << "must be an integer >= 1, got 0"
                                   << "4";
    QTest::addRow("concurrency a word") << "load.concurrency"
                                        << "eight"
                                        << "must be an integer >= 1, got \"eight\""
                                        << "";
    QTest::addRow("negative timeout") << "timeouts.total_s"
                                      << "-1"
                                      << "must be a number between 0.001 and 86400"
                                      << "30";
    QTest::addRow("jitter above 1") << "retry.jitter"
                                    << "2"
                                    << "must be a number between 0 and 1"
                                    << "0.1";
    QTest::addRow("unknown outcome") << "retry.on"
                                     << "timeout, nope"
                                     << "[1]: must be a retryable outcome"
                                     << "timeout";
}

void TestCampaignPage::invalidFieldShowsItsErrorBesideIt()
{
    QFETCH(QString, path);
    QFETCH(QString, bad);
    QFETCH(QString, problem);
    QFETCH(QString, good);
    CampaignPage page;
    QSignalSpy validity(&page, &CampaignPage::validityChanged);
    QLineEdit *edit = fieldEdit(page, path);
    QLabel *error = fieldError(page, path);
    QVERIFY(edit && error);
    QVERIFY(error->isHidden());

    typeInto(edit, bad);
    QVERIFY(!error->isHidden());
    QVERIFY2(error->text().startsWith(problem), qPrintable(error->text()));
    QVERIFY(!edit->styleSheet().isEmpty()); // outlined
    QVERIFY(!page.campaign());
    QVERIFY(page.isModified());
    QCOMPARE(page.errors().size(), 1);
    QVERIFY(page.errors().first().contains(path.section(QLatin1Char('.'), 0, 0)));
    QVERIFY(!validity.isEmpty());
    QCOMPARE(validity.last().first().toBool(), false);

    typeInto(edit, good); // "" goes back to the default
    QVERIFY(error->isHidden());
    QVERIFY(edit->styleSheet().isEmpty());
    QVERIFY(page.campaign());
    QCOMPARE(validity.last().first().toBool(), true);
}

void TestCampaignPage::targetErrorsShowInTheTable()
{
    CampaignPage page;
    TargetsModel *model = targetsOf(page);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex url = model->index(1, TargetsModel::BaseUrl);
    QVERIFY(model->setData(url, QStringLiteral("ftp://example.com")));
    QVERIFY(!page.campaign());
    QVERIFY(url.data(Qt::ToolTipRole).toString().startsWith(QLatin1String("must be an http:// or https:// URL")));
    QVERIFY(url.data(Qt::ForegroundRole).isValid());
    QVERIFY(!model->index(0, TargetsModel::BaseUrl).data(Qt::ForegroundRole).isValid());

    QVERIFY(model->setData(url, QStringLiteral("https://api.example.com/v1")));
    QVERIFY(page.campaign());
    QVERIFY(!url.data(Qt::ForegroundRole).isValid());
    QCOMPARE(page.campaign()->targets.at(1).baseUrl, QStringLiteral("https://api.example.com/v1"));

    // The key column names the variable; typing one sets api_key_env.
    const QModelIndex key = model->index(0, TargetsModel::KeySource);
    QVERIFY(model->setData(key, QStringLiteral("RELAY_API_KEY")));
    QCOMPARE(key.data().toString(), QStringLiteral("env RELAY_API_KEY"));
    QCOMPARE(page.campaign()->targets.at(0).apiKeyEnv, QStringLiteral("RELAY_API_KEY"));
    QVERIFY(model->setData(key, QStringLiteral("not a variable!")));
    QVERIFY(!page.campaign());
    QVERIFY(key.data(Qt::ToolTipRole).toString().contains(QLatin1String("api_key_env")));
    QVERIFY(model->setData(key, QString()));
    QCOMPARE(key.data().toString(), QStringLiteral("none"));

    // Price: a catalogue id, or none.
    const QModelIndex price = model->index(0, TargetsModel::Price);
    QVERIFY(model->setData(price, QStringLiteral("gpt-4.1")));
    QVERIFY(page.campaign()->targets.at(0).price.has_value());
    QVERIFY(model->setData(price, QString()));
    QVERIFY(!page.campaign()->targets.at(0).price.has_value());
    QCOMPARE(price.data().toString(), QStringLiteral("none"));
}

void TestCampaignPage::targetsCanBeAddedAndRemoved()
{
    CampaignPage page;
    TargetsModel *model = targetsOf(page);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *view = page.findChild<QTableView *>(QStringLiteral("targetsView"));
    view->setCurrentIndex(model->index(0, 0));
    page.findChild<QPushButton *>(QStringLiteral("addTargetButton"))->click();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->index(2, TargetsModel::Name).data().toString(), QStringLiteral("relay-2"));
    QVERIFY(page.campaign()); // names stay unique
    QCOMPARE(page.estimate().requests, 300);
    page.findChild<QPushButton *>(QStringLiteral("moveUpButton"))->click();
    QCOMPARE(model->index(1, TargetsModel::Name).data().toString(), QStringLiteral("relay-2"));
    page.findChild<QPushButton *>(QStringLiteral("removeTargetButton"))->click();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(page.campaign()->targets.at(1).name, QStringLiteral("direct-peak"));
}

void TestCampaignPage::saveThenOpenRoundTrips()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mine.json"));
    QString error;
    {
        CampaignPage page;
        typeInto(fieldEdit(page, QStringLiteral("load.concurrency")), QStringLiteral("3"));
        typeInto(fieldEdit(page, QStringLiteral("budget.max_cost_usd")), QStringLiteral("0.5"));
        QVERIFY(page.isModified());
        QVERIFY2(page.saveFile(path, &error), qPrintable(error));
        QVERIFY(!page.isModified());
        QCOMPARE(page.filePath(), path);
    }
    CampaignPage reopened;
    QVERIFY2(reopened.openFile(path, &error), qPrintable(error));
    QCOMPARE(reopened.filePath(), path);
    QVERIFY(reopened.campaign());
    QCOMPARE(reopened.campaign()->load.concurrency, 3);
    QCOMPARE(reopened.campaign()->maxCostUsd, 0.5);
    QCOMPARE(fieldEdit(reopened, QStringLiteral("load.concurrency"))->text(), QStringLiteral("3"));
    // Everything else is the demo as it was.
    QFile demo(QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/demo.json"));
    QFile saved(path);
    QVERIFY(demo.open(QIODevice::ReadOnly) && saved.open(QIODevice::ReadOnly));
    QJsonObject expected = QJsonDocument::fromJson(demo.readAll()).object();
    QJsonObject load = expected.value(QLatin1String("load")).toObject();
    load.insert(QStringLiteral("concurrency"), 3);
    expected.insert(QStringLiteral("load"), load);
    expected.insert(QStringLiteral("budget"), QJsonObject{{QStringLiteral("max_cost_usd"), 0.5}});
    QCOMPARE(QJsonDocument::fromJson(saved.readAll()).object(), expected);
}

void TestCampaignPage::promptsFileIsShownReadOnly()
{
    CampaignPage page;
    QString error;
    QVERIFY(page.openFile(QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/relay-vs-direct.json"), &error));
    QVERIFY2(page.campaign(), qPrintable(page.errors().join(QLatin1Char('\n'))));
    const QLabel *source = page.findChild<QLabel *>(QStringLiteral("promptSource"));
    QVERIFY(!source->isHidden());
    QVERIFY(source->text().contains(QLatin1String("prompts.jsonl")));
    QCOMPARE(targetsOf(page)->index(1, TargetsModel::KeySource).data().toString(), QStringLiteral("env RELAY_API_KEY"));
    // Open loop at 2/s with a 10 s ramp and 205 requests per target.
    QVERIFY2(page.estimate().text.startsWith(QLatin1String("410 requests to 2 targets")),
             qPrintable(page.estimate().text));
    QVERIFY(page.estimate().durationS > 100.0 && page.estimate().durationS < 110.0);
}

void TestCampaignPage::tlsOptOutIsAVisibleWarning()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("insecure.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"name": "insecure", "targets": [{"name": "lab", "base_url": "https://127.0.0.1:8443/v1",
                   "model": "m", "tls_verify": false}], "load": {"requests": 1}})");
    file.close();
    CampaignPage page;
    const QLabel *warnings = page.findChild<QLabel *>(QStringLiteral("warningsLabel"));
    QVERIFY(warnings->isHidden()); // the demo campaign has nothing to warn about
    QString error;
    QVERIFY2(page.openFile(path, &error), qPrintable(error));
    QVERIFY(page.campaign()); // a warning never blocks Run
    QVERIFY(!warnings->isHidden());
    QVERIFY2(warnings->text().contains(QLatin1String("tls_verify")) &&
                 warnings->text().contains(QLatin1String("\"lab\"")),
             qPrintable(warnings->text()));
}

void TestCampaignPage::confirmRunAsksAboveTheThreshold()
{
    CampaignPage page;
    QVERIFY(page.estimate().maxCostUsd > 0.0 && page.estimate().maxCostUsd < 1.0);
    QVERIFY(page.confirmRun()); // below $1.00: no question

    auto *threshold = page.findChild<QDoubleSpinBox *>(QStringLiteral("confirmAboveSpin"));
    threshold->setValue(0.0);
    QCOMPARE(QSettings().value(QStringLiteral("campaign/confirmAboveUsd")).toDouble(), 0.0);
    QString asked;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            asked = box->text();
            box->button(QMessageBox::No)->click();
        }
    });
    answer.start();
    QVERIFY(!page.confirmRun());
    QVERIFY2(asked.contains(page.estimate().text), qPrintable(asked));
    threshold->setValue(1.0);
}

void TestCampaignPage::keysFromTheEnvironment()
{
    CampaignPage page;
    TargetsModel *model = targetsOf(page);
    qputenv("RELAYBENCH_TEST_KEY_A", "sk-env-secret");
    QVERIFY(model->setData(model->index(0, TargetsModel::KeySource), QStringLiteral("RELAYBENCH_TEST_KEY_A")));
    Resolution result = resolveKeys(*page.campaign());
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.keys, (QStringList{QStringLiteral("sk-env-secret"), QString()}));

    // The same words as `relaybench run`.
    QVERIFY(model->setData(model->index(1, TargetsModel::KeySource), QStringLiteral("RELAYBENCH_TEST_UNSET")));
    result = resolveKeys(*page.campaign());
    QCOMPARE(result.error, QStringLiteral("target \"direct-peak\": the environment variable RELAYBENCH_TEST_UNSET "
                                          "(api_key_env) is not set; nothing was sent"));
}

void TestCampaignPage::keyWithoutKeychainIsAClearError()
{
    if (haveSecretService())
        QSKIP("a Secret Service is running (this checks the page without one)");
    CampaignPage page;
    QSignalSpy stored(&page, &CampaignPage::keyStored);
    page.storeKey(0, QStringLiteral("sk-never-stored"));
    QVERIFY(stored.wait(30000));
    const QString error = stored.first().at(1).toString();
    QVERIFY2(error.startsWith(QLatin1String("no system keychain is available")), qPrintable(error));
    QVERIFY(!error.contains(QLatin1String("sk-never-stored")));
    const QString status = page.findChild<QLabel *>(QStringLiteral("keyStatusLabel"))->text();
    QVERIFY2(status.contains(QLatin1String("api_key_env")), qPrintable(status));
    QCOMPARE(targetsOf(page)->index(0, TargetsModel::KeySource).data().toString(), QStringLiteral("none"));

    Campaign campaign = *page.campaign();
    campaign.targets[0].apiKeyKeychain = QStringLiteral("demo/relay");
    const Resolution result = resolveKeys(campaign);
    QVERIFY2(result.error.startsWith(QLatin1String("target \"relay\": api_key_keychain \"demo/relay\": ")),
             qPrintable(result.error));
    QVERIFY(result.error.contains(QLatin1String("no system keychain is available")));
    QVERIFY(result.error.endsWith(QLatin1String("; nothing was sent")));
    qInfo("without a keychain: %s", qPrintable(result.error));
}

void TestCampaignPage::keyInTheKeychainNeverReachesTheFile()
{
    if (!haveSecretService())
        QSKIP("needs a Secret Service: run through tests/scripts/with-secret-service.sh (ctest "
              "tst_campaignpage_keychain)");
    const QString secret = QStringLiteral("sk-keychain-test-4f9a2c");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("keyed.json"));
    CampaignPage page;
    QSignalSpy stored(&page, &CampaignPage::keyStored);
    page.storeKey(0, secret);
    QVERIFY(stored.wait(30000));
    QCOMPARE(stored.first().at(1).toString(), QString());
    QCOMPARE(targetsOf(page)->index(0, TargetsModel::KeySource).data().toString(),
             QStringLiteral("keychain: demo/relay"));
    QString error;
    QVERIFY(page.saveFile(path, &error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray onDisk = file.readAll();
    QVERIFY(!onDisk.contains(secret.toUtf8()));
    QVERIFY(onDisk.contains("\"api_key_keychain\": \"demo/relay\""));

    const Resolution result = resolveKeys(*page.campaign());
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.keys, (QStringList{secret, QString()}));

    // A missing entry names the target and the entry.
    Campaign missing = *page.campaign();
    missing.targets[1].apiKeyKeychain = QStringLiteral("demo/nobody");
    const Resolution failed = resolveKeys(missing);
    QVERIFY2(failed.error.startsWith(QLatin1String("target \"direct-peak\": api_key_keychain \"demo/nobody\": ")),
             qPrintable(failed.error));
    QVERIFY(!failed.error.contains(secret));

    KeychainStore store;
    QSignalSpy removed(&store, &KeychainStore::removed);
    store.remove(QStringLiteral("demo/relay"));
    QVERIFY(removed.wait(30000));
    QCOMPARE(removed.first().at(1).toString(), QString());
}

QTEST_MAIN(TestCampaignPage)
#include "tst_campaignpage.moc"
