#include "campaignestimate.h"

#include "engine/promptsize.h"
#include "pricing/pricecatalog.h"
#include "sim/simplan.h"
#include "sim/simprofile.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QTime>

#include <algorithm>
#include <cmath>

namespace relaybench {

namespace {

// Plans drawn to average a simulator profile: enough for a stable mean, cheap enough for every edit.
constexpr int simulatedPlans = 2000;

// The engine's estimate when a server reports no usage (Attempt: ~4 characters a token + 4 a message).
qint64 estimatedPromptTokens(const QJsonArray &messages)
{
    return (qint64(messageContentChars(messages)) + 3) / 4 + 4 * messages.size();
}

// Logical requests each target will send (warm-up included), or -1 when only duration_s bounds them.
qint64 plannedRequests(const LoadSpec &load)
{
    return load.requests > 0 ? load.requests + load.warmupRequests : -1;
}

// Seconds to send `requests` at `rate`/s when the rate rises linearly from 5% to 100% over `ramp` s.
double openLoopSeconds(double requests, double rate, double ramp)
{
    const double duringRamp = rate * ramp * 0.525; // the mean of 5% and 100%
    if (ramp <= 0.0 || requests >= duringRamp)
        return ramp + (requests - (ramp > 0.0 ? duringRamp : 0.0)) / rate;
    // n(t) = rate * (0.05 t + 0.475 t^2 / ramp) = requests
    const double a = 0.475 * rate / ramp;
    const double b = 0.05 * rate;
    return (-b + std::sqrt(b * b + 4.0 * a * requests)) / (2.0 * a);
}

// Closed loop: workers rise linearly from 1 to `workers` over `ramp` s, each doing one request per `latency`.
double closedLoopSeconds(double requests, double latency, int workers, double ramp)
{
    const double meanWorkersDuringRamp = (1.0 + workers) / 2.0;
    const double duringRamp = ramp * meanWorkersDuringRamp / latency;
    if (ramp <= 0.0 || requests >= duringRamp)
        return ramp + (requests - (ramp > 0.0 ? duringRamp : 0.0)) * latency / workers;
    return requests * latency / meanWorkersDuringRamp;
}

QString simProfilePath(const Target &target, const QString &baseDir)
{
    QString name = target.simProfile();
    const bool isFile = name.endsWith(QLatin1String(".json")) || name.contains(QLatin1Char('/'));
    if (isFile && QFileInfo(name).isRelative() && !baseDir.isEmpty())
        name = QDir(baseDir).filePath(name);
    return name;
}

} // namespace

double simulatedMeanLatencyS(const Campaign &campaign, const Target &target, const QString &baseDir)
{
    const auto profile = loadSimProfile(simProfilePath(target, baseDir), nullptr);
    if (!profile)
        return -1.0;
    const SimPlanner planner(*profile);
    const double totalMs = campaign.timeouts.totalS * 1000.0;
    const double stallMs = campaign.timeouts.stallS * 1000.0;
    const QList<QJsonArray> &conversations = campaign.request.conversations;
    double sumMs = 0.0;
    for (int i = 0; i < simulatedPlans; ++i) {
        SimChatRequest request;
        request.stream = campaign.request.stream;
        request.maxTokens = campaign.request.maxTokens;
        if (!conversations.isEmpty()) {
            const QJsonArray &messages = conversations.at(i % conversations.size());
            request.promptChars = messageContentChars(messages);
            request.messageCount = int(messages.size());
        }
        const SimPlan plan = planner.plan(request, quint64(i), 0.0, QTime(12, 0));
        double ms = plan.endMs();
        switch (plan.fault) {
        case SimFault::Hang: // ends in the stall or total timeout, whichever comes first
            ms = stallMs > 0.0 ? std::min(stallMs, totalMs) : totalMs;
            break;
        case SimFault::RateLimited:
        case SimFault::InternalError:
        case SimFault::BadGateway:
        case SimFault::Unavailable:
        case SimFault::Reset:
            ms = plan.headersMs;
            break;
        case SimFault::StreamCut:
        case SimFault::ErrorEvent:
            ms = plan.chunkMs(std::max(0, plan.faultAtChunk));
            break;
        case SimFault::None:
        case SimFault::MalformedJson:
            break;
        }
        sumMs += std::min(ms, totalMs);
    }
    return sumMs / simulatedPlans / 1000.0;
}

QString describeDuration(double seconds)
{
    if (seconds < 1.5)
        return QStringLiteral("about 1 second");
    if (seconds < 90.0)
        return QStringLiteral("about %1 seconds").arg(std::round(seconds));
    if (seconds < 90.0 * 60.0)
        return QStringLiteral("about %1 minutes").arg(std::round(seconds / 60.0));
    return QStringLiteral("about %1 hours").arg(QString::number(seconds / 3600.0, 'f', 1));
}

CampaignEstimate estimateCampaign(const Campaign &campaign, const QString &baseDir)
{
    CampaignEstimate estimate;
    const LoadSpec &load = campaign.load;
    const bool open = load.mode == LoadSpec::Mode::Open;
    estimate.targets = int(campaign.targets.size());
    const QList<QJsonArray> &conversations = campaign.request.conversations;
    QList<qint64> promptTokens;
    for (const QJsonArray &messages : conversations)
        promptTokens.append(estimatedPromptTokens(messages));
    if (promptTokens.isEmpty())
        promptTokens.append(estimatedPromptTokens({}));

    QStringList assumedFor;
    for (const Target &target : campaign.targets) {
        double latencyS = assumedLatencyS;
        if (target.isSimulated()) {
            const double simulated = simulatedMeanLatencyS(campaign, target, baseDir);
            if (simulated > 0.0)
                latencyS = simulated;
            else
                assumedFor.append(target.name);
        } else if (!open) {
            assumedFor.append(target.name);
        }
        latencyS = std::min(latencyS, campaign.timeouts.totalS);

        qint64 requests = plannedRequests(load);
        double seconds = 0.0;
        if (requests >= 0) {
            seconds = open ? openLoopSeconds(double(requests), load.rate, load.rampUpS)
                           : closedLoopSeconds(double(requests), latencyS, std::max(1, load.concurrency), load.rampUpS);
        }
        if (load.durationS > 0.0 && (requests < 0 || seconds > load.durationS)) {
            // duration_s ends the run first: count what fits in it.
            seconds = load.durationS;
            estimate.durationCappedByLimit = true;
            const double fit =
                open ? load.rate * load.durationS : load.durationS * std::max(1, load.concurrency) / latencyS;
            requests = qint64(std::ceil(fit));
        }
        estimate.durationS = std::max(estimate.durationS, seconds);
        estimate.requests += requests;

        if (!target.price) {
            ++estimate.unpricedTargets;
            continue;
        }
        // Request k uses conversation k % n: whole cycles, then the first `rest` conversations. Priced one
        // request at a time, as the engine does (a long prompt may fall in a long-context price tier).
        const qint64 n = promptTokens.size();
        double cost = 0.0;
        for (qint64 k = 0; k < n; ++k) {
            const qint64 uses = requests / n + (k < requests % n ? 1 : 0);
            cost += double(uses) * attemptCostUsd(*target.price, promptTokens.at(k), 0, campaign.request.maxTokens);
        }
        estimate.maxCostUsd += cost;
        estimate.worstCaseCostUsd += cost * campaign.retry.maxAttempts;
    }
    estimate.worstCaseAttempts = estimate.requests * campaign.retry.maxAttempts;
    if (!assumedFor.isEmpty())
        estimate.latencyAssumption = QStringLiteral("assuming %1 s per request for %2")
                                         .arg(assumedLatencyS)
                                         .arg(assumedFor.join(QStringLiteral(", ")));

    const QLocale english(QLocale::English, QLocale::UnitedStates);
    QString text = QStringLiteral("%1 requests to %2 %3, at most $%4 at catalogue prices")
                       .arg(english.toString(estimate.requests))
                       .arg(estimate.targets)
                       .arg(estimate.targets == 1 ? QStringLiteral("target") : QStringLiteral("targets"))
                       .arg(english.toString(estimate.maxCostUsd, 'f', 2));
    if (campaign.retry.maxAttempts > 1)
        text +=
            QStringLiteral(" ($%1 if every retry is used)").arg(english.toString(estimate.worstCaseCostUsd, 'f', 2));
    if (estimate.unpricedTargets > 0)
        text += QStringLiteral(" (%1 without a price, counted as $0)").arg(estimate.unpricedTargets);
    text += QStringLiteral(", ") + describeDuration(estimate.durationS);
    if (estimate.durationCappedByLimit)
        text += QStringLiteral(" (duration_s)");
    if (!estimate.latencyAssumption.isEmpty())
        text += QStringLiteral(" (") + estimate.latencyAssumption + QLatin1Char(')');
    estimate.text = text;
    return estimate;
}

} // namespace relaybench
