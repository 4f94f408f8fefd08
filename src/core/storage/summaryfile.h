#pragma once

#include <QJsonObject>
#include <QString>

namespace relaybench {

// summary.json (docs/metrics.md), written whole or not at all (QSaveFile), so a reader never sees half a file.
bool writeSummaryFile(const QString &path, const QJsonObject &summary, QString *error);

} // namespace relaybench
