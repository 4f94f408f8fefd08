#pragma once

#include <QDialog>
#include <QString>

#include <memory>

namespace Ui {
class MetricsDialog;
}

namespace relaybench {

// The window's Prometheus exporter settings (QSettings "metrics/..."): off by default, 127.0.0.1:9464.
struct MetricsServerSettings
{
    bool enabled = false;
    QString host = QStringLiteral("127.0.0.1");
    int port = 9464;

    static MetricsServerSettings load();
    void save() const;
};

// Settings > Prometheus exporter...: whether the window serves /metrics, and where. Warns when the address
// is not a loopback one (the server has no authentication) and refuses one that is not an IP address.
class MetricsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit MetricsDialog(const MetricsServerSettings &settings, QWidget *parent = nullptr);
    ~MetricsDialog() override;

    MetricsServerSettings settings() const;

private:
    void updateState();

    std::unique_ptr<Ui::MetricsDialog> m_ui;
};

} // namespace relaybench
