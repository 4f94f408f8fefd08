#pragma once

#include "metrics/runresult.h"

#include <QElapsedTimer>
#include <QWidget>

#include <memory>

namespace Ui {
class HistoryPage;
}

namespace relaybench {

class HistoryFilterModel;
class HistoryModel;
class HistoryWorker;
class RegressionModel;
struct RecordedRun;

// The History page: the runs of the run history (docs/history.md), filtered and sorted; Open shows one in
// the Live run and Compare pages as if it had just finished; Compare two shows the regression view of two;
// Delete and Export. Every database access runs on a HistoryWorker thread. A database that cannot be used
// (damaged, locked, from a newer RelayBench) shows a banner naming the file and why; the rest of the window
// works without it.
class HistoryPage : public QWidget
{
    Q_OBJECT

public:
    // `databasePath` "": RunStore::defaultPath().
    explicit HistoryPage(const QString &databasePath = QString(), QWidget *parent = nullptr);
    ~HistoryPage() override;

    QString databasePath() const;
    // After the first list: whether the database opened, and why not.
    bool isDatabaseOpen() const { return m_listed && m_databaseError.isEmpty(); }
    QString databaseError() const { return m_databaseError; }
    HistoryModel *model() const { return m_model; }
    HistoryFilterModel *filterModel() const { return m_filter; }
    RegressionModel *regressionModel() const { return m_regression; }

    // Reads the list again (asynchronously: runsListed() follows).
    void refresh();
    // Ids of the selected rows, in the view's order; and selecting runs (for the window's tests and tools).
    QList<qint64> selectedRunIds() const;
    void selectRuns(const QList<qint64> &runIds);

    // What the buttons do once confirmed / a folder is chosen. All but compareRuns() answer with a signal.
    void openRun(qint64 runId);
    // The regression view of two listed runs (`before` is the baseline); false when either is not listed.
    bool compareRuns(qint64 before, qint64 after);
    void deleteRun(qint64 runId);
    void exportRun(qint64 runId, const QString &folder);
    // From Open pressed to the run shown by whoever took runOpened(), for the last Open.
    qint64 lastOpenMs() const { return m_lastOpenMs; }

signals:
    void runsListed();
    // A run read back from the history: the window shows it in the Live run and Compare pages (directly
    // connected: lastOpenMs() counts until they have drawn it).
    void runOpened(qint64 runId, const RunResult &run);
    void runDeleted(qint64 runId, const QString &error);
    void runExported(qint64 runId, const QString &folder, const QString &error);
    // Something the user asked for failed: the window shows it in its error box.
    void failed(const QString &title, const QString &text);

private:
    void onListed(const QList<RecordedRun> &runs, const QString &error);
    void onLoaded(qint64 runId, const RunResult &run, const QString &error, qint64 readMs);
    void onDeleted(qint64 runId, const QString &error);
    void onExported(qint64 runId, const QString &folder, const QString &error);
    void openSelected();
    void compareSelected();
    void deleteSelected();
    void exportSelected();
    void updateButtons();
    void setStatus(const QString &text);

    std::unique_ptr<Ui::HistoryPage> m_ui;
    HistoryModel *m_model;
    HistoryFilterModel *m_filter;
    RegressionModel *m_regression;
    HistoryWorker *m_worker;
    bool m_listed = false;
    QString m_databaseError;
    qint64 m_opening = 0; // the run being read for Open, 0 when none
    QElapsedTimer m_openClock;
    qint64 m_lastOpenMs = -1;
    qint64 m_comparedBefore = 0;
    qint64 m_comparedAfter = 0;
};

} // namespace relaybench
