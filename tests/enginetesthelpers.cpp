#include "enginetesthelpers.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace relaybench;

namespace enginetest {

std::unique_ptr<SimServer> startSimulator(const QByteArray &profileJson, int threads)
{
    QString error;
    auto profile = parseSimProfile(profileJson, QStringLiteral("test profile"), &error);
    if (!profile)
        qFatal("%s", qPrintable(error));
    auto server = std::make_unique<SimServer>(*profile, threads);
    if (!server->listen(QHostAddress::LocalHost, 0, &error))
        qFatal("%s", qPrintable(error));
    return server;
}

Campaign campaignFor(const QStringList &baseUrls, int concurrency, qint64 requests)
{
    Campaign campaign;
    campaign.name = QStringLiteral("test");
    for (int i = 0; i < baseUrls.size(); ++i) {
        Target target;
        target.name = QStringLiteral("t%1").arg(i);
        target.baseUrl = baseUrls.at(i);
        target.model = QStringLiteral("sim-model");
        target.price = Price{1.0, 0.5, 2.0};
        campaign.targets.append(target);
    }
    campaign.load.concurrency = concurrency;
    campaign.load.requests = requests;
    campaign.request.conversations.append(QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                                 {QStringLiteral("content"), QStringLiteral("ping")}}});
    campaign.request.maxTokens = 64;
    campaign.timeouts.totalS = 10.0;
    return campaign;
}

RunOutput run(const Campaign &campaign, int timeoutMs, const std::function<void(Runner &)> &during,
              const QStringList &keys)
{
    RunOutput output;
    CollectingSink sink;
    Runner runner(campaign, keys);
    QString error;
    if (!runner.prepare(&error))
        qFatal("prepare: %s", qPrintable(error));
    runner.addSink(&sink);
    QSignalSpy finished(&runner, &Runner::finished);
    runner.start();
    if (during)
        during(runner);
    output.finished = finished.count() > 0 || finished.wait(timeoutMs);
    output.records = sink.records;
    output.summary = runner.summary();
    output.sloPassed = runner.sloPassed();
    output.stopReason = runner.stopReason();
    return output;
}

QList<AttemptRecord> ofTarget(const QList<AttemptRecord> &records, int target)
{
    QList<AttemptRecord> out;
    for (const AttemptRecord &record : records) {
        if (record.target == target)
            out.append(record);
    }
    return out;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

} // namespace enginetest
