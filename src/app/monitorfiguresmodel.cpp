#include "monitorfiguresmodel.h"

#include "monitor/alert.h"
#include "monitor/monitor.h"

#include <QBrush>
#include <QColor>

namespace relaybench {

namespace {

QString milliseconds(double value)
{
    return applies(value) ? QString::number(value, 'f', 0) : QStringLiteral("-");
}

bool sameFigures(const WindowFigures &a, const WindowFigures &b)
{
    auto same = [](double x, double y) {
        return (std::isnan(x) && std::isnan(y)) || x == y;
    };
    return a.probes == b.probes && a.successes == b.successes && a.outcomes == b.outcomes &&
           same(a.latencyP50Ms, b.latencyP50Ms) && same(a.latencyP95Ms, b.latencyP95Ms) &&
           same(a.latencyP99Ms, b.latencyP99Ms) && same(a.ttftP50Ms, b.ttftP50Ms);
}

} // namespace

MonitorFiguresModel::MonitorFiguresModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void MonitorFiguresModel::setTargets(const QStringList &names)
{
    beginResetModel();
    m_rows.clear();
    for (const QString &name : names) {
        for (double windowS : windowsS)
            m_rows.append({name, windowS, HealthState::Unknown, WindowFigures{}});
    }
    endResetModel();
}

void MonitorFiguresModel::refresh(const Monitor &monitor)
{
    const int windows = int(windowsS.size());
    for (int target = 0; target < monitor.targetCount() && (target + 1) * windows <= m_rows.size(); ++target) {
        const HealthState state = monitor.state(target);
        for (int w = 0; w < windows; ++w) {
            Row &row = m_rows[target * windows + w];
            const WindowFigures figures = monitor.figures(target, windowsS[size_t(w)]);
            if (row.state == state && sameFigures(row.figures, figures))
                continue;
            row.state = state;
            row.figures = figures;
            const int r = target * windows + w;
            emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
        }
    }
}

int MonitorFiguresModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MonitorFiguresModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MonitorFiguresModel::failures(const WindowFigures &figures) const
{
    QStringList parts;
    for (Outcome outcome : allOutcomes()) {
        const qint64 count = figures.outcomes[size_t(outcome)];
        if (outcome != Outcome::Ok && count > 0)
            parts.append(QStringLiteral("%1 %2").arg(count).arg(QLatin1String(outcomeName(outcome))));
    }
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QStringLiteral(", "));
}

QVariant MonitorFiguresModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const WindowFigures &f = row.figures;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TargetColumn:
            return row.target;
        case WindowColumn:
            return windowLabel(row.windowS);
        case StateColumn:
            return QString(healthStateName(row.state));
        case ProbesColumn:
            return f.probes;
        case SuccessColumn:
            return f.probes > 0 ? QString::number(f.successRate() * 100.0, 'f', 1) + QLatin1Char('%')
                                : QStringLiteral("-");
        case P50Column:
            return milliseconds(f.latencyP50Ms);
        case P95Column:
            return milliseconds(f.latencyP95Ms);
        case P99Column:
            return milliseconds(f.latencyP99Ms);
        case TtftP50Column:
            return milliseconds(f.ttftP50Ms);
        case FailuresColumn:
            return failures(f);
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= ProbesColumn && index.column() <= TtftP50Column)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == StateColumn)
        return tr("The current state of the target, judged on the evaluation window (docs/monitor.md)");
    return {};
}

QVariant MonitorFiguresModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TargetColumn:
        return tr("Target");
    case WindowColumn:
        return tr("Window");
    case StateColumn:
        return tr("State");
    case ProbesColumn:
        return tr("Probes");
    case SuccessColumn:
        return tr("Success");
    case P50Column:
        return tr("p50 ms");
    case P95Column:
        return tr("p95 ms");
    case P99Column:
        return tr("p99 ms");
    case TtftP50Column:
        return tr("TTFT p50 ms");
    case FailuresColumn:
        return tr("Failures");
    default:
        return {};
    }
}

} // namespace relaybench
