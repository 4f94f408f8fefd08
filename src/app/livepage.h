#pragma once

#include "campaign/campaign.h"
#include "engine/runner.h"
#include "metrics/runresult.h"

#include <QTimer>
#include <QWidget>

#include <memory>

namespace Ui {
class LivePage;
}

class QChartView;
class QSortFilterProxyModel;

namespace relaybench {

class CsvFileSink;
class FailuresModel;
class RunController;
class TargetTile;

// The Live run page: Run / Stop, progress with ETA, a tile per target, the live charts and the recent
// failures. The campaign runs on an engine thread (RunController); this page only reads its published
// snapshots from a 10 Hz timer, so the window never waits for the engine. Every run writes requests.csv
// (as it goes) and summary.json (at the end) into a run folder of its own, in the CLI's formats, so a run
// stopped, or a window closed, keeps everything measured.
class LivePage : public QWidget
{
    Q_OBJECT

public:
    explicit LivePage(QWidget *parent = nullptr);
    ~LivePage() override;

    void setCampaign(const Campaign &campaign);
    const Campaign &campaign() const { return m_campaign; }
    // Starts the campaign with one key per target ("" = none); false and why when the run folder cannot be made.
    bool startRun(const QStringList &apiKeys, QString *error);
    void stopRun();
    bool isRunning() const;
    RunController *controller() const { return m_controller.get(); }
    TargetTile *tile(int target) const;
    FailuresModel *failuresModel() const { return m_failures; }
    // The last run that ran (finished or stopped), once it has ended; empty before.
    const RunResult &lastRun() const { return m_lastRun; }
    // What the 10 Hz refresh shows, public for the GUI benchmark (bench/gui-refresh), which feeds a
    // million-record snapshot without running a million requests.
    void showProgress(const QList<TargetProgress> &progress, double elapsedS);
    void showSnapshot(const LiveSnapshot &snapshot);
    // Charts as the exporter names them, in tab order.
    QList<QPair<QString, QChartView *>> charts() const;

signals:
    void runRequested(); // the page's Run button: the window resolves keys and confirms, then calls startRun()
    void runStarted();
    void runFinished(const QString &error);
    // Once per run and target, when its first attempts all failed without an HTTP status (refused, DNS, TLS).
    void targetUnreachable(const QString &target, const QString &message);

private:
    void refresh();
    void onFinished(const QString &error);
    void updateButtons();
    void reportUnreachableTargets(const LiveSnapshot &snapshot);
    void updateChart(int tab);

    std::unique_ptr<Ui::LivePage> m_ui;
    Campaign m_campaign;
    std::unique_ptr<CsvFileSink> m_csv; // declared before the controller: it must outlive the run
    std::unique_ptr<RunController> m_controller;
    QString m_runFolder;
    RunResult m_lastRun;
    QList<TargetTile *> m_tiles;
    FailuresModel *m_failures;
    QSortFilterProxyModel *m_filter;
    QTimer m_refresh;
    quint64 m_shownVersion = 0;
    LiveSnapshot m_lastSnapshot; // what the charts show (a hidden chart catches up from it)
    qsizetype m_shownFailures = 0;
    double m_newestFailureMs = 0.0;
    QList<TargetProgress> m_progress;
    double m_elapsedS = 0.0;
    QList<bool> m_reportedUnreachable;
};

} // namespace relaybench
