#pragma once

#include "metrics/liveaggregator.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace relaybench {

// The recent failures of a run (time, target, status, outcome, message), newest first.
class FailuresModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        TargetColumn,
        StatusColumn,
        OutcomeColumn,
        MessageColumn,
        ColumnCount
    };

    explicit FailuresModel(QObject *parent = nullptr);

    void setTargetNames(const QStringList &names);
    void setFailures(const QVector<LiveFailure> &failures);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<LiveFailure> m_failures; // newest first
    QStringList m_targetNames;
};

} // namespace relaybench
