#pragma once

#include <QTimer>
#include <QWidget>

#include <memory>

namespace Ui {
class SimulatorPage;
}

namespace relaybench {

class SimServer;
class SimStatsModel;

// Shows the in-process simulator that serves as the Demo target: its URL, its profile (switchable,
// or loaded from a file) and the traffic it has seen, refreshed from a timer (never per request).
class SimulatorPage : public QWidget
{
    Q_OBJECT

public:
    explicit SimulatorPage(SimServer *server, QWidget *parent = nullptr);
    ~SimulatorPage() override;

    SimStatsModel *statsModel() const { return m_statsModel; }
    // Loads a shipped profile name or a file into the simulator; on failure returns false and says why in `error`.
    bool applyProfile(const QString &nameOrPath, QString *error);

signals:
    void profileChanged(const QString &name);

private:
    void refresh();
    void openProfileFile();
    void applyProfileOrWarn(const QString &nameOrPath);
    void showProfile();

    std::unique_ptr<Ui::SimulatorPage> m_ui;
    SimServer *m_server;
    SimStatsModel *m_statsModel;
    QTimer m_refreshTimer;
};

} // namespace relaybench
