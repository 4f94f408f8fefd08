#include "datadirectory.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cstring>

namespace relaybench {

namespace {

QString &directoryOverride()
{
    static QString directory; // set once at start-up, before any thread reads it
    return directory;
}

} // namespace

void setDataDirectoryOverride(const QString &directory)
{
    directoryOverride() = directory.isEmpty() ? QString() : QDir(directory).absolutePath();
}

bool takeDataDirOption(int *argc, char **argv, QString *error)
{
    static const char option[] = "--data-dir";
    const size_t optionLength = sizeof(option) - 1;
    QString directory;
    bool found = false;
    int kept = 1;
    bool optionsEnded = false;
    for (int i = 1; i < *argc; ++i) {
        const char *argument = argv[i];
        if (!optionsEnded && std::strcmp(argument, "--") == 0)
            optionsEnded = true;
        if (!optionsEnded && std::strcmp(argument, option) == 0) {
            if (i + 1 >= *argc || argv[i + 1][0] == '\0') {
                *error = QStringLiteral("--data-dir needs a folder: --data-dir DIR");
                return false;
            }
            directory = QString::fromLocal8Bit(argv[++i]);
            found = true;
            continue;
        }
        if (!optionsEnded && std::strncmp(argument, option, optionLength) == 0 && argument[optionLength] == '=') {
            directory = QString::fromLocal8Bit(argument + optionLength + 1);
            if (directory.isEmpty()) {
                *error = QStringLiteral("--data-dir needs a folder: --data-dir DIR");
                return false;
            }
            found = true;
            continue;
        }
        argv[kept++] = argv[i];
    }
    if (kept < *argc)
        argv[kept] = nullptr; // argv[argc] is a null pointer, as main() received it
    *argc = kept;
    if (found)
        setDataDirectoryOverride(directory);
    return true;
}

QString dataDirectory()
{
    if (!directoryOverride().isEmpty())
        return directoryOverride();
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
