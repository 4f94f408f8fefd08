#include "simulatorpage.h"

#include "simstatsmodel.h"
#include "ui_simulatorpage.h"

#include "sim/simserver.h"

#include <QClipboard>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMessageBox>

namespace relaybench {

SimulatorPage::SimulatorPage(SimServer *server, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::SimulatorPage>())
    , m_server(server)
    , m_statsModel(new SimStatsModel(this))
{
    m_ui->setupUi(this);
    m_ui->statsView->setModel(m_statsModel);
    m_ui->statsView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ui->statsView->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_ui->statsView->verticalHeader()->hide();
    m_ui->statsView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    const QString url = m_server->baseUrl().toString();
    m_ui->urlEdit->setText(url);
    m_ui->curlHint->setText(QStringLiteral("curl -N %1/chat/completions -H 'Content-Type: application/json' "
                                           "-d '{\"model\":\"sim-model\",\"stream\":true,\"messages\":"
                                           "[{\"role\":\"user\",\"content\":\"Hello\"}]}'")
                                .arg(url));
    m_ui->profileCombo->addItems(shippedSimProfileNames());
    m_ui->profileCombo->setCurrentText(m_server->profile()->name);
    showProfile();

    connect(m_ui->copyUrlButton, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_ui->urlEdit->text()); });
    connect(m_ui->profileCombo, &QComboBox::activated, this, [this](int index) {
        // Profiles loaded from files keep their path as item data; shipped ones are known by name.
        const QString path = m_ui->profileCombo->itemData(index).toString();
        applyProfileOrWarn(path.isEmpty() ? m_ui->profileCombo->itemText(index) : path);
    });
    connect(m_ui->openProfileButton, &QPushButton::clicked, this, &SimulatorPage::openProfileFile);

    // 4 Hz is plenty for counters and costs nothing when idle; the simulator's threads are never waited on.
    m_refreshTimer.setInterval(250);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SimulatorPage::refresh);
    m_refreshTimer.start();
    refresh();
}

SimulatorPage::~SimulatorPage() = default;

bool SimulatorPage::applyProfile(const QString &nameOrPath, QString *error)
{
    auto profile = loadSimProfile(nameOrPath, error);
    if (!profile) {
        m_ui->profileCombo->setCurrentText(m_server->profile()->name);
        return false;
    }
    const QString name = profile->name;
    m_server->setProfile(std::move(*profile));
    if (m_ui->profileCombo->findText(name) < 0)
        m_ui->profileCombo->addItem(name, nameOrPath);
    m_ui->profileCombo->setCurrentText(name);
    showProfile();
    emit profileChanged(name);
    return true;
}

void SimulatorPage::applyProfileOrWarn(const QString &nameOrPath)
{
    QString error;
    if (!applyProfile(nameOrPath, &error))
        QMessageBox::warning(this, tr("Cannot load simulator profile"), error);
}

void SimulatorPage::openProfileFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open simulator profile"), QString(),
                                                      tr("Profile JSON (*.json);;All files (*)"));
    if (!path.isEmpty())
        applyProfileOrWarn(path);
}

void SimulatorPage::showProfile()
{
    const auto profile = m_server->profile();
    QString text = profile->summary();
    if (!profile->description.isEmpty())
        text = profile->description + QStringLiteral("\n") + text;
    m_ui->profileSummary->setText(text);
}

void SimulatorPage::refresh()
{
    m_statsModel->refresh(m_server->stats());
}

} // namespace relaybench
