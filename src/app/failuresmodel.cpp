#include "failuresmodel.h"

#include <algorithm>

namespace relaybench {

FailuresModel::FailuresModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void FailuresModel::setTargetNames(const QStringList &names)
{
    beginResetModel();
    m_targetNames = names;
    m_failures.clear();
    endResetModel();
}

void FailuresModel::setFailures(const QVector<LiveFailure> &failures)
{
    // A reset per refresh (10 Hz at most, 500 rows at most) is cheaper than diffing and keeps views simple.
    beginResetModel();
    m_failures = failures;
    std::reverse(m_failures.begin(), m_failures.end());
    endResetModel();
}

int FailuresModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_failures.size());
}

int FailuresModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailuresModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LiveFailure &failure = m_failures.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == MessageColumn)
        return failure.error;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return QString::number(failure.endMs / 1000.0, 'f', 3);
    case TargetColumn:
        return m_targetNames.value(failure.target);
    case StatusColumn:
        return failure.status == 0 ? QStringLiteral("-") : QString::number(failure.status);
    case OutcomeColumn:
        return QString(outcomeName(failure.outcome));
    case MessageColumn:
        return failure.error;
    default:
        return {};
    }
}

QVariant FailuresModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time (s)");
    case TargetColumn:
        return tr("Target");
    case StatusColumn:
        return tr("Status");
    case OutcomeColumn:
        return tr("Outcome");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace relaybench
