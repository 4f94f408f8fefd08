#include "regressionmodel.h"

#include <QColor>

#include <algorithm>
#include <cmath>

namespace relaybench {

namespace {

QString number(double value, const QString &unit)
{
    if (std::isnan(value))
        return QStringLiteral("-");
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 1000.0 ? 0 : magnitude >= 10.0 ? 1 : magnitude >= 0.01 || value == 0.0 ? 3 : 6;
    const QString text = QString::number(value, 'f', decimals);
    if (unit.isEmpty())
        return text;
    if (unit == QLatin1String("$"))
        return unit + text;
    return text + QLatin1Char(' ') + unit;
}

} // namespace

RegressionModel::RegressionModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RegressionModel::setChanges(const QList<MetricChange> &changes)
{
    beginResetModel();
    m_changes = changes;
    endResetModel();
}

RegressionModel::Verdict RegressionModel::verdictOf(const MetricChange &change)
{
    if (change.tooFewSamples)
        return Verdict::TooFewSamples;
    // A change in the last digits of a double (a cost summed in another order) is no change.
    const double scale = std::max(std::abs(change.before), std::abs(change.after));
    if (std::isnan(change.change) || std::abs(change.change) <= scale * 1e-9)
        return Verdict::Same;
    return (change.change < 0.0) == change.lowerIsBetter ? Verdict::Better : Verdict::Worse;
}

int RegressionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int RegressionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RegressionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MetricChange &change = m_changes.at(index.row());
    const Verdict verdict = verdictOf(change);
    switch (role) {
    case Qt::DisplayRole:
        return display(change, index.column());
    case VerdictRole:
        return int(verdict);
    case RawValueRole:
        switch (index.column()) {
        case BeforeColumn:
            return change.before;
        case AfterColumn:
            return change.after;
        case ChangeColumn:
            return change.change;
        case ChangePercentColumn:
            return change.changePercent;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (verdict == Verdict::TooFewSamples)
            return change.why;
        if (index.column() == MetricColumn)
            return change.lowerIsBetter ? tr("lower is better") : tr("higher is better");
        return {};
    case Qt::BackgroundRole:
        // Translucent tints read on the light and the dark theme alike.
        if (index.column() < ChangeColumn)
            return {};
        if (verdict == Verdict::Worse)
            return QColor(220, 50, 47, 70);
        if (verdict == Verdict::Better)
            return QColor(40, 160, 70, 70);
        return {};
    case Qt::TextAlignmentRole:
        return index.column() >= BeforeColumn && index.column() < VerdictColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    default:
        return {};
    }
}

QVariant RegressionModel::display(const MetricChange &change, int column) const
{
    switch (column) {
    case TargetColumn:
        return change.target;
    case MetricColumn:
        return change.metric;
    case BeforeColumn:
        return number(change.before, change.unit);
    case AfterColumn:
        return number(change.after, change.unit);
    case ChangeColumn:
        if (verdictOf(change) == Verdict::Same)
            return number(0.0, change.unit); // not "+$0.000000" for a change in the last digits
        return QString((change.change > 0.0 ? QStringLiteral("+") : QString()) + number(change.change, change.unit));
    case ChangePercentColumn:
        if (std::isnan(change.changePercent) || std::isinf(change.changePercent))
            return QStringLiteral("-");
        return QStringLiteral("%1%2%")
            .arg(change.changePercent > 0.0 ? QStringLiteral("+") : QString())
            .arg(change.changePercent, 0, 'f', 1);
    case VerdictColumn:
        switch (verdictOf(change)) {
        case Verdict::TooFewSamples:
            return tr("too few samples");
        case Verdict::Better:
            return tr("better");
        case Verdict::Worse:
            return tr("worse");
        case Verdict::Same:
            return tr("same");
        }
        return {};
    default:
        return {};
    }
}

QVariant RegressionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList titles = {tr("Target"), tr("Metric"),   tr("Before"), tr("After"),
                                       tr("Change"), tr("Change %"), tr("Verdict")};
    return titles.value(section);
}

} // namespace relaybench
