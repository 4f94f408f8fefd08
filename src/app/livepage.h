#pragma once

#include "campaign/campaign.h"

#include <QTimer>
#include <QWidget>

#include <memory>

namespace Ui {
class LivePage;
}

class QSortFilterProxyModel;

namespace relaybench {

class FailuresModel;
class RunController;
class TargetTile;

// The Live run page: Run / Stop, progress with ETA, a tile per target, latency over time and the
// recent failures. The campaign runs on an engine thread (RunController); this page only reads its
// published snapshots from a 10 Hz timer, so the window never waits for the engine.
class LivePage : public QWidget
{
    Q_OBJECT

public:
    explicit LivePage(QWidget *parent = nullptr);
    ~LivePage() override;

    void setCampaign(const Campaign &campaign);
    const Campaign &campaign() const { return m_campaign; }
    // Starts the campaign; false (and why, naming the target) when a key variable is missing.
    bool startRun(QString *error);
    void stopRun();
    bool isRunning() const;
    RunController *controller() const { return m_controller.get(); }
    TargetTile *tile(int target) const;
    FailuresModel *failuresModel() const { return m_failures; }

signals:
    void runStarted();
    void runFinished(const QString &error);

private:
    void refresh();
    void onFinished(const QString &error);
    void updateButtons();

    std::unique_ptr<Ui::LivePage> m_ui;
    Campaign m_campaign;
    std::unique_ptr<RunController> m_controller;
    QList<TargetTile *> m_tiles;
    FailuresModel *m_failures;
    QSortFilterProxyModel *m_filter;
    QTimer m_refresh;
    quint64 m_shownVersion = 0;
};

} // namespace relaybench
