#pragma once

#include "sim/simstats.h"

#include <QAbstractTableModel>

namespace relaybench {

// The simulator's counters as a two-column table (what, how many) for the Simulator page.
// Rows are fixed; refresh() updates the values and signals only the cells that changed.
class SimStatsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    explicit SimStatsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh(const SimStatsSnapshot &stats);

private:
    struct Row
    {
        QString label;
        QString tooltip;
        double value = 0.0;
    };
    QList<Row> m_rows;
};

} // namespace relaybench
