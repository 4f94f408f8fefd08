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
class MetricsEndpoint;
class RunController;
class RunRecorder;
class TargetTile;

// The Live run page: Run / Stop, progress with ETA, a tile per target, the live charts and the recent
// failures. The campaign runs on an engine thread (RunController); this page only reads its published
// snapshots from a 10 Hz timer, so the window never waits for the engine. Every run writes requests.csv
// (as it goes) and summary.json (at the end) into a run folder of its own, in the CLI's formats, so a run
// stopped, or a window closed, keeps everything measured; and every run is recorded into the run history
// (docs/history.md) beside it, without the page ever waiting on the database. A run from the history can
// be shown here as if it had just finished (showStoredRun).
class LivePage : public QWidget
{
    Q_OBJECT

public:
    explicit LivePage(QWidget *parent = nullptr);
    ~LivePage() override;

    // `campaignJson` is the campaign file's JSON as run (never a key: campaigns only name where keys are),
    // stored in the history with the run so that it can be reopened.
    void setCampaign(const Campaign &campaign, const QByteArray &campaignJson = QByteArray());
    const Campaign &campaign() const { return m_campaign; }
    // The history database runs are recorded into; RunStore::defaultPath() unless set.
    void setHistoryPath(const QString &path) { m_historyPath = path; }
    QString historyPath() const;
    // Starts the campaign with one key per target ("" = none); false and why when the run folder cannot be made.
    bool startRun(const QStringList &apiKeys, QString *error);
    void stopRun();
    // The window's Prometheus exporter: while it listens, each run's records and gauges feed it. Must outlive the page.
    void setMetricsEndpoint(MetricsEndpoint *endpoint) { m_metrics = endpoint; }
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
    // A run read back from the history (loadStoredRun): tiles, charts and failures as when it had just
    // finished; it becomes lastRun(). Refused (false) while a run is in progress.
    bool showStoredRun(const RunResult &run);
    // Charts as the exporter names them, in tab order.
    QList<QPair<QString, QChartView *>> charts() const;

signals:
    void runRequested(); // the page's Run button: the window resolves keys and confirms, then calls startRun()
    void runStarted();
    void runFinished(const QString &error);
    // The run's history record is complete (runId > 0, error empty), or could not be written (error names
    // the database file and why). Arrives after runFinished: the last batch is written off the GUI thread.
    void runRecorded(qint64 runId, const QString &error);
    // Once per run and target, when its first attempts all failed without an HTTP status (refused, DNS, TLS).
    void targetUnreachable(const QString &target, const QString &message);

private:
    void refresh();
    void onFinished(const QString &error);
    void updateButtons();
    void reportUnreachableTargets(const LiveSnapshot &snapshot);
    void updateChart(int tab);
    void startRecording();
    void finishRecording(const QJsonObject &summary, bool discard);
    void showAllCharts();

    std::unique_ptr<Ui::LivePage> m_ui;
    Campaign m_campaign;
    QByteArray m_campaignJson;
    QString m_historyPath;
    MetricsEndpoint *m_metrics = nullptr;
    std::unique_ptr<CsvFileSink> m_csv;      // declared before the controller: it must outlive the run
    std::shared_ptr<RunRecorder> m_recorder; // likewise; shared with the thread that finishes it
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
