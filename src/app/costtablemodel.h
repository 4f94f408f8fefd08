#pragma once

#include "pricing/costmodel.h"

#include <QAbstractTableModel>
#include <QList>

namespace relaybench {

// The Cost page's table: one row per option (a model bought directly or through a plan), its money figures
// in the display currency, the working of each figure as its tooltip, and the USD figure under RawValueRole.
class CostTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        ModelColumn,
        PlanColumn,
        MonthlyColumn,
        AnnualColumn,
        PerMtokOutputColumn,
        Per1kRequestsColumn,
        SavingsColumn,
        SavingsPctColumn,
        ColumnCount
    };
    // The unrounded figure: USD for money columns (whatever the display currency), percent for savings %,
    // the id for the model column; an invalid QVariant where the figure does not apply.
    static constexpr int RawValueRole = Qt::UserRole + 1;

    explicit CostTableModel(QObject *parent = nullptr);

    void setRows(const QList<CostRow> &rows, const Currency &currency);
    const QList<CostRow> &rows() const { return m_rows; }
    const Currency &currency() const { return m_currency; }
    // Every working of the row, one figure after the other, for the detail pane.
    QString fullWorking(int row) const;
    // The columns of `relaybench cost --format csv`, always in USD.
    QString toCsv() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::optional<double> rawValue(const CostRow &row, int column) const;
    QString working(const CostRow &row, int column) const;

    QList<CostRow> m_rows;
    Currency m_currency;
};

} // namespace relaybench
