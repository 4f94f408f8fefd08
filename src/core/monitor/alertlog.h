#pragma once

#include "alert.h"

#include <QList>
#include <QObject>

#include <deque>

namespace relaybench {

// How one alert went to one webhook.
struct AlertDelivery
{
    enum class Status
    {
        Pending,   // being sent, or waiting for its next try
        Delivered, // a 2xx answer
        Failed,    // every try failed
    };
    QString endpoint; // scheme://host[:port]/…: webhook paths are often secrets (Slack's are), never logged
    Status status = Status::Pending;
    int tries = 0;
    QString lastError;
};

QLatin1String deliveryStatusName(AlertDelivery::Status status);

struct AlertLogEntry
{
    qint64 id = 0;
    Alert alert;
    bool suppressed = false; // over the target's rate limit: logged, not sent
    QList<AlertDelivery> deliveries;
};

// The alert log: every alert, sent or suppressed, with the delivery status per webhook. Keeps the newest
// `capacity` entries; ids keep counting so that a delivery finishing late never updates the wrong row.
class AlertLog : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype defaultCapacity = 1000;

    explicit AlertLog(qsizetype capacity = defaultCapacity, QObject *parent = nullptr);

    qint64 append(AlertLogEntry entry); // returns the entry's id
    void updateDelivery(qint64 id, int webhook, const AlertDelivery &delivery);

    qsizetype size() const { return qsizetype(m_entries.size()); }
    const AlertLogEntry &at(qsizetype row) const { return m_entries.at(size_t(row)); } // 0 = oldest
    qsizetype rowOf(qint64 id) const;                                                  // -1 when dropped or unknown

signals:
    void aboutToAppend();
    void appended();
    void aboutToDropOldest(); // the log is full: row 0 goes before the new entry comes
    void oldestDropped();
    void changed(qsizetype row);

private:
    qsizetype m_capacity;
    std::deque<AlertLogEntry> m_entries;
    qint64 m_nextId = 1;
};

} // namespace relaybench
