// Alert delivery: the Slack and JSON payloads reach a local receiver, failed deliveries are retried with
// exponential backoff and finally given up, the per-target rate limit suppresses (and logs) the excess.
#include "webhookreceiver.h"

#include "monitor/alertdispatcher.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace relaybench;

namespace {

Alert sampleAlert(const QString &target = QStringLiteral("relay"), qint64 atMs = 1'800'000'000'000)
{
    Alert alert;
    alert.at = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC);
    alert.target = target;
    alert.from = HealthState::Healthy;
    alert.to = HealthState::Degraded;
    alert.figures.windowS = 300.0;
    alert.figures.probes = 20;
    alert.figures.successes = 18;
    alert.figures.latencyP50Ms = 120.0;
    alert.figures.latencyP95Ms = 812.4;
    alert.figures.latencyP99Ms = 900.0;
    alert.figures.outcomes[size_t(Outcome::Ok)] = 18;
    alert.figures.outcomes[size_t(Outcome::ServerError)] = 2;
    return alert;
}

AlertPolicy fastPolicy(int maxTries = 5)
{
    AlertPolicy policy;
    policy.maxTries = maxTries;
    policy.retryBaseS = 0.1;
    policy.timeoutS = 5.0;
    return policy;
}

WebhookSpec hook(const QByteArray &url, WebhookSpec::Format format)
{
    return {QUrl(QString::fromLatin1(url)), format};
}

} // namespace

class TestWebhook : public QObject
{
    Q_OBJECT

private slots:
    void alertText_data();
    void alertText();
    void slackAndJsonDelivered();
    void retriedWithBackoff();
    void givesUpAfterMaxTries();
    void refusedConnection();
    void rateLimitSuppresses();
};

void TestWebhook::alertText_data()
{
    QTest::addColumn<double>("windowS");
    QTest::addColumn<QString>("text");
    QTest::addRow("5 min") << 300.0
                           << QStringLiteral("relay: healthy -> degraded (5 min: 90.0% of 20 probes ok, p95 812 ms)");
    QTest::addRow("1 h") << 3600.0
                         << QStringLiteral("relay: healthy -> degraded (1 h: 90.0% of 20 probes ok, p95 812 ms)");
    QTest::addRow("seconds") << 45.0
                             << QStringLiteral("relay: healthy -> degraded (45 s: 90.0% of 20 probes ok, p95 812 ms)");
}

void TestWebhook::alertText()
{
    QFETCH(double, windowS);
    QFETCH(QString, text);
    Alert alert = sampleAlert();
    alert.figures.windowS = windowS;
    QCOMPARE(relaybench::alertText(alert), text);
}

void TestWebhook::slackAndJsonDelivered()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.start());
    AlertDispatcher dispatcher({hook(receiver.url("/services/T0/B0/secret"), WebhookSpec::Format::Slack),
                                hook(receiver.url("/generic"), WebhookSpec::Format::Json)},
                               fastPolicy());
    QSignalSpy finished(&dispatcher, &AlertDispatcher::deliveryFinished);
    const qint64 id = dispatcher.dispatch(sampleAlert());
    QCOMPARE(dispatcher.log()->size(), 1);
    QCOMPARE(dispatcher.log()->at(0).deliveries.at(0).status, AlertDelivery::Status::Pending);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 15000);
    QCOMPARE(dispatcher.pendingDeliveries(), 0);
    QCOMPARE(receiver.received.size(), 2);

    QHash<QByteArray, QJsonObject> bodies;
    for (const WebhookReceiver::Received &r : std::as_const(receiver.received)) {
        QCOMPARE(r.contentType, QByteArray("application/json"));
        bodies.insert(r.path, QJsonDocument::fromJson(r.body).object());
    }
    const QJsonObject slack = bodies.value("/services/T0/B0/secret");
    QCOMPARE(slack.keys(), QStringList{QStringLiteral("text")});
    QCOMPARE(slack.value(QLatin1String("text")).toString(),
             QStringLiteral("RelayBench: relay: healthy -> degraded (5 min: 90.0% of 20 probes ok, p95 812 ms)"));
    const QJsonObject json = bodies.value("/generic");
    QCOMPARE(json.value(QLatin1String("target")).toString(), QStringLiteral("relay"));
    QCOMPARE(json.value(QLatin1String("old_state")).toString(), QStringLiteral("healthy"));
    QCOMPARE(json.value(QLatin1String("new_state")).toString(), QStringLiteral("degraded"));
    QCOMPARE(json.value(QLatin1String("at")).toString(), QStringLiteral("2027-01-15T08:00:00.000Z"));
    const QJsonObject window = json.value(QLatin1String("window")).toObject();
    QCOMPARE(window.value(QLatin1String("probes")).toInt(), 20);
    QCOMPARE(window.value(QLatin1String("success_rate")).toDouble(), 0.9);
    QCOMPARE(window.value(QLatin1String("latency_ms")).toObject().value(QLatin1String("p95")).toDouble(), 812.4);
    QCOMPARE(window.value(QLatin1String("outcomes")).toObject().value(QLatin1String("server_error")).toInt(), 2);

    const AlertLogEntry &entry = dispatcher.log()->at(dispatcher.log()->rowOf(id));
    QVERIFY(!entry.suppressed);
    for (const AlertDelivery &delivery : entry.deliveries) {
        QCOMPARE(delivery.status, AlertDelivery::Status::Delivered);
        QCOMPARE(delivery.tries, 1);
        QVERIFY2(!delivery.endpoint.contains(QLatin1String("secret")), qPrintable(delivery.endpoint));
        QVERIFY2(!delivery.endpoint.contains(QLatin1String("generic")), qPrintable(delivery.endpoint));
    }
}

void TestWebhook::retriedWithBackoff()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.start());
    receiver.statuses = {500, 429, 502}; // three failures, then 200
    AlertDispatcher dispatcher({hook(receiver.url("/hook"), WebhookSpec::Format::Json)}, fastPolicy());
    QSignalSpy finished(&dispatcher, &AlertDispatcher::deliveryFinished);
    QSignalSpy changed(dispatcher.log(), &AlertLog::changed);
    dispatcher.dispatch(sampleAlert());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const AlertDelivery delivery = finished.first().at(2).value<AlertDelivery>();
    QCOMPARE(delivery.status, AlertDelivery::Status::Delivered);
    QCOMPARE(delivery.tries, 4);
    QCOMPARE(receiver.received.size(), 4);
    QCOMPARE(changed.size(), 4); // three "still pending, try n failed", one "delivered"
    // Backoff 100, 200, 400 ms: each gap at least its delay (no upper bound: the machine is shared).
    const QList<qint64> minGaps{100, 200, 400};
    for (int i = 0; i < 3; ++i) {
        const qint64 gap = receiver.received.at(i + 1).atMs - receiver.received.at(i).atMs;
        QVERIFY2(gap >= minGaps.at(i) - 5, qPrintable(QStringLiteral("gap %1: %2 ms").arg(i).arg(gap)));
    }
    QCOMPARE(receiver.received.first().body, receiver.received.last().body); // the same payload every try
}

void TestWebhook::givesUpAfterMaxTries()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.start());
    receiver.statuses = {503, 503, 503, 503, 503};
    AlertDispatcher dispatcher({hook(receiver.url("/hook"), WebhookSpec::Format::Slack)}, fastPolicy(3));
    QSignalSpy finished(&dispatcher, &AlertDispatcher::deliveryFinished);
    dispatcher.dispatch(sampleAlert());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const AlertDelivery delivery = dispatcher.log()->at(0).deliveries.at(0);
    QCOMPARE(delivery.status, AlertDelivery::Status::Failed);
    QCOMPARE(delivery.tries, 3);
    QCOMPARE(delivery.lastError, QStringLiteral("HTTP 503"));
    QTest::qWait(600); // a fourth try would have come by now
    QCOMPARE(receiver.received.size(), 3);
}

void TestWebhook::refusedConnection()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close(); // nothing listens there now
    AlertDispatcher dispatcher(
        {hook("http://127.0.0.1:" + QByteArray::number(port) + "/hook", WebhookSpec::Format::Json)}, fastPolicy(2));
    QSignalSpy finished(&dispatcher, &AlertDispatcher::deliveryFinished);
    dispatcher.dispatch(sampleAlert());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const AlertDelivery delivery = dispatcher.log()->at(0).deliveries.at(0);
    QCOMPARE(delivery.status, AlertDelivery::Status::Failed);
    QCOMPARE(delivery.tries, 2);
    QVERIFY2(delivery.lastError.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(delivery.lastError));
}

void TestWebhook::rateLimitSuppresses()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.start());
    AlertPolicy policy = fastPolicy();
    policy.maxPerTarget = 2;
    policy.perS = 60.0;
    AlertDispatcher dispatcher({hook(receiver.url("/hook"), WebhookSpec::Format::Json)}, policy);
    QSignalSpy sent(&dispatcher, &AlertDispatcher::alertSent);
    QSignalSpy suppressed(&dispatcher, &AlertDispatcher::alertSuppressed);
    const qint64 t0 = 1'800'000'000'000;
    dispatcher.dispatch(sampleAlert(QStringLiteral("relay"), t0));
    dispatcher.dispatch(sampleAlert(QStringLiteral("relay"), t0 + 10'000));
    dispatcher.dispatch(sampleAlert(QStringLiteral("relay"), t0 + 20'000));  // third within 60 s
    dispatcher.dispatch(sampleAlert(QStringLiteral("direct"), t0 + 20'000)); // another target: its own limit
    dispatcher.dispatch(sampleAlert(QStringLiteral("relay"), t0 + 61'000));  // the first one has left the window
    QCOMPARE(sent.size(), 4);
    QCOMPARE(suppressed.size(), 1);
    QCOMPARE(dispatcher.log()->size(), 5);
    QVERIFY(dispatcher.log()->at(2).suppressed);
    QVERIFY(dispatcher.log()->at(2).deliveries.isEmpty());
    QVERIFY(!dispatcher.log()->at(3).suppressed);
    QVERIFY(!dispatcher.log()->at(4).suppressed);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.received.size(), 4, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(dispatcher.pendingDeliveries(), 0, 15000);
}

QTEST_GUILESS_MAIN(TestWebhook)
#include "tst_webhook.moc"
