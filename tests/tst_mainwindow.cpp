// The window as a user drives it: the demo campaign on first start, Run / Stop through the actions (Ctrl+R,
// Esc), the Live, Compare and Export steps after a run, errors that block a run, the remembered layout and
// last campaign, and the themes. Campaigns run against in-process simulators (sim:// targets).
#include "app/campaignpage.h"
#include "app/comparemodel.h"
#include "app/comparepage.h"
#include "app/historymodel.h"
#include "app/historypage.h"
#include "app/livepage.h"
#include "app/mainwindow.h"
#include "app/metricsdialog.h"
#include "app/monitorfiguresmodel.h"
#include "app/monitorpage.h"
#include "app/runexporter.h"
#include "app/targettile.h"

#include "engine/runcontroller.h"
#include "exporter/metricsendpoint.h"
#include "history/runstore.h"
#include "sim/simprofile.h"
#include "sim/simserver.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

using namespace relaybench;

namespace {

QAction *action(const MainWindow &window, const char *name)
{
    return window.findChild<QAction *>(QLatin1String(name));
}

QString engineState(const MainWindow &window)
{
    return window.findChild<QLabel *>(QStringLiteral("engineState"))->text();
}

// The text of the error box the window shows (non-blocking), once it is there.
QString errorBoxText(const MainWindow &window)
{
    const auto *box = window.findChild<QMessageBox *>(QStringLiteral("errorBox"));
    return box ? box->text() : QString();
}

// GET /metrics from the window's exporter, with a plain socket (the server closes after answering).
QByteArray scrape(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray response;
    QElapsedTimer timer;
    timer.start();
    // The exporter answers on this thread's event loop: keep it turning while waiting.
    while (socket.state() != QAbstractSocket::UnconnectedState && timer.elapsed() < 10000) {
        QTest::qWait(10);
        response += socket.readAll();
    }
    response += socket.readAll();
    return response.mid(response.indexOf("\r\n\r\n") + 4);
}

double sampleValue(const QByteArray &text, const QByteArray &series)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toDouble();
    }
    return -1.0;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void firstStartShowsTheDemoCampaign();
    void runComparesAndExportsLikeTheCli();
    void stopMidRunKeepsEverythingMeasured();
    void closingDuringARunAsksAndKeepsResults();
    void invalidFieldBlocksRun();
    void missingKeyNamesTheTarget();
    void unreachableTargetIsNamed();
    void lastCampaignAndLayoutAreRemembered();
    void darkThemeRestylesCharts();
    void windowRecordsAndReopensItsRuns();
    void damagedHistoryNeverStopsARun();
    void windowRunsFeedThePrometheusExporter();
    void exporterThatCannotBindIsNamed();
    void monitorPageFollowsTheCampaign();

private:
    // A small campaign file in m_dir: `targets` is a JSON array text.
    QString writeCampaign(const QString &name, const QByteArray &targets, int requests, int concurrency = 4);

    std::unique_ptr<SimServer> m_sim; // the Simulator page's own simulator
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    QString error;
    auto profile = loadSimProfile(QStringLiteral("relay"), &error);
    QVERIFY2(profile, qPrintable(error));
    m_sim = std::make_unique<SimServer>(std::move(*profile), 1);
    QVERIFY2(m_sim->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(m_dir.isValid());
    // The run history and run folders of these tests, away from the user's.
    qputenv("RELAYBENCH_DATA_DIR", QFile::encodeName(m_dir.filePath(QStringLiteral("data"))));
}

void TestMainWindow::init()
{
    QSettings().clear(); // every test starts as a first start
}

QString TestMainWindow::writeCampaign(const QString &name, const QByteArray &targets, int requests, int concurrency)
{
    const QString path = m_dir.filePath(name + QStringLiteral(".json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("{\"name\": \"" + name.toUtf8() + "\", \"targets\": " + targets +
               ", \"load\": {\"mode\": \"closed\", \"concurrency\": " + QByteArray::number(concurrency) +
               ", \"requests\": " + QByteArray::number(requests) +
               "}, \"request\": {\"max_tokens\": 16, \"stream\": true}, \"timeouts\": {\"total_s\": 3}}\n");
    return path;
}

void TestMainWindow::firstStartShowsTheDemoCampaign()
{
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *pages = window.findChild<QTabWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget(), window.campaignPage());
    const std::optional<Campaign> demo = window.campaignPage()->campaign();
    QVERIFY(demo);
    QCOMPARE(demo->name, QStringLiteral("demo"));
    QCOMPARE(demo->targets.size(), 2);
    QVERIFY(demo->targets.at(0).isSimulated() && demo->targets.at(1).isSimulated());
    QCOMPARE(window.livePage()->campaign().name, QStringLiteral("demo")); // what Run would start
    QVERIFY(action(window, "actionRun")->isEnabled());
    QVERIFY(!action(window, "actionStop")->isEnabled());
    QVERIFY(!action(window, "actionExport")->isEnabled()); // nothing ran yet
    QCOMPARE(engineState(window), QStringLiteral("Idle"));
    QVERIFY(window.windowTitle().contains(QLatin1String("demo campaign")));
    for (const char *name : {"actionRun", "actionStop", "actionOpen", "actionSave", "actionExport"})
        QVERIFY2(!action(window, name)->shortcut().isEmpty(), name);
    QCOMPARE(action(window, "actionRun")->shortcut(), QKeySequence(QStringLiteral("Ctrl+R")));
    QCOMPARE(action(window, "actionExport")->shortcut(), QKeySequence(QStringLiteral("Ctrl+E")));
}

void TestMainWindow::runComparesAndExportsLikeTheCli()
{
    const QString path =
        writeCampaign(QStringLiteral("two-sims"),
                      R"([{"name": "relay", "base_url": "sim://relay", "model": "m", "price": "deepseek-chat"},
            {"name": "flaky", "base_url": "sim://flaky", "model": "m", "price": "gpt-4.1"}])",
                      30);
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(window.openCampaignFile(path));
    QSignalSpy finished(window.livePage(), &LivePage::runFinished);
    action(window, "actionRun")->trigger(); // Ctrl+R
    QTRY_VERIFY_WITH_TIMEOUT(window.livePage()->isRunning() || !finished.isEmpty(), 10000);
    QCOMPARE(window.findChild<QTabWidget *>(QStringLiteral("pages"))->currentWidget(), window.livePage());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toString(), QString());
    QCOMPARE(engineState(window), QStringLiteral("Idle"));

    // Tiles and charts got the run.
    QCOMPARE(window.livePage()->tile(0)->text(QStringLiteral("Done")), QStringLiteral("30 / 30"));
    const RunResult &run = window.livePage()->lastRun();
    QCOMPARE(run.live.targets.size(), 2);
    QVERIFY(run.live.targets.at(0).latencyMs.count() > 0);

    // Compare: one column per target, the run's figures.
    CompareModel *compare = window.comparePage()->model();
    QCOMPARE(compare->columnCount(), 2);
    const QJsonObject relay = run.summary.value(QLatin1String("targets")).toArray().at(0).toObject();
    QCOMPARE(compare->index(CompareModel::SuccessRate, 0).data(CompareModel::RawValueRole).toDouble(),
             relay.value(QLatin1String("success_rate")).toDouble());

    // Export: the CLI's files byte for byte, every chart, the report.
    QVERIFY(action(window, "actionExport")->isEnabled());
    const QString out = m_dir.filePath(QStringLiteral("export"));
    QVERIFY(QDir().mkpath(out));
    ExportOptions options;
    options.dir = out;
    options.chartsPng = true;
    options.chartsSvg = true;
    QStringList written;
    QString error;
    QVERIFY2(window.exportLastRun(options, {0, 1, 2, 3, 4}, &written, &error), qPrintable(error));
    QCOMPARE(readAll(QDir(out).filePath(QStringLiteral("requests.csv"))),
             readAll(QDir(run.folder).filePath(QStringLiteral("requests.csv"))));
    QCOMPARE(readAll(QDir(out).filePath(QStringLiteral("summary.json"))),
             readAll(QDir(run.folder).filePath(QStringLiteral("summary.json"))));
    QCOMPARE(written.size(), 2 + 5 * 2 + 1); // csv, json, 5 charts as PNG and SVG, report.html
    const QByteArray report = readAll(QDir(out).filePath(QStringLiteral("report.html")));
    QVERIFY(report.contains("flaky"));
    QCOMPARE(report.count("data:image/png;base64,"), 5);
}

void TestMainWindow::stopMidRunKeepsEverythingMeasured()
{
    // direct-peak answers in seconds: 2,000 requests would take minutes, so the run is stopped early.
    const QString path = writeCampaign(QStringLiteral("long"),
                                       R"([{"name": "slow", "base_url": "sim://direct-peak", "model": "m"}])", 2000, 8);
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(window.openCampaignFile(path));
    QSignalSpy finished(window.livePage(), &LivePage::runFinished);
    action(window, "actionRun")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.livePage()->isRunning() &&
                                 window.livePage()->controller()->snapshot().targets.first().attempts >= 8,
                             20000);
    QVERIFY(engineState(window).startsWith(QLatin1String("Running long")));
    QVERIFY(action(window, "actionStop")->isEnabled());
    action(window, "actionStop")->trigger(); // Esc
    QVERIFY(finished.wait(30000));
    const RunResult &run = window.livePage()->lastRun();
    QCOMPARE(run.summary.value(QLatin1String("stopped_early")).toBool(), true);
    const qint64 attempts = qint64(run.summary.value(QLatin1String("targets"))
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(QLatin1String("attempts"))
                                       .toDouble());
    QVERIFY(attempts >= 8);
    // Every attempt is a row of the run folder's requests.csv (in-flight ones as cancelled).
    const QList<QByteArray> rows =
        readAll(QDir(run.folder).filePath(QStringLiteral("requests.csv"))).trimmed().split('\n');
    QCOMPARE(qint64(rows.size() - 1), attempts);
    QVERIFY(QFileInfo::exists(QDir(run.folder).filePath(QStringLiteral("summary.json"))));
    QCOMPARE(window.comparePage()->model()->columnCount(), 1); // the stopped run is there to compare
}

void TestMainWindow::closingDuringARunAsksAndKeepsResults()
{
    const QString path = writeCampaign(QStringLiteral("closing"),
                                       R"([{"name": "slow", "base_url": "sim://direct-peak", "model": "m"}])", 2000, 8);
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(window.openCampaignFile(path));
    QSignalSpy finished(window.livePage(), &LivePage::runFinished);
    action(window, "actionRun")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.livePage()->isRunning() &&
                                 window.livePage()->controller()->snapshot().targets.first().attempts >= 4,
                             20000);
    // The question is modal: answer it from the event loop it runs, as a user would.
    QString question;
    QTimer::singleShot(200, this, [&question] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        question = box->text();
        box->button(QMessageBox::Yes)->click();
    });
    QVERIFY(!window.close()); // not yet: the run stops first
    QVERIFY2(question.contains(QLatin1String("Everything measured so far is kept")), qPrintable(question));
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY(!window.isVisible()); // then the window closes by itself
    const RunResult &run = window.livePage()->lastRun();
    QCOMPARE(run.summary.value(QLatin1String("stopped_early")).toBool(), true);
    QVERIFY(QFileInfo::exists(QDir(run.folder).filePath(QStringLiteral("summary.json"))));
    const qint64 attempts = qint64(run.summary.value(QLatin1String("targets"))
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(QLatin1String("attempts"))
                                       .toDouble());
    const QList<QByteArray> rows =
        readAll(QDir(run.folder).filePath(QStringLiteral("requests.csv"))).trimmed().split('\n');
    QCOMPARE(qint64(rows.size() - 1), attempts);
}

void TestMainWindow::invalidFieldBlocksRun()
{
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(window.campaignPage()->campaign());
    auto *concurrency = window.campaignPage()->findChild<QWidget *>(QStringLiteral("load.concurrency"));
    QVERIFY(concurrency);
    if (auto *edit = qobject_cast<QLineEdit *>(concurrency)) {
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("0"));
    } else if (auto *spin = qobject_cast<QSpinBox *>(concurrency)) {
        spin->setMinimum(0);
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("0"));
    } else {
        QFAIL("load.concurrency is neither a line edit nor a spin box");
    }
    QTRY_VERIFY(!window.campaignPage()->campaign());
    QVERIFY(!action(window, "actionRun")->isEnabled());
    QVERIFY(engineState(window).contains(QLatin1String("errors")));
    // The Live page's own Run button asks the window, which refuses and names the field.
    emit window.livePage()->runRequested();
    QTRY_VERIFY(errorBoxText(window).contains(QLatin1String("load.concurrency")));
    QVERIFY(!window.livePage()->isRunning());
    QCOMPARE(window.findChild<QTabWidget *>(QStringLiteral("pages"))->currentWidget(), window.campaignPage());
}

void TestMainWindow::missingKeyNamesTheTarget()
{
    const QString path = writeCampaign(QStringLiteral("needs-key"),
                                       R"([{"name": "prod-relay", "base_url": "sim://relay", "model": "m",
                                            "api_key_env": "RELAYBENCH_TEST_UNSET_KEY_VARIABLE"}])",
                                       1);
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(window.openCampaignFile(path));
    action(window, "actionRun")->trigger();
    QTRY_VERIFY(!errorBoxText(window).isEmpty());
    QVERIFY2(errorBoxText(window).contains(QLatin1String("prod-relay")) &&
                 errorBoxText(window).contains(QLatin1String("RELAYBENCH_TEST_UNSET_KEY_VARIABLE")),
             qPrintable(errorBoxText(window)));
    QVERIFY(!window.livePage()->isRunning());
    QTRY_VERIFY(action(window, "actionRun")->isEnabled());
}

void TestMainWindow::unreachableTargetIsNamed()
{
    // Port 1 on the loopback: connection refused at once.
    const QString path = writeCampaign(
        QStringLiteral("refused"), R"([{"name": "nowhere", "base_url": "http://127.0.0.1:1/v1", "model": "m"}])", 6, 2);
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(window.openCampaignFile(path));
    QSignalSpy finished(window.livePage(), &LivePage::runFinished);
    action(window, "actionRun")->trigger();
    QVERIFY(finished.wait(20000));
    QTRY_VERIFY(errorBoxText(window).contains(QLatin1String("\"nowhere\" could not be reached")));
}

void TestMainWindow::lastCampaignAndLayoutAreRemembered()
{
    const QString path =
        writeCampaign(QStringLiteral("remembered"), R"([{"name": "a", "base_url": "sim://relay", "model": "m"}])", 5);
    QList<int> sizes;
    {
        MainWindow window(m_sim.get());
        window.show();
        QVERIFY(window.openCampaignFile(path));
        auto *splitter = window.livePage()->findChild<QSplitter *>(QStringLiteral("splitter"));
        QVERIFY(splitter);
        splitter->setSizes({300, 300});
        sizes = splitter->sizes();
        QVERIFY(window.close());
    }
    MainWindow again(m_sim.get());
    again.show();
    QCOMPARE(again.campaignPage()->filePath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(again.campaignPage()->campaign()->name, QStringLiteral("remembered"));
    QCOMPARE(again.livePage()->findChild<QSplitter *>(QStringLiteral("splitter"))->sizes(), sizes);
}

void TestMainWindow::darkThemeRestylesCharts()
{
    MainWindow window(m_sim.get());
    window.show();
    auto *chart = window.livePage()->findChild<QChartView *>()->chart();
    action(window, "actionThemeDark")->trigger();
    QVERIFY(chart->backgroundBrush().color().lightness() < 100);
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
    action(window, "actionThemeLight")->trigger();
    QVERIFY(chart->backgroundBrush().color().lightness() > 200);
    action(window, "actionThemeSystem")->trigger();
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("system"));
}

void TestMainWindow::windowRecordsAndReopensItsRuns()
{
    const QString path = writeCampaign(QStringLiteral("recorded"),
                                       R"([{"name": "relay", "base_url": "sim://relay", "model": "m"},
            {"name": "flaky", "base_url": "sim://flaky", "model": "m"}])",
                                       20);
    MainWindow window(m_sim.get());
    window.show();
    QCOMPARE(action(window, "actionPageHistory")->shortcut(), QKeySequence(QStringLiteral("Ctrl+5")));
    QCOMPARE(action(window, "actionPageSimulator")->shortcut(), QKeySequence(QStringLiteral("Ctrl+6")));
    QVERIFY(window.openCampaignFile(path));
    QSignalSpy finished(window.livePage(), &LivePage::runFinished);
    QSignalSpy recorded(window.livePage(), &LivePage::runRecorded);
    action(window, "actionRun")->trigger();
    QVERIFY(finished.wait(60000));
    QVERIFY(!recorded.isEmpty() || recorded.wait(30000));
    QCOMPARE(recorded.first().at(1).toString(), QString());
    const qint64 runId = recorded.first().at(0).toLongLong();
    QVERIFY(runId > 0);
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("run %1").arg(runId)));
    // The History page lists it (it re-reads the list when a run is recorded), with the campaign as run.
    HistoryModel *runs = window.historyPage()->model();
    QTRY_VERIFY_WITH_TIMEOUT(runs->rowOf(runId) >= 0, 20000);
    const RecordedRun *listed = runs->run(runId);
    QCOMPARE(listed->campaignName, QStringLiteral("recorded"));
    QCOMPARE(listed->kind, QStringLiteral("campaign"));
    QCOMPARE(listed->campaignJson, readAll(path)); // the campaign file, as `relaybench run` stores it
    QCOMPARE(listed->summary, window.livePage()->lastRun().summary);
    action(window, "actionPageHistory")->trigger();
    QCOMPARE(window.findChild<QTabWidget *>(QStringLiteral("pages"))->currentWidget(), window.historyPage());

    // Help > About names the database and that it opened.
    const QString about = window.aboutText();
    QVERIFY2(about.contains(QDir::toNativeSeparators(RunStore::defaultPath())), qPrintable(about));
    QVERIFY2(about.contains(QLatin1String("opened")), qPrintable(about));

    // Open puts it on the Live run and Compare pages as if it had just finished.
    const QString doneBefore = window.livePage()->tile(1)->text(QStringLiteral("Latency p50/p95/p99"));
    window.comparePage()->clear();
    window.historyPage()->openRun(runId);
    QTRY_VERIFY_WITH_TIMEOUT(window.historyPage()->lastOpenMs() >= 0, 20000);
    QCOMPARE(window.findChild<QTabWidget *>(QStringLiteral("pages"))->currentWidget(), window.livePage());
    QCOMPARE(window.livePage()->tile(1)->text(QStringLiteral("Latency p50/p95/p99")), doneBefore);
    QCOMPARE(window.comparePage()->model()->columnCount(), 2);
    QVERIFY(!action(window, "actionExport")->isEnabled()); // no run folder: the History page exports it
}

void TestMainWindow::damagedHistoryNeverStopsARun()
{
    const QByteArray dataDir = qgetenv("RELAYBENCH_DATA_DIR");
    QTemporaryDir damaged;
    QFile garbage(damaged.filePath(QStringLiteral("history.sqlite")));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(8192, 'x'));
    garbage.close();
    qputenv("RELAYBENCH_DATA_DIR", QFile::encodeName(damaged.path()));
    const auto restore = qScopeGuard([&dataDir] { qputenv("RELAYBENCH_DATA_DIR", dataDir); });

    const QString path = writeCampaign(QStringLiteral("unrecorded"),
                                       R"([{"name": "relay", "base_url": "sim://relay", "model": "m"}])", 10);
    MainWindow window(m_sim.get());
    window.show();
    auto *banner = window.historyPage()->findChild<QLabel *>(QStringLiteral("errorBanner"));
    action(window, "actionPageHistory")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 20000);
    QVERIFY2(banner->text().contains(garbage.fileName()), qPrintable(banner->text()));
    QTRY_VERIFY(window.aboutText().contains(QLatin1String("could not be opened")));

    QVERIFY(window.openCampaignFile(path));
    QSignalSpy finished(window.livePage(), &LivePage::runFinished);
    QSignalSpy recorded(window.livePage(), &LivePage::runRecorded);
    action(window, "actionRun")->trigger();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toString(), QString()); // the run ran
    QCOMPARE(window.livePage()->tile(0)->text(QStringLiteral("Done")), QStringLiteral("10 / 10"));
    QVERIFY(!recorded.isEmpty() || recorded.wait(30000));
    QCOMPARE(recorded.first().at(0).toLongLong(), 0);
    const QString message = window.statusBar()->currentMessage();
    QVERIFY2(message.contains(QLatin1String("not recorded")) && message.contains(garbage.fileName()),
             qPrintable(message));
    QVERIFY(errorBoxText(window).isEmpty()); // a status message, not a dialog
    QCOMPARE(readAll(garbage.fileName()), QByteArray(8192, 'x'));
}

void TestMainWindow::windowRunsFeedThePrometheusExporter()
{
    MetricsServerSettings settings;
    settings.enabled = true;
    settings.port = 0; // a free port (the dialog offers 1-65535; tests must not collide)
    settings.save();
    const QString path = writeCampaign(
        QStringLiteral("exported"),
        R"([{"name": "relay", "base_url": "sim://relay", "model": "m"}, {"name": "flaky", "base_url": "sim://flaky", "model": "m"}])",
        20);
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(window.metricsEndpoint()->isListening());
    const auto *state = window.findChild<QLabel *>(QStringLiteral("metricsState"));
    QVERIFY(state->isVisible());
    QVERIFY(state->text().contains(window.metricsEndpoint()->address()));
    const quint16 port = QUrl(window.metricsEndpoint()->address()).port();

    QVERIFY(window.openCampaignFile(path));
    QSignalSpy finished(window.livePage(), &LivePage::runFinished);
    action(window, "actionRun")->trigger();
    QVERIFY(finished.wait(60000));

    // The exporter's counts are the run's requests.csv rows, per target and outcome.
    const QList<QByteArray> rows =
        readAll(QDir(window.livePage()->lastRun().folder).filePath(QStringLiteral("requests.csv")))
            .trimmed()
            .split('\n');
    const QList<QByteArray> header = rows.first().split(',');
    const qsizetype targetColumn = header.indexOf("target");
    const qsizetype outcomeColumn = header.indexOf("outcome");
    QHash<QByteArray, int> counts;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QList<QByteArray> cells = rows.at(i).split(',');
        ++counts[cells.value(targetColumn) + '/' + cells.value(outcomeColumn)];
    }
    const QByteArray metrics = scrape(port);
    QVERIFY2(metrics.contains("relaybench_requests_total"), metrics.left(300).constData());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const QList<QByteArray> parts = it.key().split('/');
        const QByteArray series =
            "relaybench_requests_total{target=\"" + parts.at(0) + "\",outcome=\"" + parts.at(1) + "\"}";
        QCOMPARE(sampleValue(metrics, series), double(it.value()));
    }
    QCOMPARE(sampleValue(metrics, "relaybench_in_flight{target=\"relay\"}"), 0.0);

    // Turning it off stops serving, and is remembered.
    MetricsServerSettings off = settings;
    off.enabled = false;
    QVERIFY(window.applyMetricsSettings(off));
    QVERIFY(!window.metricsEndpoint()->isListening());
    QVERIFY(!state->isVisible());
    QVERIFY(!MetricsServerSettings::load().enabled);
}

void TestMainWindow::exporterThatCannotBindIsNamed()
{
    MainWindow window(m_sim.get());
    window.show();
    MetricsServerSettings settings;
    settings.enabled = true;
    settings.host = QStringLiteral("metrics.invalid");
    QVERIFY(!window.applyMetricsSettings(settings));
    QTRY_VERIFY(errorBoxText(window).contains(QLatin1String("\"metrics.invalid\" is not an IP address")));
    QVERIFY(!window.metricsEndpoint()->isListening());
    QVERIFY(!window.findChild<QLabel *>(QStringLiteral("metricsState"))->isVisible());
}

void TestMainWindow::monitorPageFollowsTheCampaign()
{
    const QString path =
        writeCampaign(QStringLiteral("watched"), R"([{"name": "relay", "base_url": "sim://relay", "model": "m"}])", 5);
    MainWindow window(m_sim.get());
    window.show();
    QVERIFY(window.openCampaignFile(path));
    action(window, "actionPageMonitor")->trigger(); // Ctrl+7
    auto *pages = window.findChild<QTabWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget(), window.monitorPage());
    QCOMPARE(action(window, "actionPageMonitor")->shortcut(), QKeySequence(QStringLiteral("Ctrl+7")));
    QCOMPARE(window.monitorPage()->figuresModel()->rowCount(), 3); // one target: its 5 min, 1 h and 24 h rows
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
