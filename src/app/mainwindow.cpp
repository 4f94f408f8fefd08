#include "mainwindow.h"

#include "campaignpage.h"
#include "chartstyle.h"
#include "comparemodel.h"
#include "comparepage.h"
#include "costpage.h"
#include "distributionchart.h"
#include "exportdialog.h"
#include "historymodel.h"
#include "historypage.h"
#include "livepage.h"
#include "metricsdialog.h"
#include "monitorpage.h"
#include "runexporter.h"
#include "simulatorpage.h"
#include "theme.h"
#include "ui_mainwindow.h"

#include "engine/runcontroller.h"
#include "exporter/metricsendpoint.h"
#include "secrets/apikeyresolver.h"
#include "sim/simserver.h"
#include "util/datadirectory.h"

#include <QActionGroup>
#include <QChartView>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>

namespace relaybench {

namespace {

const QString lastCampaignKey = QStringLiteral("campaign/lastFile");
const QString themeKey = QStringLiteral("view/theme");

} // namespace

MainWindow::MainWindow(SimServer *demoSimulator, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_simulator(demoSimulator)
    , m_campaignPage(new CampaignPage(this))
    , m_livePage(new LivePage(this))
    , m_comparePage(new ComparePage(this))
    , m_costPage(new CostPage(this))
    , m_historyPage(new HistoryPage(QString(), this))
    , m_simulatorPage(new SimulatorPage(demoSimulator, this))
    , m_monitorPage(new MonitorPage(this))
    , m_metrics(std::make_unique<MetricsEndpoint>())
    , m_metricsState(new QLabel(this))
    , m_themes(new QActionGroup(this))
    , m_engineState(new QLabel(this))
    , m_simulatorState(new QLabel(this))
{
    m_ui->setupUi(this);
    m_ui->pages->addTab(m_campaignPage, tr("Campaign"));
    m_ui->pages->addTab(m_livePage, tr("Live run"));
    m_ui->pages->addTab(m_comparePage, tr("Compare"));
    m_ui->pages->addTab(m_costPage, tr("Cost"));
    m_ui->pages->addTab(m_historyPage, tr("History"));
    m_ui->pages->addTab(m_simulatorPage, tr("Simulator"));
    m_ui->pages->addTab(m_monitorPage, tr("Monitor"));
    m_engineState->setObjectName(QStringLiteral("engineState"));
    statusBar()->addPermanentWidget(m_engineState);
    m_simulatorState->setObjectName(QStringLiteral("simulatorState"));
    m_simulatorState->setToolTip(tr("The Simulator page's simulator, for your own clients"));
    statusBar()->addPermanentWidget(m_simulatorState);
    m_metricsState->setObjectName(QStringLiteral("metricsState"));
    statusBar()->addPermanentWidget(m_metricsState);
    m_metricsState->hide();
    m_livePage->setMetricsEndpoint(m_metrics.get());
    m_monitorPage->setMetricsRegistry(m_metrics->registry());
    setUpMenus();

    connect(m_campaignPage, &CampaignPage::campaignChanged, this, &MainWindow::onCampaignChanged);
    connect(m_livePage, &LivePage::runRequested, this, &MainWindow::requestRun);
    connect(m_livePage, &LivePage::runStarted, this, &MainWindow::updateStatus);
    connect(m_livePage, &LivePage::runFinished, this, &MainWindow::onRunFinished);
    connect(m_livePage, &LivePage::targetUnreachable, this, &MainWindow::onTargetUnreachable);
    connect(m_livePage, &LivePage::runRecorded, this, &MainWindow::onRunRecorded);
    connect(m_historyPage, &HistoryPage::runOpened, this, &MainWindow::showStoredRun);
    connect(m_historyPage, &HistoryPage::failed, this, &MainWindow::showError);
    connect(m_simulatorPage, &SimulatorPage::profileChanged, this, &MainWindow::updateStatus);
    m_statusTimer.setInterval(500);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);

    openLastOrDemoCampaign();
    restoreLayout();
    updateStatus();
    if (const MetricsServerSettings metrics = MetricsServerSettings::load(); metrics.enabled)
        applyMetricsSettings(metrics);
}

MainWindow::~MainWindow()
{
    // Child widgets would outlive the members: the pages whose runs feed the exporter go before it does.
    delete m_monitorPage;
    delete m_livePage;
}

void MainWindow::setUpMenus()
{
    connect(m_ui->actionOpen, &QAction::triggered, this, &MainWindow::openCampaign);
    connect(m_ui->actionSave, &QAction::triggered, this, [this] { saveCampaign(false); });
    connect(m_ui->actionSaveAs, &QAction::triggered, this, [this] { saveCampaign(true); });
    connect(m_ui->actionExport, &QAction::triggered, this, &MainWindow::exportRun);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionRun, &QAction::triggered, this, &MainWindow::requestRun);
    connect(m_ui->actionStop, &QAction::triggered, m_livePage, &LivePage::stopRun);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionMetrics, &QAction::triggered, this, &MainWindow::editMetricsSettings);
    const QList<QPair<QAction *, QWidget *>> pages = {
        {m_ui->actionPageCampaign, m_campaignPage}, {m_ui->actionPageLive, m_livePage},
        {m_ui->actionPageCompare, m_comparePage},   {m_ui->actionPageCost, m_costPage},
        {m_ui->actionPageHistory, m_historyPage},   {m_ui->actionPageSimulator, m_simulatorPage},
        {m_ui->actionPageMonitor, m_monitorPage}};
    for (const auto &[pageAction, page] : pages)
        connect(pageAction, &QAction::triggered, this, [this, page = page] { m_ui->pages->setCurrentWidget(page); });

    const QList<QPair<QAction *, Theme>> themes = {{m_ui->actionThemeSystem, Theme::System},
                                                   {m_ui->actionThemeLight, Theme::Light},
                                                   {m_ui->actionThemeDark, Theme::Dark}};
    const Theme saved = themeFromName(QSettings().value(themeKey).toString());
    for (const auto &[action, theme] : themes) {
        m_themes->addAction(action);
        action->setData(int(theme));
        action->setChecked(theme == saved);
        connect(action, &QAction::triggered, this, [this, theme = theme] { setTheme(int(theme)); });
    }
    if (saved != Theme::System)
        applyTheme(saved);
}

void MainWindow::openLastOrDemoCampaign()
{
    const QString last = QSettings().value(lastCampaignKey).toString();
    if (!last.isEmpty() && QFileInfo::exists(last)) {
        QString error;
        if (m_campaignPage->openFile(last, &error))
            return;
        statusBar()->showMessage(
            tr("The last campaign could not be opened (%1); the demo campaign is loaded.").arg(error), 15000);
    }
    m_campaignPage->loadDemo();
}

void MainWindow::openCampaign()
{
    const QString start = QFileInfo(m_campaignPage->filePath()).absolutePath();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open campaign"), start, tr("Campaign files (*.json);;All files (*)"));
    if (!path.isEmpty())
        openCampaignFile(path);
}

bool MainWindow::openCampaignFile(const QString &path)
{
    QString error;
    if (!m_campaignPage->openFile(path, &error)) {
        showError(tr("Open campaign"), error);
        return false;
    }
    QSettings().setValue(lastCampaignKey, QFileInfo(path).absoluteFilePath());
    m_ui->pages->setCurrentWidget(m_campaignPage);
    onCampaignChanged();
    return true;
}

bool MainWindow::saveCampaign(bool askForPath)
{
    QString path = m_campaignPage->filePath();
    if (askForPath || path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Save campaign"), path, tr("Campaign files (*.json)"));
        if (path.isEmpty())
            return false;
        if (!path.endsWith(QLatin1String(".json")))
            path += QLatin1String(".json");
    }
    return saveCampaignTo(path);
}

bool MainWindow::saveCampaignTo(const QString &path)
{
    QString error;
    if (!m_campaignPage->saveFile(path, &error)) {
        showError(tr("Save campaign"), error);
        return false;
    }
    QSettings().setValue(lastCampaignKey, QFileInfo(path).absoluteFilePath());
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    updateTitle();
    return true;
}

void MainWindow::onCampaignChanged()
{
    // The Live page always shows the campaign Run would start; a run in progress keeps its own.
    if (const std::optional<Campaign> campaign = m_campaignPage->campaign()) {
        if (!m_livePage->isRunning())
            m_livePage->setCampaign(*campaign, campaignJson());
        m_monitorPage->setCampaign(*campaign); // ignored while monitoring: the monitor keeps its targets
    }
    updateTitle();
    updateStatus();
}

void MainWindow::requestRun()
{
    if (m_livePage->isRunning() || m_keys)
        return;
    const std::optional<Campaign> campaign = m_campaignPage->campaign();
    if (!campaign) {
        m_ui->pages->setCurrentWidget(m_campaignPage);
        showError(tr("The campaign has errors"),
                  tr("Fix these before running:\n%1").arg(m_campaignPage->errors().join(QLatin1Char('\n'))));
        return;
    }
    if (!m_campaignPage->confirmRun())
        return;
    m_livePage->setCampaign(*campaign, campaignJson());
    m_ui->pages->setCurrentWidget(m_livePage);
    // Keys from the keychain arrive asynchronously; the window stays responsive meanwhile.
    m_keys = std::make_unique<ApiKeyResolver>();
    connect(m_keys.get(), &ApiKeyResolver::resolved, this, [this](const QStringList &keys) {
        m_keys.release()->deleteLater(); // we are inside its signal
        startWithKeys(keys);
    });
    connect(m_keys.get(), &ApiKeyResolver::failed, this, [this](const QString &error) {
        m_keys.release()->deleteLater();
        showError(tr("The run could not start"), error);
        updateStatus();
    });
    updateStatus();
    m_keys->resolve(*campaign);
}

void MainWindow::startWithKeys(const QStringList &keys)
{
    QString error;
    if (!m_livePage->startRun(keys, &error))
        showError(tr("The run could not start"), error);
    updateStatus();
}

void MainWindow::onRunFinished(const QString &error)
{
    updateStatus();
    if (!m_livePage->lastRun().isEmpty()) {
        m_comparePage->setRun(m_livePage->lastRun());
        m_costPage->setMeasuredRun(m_livePage->lastRun()); // "Use measured workload"
    }
    if (m_closeAfterRun) {
        close();
        return;
    }
    if (!error.isEmpty())
        showError(tr("The run could not start"), error);
}

QByteArray MainWindow::campaignJson() const
{
    // What the history stores with the run to reopen it: the campaign file as `relaybench run` would read it
    // (keys are never in it). Edits not saved yet are not in it: the Campaign page does not hand out the
    // JSON of the document it edits.
    const QString path = m_campaignPage->filePath();
    QFile file(path.isEmpty() ? QStringLiteral(":/relaybench/examples/demo.json") : path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void MainWindow::onRunRecorded(qint64 runId, const QString &error)
{
    if (!error.isEmpty()) {
        // The run itself is complete in its folder: the history is a convenience, never a reason to fail.
        statusBar()->showMessage(tr("This run was not recorded in the history: %1").arg(error), 30000);
        return;
    }
    statusBar()->showMessage(tr("Run recorded in the history as run %1").arg(runId), 10000);
    m_historyPage->refresh();
}

void MainWindow::showStoredRun(qint64 runId, const RunResult &run)
{
    if (!m_livePage->showStoredRun(run)) {
        showError(tr("Open run %1").arg(runId),
                  tr("A run is in progress: stop it (Esc) or wait for it to end, then open the run again."));
        return;
    }
    m_comparePage->setRun(run);
    m_costPage->setMeasuredRun(run);
    m_ui->pages->setCurrentWidget(m_livePage);
    updateStatus();
}

void MainWindow::onTargetUnreachable(const QString &target, const QString &message)
{
    showError(tr("A target is unreachable"),
              tr("Target \"%1\" could not be reached: %2\n\nCheck its base URL and that the server is up. The run "
                 "goes on; Stop ends it and keeps what was measured.")
                  .arg(target, message));
}

void MainWindow::showError(const QString &title, const QString &text)
{
    // Window-modal, not blocking: the engine's results keep arriving behind it, and tests can read it.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->open();
}

void MainWindow::exportRun()
{
    if (m_livePage->lastRun().isEmpty() || m_livePage->lastRun().folder.isEmpty()) {
        showError(tr("Export"), tr("There is no finished run to export yet: press Run (Ctrl+R) first."));
        return;
    }
    QStringList titles;
    for (const auto &chart : m_livePage->charts())
        titles.append(chart.first);
    titles.append(tr("Latency distributions (Compare)"));
    ExportDialog dialog(titles, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QStringList written;
    QString error;
    if (!exportLastRun(dialog.options(), dialog.selectedCharts(), &written, &error)) {
        showError(tr("Export"), error);
        return;
    }
    statusBar()->showMessage(
        tr("Exported %1 file(s) to %2").arg(written.size()).arg(QDir::toNativeSeparators(dialog.options().dir)), 10000);
}

bool MainWindow::exportLastRun(const ExportOptions &options, const QList<int> &charts, QStringList *written,
                               QString *error)
{
    QList<QPair<QString, QChartView *>> all = m_livePage->charts();
    all.append(qMakePair(tr("Latency distributions"), static_cast<QChartView *>(m_comparePage->distributionChart())));
    QList<NamedChart> selected;
    for (int index : charts)
        if (index >= 0 && index < all.size())
            selected.append({all.at(index).first, all.at(index).second});
    return RunExporter::exportRun(m_livePage->lastRun(), options, selected, m_comparePage->model()->toHtmlTable(),
                                  written, error);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_livePage->isRunning()) {
        // Never lose results: stop the run, let it finish writing what it measured, then close.
        const auto answer = QMessageBox::question(this, tr("A run is in progress"),
                                                  tr("Stop the run and quit? Everything measured so far is kept."));
        if (answer == QMessageBox::Yes) {
            m_closeAfterRun = true;
            m_livePage->stopRun();
        }
        event->ignore();
        return;
    }
    if (m_campaignPage->isModified() && !m_campaignPage->filePath().isEmpty()) {
        const auto answer = QMessageBox::question(this, tr("Unsaved campaign"),
                                                  tr("Save the changes to %1?").arg(m_campaignPage->filePath()),
                                                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !saveCampaign(false))) {
            event->ignore();
            return;
        }
    }
    saveLayout();
    event->accept();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyleCharts(); // the system switched between light and dark, or the user picked a theme
    QMainWindow::changeEvent(event);
}

void MainWindow::setTheme(int theme)
{
    QSettings().setValue(themeKey, themeName(Theme(theme)));
    applyTheme(Theme(theme));
    restyleCharts();
}

void MainWindow::restyleCharts()
{
    const auto views = findChildren<QChartView *>();
    for (QChartView *view : views)
        restyleChart(view->chart());
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const auto splitters = findChildren<QSplitter *>();
    for (QSplitter *splitter : splitters)
        if (!splitter->objectName().isEmpty())
            splitter->restoreState(settings.value(QStringLiteral("splitters/") + splitter->objectName()).toByteArray());
    m_ui->pages->setCurrentIndex(settings.value(QStringLiteral("window/page"), 0).toInt());
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/page"), m_ui->pages->currentIndex());
    const auto splitters = findChildren<QSplitter *>();
    for (QSplitter *splitter : splitters)
        if (!splitter->objectName().isEmpty())
            settings.setValue(QStringLiteral("splitters/") + splitter->objectName(), splitter->saveState());
}

void MainWindow::updateTitle()
{
    const QString file =
        m_campaignPage->filePath().isEmpty() ? tr("demo campaign") : QFileInfo(m_campaignPage->filePath()).fileName();
    setWindowTitle(tr("%1%2 - RelayBench").arg(file, m_campaignPage->isModified() ? QStringLiteral("*") : QString()));
}

void MainWindow::updateStatus()
{
    const bool running = m_livePage->isRunning();
    const bool valid = m_campaignPage->campaign().has_value();
    m_ui->actionRun->setEnabled(!running && !m_keys && valid);
    m_ui->actionStop->setEnabled(running);
    m_ui->actionOpen->setEnabled(!running);
    // A run opened from the history has no run folder to copy from: the History page exports it.
    m_ui->actionExport->setEnabled(!running && !m_livePage->lastRun().isEmpty() &&
                                   !m_livePage->lastRun().folder.isEmpty());
    QString state;
    if (running) {
        qint64 done = 0;
        qint64 planned = 0;
        for (const TargetProgress &p : m_livePage->controller()->progress()) {
            done += p.finished;
            planned += p.planned;
        }
        state = tr("Running %1: %2 of %3 requests, %4 s")
                    .arg(m_livePage->campaign().name)
                    .arg(done)
                    .arg(planned > 0 ? QString::number(planned) : QStringLiteral("?"))
                    .arg(m_livePage->controller()->elapsedMs() / 1000.0, 0, 'f', 0);
        m_statusTimer.start();
    } else {
        m_statusTimer.stop();
        state = m_keys ? tr("Reading API keys...") : valid ? tr("Idle") : tr("Idle: the campaign has errors");
    }
    m_engineState->setText(state);
    m_simulatorState->setText(
        tr("Simulator %1 (%2)").arg(m_simulator->baseUrl().toString(), m_simulator->profile()->name));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About RelayBench"), aboutText());
}

QString MainWindow::aboutText() const
{
    QString history;
    if (m_historyPage->isDatabaseOpen())
        history = tr("opened, %n run(s)", nullptr, int(m_historyPage->model()->rowCount()));
    else if (!m_historyPage->databaseError().isEmpty())
        history = tr("could not be opened: %1").arg(m_historyPage->databaseError().toHtmlEscaped());
    else
        history = tr("being read");
    return tr("<h3>RelayBench %1</h3>"
              "<p>Stress-tests OpenAI-compatible chat-completions endpoints: load, retries, limits and "
              "streaming, with exact timing.</p>"
              "<p>Data folder (run folders): %2</p>"
              "<p>Run history database: %3<br>(%4)</p>"
              "<p>Built-in simulator: %5</p>")
        .arg(QCoreApplication::applicationVersion(), QDir::toNativeSeparators(dataDirectory()).toHtmlEscaped(),
             QDir::toNativeSeparators(m_historyPage->databasePath()).toHtmlEscaped(), history,
             m_simulator->baseUrl().toString());
}

void MainWindow::editMetricsSettings()
{
    auto *dialog = new MetricsDialog(MetricsServerSettings::load(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("metricsDialog"));
    connect(dialog, &QDialog::accepted, this, [this, dialog] { applyMetricsSettings(dialog->settings()); });
    dialog->open();
}

bool MainWindow::applyMetricsSettings(const MetricsServerSettings &settings)
{
    settings.save();
    m_metrics->close();
    bool ok = true;
    if (settings.enabled) {
        QString error;
        ok = m_metrics->listen(settings.host, quint16(settings.port), &error);
        if (!ok)
            showError(tr("Prometheus exporter"), error);
    }
    // Counters keep counting while the server is off: turning it on again serves the totals since the start.
    m_metricsState->setVisible(m_metrics->isListening());
    m_metricsState->setText(tr("Metrics: %1").arg(m_metrics->address()));
    m_metricsState->setToolTip(tr("Prometheus scrapes this address (Settings > Prometheus exporter...)"));
    return ok;
}

} // namespace relaybench
