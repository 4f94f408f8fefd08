#include "alertlog.h"

#include <algorithm>

namespace relaybench {

QLatin1String deliveryStatusName(AlertDelivery::Status status)
{
    switch (status) {
    case AlertDelivery::Status::Pending:
        return QLatin1String("pending");
    case AlertDelivery::Status::Delivered:
        return QLatin1String("delivered");
    case AlertDelivery::Status::Failed:
        break;
    }
    return QLatin1String("failed");
}

AlertLog::AlertLog(qsizetype capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(std::max<qsizetype>(1, capacity))
{}

qint64 AlertLog::append(AlertLogEntry entry)
{
    if (size() >= m_capacity) {
        emit aboutToDropOldest();
        m_entries.pop_front();
        emit oldestDropped();
    }
    entry.id = m_nextId++;
    emit aboutToAppend();
    m_entries.push_back(std::move(entry));
    emit appended();
    return m_entries.back().id;
}

qsizetype AlertLog::rowOf(qint64 id) const
{
    if (m_entries.empty())
        return -1;
    const qsizetype row = qsizetype(id - m_entries.front().id);
    return row >= 0 && row < size() ? row : -1;
}

void AlertLog::updateDelivery(qint64 id, int webhook, const AlertDelivery &delivery)
{
    const qsizetype row = rowOf(id);
    if (row < 0 || webhook < 0 || webhook >= m_entries[size_t(row)].deliveries.size())
        return;
    m_entries[size_t(row)].deliveries[webhook] = delivery;
    emit changed(row);
}

} // namespace relaybench
