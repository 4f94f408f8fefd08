#include "costtablemodel.h"

#include "pricing/costrowsformat.h"

#include <cmath>

namespace relaybench {

CostTableModel::CostTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void CostTableModel::setRows(const QList<CostRow> &rows, const Currency &currency)
{
    beginResetModel();
    m_rows = rows;
    m_currency = currency;
    endResetModel();
}

int CostTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CostTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<double> CostTableModel::rawValue(const CostRow &row, int column) const
{
    switch (column) {
    case MonthlyColumn:
        return row.monthlyUsd;
    case AnnualColumn:
        return row.annualUsd;
    case PerMtokOutputColumn:
        return row.effectiveUsdPerMtokOutput;
    case Per1kRequestsColumn:
        return row.costPer1kRequestsUsd;
    case SavingsColumn:
        return row.savingsUsd;
    case SavingsPctColumn:
        return row.savingsPct;
    default:
        return std::nullopt;
    }
}

QString CostTableModel::working(const CostRow &row, int column) const
{
    switch (column) {
    case MonthlyColumn:
        return row.monthlyWorking.join(QLatin1Char('\n'));
    case AnnualColumn:
        return row.annualWorking;
    case PerMtokOutputColumn:
        return row.effectiveWorking;
    case Per1kRequestsColumn:
        return row.per1kWorking;
    case SavingsColumn:
    case SavingsPctColumn:
        return row.savingsWorking;
    default:
        return row.monthlyWorking.join(QLatin1Char('\n'));
    }
}

QVariant CostTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CostRow &row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: {
        if (column == ModelColumn)
            return row.modelName.isEmpty() || row.modelName == row.model
                       ? row.model
                       : QString(row.modelName + QStringLiteral(" (") + row.model + QLatin1Char(')'));
        if (column == PlanColumn)
            return row.plan;
        const std::optional<double> value = rawValue(row, column);
        if (!value)
            return QStringLiteral("-");
        if (column == SavingsPctColumn)
            return QStringLiteral("%1%").arg(*value, 0, 'f', 2);
        return formatMoney(*value, m_currency);
    }
    case Qt::ToolTipRole: {
        const QString text = working(row, column);
        return text.isEmpty() ? QVariant() : QVariant(text);
    }
    case RawValueRole: {
        if (column == ModelColumn)
            return row.model;
        if (column == PlanColumn)
            return row.plan;
        const std::optional<double> value = rawValue(row, column);
        return value ? QVariant(*value) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return column >= MonthlyColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default:
        return {};
    }
}

QVariant CostTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        const QString code = m_currency.code;
        switch (section) {
        case ModelColumn:
            return tr("Model");
        case PlanColumn:
            return tr("Plan");
        case MonthlyColumn:
            return tr("Monthly (%1)").arg(code);
        case AnnualColumn:
            return tr("Annual (%1)").arg(code);
        case PerMtokOutputColumn:
            return tr("Per M output tokens (%1)").arg(code);
        case Per1kRequestsColumn:
            return tr("Per 1,000 requests (%1)").arg(code);
        case SavingsColumn:
            return tr("Savings / month (%1)").arg(code);
        case SavingsPctColumn:
            return tr("Savings %");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case PerMtokOutputColumn:
            return tr("Monthly cost divided by the visible output tokens a month (retries and input make it rise)");
        case SavingsColumn:
        case SavingsPctColumn:
            return tr("Against the baseline: positive when this option costs less");
        default:
            return {};
        }
    }
    return {};
}

QString CostTableModel::fullWorking(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const CostRow &r = m_rows.at(row);
    QStringList parts;
    parts << tr("%1, %2").arg(r.modelName.isEmpty() ? r.model : r.modelName, r.plan);
    parts << tr("Monthly:") << r.monthlyWorking;
    const auto add = [&](const QString &title, const QString &text) {
        if (!text.isEmpty())
            parts << QString() << title << text;
    };
    add(tr("Annual:"), r.annualWorking);
    add(tr("Per million output tokens:"), r.effectiveWorking);
    add(tr("Per 1,000 requests:"), r.per1kWorking);
    add(tr("Savings against the baseline:"), r.savingsWorking);
    return parts.join(QLatin1Char('\n'));
}

QString CostTableModel::toCsv() const
{
    return costRowsCsv(m_rows); // the same columns and numbers as `relaybench cost --format csv`
}

} // namespace relaybench
