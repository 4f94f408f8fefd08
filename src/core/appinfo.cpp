#include "appinfo.h"

#include <QCoreApplication>

namespace relaybench {

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("RelayBench"));
    QCoreApplication::setApplicationName(QStringLiteral("relaybench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RELAYBENCH_VERSION));
}

} // namespace relaybench
