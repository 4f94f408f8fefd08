#include "storedrunexport.h"

#include "campaign/campaignloader.h"
#include "pricing/pricecatalog.h"
#include "runstore.h"
#include "storage/requestscsvwriter.h"
#include "storage/summaryfile.h"
#include "storedsummary.h"

#include <QDir>
#include <QSaveFile>

namespace relaybench {

bool exportStoredRun(const QString &databasePath, qint64 runId, const QString &outDir, QString *error)
{
    RunStore store;
    RecordedRun run;
    if (!store.open(databasePath, error) || !store.run(runId, &run, error))
        return false;
    if (!QDir().mkpath(outDir)) {
        *error = QStringLiteral("%1: cannot create the folder").arg(outDir);
        return false;
    }
    QStringList names;
    for (const RecordedTarget &target : std::as_const(run.targets))
        names.append(target.name);
    const QString csvPath = QDir(outDir).filePath(QStringLiteral("requests.csv"));
    QSaveFile csv(csvPath);
    if (!csv.open(QIODevice::WriteOnly)) {
        *error = csvPath + QStringLiteral(": cannot write: ") + csv.errorString();
        return false;
    }
    RequestsCsvWriter writer(&csv, names);
    writer.writeHeader();
    const bool needsSummary = run.summary.isEmpty();
    StoredSummaryBuilder summary(int(names.size()));
    if (!store.forEachAttempt(
            runId,
            [&](const AttemptRecord &record) {
                writer.write(record);
                if (needsSummary)
                    summary.add(record);
            },
            error))
        return false;
    if (!csv.commit()) {
        *error = csvPath + QStringLiteral(": cannot write: ") + csv.errorString();
        return false;
    }
    QJsonObject json = run.summary;
    if (needsSummary) {
        // Only the SLO of the campaign matters here; a campaign that no longer parses has none to check.
        const CampaignLoadResult loaded = parseCampaign(run.campaignJson, QStringLiteral("history run %1").arg(run.id),
                                                        QDir::currentPath(), PriceCatalog::shipped());
        json = summary.summary(run, loaded.campaign ? loaded.campaign->slo : SloSpec());
    }
    return writeSummaryFile(QDir(outDir).filePath(QStringLiteral("summary.json")), json, error);
}

} // namespace relaybench
