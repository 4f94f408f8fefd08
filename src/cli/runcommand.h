#pragma once

#include <QStringList>

namespace relaybench::cli {

// relaybench run CAMPAIGN.json --out DIR: runs a campaign headless, writes DIR/requests.csv as it
// goes and DIR/summary.json at the end. Exit 0 SLOs held, 1 an SLO failed, 2 invalid input, 3 stopped early.
int runCampaignCommand(const QStringList &arguments);

} // namespace relaybench::cli
