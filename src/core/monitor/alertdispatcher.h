#pragma once

#include "alertlog.h"
#include "monitorconfig.h"

#include <QHash>
#include <QObject>

#include <deque>

class QNetworkAccessManager;

namespace relaybench {

// Sends every alert to the webhooks (Slack-compatible or the generic JSON payload), retrying a failed
// delivery with exponential backoff (base, 2 base, 4 base, ... up to max_tries), rate-limited per target,
// and keeps the alert log. Lives on the thread that creates it; nothing here blocks.
class AlertDispatcher : public QObject
{
    Q_OBJECT

public:
    AlertDispatcher(QList<WebhookSpec> webhooks, AlertPolicy policy, QObject *parent = nullptr);
    ~AlertDispatcher() override;

    // Logs the alert and, unless the target is over its rate limit, sends it. Returns the log entry's id.
    qint64 dispatch(const Alert &alert);
    AlertLog *log() { return &m_log; }
    const AlertLog *log() const { return &m_log; }
    // Deliveries still pending (being sent or waiting for a retry).
    int pendingDeliveries() const { return m_pending; }

    // scheme://host[:port]/… — what the log shows of a webhook URL (Slack puts its secret in the path).
    static QString redactedEndpoint(const QUrl &url);

signals:
    void alertSent(const relaybench::Alert &alert);       // not suppressed: the deliveries have started
    void alertSuppressed(const relaybench::Alert &alert); // over the rate limit
    void deliveryFinished(qint64 entryId, int webhook, const relaybench::AlertDelivery &delivery);

private:
    bool overRateLimit(const Alert &alert);
    void tryDelivery(qint64 entryId, int webhook, QByteArray payload, AlertDelivery delivery);
    void finishDelivery(qint64 entryId, int webhook, const AlertDelivery &delivery);

    QList<WebhookSpec> m_webhooks;
    AlertPolicy m_policy;
    AlertLog m_log;
    QNetworkAccessManager *m_manager;              // child of this
    QHash<QString, std::deque<qint64>> m_sentAtMs; // per target: when its recent alerts went out
    int m_pending = 0;
};

} // namespace relaybench
