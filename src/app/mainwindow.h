#pragma once

#include <QMainWindow>

#include <memory>

namespace Ui {
class MainWindow;
}

namespace relaybench {

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

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void showAbout();
    void updateStatus();

    std::unique_ptr<Ui::MainWindow> m_ui;
    SimServer *m_simulator;
    SimulatorPage *m_simulatorPage;
};

} // namespace relaybench
