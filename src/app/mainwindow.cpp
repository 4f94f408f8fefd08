#include "mainwindow.h"

#include "livepage.h"
#include "simulatorpage.h"
#include "ui_mainwindow.h"

#include "campaign/campaignloader.h"
#include "engine/runcontroller.h"
#include "pricing/pricecatalog.h"
#include "sim/simserver.h"

#include <QCloseEvent>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>

namespace relaybench {

MainWindow::MainWindow(SimServer *demoSimulator, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_simulator(demoSimulator)
    , m_simulatorPage(new SimulatorPage(demoSimulator, this))
    , m_livePage(new LivePage(this))
{
    m_ui->setupUi(this);
    m_ui->pages->addTab(m_livePage, tr("Live run"));
    m_ui->pages->addTab(m_simulatorPage, tr("Simulator"));
    connect(m_ui->actionRun, &QAction::triggered, this, &MainWindow::requestRun);
    connect(m_livePage, &LivePage::runRequested, this, &MainWindow::requestRun);
    connect(m_ui->actionStop, &QAction::triggered, m_livePage, &LivePage::stopRun);
    connect(m_livePage, &LivePage::runStarted, this, &MainWindow::updateStatus);
    connect(m_livePage, &LivePage::runFinished, this, &MainWindow::onRunFinished);
    loadDemoCampaign();
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_simulatorPage, &SimulatorPage::profileChanged, this, &MainWindow::updateStatus);
    updateStatus();

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::loadDemoCampaign()
{
    const CampaignLoadResult loaded = loadCampaignFile(demoCampaignPath(), PriceCatalog::shipped());
    if (loaded.campaign)
        m_livePage->setCampaign(*loaded.campaign);
    else // a build defect (the file is compiled in and tested), but say it rather than show an empty page
        statusBar()->showMessage(
            tr("The demo campaign could not be loaded: %1").arg(loaded.errors.join(QLatin1Char(' '))));
}

void MainWindow::requestRun()
{
    if (m_livePage->isRunning())
        return;
    m_ui->pages->setCurrentWidget(m_livePage);
    QStringList keys;
    for (const Target &target : m_livePage->campaign().targets) {
        QString key;
        if (!target.apiKeyEnv.isEmpty()) {
            key = qEnvironmentVariable(target.apiKeyEnv.toLocal8Bit().constData());
            if (key.isEmpty()) {
                showRunError(tr("Target \"%1\": the environment variable %2 holding its API key is not set. "
                                "Nothing was sent.")
                                 .arg(target.name, target.apiKeyEnv));
                return;
            }
        }
        keys.append(key);
    }
    QString error;
    if (!m_livePage->startRun(keys, &error))
        showRunError(error);
}

void MainWindow::showRunError(const QString &error)
{
    // Window-modal and not blocking: the engine's results keep arriving behind it, and tests can read it.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("RelayBench: run"), error, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("runErrorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->open();
}

void MainWindow::onRunFinished(const QString &error)
{
    updateStatus();
    if (m_closeAfterRun) {
        close();
        return;
    }
    if (!error.isEmpty())
        showRunError(error);
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
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::updateStatus()
{
    const bool running = m_livePage->isRunning();
    m_ui->actionRun->setEnabled(!running);
    m_ui->actionStop->setEnabled(running);
    const QString engine = running ? tr("Running %1").arg(m_livePage->campaign().name) : tr("Idle");
    statusBar()->showMessage(tr("%1 · Simulator on %2, profile %3")
                                 .arg(engine, m_simulator->baseUrl().toString(), m_simulator->profile()->name));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About RelayBench"),
                       tr("<h3>RelayBench %1</h3>"
                          "<p>Stress-tests OpenAI-compatible chat-completions endpoints: load, retries, limits and "
                          "streaming, with exact timing.</p>"
                          "<p>Built-in simulator: %2</p>")
                           .arg(QCoreApplication::applicationVersion(), m_simulator->baseUrl().toString()));
}

} // namespace relaybench
