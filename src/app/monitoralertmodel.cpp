#include "monitoralertmodel.h"

#include "monitor/alertlog.h"

namespace relaybench {

MonitorAlertModel::MonitorAlertModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void MonitorAlertModel::setLog(const AlertLog *log)
{
    beginResetModel();
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = log;
    if (log) {
        connect(log, &AlertLog::aboutToDropOldest, this, [this] { beginRemoveRows({}, 0, 0); });
        connect(log, &AlertLog::oldestDropped, this, [this] { endRemoveRows(); });
        connect(log, &AlertLog::aboutToAppend, this, [this] {
            const int row = int(m_log->size());
            beginInsertRows({}, row, row);
        });
        connect(log, &AlertLog::appended, this, [this] { endInsertRows(); });
        connect(log, &AlertLog::changed, this,
                [this](qsizetype row) { emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1)); });
        connect(log, &QObject::destroyed, this, [this] {
            beginResetModel();
            endResetModel();
        });
    }
    endResetModel();
}

int MonitorAlertModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_log ? 0 : int(m_log->size());
}

int MonitorAlertModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MonitorAlertModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_log)
        return {};
    const AlertLogEntry &entry = m_log->at(index.row());
    const Alert &alert = entry.alert;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return alert.at.toLocalTime().toString(Qt::ISODate);
    case TargetColumn:
        return alert.target;
    case ChangeColumn:
        return QString(QString(healthStateName(alert.from)) + QStringLiteral(" \u2192 ") +
                       QString(healthStateName(alert.to)));
    case FiguresColumn: {
        const WindowFigures &f = alert.figures;
        if (f.probes == 0)
            return QStringLiteral("-");
        QString text =
            tr("%1: %2% of %3 ok").arg(windowLabel(f.windowS)).arg(f.successRate() * 100.0, 0, 'f', 1).arg(f.probes);
        if (applies(f.latencyP95Ms))
            text += tr(", p95 %1 ms").arg(f.latencyP95Ms, 0, 'f', 0);
        return text;
    }
    case DeliveryColumn: {
        if (entry.suppressed)
            return tr("suppressed (rate limit)");
        if (entry.deliveries.isEmpty())
            return tr("no webhook");
        QStringList parts;
        for (const AlertDelivery &delivery : entry.deliveries) {
            QString part = delivery.endpoint + QLatin1Char(' ') + QString(deliveryStatusName(delivery.status));
            if (delivery.tries > 1 || delivery.status == AlertDelivery::Status::Failed)
                part += tr(" after %n tries", nullptr, delivery.tries);
            if (role == Qt::ToolTipRole && !delivery.lastError.isEmpty())
                part += QStringLiteral(" (") + delivery.lastError + QLatin1Char(')');
            parts.append(part);
        }
        return parts.join(role == Qt::ToolTipRole ? QStringLiteral("\n") : QStringLiteral("; "));
    }
    default:
        return {};
    }
}

QVariant MonitorAlertModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case TargetColumn:
        return tr("Target");
    case ChangeColumn:
        return tr("Change");
    case FiguresColumn:
        return tr("Window");
    case DeliveryColumn:
        return tr("Webhooks");
    default:
        return {};
    }
}

} // namespace relaybench
