#pragma once

#include "campaign.h"
#include "util/jsonfieldreader.h"

#include <QStringList>

#include <optional>

namespace relaybench {

class PriceCatalog;

struct CampaignLoadResult
{
    std::optional<Campaign> campaign;
    QStringList errors;   // "campaign.json: load.concurrency: must be an integer >= 1, got \"eight\""
    QStringList warnings; // unknown keys
    // The same errors as path + problem ("load.concurrency", "must be an integer >= 1, got 0"), for an
    // editor that shows each one beside its field; path "" for a document that is not a JSON object.
    QList<JsonFieldProblem> fieldErrors;
};

// Reads a campaign file (docs/campaign-format.md): every problem is reported with the file and the
// JSON path, all at once; nothing is partially accepted.
CampaignLoadResult loadCampaignFile(const QString &path, const PriceCatalog &catalog);
CampaignLoadResult parseCampaign(const QByteArray &json, const QString &source, const QString &baseDir,
                                 const PriceCatalog &catalog);

// The largest campaign or prompts file read: anything bigger is refused with a message, not held whole.
inline constexpr qint64 maxPromptsFileBytes = qint64(256) * 1024 * 1024;
inline constexpr qint64 maxCampaignFileBytes = qint64(256) * 1024 * 1024;

// prompts_file: JSONL, one {"messages": [...]} object or one JSON string (a user message) per line.
std::optional<QList<QJsonArray>> loadPromptsFile(const QString &path, QStringList *errors);

} // namespace relaybench
