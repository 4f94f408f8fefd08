#include "datadirectory.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>

namespace relaybench {

QString dataDirectory()
{
    const QString overridden = qEnvironmentVariable("RELAYBENCH_DATA_DIR");
    if (!overridden.isEmpty())
        return QDir(overridden).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString createRunFolder(const QString &campaignName, QString *error)
{
    QString safeName = campaignName;
    safeName.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
    safeName = safeName.left(60);
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QDir runs(QDir(dataDirectory()).filePath(QStringLiteral("runs")));
    // Two runs started in the same millisecond (tests) still get folders of their own.
    for (int n = 0; n < 100; ++n) {
        const QString name = stamp + QLatin1Char('-') + safeName + (n ? QStringLiteral("-%1").arg(n) : QString());
        const QString path = runs.filePath(name);
        if (QFileInfo::exists(path))
            continue;
        if (!QDir().mkpath(path)) {
            *error = QStringLiteral("%1: cannot create the run folder").arg(path);
            return {};
        }
        return path;
    }
    *error = runs.path() + QStringLiteral(": cannot find a free run folder name");
    return {};
}

} // namespace relaybench
