#pragma once

#include "history/runstore.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace relaybench {

// The runs of the history, one row each, newest first as the store lists them: date, campaign, kind,
// state, targets, and the summary's figures over all of a run's targets (requests and cost added up, the
// success rate of all requests, the worst target's p95 latency and TTFT p50; the tooltip gives each
// target's). A run without a summary (running, interrupted) shows its recorded attempts and "-".
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        DateColumn,
        CampaignColumn,
        KindColumn,
        StateColumn,
        TargetsColumn,
        RequestsColumn,
        SuccessRateColumn,
        LatencyP95Column,
        TtftP50Column,
        CostColumn,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole, // the raw value: numbers as numbers, missing figures as -1
        RunIdRole,
    };

    explicit HistoryModel(QObject *parent = nullptr);

    void setRuns(const QList<RecordedRun> &runs);
    const QList<RecordedRun> &runs() const { return m_runs; }
    // The row of a run, or -1.
    int rowOf(qint64 runId) const;
    const RecordedRun *run(qint64 runId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    // What a row shows, worked out once per setRuns() rather than at every paint.
    struct Figures
    {
        double requests = -1.0;
        double successRate = -1.0;
        double latencyP95 = -1.0;
        double ttftP50 = -1.0;
        double cost = -1.0;
        QString latencyTip;
        QString ttftTip;
    };
    static Figures figuresOf(const RecordedRun &run);
    QVariant display(int row, int column) const;
    QVariant sortValue(int row, int column) const;

    QList<RecordedRun> m_runs;
    QList<Figures> m_figures;
};

// The History page's filter: runs whose date, campaign, kind, state or targets contain the text (any case),
// and of one state ("" = every state). Sorts by HistoryModel::SortRole.
class HistoryFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit HistoryFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    void setState(const QString &state);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QString m_state;
};

} // namespace relaybench
