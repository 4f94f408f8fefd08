#pragma once

#include "campaign/campaign.h"

#include <QStringList>

namespace relaybench::cli {

// Every target's API key (environment or system keychain, docs/campaign-format.md) before anything is
// sent, waiting for the keychain in a local event loop: a command has nothing else to do meanwhile.
// One key per target ("" for none); on failure an empty list and `error` naming the target and source.
QStringList resolveApiKeys(const Campaign &campaign, QString *error);

} // namespace relaybench::cli
