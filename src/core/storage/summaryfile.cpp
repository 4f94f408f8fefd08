#include "summaryfile.h"

#include <QJsonDocument>
#include <QSaveFile>

namespace relaybench {

bool writeSummaryFile(const QString &path, const QJsonObject &summary, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(summary).toJson(QJsonDocument::Indented)) < 0 ||
        !file.commit()) {
        *error = path + QStringLiteral(": cannot write: ") + file.errorString();
        return false;
    }
    return true;
}

} // namespace relaybench
