#include "mainwindow.h"

#include "simulatorpage.h"
#include "ui_mainwindow.h"

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
{
    m_ui->setupUi(this);
    m_ui->pages->addTab(m_simulatorPage, tr("Simulator"));
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_simulatorPage, &SimulatorPage::profileChanged, this, &MainWindow::updateStatus);
    updateStatus();

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::updateStatus()
{
    statusBar()->showMessage(
        tr("Demo simulator on %1, profile %2").arg(m_simulator->baseUrl().toString(), m_simulator->profile()->name));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About RelayBench"),
                       tr("<h3>RelayBench %1</h3>"
                          "<p>Stress-tests OpenAI-compatible chat-completions endpoints: load, retries, limits and "
                          "streaming, with exact timing.</p>"
                          "<p>Demo simulator: %2</p>")
                           .arg(QCoreApplication::applicationVersion(), m_simulator->baseUrl().toString()));
}

} // namespace relaybench
