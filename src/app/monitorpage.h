#pragma once

#include "campaign/campaign.h"
#include "monitor/healthstate.h"
#include "monitor/monitorconfig.h"

#include <QTimer>
#include <QWidget>

#include <memory>

namespace Ui {
class MonitorPage;
}

class QSystemTrayIcon;

namespace relaybench {

class AlertDispatcher;
class ApiKeyResolver;
class MetricsRegistry;
class Monitor;
class MonitorAlertModel;
class MonitorFiguresModel;
class MonitorTimeline;
class RunRecorder;

// Monitor mode in the window (docs/monitor.md): probes the campaign's targets until stopped, and shows
// per target an uptime timeline, the 5 min / 1 h / 24 h figures and the alert log. State changes raise
// a desktop notification when a system tray exists and go to the campaign's webhooks; the probes are
// recorded in the history as a run of kind "monitor".
class MonitorPage : public QWidget
{
    Q_OBJECT

public:
    explicit MonitorPage(QWidget *parent = nullptr);
    ~MonitorPage() override;

    // The campaign to monitor; its file's "monitor" object (if any) gives the settings. Ignored while running.
    void setCampaign(const Campaign &campaign);
    // Settings without a file (tests, callers that edit them); replaced by the next setCampaign().
    void setMonitorConfig(const MonitorConfig &config);
    const MonitorConfig &monitorConfig() const { return m_config; }
    // Optional: the window's Prometheus registry (set before start()).
    void setMetricsRegistry(MetricsRegistry *registry) { m_registry = registry; }
    void setRecordHistory(bool record) { m_recordHistory = record; }

    // `apiKeys[i]` is the key of target i. false and `error` when the campaign cannot be monitored.
    bool start(const QStringList &apiKeys, QString *error);
    void stop();
    bool isRunning() const;

    Monitor *monitor() const { return m_monitor.get(); } // null before the first start()
    MonitorFiguresModel *figuresModel() const { return m_figures; }
    MonitorAlertModel *alertModel() const { return m_alerts; }
    MonitorTimeline *timeline() const;
    qint64 historyRunId() const; // 0 when not recorded (yet)

signals:
    void stateChanged(const QString &target, relaybench::HealthState from, relaybench::HealthState to);
    void runningChanged(bool running);

private:
    void onStartClicked();
    void onStateChanged(int target, HealthState from, HealthState to, const WindowFigures &figures);
    void onStopped();
    void finishHistory();
    void updateControls();
    void showStatus(const QString &text);

    std::unique_ptr<Ui::MonitorPage> m_ui;
    Campaign m_campaign;
    MonitorConfig m_config;
    QString m_configError; // the campaign file's "monitor" object is invalid: cannot start
    bool m_hasCampaign = false;
    bool m_recordHistory = true;
    bool m_historyOpen = false; // a recorder has begun and not finished
    MetricsRegistry *m_registry = nullptr;
    // Declared before the monitor: the monitor (and its sinks' users) go first.
    std::unique_ptr<RunRecorder> m_recorder;
    std::unique_ptr<AlertDispatcher> m_dispatcher;
    std::unique_ptr<Monitor> m_monitor;
    std::unique_ptr<ApiKeyResolver> m_keys;
    MonitorFiguresModel *m_figures;
    MonitorAlertModel *m_alerts;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer m_refresh;
};

} // namespace relaybench
