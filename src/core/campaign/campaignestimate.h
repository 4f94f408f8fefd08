#pragma once

#include "campaign.h"

#include <QString>

namespace relaybench {

// What a campaign will cost and take, worked out before it runs (shown in the editor, and asked
// about when the cost passes a threshold).
struct CampaignEstimate
{
    int targets = 0;
    qint64 requests = 0;          // logical requests over all targets, warm-up included
    qint64 worstCaseAttempts = 0; // every request retried up to retry.max_attempts
    // Upper bound at catalogue prices: estimated prompt tokens + max_tokens of output, one attempt per
    // request; with every retry also failing after max_tokens, worstCaseCostUsd.
    double maxCostUsd = 0.0;
    double worstCaseCostUsd = 0.0;
    int unpricedTargets = 0; // targets with no price: they count as 0
    double durationS = 0.0;
    bool durationCappedByLimit = false; // duration_s ends the run first
    QString latencyAssumption;          // non-empty when a target's latency was assumed, not known
    QString text; // "2,000 requests to 2 targets, at most $0.84 at catalogue prices, about 3 minutes"
};

// Expected latency assumed for a real endpoint (not sim://), in seconds.
inline constexpr double assumedLatencyS = 2.0;

// `baseDir` resolves sim:// profile files, as the engine does.
CampaignEstimate estimateCampaign(const Campaign &campaign, const QString &baseDir = QString());

// Mean time of one attempt against a simulator profile, from the simulator's own plans (hangs count as
// the timeout they end in). Negative when the profile cannot be loaded.
double simulatedMeanLatencyS(const Campaign &campaign, const Target &target, const QString &baseDir);

// "about 3 minutes", "about 40 seconds", "about 2.5 hours".
QString describeDuration(double seconds);

} // namespace relaybench
