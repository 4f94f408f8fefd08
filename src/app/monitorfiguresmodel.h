#pragma once

#include "monitor/healthstate.h"
#include "monitor/windowfigures.h"

#include <QAbstractTableModel>

#include <array>

namespace relaybench {

class Monitor;

// The Monitor page's table: per target one row for each rolling window (5 min, 1 h, 24 h) with its
// state, probes, success rate, latency and TTFT percentiles and failures. refresh() pulls the figures
// from the monitor (on a timer, never per probe) and signals only the rows whose values changed.
class MonitorFiguresModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TargetColumn,
        WindowColumn,
        StateColumn,
        ProbesColumn,
        SuccessColumn,
        P50Column,
        P95Column,
        P99Column,
        TtftP50Column,
        FailuresColumn,
        ColumnCount
    };
    static constexpr std::array<double, 3> windowsS{300.0, 3600.0, 86400.0};

    explicit MonitorFiguresModel(QObject *parent = nullptr);

    // Rows for these targets, all empty (a new campaign); a null monitor clears the table.
    void setTargets(const QStringList &names);
    void refresh(const Monitor &monitor);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString target;
        double windowS = 0.0;
        HealthState state = HealthState::Unknown;
        WindowFigures figures;
    };
    QString failures(const WindowFigures &figures) const;

    QList<Row> m_rows;
};

} // namespace relaybench
