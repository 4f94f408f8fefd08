#pragma once

#include "campaign/campaign.h"

#include <QString>

#include <memory>

namespace relaybench {

class SimServer;

// The in-process simulator behind a sim:// target, listening on a free loopback port: sim://relay names a
// shipped profile, sim://dir/p.json a profile file, relative to the campaign file. Shared by the campaign
// runner and the monitor. Null and `error` (naming the target) when the profile cannot be loaded or bound.
std::unique_ptr<SimServer> startTargetSimulator(const Campaign &campaign, const Target &target, QString *error);

} // namespace relaybench
