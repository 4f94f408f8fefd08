#include "simtarget.h"

#include "sim/simprofile.h"
#include "sim/simserver.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>

namespace relaybench {

std::unique_ptr<SimServer> startTargetSimulator(const Campaign &campaign, const Target &target, QString *error)
{
    QString profileName = target.simProfile();
    const bool isFile = profileName.endsWith(QLatin1String(".json")) || profileName.contains(QLatin1Char('/'));
    if (isFile && QFileInfo(profileName).isRelative() && !campaign.sourcePath.isEmpty())
        profileName = QFileInfo(campaign.sourcePath).dir().filePath(profileName);
    auto profile = loadSimProfile(profileName, error);
    if (!profile) {
        if (error)
            *error = QStringLiteral("target \"%1\": %2").arg(target.name, *error);
        return nullptr;
    }
    auto simulator = std::make_unique<SimServer>(std::move(*profile), 1);
    if (!simulator->listen(QHostAddress::LocalHost, 0, error))
        return nullptr;
    return simulator;
}

} // namespace relaybench
