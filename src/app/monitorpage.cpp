#include "monitorpage.h"

#include "monitoralertmodel.h"
#include "monitorfiguresmodel.h"
#include "monitortimeline.h"
#include "ui_monitorpage.h"

#include "history/runrecorder.h"
#include "monitor/alertdispatcher.h"
#include "monitor/monitor.h"
#include "monitor/monitormetrics.h"
#include "secrets/apikeyresolver.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QSystemTrayIcon>

namespace relaybench {

namespace {

constexpr int refreshIntervalMs = 1000; // the figures age even without probes

} // namespace

MonitorPage::MonitorPage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::MonitorPage>())
    , m_figures(new MonitorFiguresModel(this))
    , m_alerts(new MonitorAlertModel(this))
{
    m_ui->setupUi(this);
    m_ui->figuresView->setModel(m_figures);
    m_ui->alertView->setModel(m_alerts);
    for (QTableView *view : {m_ui->figuresView, m_ui->alertView}) {
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    }
    // Stretching the last column (webhook deliveries) squeezed time, change and figures to "20...": those are
    // what a reader scans, so they size to their contents and the delivery column takes what is left.
    QHeaderView *alertHeader = m_ui->alertView->horizontalHeader();
    alertHeader->setSectionResizeMode(QHeaderView::Interactive);
    alertHeader->setStretchLastSection(true);
    connect(m_alerts, &QAbstractItemModel::rowsInserted, this, [this] {
        for (int column = 0; column + 1 < m_alerts->columnCount(); ++column)
            m_ui->alertView->resizeColumnToContents(column);
    });
    const QList<QPair<QString, double>> spans{{tr("since start"), 0.0},
                                              {tr("last 15 min"), 900.0},
                                              {tr("last hour"), 3600.0},
                                              {tr("last 6 h"), 6 * 3600.0},
                                              {tr("last 24 h"), 86400.0}};
    for (const auto &[label, seconds] : spans)
        m_ui->spanCombo->addItem(label, seconds);
    m_ui->spanCombo->setCurrentIndex(0);
    connect(m_ui->spanCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_ui->timeline->setSpanS(m_ui->spanCombo->currentData().toDouble()); });
    m_ui->timeline->setSpanS(0.0);
    connect(m_ui->startButton, &QPushButton::clicked, this, &MonitorPage::onStartClicked);
    connect(m_ui->stopButton, &QPushButton::clicked, this, &MonitorPage::stop);
    m_refresh.setInterval(refreshIntervalMs);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        if (m_monitor)
            m_figures->refresh(*m_monitor);
    });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("RelayBench monitor"));
    }
    updateControls();
}

MonitorPage::~MonitorPage()
{
    // Closing the window ends the monitor run in the history as stopped, not interrupted.
    if (m_monitor && m_monitor->isRunning() && m_historyOpen) {
        m_monitor->stop(QStringLiteral("closed"));
        finishHistory();
    }
}

MonitorTimeline *MonitorPage::timeline() const
{
    return m_ui->timeline;
}

void MonitorPage::setCampaign(const Campaign &campaign)
{
    if (isRunning())
        return;
    m_campaign = campaign;
    m_hasCampaign = true;
    m_configError.clear();
    m_config = MonitorConfig();
    if (!campaign.sourcePath.isEmpty() && QFileInfo::exists(campaign.sourcePath)) {
        const MonitorConfigResult loaded = loadMonitorConfig(campaign.sourcePath);
        if (loaded.config)
            m_config = *loaded.config;
        else
            m_configError = loaded.errors.join(QLatin1Char('\n'));
    }
    QStringList names;
    for (const Target &target : campaign.targets)
        names.append(target.name);
    m_figures->setTargets(names);
    m_ui->timeline->setTargets(names, QDateTime::currentMSecsSinceEpoch());
    showStatus(m_configError.isEmpty()
                   ? tr("%n target(s) of \"%1\", probed every %2 s, judged on the last %3.", nullptr, int(names.size()))
                         .arg(campaign.name)
                         .arg(m_config.intervalS)
                         .arg(windowLabel(m_config.windowS))
                   : tr("Cannot monitor: %1").arg(m_configError));
    updateControls();
}

void MonitorPage::setMonitorConfig(const MonitorConfig &config)
{
    if (isRunning())
        return;
    m_config = config;
    m_configError.clear();
    updateControls();
}

bool MonitorPage::isRunning() const
{
    return m_monitor && m_monitor->isRunning();
}

qint64 MonitorPage::historyRunId() const
{
    return m_recorder ? m_recorder->runId() : 0;
}

void MonitorPage::onStartClicked()
{
    if (!m_hasCampaign || isRunning())
        return;
    m_keys = std::make_unique<ApiKeyResolver>();
    connect(m_keys.get(), &ApiKeyResolver::resolved, this, [this](const QStringList &keys) {
        QString error;
        if (!start(keys, &error))
            showStatus(tr("Cannot monitor: %1").arg(error));
    });
    connect(m_keys.get(), &ApiKeyResolver::failed, this,
            [this](const QString &error) { showStatus(tr("Cannot monitor: %1").arg(error)); });
    m_ui->startButton->setEnabled(false);
    showStatus(tr("Reading the API keys..."));
    m_keys->resolve(m_campaign);
}

bool MonitorPage::start(const QStringList &apiKeys, QString *error)
{
    if (isRunning()) {
        *error = tr("already monitoring");
        return false;
    }
    if (!m_hasCampaign || m_campaign.targets.isEmpty()) {
        *error = tr("no campaign with targets");
        return false;
    }
    if (!m_configError.isEmpty()) {
        *error = m_configError;
        updateControls();
        return false;
    }
    m_recorder.reset();
    m_monitor = std::make_unique<Monitor>(m_campaign, m_config, apiKeys);
    if (!m_monitor->prepare(error)) {
        m_monitor.reset();
        updateControls();
        return false;
    }
    m_dispatcher = std::make_unique<AlertDispatcher>(m_config.webhooks, m_config.alerts);
    m_alerts->setLog(m_dispatcher->log());
    connect(m_dispatcher.get(), &AlertDispatcher::alertSent, this, [this](const Alert &alert) {
        if (m_tray)
            m_tray->showMessage(
                tr("RelayBench: %1 is %2").arg(alert.target, QString(healthStateName(alert.to))), alertText(alert),
                alert.to == HealthState::Healthy ? QSystemTrayIcon::Information : QSystemTrayIcon::Warning);
    });
    connect(m_monitor.get(), &Monitor::stateChanged, this, &MonitorPage::onStateChanged);
    connect(m_monitor.get(), &Monitor::stopped, this, &MonitorPage::onStopped);
    if (m_registry)
        exportMonitorMetrics(m_monitor.get(), m_registry);
    if (m_recordHistory) {
        QList<RecordedTarget> recorded;
        for (const Target &target : std::as_const(m_campaign.targets))
            recorded.append({target.name, target.model, target.baseUrl});
        QByteArray json; // the campaign as run: its file, when it has one
        if (QFile file(m_campaign.sourcePath); !m_campaign.sourcePath.isEmpty() && file.open(QIODevice::ReadOnly))
            json = file.readAll();
        m_recorder = std::make_unique<RunRecorder>(RunStore::defaultPath());
        // Asynchronous: opening the database never holds up the window.
        m_recorder->beginAsync(m_campaign.name, json, recorded, QStringLiteral("monitor"));
        m_monitor->addSink(m_recorder.get());
        m_historyOpen = true;
    }
    QStringList names;
    for (const Target &target : std::as_const(m_campaign.targets))
        names.append(target.name);
    m_figures->setTargets(names);
    m_ui->timeline->setTargets(names, QDateTime::currentMSecsSinceEpoch());
    m_monitor->start();
    m_refresh.start();
    if (m_tray)
        m_tray->show();
    showStatus(tr("Monitoring %n target(s) every %1 s, judged on the last %2.", nullptr, int(names.size()))
                   .arg(m_config.intervalS)
                   .arg(windowLabel(m_config.windowS)));
    updateControls();
    emit runningChanged(true);
    return true;
}

void MonitorPage::stop()
{
    if (!isRunning())
        return;
    m_monitor->stop(QStringLiteral("stopped"));
    m_ui->stopButton->setEnabled(false);
}

void MonitorPage::onStateChanged(int target, HealthState from, HealthState to, const WindowFigures &figures)
{
    const Alert alert{QDateTime::currentDateTimeUtc(), m_monitor->targetName(target), from, to, figures};
    m_ui->timeline->addChange(target, alert.at.toMSecsSinceEpoch(), to);
    m_figures->refresh(*m_monitor);
    // As the command line: a target's first verdict when it is fine is no news.
    if (!(from == HealthState::Unknown && to == HealthState::Healthy))
        m_dispatcher->dispatch(alert);
    if (!m_tray)
        showStatus(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss ")) + alertText(alert));
    emit stateChanged(alert.target, from, to);
}

void MonitorPage::onStopped()
{
    m_refresh.stop();
    m_figures->refresh(*m_monitor);
    finishHistory();
    showStatus(tr("Stopped."));
    updateControls();
    emit runningChanged(false);
}

void MonitorPage::finishHistory()
{
    if (!m_recorder || !m_historyOpen)
        return;
    m_historyOpen = false;
    QString error;
    if (!m_recorder->finish(m_monitor->summary(), m_monitor->stopReason(), &error))
        showStatus(tr("Not recorded in the history: %1").arg(error));
}

void MonitorPage::updateControls()
{
    const bool running = isRunning();
    m_ui->startButton->setEnabled(!running && m_hasCampaign && m_configError.isEmpty());
    m_ui->stopButton->setEnabled(running);
}

void MonitorPage::showStatus(const QString &text)
{
    m_ui->statusLabel->setText(text);
}

} // namespace relaybench
