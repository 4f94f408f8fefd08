#include "alertdispatcher.h"

#include "appinfo.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <cmath>

namespace relaybench {

AlertDispatcher::AlertDispatcher(QList<WebhookSpec> webhooks, AlertPolicy policy, QObject *parent)
    : QObject(parent)
    , m_webhooks(std::move(webhooks))
    , m_policy(policy)
    , m_manager(new QNetworkAccessManager(this))
{
    qRegisterMetaType<relaybench::Alert>();
    qRegisterMetaType<relaybench::AlertDelivery>();
}

AlertDispatcher::~AlertDispatcher()
{
    // Replies still open would call back into a half-destroyed dispatcher when the manager aborts them.
    const QList<QNetworkReply *> replies = m_manager->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies) {
        reply->disconnect(this);
        reply->abort();
    }
}

QString AlertDispatcher::redactedEndpoint(const QUrl &url)
{
    QString text = url.scheme() + QStringLiteral("://") + url.host();
    if (url.port() != -1)
        text += QLatin1Char(':') + QString::number(url.port());
    return text + QStringLiteral("/\u2026");
}

bool AlertDispatcher::overRateLimit(const Alert &alert)
{
    std::deque<qint64> &sent = m_sentAtMs[alert.target];
    const qint64 now = alert.at.toMSecsSinceEpoch();
    const qint64 horizon = now - qint64(m_policy.perS * 1000.0);
    while (!sent.empty() && sent.front() <= horizon)
        sent.pop_front();
    if (qsizetype(sent.size()) >= m_policy.maxPerTarget)
        return true;
    sent.push_back(now);
    return false;
}

qint64 AlertDispatcher::dispatch(const Alert &alert)
{
    AlertLogEntry entry;
    entry.alert = alert;
    entry.suppressed = overRateLimit(alert);
    if (!entry.suppressed) {
        for (const WebhookSpec &hook : std::as_const(m_webhooks))
            entry.deliveries.append({redactedEndpoint(hook.url), AlertDelivery::Status::Pending, 0, QString()});
    }
    const qint64 id = m_log.append(entry);
    if (entry.suppressed) {
        emit alertSuppressed(alert);
        return id;
    }
    for (int i = 0; i < m_webhooks.size(); ++i) {
        const QByteArray payload =
            m_webhooks.at(i).format == WebhookSpec::Format::Slack ? slackPayload(alert) : jsonPayload(alert);
        ++m_pending;
        tryDelivery(id, i, payload, entry.deliveries.at(i));
    }
    emit alertSent(alert);
    return id;
}

void AlertDispatcher::tryDelivery(qint64 entryId, int webhook, QByteArray payload, AlertDelivery delivery)
{
    QNetworkRequest request(m_webhooks.at(webhook).url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("RelayBench/" RELAYBENCH_VERSION));
    request.setTransferTimeout(int(m_policy.timeoutS * 1000.0));
    ++delivery.tries;
    QNetworkReply *reply = m_manager->post(request, payload);
    connect(reply, &QNetworkReply::finished, this, [this, reply, entryId, webhook, payload, delivery]() mutable {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
            delivery.status = AlertDelivery::Status::Delivered;
            delivery.lastError.clear();
            finishDelivery(entryId, webhook, delivery);
            return;
        }
        delivery.lastError = status > 0 ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        if (delivery.tries >= m_policy.maxTries) {
            delivery.status = AlertDelivery::Status::Failed;
            finishDelivery(entryId, webhook, delivery);
            return;
        }
        m_log.updateDelivery(entryId, webhook, delivery); // still pending, with the try count and the error
        const double delayMs = m_policy.retryBaseS * 1000.0 * std::pow(2.0, delivery.tries - 1);
        QTimer::singleShot(
            std::chrono::milliseconds(qint64(delayMs)), this,
            [this, entryId, webhook, payload, delivery] { tryDelivery(entryId, webhook, payload, delivery); });
    });
}

void AlertDispatcher::finishDelivery(qint64 entryId, int webhook, const AlertDelivery &delivery)
{
    --m_pending;
    m_log.updateDelivery(entryId, webhook, delivery);
    emit deliveryFinished(entryId, webhook, delivery);
}

} // namespace relaybench
