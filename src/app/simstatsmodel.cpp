#include "simstatsmodel.h"

#include <QLocale>

namespace relaybench {

namespace {

QList<double> valuesOf(const SimStatsSnapshot &s)
{
    QList<double> values{double(s.chatRequests),    double(s.streamed),     double(s.completed),
                         double(s.inFlight),        double(s.peakInFlight), double(s.connectionsOpen),
                         double(s.peakConnections), double(s.unauthorized), double(s.rateLimited),
                         double(s.badRequests),     double(s.clientAborts)};
    for (int i = 1; i < simFaultCount; ++i)
        values.append(s.faults[size_t(i)]);
    return values;
}

} // namespace

SimStatsModel::SimStatsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_rows = {
        {tr("Chat requests"), tr("Chat-completion requests received since the simulator started")},
        {tr("Streamed"), tr("Of those, requests with \"stream\": true")},
        {tr("Completed"), tr("Answered in full, without a fault")},
        {tr("In flight"), tr("Received and not yet fully answered (hung requests included)")},
        {tr("Peak in flight"), tr("The most requests in flight at once")},
        {tr("Open connections"), tr("TCP connections open now")},
        {tr("Peak connections"), tr("The most TCP connections open at once")},
        {tr("401 unauthorized"), tr("Refused for a missing or wrong API key")},
        {tr("429 server limit"), tr("Refused by the profile's requests/tokens per minute limit")},
        {tr("Bad requests"), tr("4xx answers to malformed requests or unknown URLs")},
        {tr("Client aborts"), tr("Connections the client closed before the answer was complete")},
    };
    for (int i = 1; i < simFaultCount; ++i) {
        const QString name = simFaultName(SimFault(i));
        m_rows.append({tr("Fault: %1").arg(name), tr("Requests that drew the %1 fault").arg(name)});
    }
}

int SimStatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SimStatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 2;
}

QVariant SimStatsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == 0 ? QVariant(row.label) : QVariant(QLocale().toString(qint64(row.value)));
    case Qt::ToolTipRole:
        return row.tooltip;
    case Qt::TextAlignmentRole:
        return index.column() == 1 ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default:
        return {};
    }
}

QVariant SimStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == 0 ? tr("Counter") : tr("Value");
}

void SimStatsModel::refresh(const SimStatsSnapshot &stats)
{
    const QList<double> values = valuesOf(stats);
    for (qsizetype i = 0; i < values.size() && i < m_rows.size(); ++i) {
        if (m_rows[i].value == values[i])
            continue;
        m_rows[i].value = values[i];
        emit dataChanged(index(int(i), 1), index(int(i), 1), {Qt::DisplayRole});
    }
}

} // namespace relaybench
