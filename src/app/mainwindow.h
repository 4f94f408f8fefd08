#pragma once

#include <QMainWindow>
#include <QTimer>

#include <memory>

namespace Ui {
class MainWindow;
}

class QActionGroup;
class QLabel;

namespace relaybench {

class ApiKeyResolver;
struct ExportOptions;
struct RunResult;
class CampaignPage;
class ComparePage;
class CostPage;
class HistoryPage;
class LivePage;
class MetricsEndpoint;
struct MetricsServerSettings;
class MonitorPage;
class SimServer;
class SimulatorPage;

// The window: Campaign (edit, open, save), Live run, Compare, Cost, History and Simulator pages, the File / Run /
// View menus, and what ties them together: the campaign being edited is the one Run starts, a finished run goes
// to Compare, Export and the History list, a run opened from the History is shown as if it had just finished,
// and the layout, theme and last campaign are remembered.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `demoSimulator` is the in-process simulator the Simulator page shows; it must outlive the window.
    explicit MainWindow(SimServer *demoSimulator, QWidget *parent = nullptr);
    ~MainWindow() override;

    CampaignPage *campaignPage() const { return m_campaignPage; }
    LivePage *livePage() const { return m_livePage; }
    ComparePage *comparePage() const { return m_comparePage; }
    CostPage *costPage() const { return m_costPage; }
    HistoryPage *historyPage() const { return m_historyPage; }
    SimulatorPage *simulatorPage() const { return m_simulatorPage; }
    MonitorPage *monitorPage() const { return m_monitorPage; }
    // The Prometheus exporter campaigns and the monitor feed (Settings > Prometheus exporter...).
    MetricsEndpoint *metricsEndpoint() const { return m_metrics.get(); }
    // Serves /metrics as `settings` say (or stops serving); remembered. false and an error box when it cannot bind.
    bool applyMetricsSettings(const MetricsServerSettings &settings);

    // What File > Open and Save do once a path is chosen; errors go to an error box. Remembered as the last campaign.
    bool openCampaignFile(const QString &path);
    bool saveCampaignTo(const QString &path);
    // Exports the last run without the dialog (the dialog's OK ends here too); false and why on failure.
    bool exportLastRun(const ExportOptions &options, const QList<int> &charts, QStringList *written, QString *error);
    // Help > About's text: the version, the data folder, the history database and whether it opened.
    QString aboutText() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void setUpMenus();
    void openLastOrDemoCampaign();
    void openCampaign();
    bool saveCampaign(bool askForPath);
    void exportRun();
    void requestRun();
    void startWithKeys(const QStringList &keys);
    void onCampaignChanged();
    void onRunFinished(const QString &error);
    void onTargetUnreachable(const QString &target, const QString &message);
    void showError(const QString &title, const QString &text);
    void updateStatus();
    void updateTitle();
    void setTheme(int theme);
    void restyleCharts();
    void restoreLayout();
    void saveLayout();
    void showAbout();
    void editMetricsSettings();
    QByteArray campaignJson() const;
    void onRunRecorded(qint64 runId, const QString &error);
    void showStoredRun(qint64 runId, const RunResult &run);

    std::unique_ptr<Ui::MainWindow> m_ui;
    SimServer *m_simulator;
    CampaignPage *m_campaignPage;
    LivePage *m_livePage;
    ComparePage *m_comparePage;
    CostPage *m_costPage;
    HistoryPage *m_historyPage;
    SimulatorPage *m_simulatorPage;
    MonitorPage *m_monitorPage;
    // Fed by the Live and Monitor pages; ~MainWindow deletes those pages before it goes.
    std::unique_ptr<MetricsEndpoint> m_metrics;
    QLabel *m_metricsState;
    QActionGroup *m_themes;
    QLabel *m_engineState;
    QLabel *m_simulatorState;
    QTimer m_statusTimer; // the engine state in the status bar, twice a second during a run
    std::unique_ptr<ApiKeyResolver> m_keys;
    bool m_closeAfterRun = false;
};

} // namespace relaybench
