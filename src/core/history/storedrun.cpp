#include "storedrun.h"

#include "campaign/campaignloader.h"
#include "pricing/pricecatalog.h"
#include "runstore.h"
#include "storedsummary.h"

#include <QDir>

namespace relaybench {

namespace {

// The campaign as run. The stored JSON is the campaign file without keys; a prompts_file or sim:// profile
// file it names relative to its old folder may be gone, and a reopened run must still show: then the
// campaign is the stored name and targets only.
Campaign storedCampaign(const RecordedRun &run)
{
    const CampaignLoadResult loaded = parseCampaign(run.campaignJson, QStringLiteral("history run %1").arg(run.id),
                                                    QDir::currentPath(), PriceCatalog::shipped());
    if (loaded.campaign)
        return *loaded.campaign;
    Campaign campaign;
    campaign.name = run.campaignName;
    for (const RecordedTarget &stored : run.targets) {
        Target target;
        target.name = stored.name;
        target.model = stored.model;
        target.baseUrl = stored.baseUrl;
        campaign.targets.append(target);
    }
    return campaign;
}

} // namespace

bool loadStoredRun(const QString &databasePath, qint64 runId, RunResult *result, QString *error)
{
    RunStore store;
    RecordedRun run;
    if (!store.open(databasePath, error) || !store.run(runId, &run, error))
        return false;
    Campaign campaign = storedCampaign(run);
    QStringList names;
    for (const RecordedTarget &target : std::as_const(run.targets))
        names.append(target.name);
    // The same aggregator the live view used, fed the same records in the same order: the same snapshot.
    LiveAggregator live(names);
    const bool needsSummary = run.summary.isEmpty();
    StoredSummaryBuilder summary(int(names.size()));
    if (!store.forEachAttempt(
            runId,
            [&](const AttemptRecord &record) {
                live.write(record);
                if (needsSummary)
                    summary.add(record);
            },
            error))
        return false;
    result->summary = needsSummary ? summary.summary(run, campaign.slo) : run.summary;
    result->campaign = std::move(campaign);
    result->live = live.snapshot();
    result->folder.clear();
    return true;
}

} // namespace relaybench
