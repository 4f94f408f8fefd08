#pragma once

#include "chartimage.h"
#include "metrics/runresult.h"

#include <QList>
#include <QString>

namespace relaybench {

// A run as one self-contained HTML file to mail: inline CSS, charts as PNG data: URIs, no reference to
// anything outside the file. Holds the campaign's settings in brief but never a key, a key's variable or a
// header value; every text that came from a user or a server is escaped. `extraHtml` (the Compare page's
// table) is inserted as it is: it must be escaped, self-contained HTML already.
QString buildHtmlReport(const RunResult &run, const QList<NamedChart> &charts, const QString &extraHtml = QString());

} // namespace relaybench
