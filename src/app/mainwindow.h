#pragma once

#include <QMainWindow>

#include <memory>

namespace Ui {
class MainWindow;
}

namespace relaybench {

class LivePage;
class SimServer;
class SimulatorPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `demoSimulator` is the in-process simulator the window shows as its Demo target; it must outlive the window.
    explicit MainWindow(SimServer *demoSimulator, QWidget *parent = nullptr);
    ~MainWindow() override;

    SimulatorPage *simulatorPage() const { return m_simulatorPage; }
    LivePage *livePage() const { return m_livePage; }
    // The campaign shown on first start: examples/demo.json (two simulated targets), built into the binary.
    static QString demoCampaignPath() { return QStringLiteral(":/relaybench/examples/demo.json"); }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void showAbout();
    void updateStatus();
    void loadDemoCampaign();
    void requestRun();
    void showRunError(const QString &error);
    void onRunFinished(const QString &error);

    std::unique_ptr<Ui::MainWindow> m_ui;
    SimServer *m_simulator;
    SimulatorPage *m_simulatorPage;
    LivePage *m_livePage;
    bool m_closeAfterRun = false;
};

} // namespace relaybench
