#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace relaybench {

// One setting of a campaign the editor shows: where it lives in the JSON, how it is edited, and the
// tooltip that explains it (the words of docs/campaign-format.md).
struct CampaignField
{
    enum class Kind
    {
        Value,  // a line edit read as JSON when it parses (8, 0.5, null, true), else as a string
        Text,   // a line edit, always a string
        Choice, // a combo box of `choices`
        Bool,   // a check box
        List,   // comma-separated strings -> a JSON array of strings
        Lines,  // one string per line -> a JSON array of strings
        Json,   // a JSON object or array typed as text
    };
    QString group; // "load", "request", ...; "" for the campaign's own keys
    QString path;  // "load.concurrency"
    QString label;
    Kind kind = Kind::Value;
    QString defaultText; // shown as a placeholder: what applies when the key is absent
    QStringList choices;
    QString tooltip;
};

struct CampaignFieldGroup
{
    QString path; // "load"; "" for the campaign's own keys
    QString title;
};

const QList<CampaignFieldGroup> &campaignFieldGroups();
const QList<CampaignField> &campaignFields();

} // namespace relaybench
