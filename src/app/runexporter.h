#pragma once

#include "chartimage.h"
#include "metrics/runresult.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace relaybench {

struct ExportOptions
{
    QString dir;
    bool requestsCsv = true;
    bool summaryJson = true;
    bool chartsPng = false;
    bool chartsSvg = false;
    bool htmlReport = true;
};

// Writes a finished (or stopped) run into a folder: requests.csv and summary.json copied byte for byte from the
// run's folder (so they are exactly what `relaybench run --out` writes), each chart as PNG and/or SVG, and
// report.html. Every file is written to a temporary name and renamed when complete, so a failure never leaves
// half a file; existing files are replaced (asking first is the caller's job: see plannedFiles()).
class RunExporter
{
public:
    static inline const QString requestsCsvName = QStringLiteral("requests.csv");
    static inline const QString summaryJsonName = QStringLiteral("summary.json");
    static inline const QString reportName = QStringLiteral("report.html");

    // `charts` are the charts to write as images and to put in the report. Stops at the first failure;
    // `written` gets the absolute paths written so far, `error` names the file and the reason.
    static bool exportRun(const RunResult &run, const ExportOptions &options, const QList<NamedChart> &charts,
                          const QString &extraHtml, QStringList *written, QString *error);

    // The file names (not paths) an export with these options and charts writes, in order.
    static QStringList plannedFiles(const ExportOptions &options, const QStringList &chartTitles);
    // "Latency over time" -> "latency-over-time"; unique within `titles` (a -2, -3 suffix when two match).
    static QStringList chartFileStems(const QStringList &titles);
};

} // namespace relaybench
