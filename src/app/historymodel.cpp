#include "historymodel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

namespace relaybench {

namespace {

QString targetNames(const RecordedRun &run)
{
    QStringList names;
    for (const RecordedTarget &target : run.targets)
        names.append(target.name);
    return names.join(QLatin1String(", "));
}

QString shownDate(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : iso;
}

QString milliseconds(double value)
{
    return value < 0.0 ? QStringLiteral("-")
                       : QString::number(value, 'f', value < 100.0 ? 1 : 0) + QLatin1String(" ms");
}

} // namespace

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

HistoryModel::Figures HistoryModel::figuresOf(const RecordedRun &run)
{
    Figures figures;
    const QJsonArray targets = run.summary.value(QLatin1String("targets")).toArray();
    if (targets.isEmpty())
        return figures;
    double requests = 0.0;
    double succeeded = 0.0;
    double cost = 0.0;
    QStringList latencyTips;
    QStringList ttftTips;
    for (const QJsonValue &value : targets) {
        const QJsonObject target = value.toObject();
        const QString name = target.value(QLatin1String("name")).toString();
        requests += target.value(QLatin1String("requests")).toDouble();
        succeeded += target.value(QLatin1String("succeeded")).toDouble();
        cost += target.value(QLatin1String("cost_usd")).toDouble();
        // The worst target decides: a run is as slow as its slowest endpoint. null: nothing succeeded.
        const QJsonValue p95 = target.value(QLatin1String("latency_ms")).toObject().value(QLatin1String("p95"));
        if (p95.isDouble())
            figures.latencyP95 = std::max(figures.latencyP95, p95.toDouble());
        latencyTips.append(name + QLatin1String(": ") + milliseconds(p95.isDouble() ? p95.toDouble() : -1.0));
        const QJsonValue p50 = target.value(QLatin1String("ttft_ms")).toObject().value(QLatin1String("p50"));
        if (p50.isDouble())
            figures.ttftP50 = std::max(figures.ttftP50, p50.toDouble());
        ttftTips.append(name + QLatin1String(": ") + milliseconds(p50.isDouble() ? p50.toDouble() : -1.0));
    }
    figures.requests = requests;
    figures.successRate = requests > 0.0 ? succeeded / requests : -1.0;
    figures.cost = cost;
    figures.latencyTip = latencyTips.join(QLatin1Char('\n'));
    figures.ttftTip = ttftTips.join(QLatin1Char('\n'));
    return figures;
}

void HistoryModel::setRuns(const QList<RecordedRun> &runs)
{
    // A reset per refresh: the list is re-read whole after a run ends or one is deleted, seldom and small.
    beginResetModel();
    m_runs = runs;
    m_figures.clear();
    for (const RecordedRun &run : m_runs)
        m_figures.append(figuresOf(run));
    endResetModel();
}

int HistoryModel::rowOf(qint64 runId) const
{
    for (int row = 0; row < m_runs.size(); ++row)
        if (m_runs.at(row).id == runId)
            return row;
    return -1;
}

const RecordedRun *HistoryModel::run(qint64 runId) const
{
    const int row = rowOf(runId);
    return row < 0 ? nullptr : &m_runs.at(row);
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case SortRole:
        return sortValue(row, index.column());
    case RunIdRole:
        return m_runs.at(row).id;
    case Qt::TextAlignmentRole:
        return index.column() >= RequestsColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ToolTipRole:
        switch (index.column()) {
        case StateColumn:
            return m_runs.at(row).stopReason.isEmpty() ? QVariant() : tr("Stopped: %1").arg(m_runs.at(row).stopReason);
        case RequestsColumn:
            return tr("%1 attempt(s) recorded").arg(m_runs.at(row).attempts);
        case LatencyP95Column:
            return m_figures.at(row).latencyTip;
        case TtftP50Column:
            return m_figures.at(row).ttftTip;
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant HistoryModel::display(int row, int column) const
{
    const RecordedRun &run = m_runs.at(row);
    const Figures &figures = m_figures.at(row);
    switch (column) {
    case DateColumn:
        return shownDate(run.startedAt);
    case CampaignColumn:
        return run.campaignName;
    case KindColumn:
        return run.kind;
    case StateColumn:
        return run.state;
    case TargetsColumn:
        return targetNames(run);
    case RequestsColumn:
        return figures.requests < 0.0 ? QStringLiteral("-") : QString::number(qint64(figures.requests));
    case SuccessRateColumn:
        return figures.successRate < 0.0 ? QStringLiteral("-")
                                         : QString::number(figures.successRate * 100.0, 'f', 1) + QLatin1Char('%');
    case LatencyP95Column:
        return milliseconds(figures.latencyP95);
    case TtftP50Column:
        return milliseconds(figures.ttftP50);
    case CostColumn:
        return figures.cost < 0.0 ? QStringLiteral("-") : QStringLiteral("$%1").arg(figures.cost, 0, 'f', 4);
    default:
        return {};
    }
}

QVariant HistoryModel::sortValue(int row, int column) const
{
    const RecordedRun &run = m_runs.at(row);
    const Figures &figures = m_figures.at(row);
    switch (column) {
    case DateColumn:
        return run.startedAt.isEmpty() ? QVariant(run.id) : QVariant(run.startedAt); // ISO 8601 sorts as text
    case RequestsColumn:
        return figures.requests;
    case SuccessRateColumn:
        return figures.successRate;
    case LatencyP95Column:
        return figures.latencyP95;
    case TtftP50Column:
        return figures.ttftP50;
    case CostColumn:
        return figures.cost;
    default:
        return display(row, column);
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        static const QStringList titles = {tr("Date"),     tr("Campaign"), tr("Kind"),    tr("State"),
                                           tr("Targets"),  tr("Requests"), tr("Success"), tr("p95 latency"),
                                           tr("TTFT p50"), tr("Cost")};
        return titles.value(section);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case RequestsColumn:
            return tr("Logical requests of all targets (summary.json)");
        case SuccessRateColumn:
            return tr("Succeeded requests of all targets over their requests");
        case LatencyP95Column:
        case TtftP50Column:
            return tr("The slowest target's; the cell's tooltip gives every target's");
        case CostColumn:
            return tr("Cost of every attempt of all targets, warm-up included");
        default:
            return {};
        }
    }
    return {};
}

HistoryFilterModel::HistoryFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(HistoryModel::SortRole);
}

void HistoryFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void HistoryFilterModel::setState(const QString &state)
{
    m_state = state;
    invalidateFilter();
}

bool HistoryFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (!m_state.isEmpty() &&
        model->index(sourceRow, HistoryModel::StateColumn, sourceParent).data().toString() != m_state)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column : {HistoryModel::DateColumn, HistoryModel::CampaignColumn, HistoryModel::KindColumn,
                       HistoryModel::StateColumn, HistoryModel::TargetsColumn})
        if (model->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace relaybench
