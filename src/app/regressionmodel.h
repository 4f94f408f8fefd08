#pragma once

#include "history/runcomparison.h"

#include <QAbstractTableModel>

namespace relaybench {

// The regression view of two runs: one row per target and metric (compareRuns), with the value before and
// after, the change and the change in percent, and a verdict. A change that makes the metric worse is tinted
// red, one that makes it better green; a change the samples are too few to tell from noise is not tinted
// at all and says "too few samples", its tooltip saying why (docs/history.md).
class RegressionModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TargetColumn,
        MetricColumn,
        BeforeColumn,
        AfterColumn,
        ChangeColumn,
        ChangePercentColumn,
        VerdictColumn,
        ColumnCount
    };
    enum class Verdict
    {
        Same,
        Better,
        Worse,
        TooFewSamples
    };
    enum Role
    {
        VerdictRole = Qt::UserRole, // Verdict as int
        RawValueRole,               // before, after, change, change % as numbers
    };

    explicit RegressionModel(QObject *parent = nullptr);

    void setChanges(const QList<MetricChange> &changes);
    const QList<MetricChange> &changes() const { return m_changes; }
    static Verdict verdictOf(const MetricChange &change);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const MetricChange &change, int column) const;

    QList<MetricChange> m_changes;
};

} // namespace relaybench
