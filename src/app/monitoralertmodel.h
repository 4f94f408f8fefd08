#pragma once

#include <QAbstractTableModel>
#include <QPointer>

namespace relaybench {

class AlertLog;

// The alert log as a table, oldest first: time, target, change, the window's figures, and the delivery
// status per webhook (or "suppressed"). Follows the log's signals row by row.
class MonitorAlertModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        TargetColumn,
        ChangeColumn,
        FiguresColumn,
        DeliveryColumn,
        ColumnCount
    };

    explicit MonitorAlertModel(QObject *parent = nullptr);
    void setLog(const AlertLog *log); // null: empty

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QPointer<const AlertLog> m_log;
};

} // namespace relaybench
