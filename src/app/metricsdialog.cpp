#include "metricsdialog.h"

#include "ui_metricsdialog.h"

#include <QHostAddress>
#include <QPushButton>
#include <QSettings>

namespace relaybench {

MetricsServerSettings MetricsServerSettings::load()
{
    QSettings store;
    MetricsServerSettings settings;
    settings.enabled = store.value(QStringLiteral("metrics/enabled"), settings.enabled).toBool();
    settings.host = store.value(QStringLiteral("metrics/host"), settings.host).toString();
    settings.port = store.value(QStringLiteral("metrics/port"), settings.port).toInt();
    return settings;
}

void MetricsServerSettings::save() const
{
    QSettings store;
    store.setValue(QStringLiteral("metrics/enabled"), enabled);
    store.setValue(QStringLiteral("metrics/host"), host);
    store.setValue(QStringLiteral("metrics/port"), port);
}

MetricsDialog::MetricsDialog(const MetricsServerSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::MetricsDialog>())
{
    m_ui->setupUi(this);
    m_ui->enabledCheck->setChecked(settings.enabled);
    m_ui->hostEdit->setText(settings.host);
    m_ui->portSpin->setValue(settings.port);
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->enabledCheck, &QCheckBox::toggled, this, &MetricsDialog::updateState);
    connect(m_ui->hostEdit, &QLineEdit::textChanged, this, &MetricsDialog::updateState);
    updateState();
}

MetricsDialog::~MetricsDialog() = default;

MetricsServerSettings MetricsDialog::settings() const
{
    MetricsServerSettings settings;
    settings.enabled = m_ui->enabledCheck->isChecked();
    settings.host = m_ui->hostEdit->text().trimmed();
    settings.port = m_ui->portSpin->value();
    return settings;
}

void MetricsDialog::updateState()
{
    const bool enabled = m_ui->enabledCheck->isChecked();
    m_ui->hostEdit->setEnabled(enabled);
    m_ui->portSpin->setEnabled(enabled);
    const QString host = m_ui->hostEdit->text().trimmed();
    QHostAddress address;
    const bool valid = host == QLatin1String("localhost") || address.setAddress(host);
    QString warning;
    if (enabled && !valid)
        warning = tr("\"%1\" is not an IP address: use 127.0.0.1, ::1 or 0.0.0.0.").arg(host);
    else if (enabled && host != QLatin1String("localhost") && !address.isLoopback())
        warning = tr("Anyone who can reach %1 can read these metrics: the server has no authentication.").arg(host);
    m_ui->warningLabel->setText(warning);
    m_ui->warningLabel->setVisible(!warning.isEmpty());
    m_ui->buttons->button(QDialogButtonBox::Ok)->setEnabled(!enabled || valid);
}

} // namespace relaybench
