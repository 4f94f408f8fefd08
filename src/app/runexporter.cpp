#include "runexporter.h"

#include "htmlreport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

namespace relaybench {

namespace {

QString writeError(const QString &path, const QString &reason)
{
    return QStringLiteral("cannot write \"%1\" in the folder \"%2\": %3")
        .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(QFileInfo(path).absolutePath()), reason);
}

bool saveBytes(const QByteArray &bytes, const QString &path, QString *error)
{
    QSaveFile file(path); // a temporary file in the same folder, renamed over `path` by commit()
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = writeError(path, file.errorString());
        return false;
    }
    return true;
}

bool copyFromRun(const RunResult &run, const QString &name, const QString &target, QString *error)
{
    if (run.folder.isEmpty()) {
        *error = QStringLiteral("cannot export %1: this run wrote no files (it has no run folder)").arg(name);
        return false;
    }
    const QString source = QDir(run.folder).filePath(name);
    QFile file(source);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read \"%1\": %2").arg(QDir::toNativeSeparators(source), file.errorString());
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        *error = QStringLiteral("cannot read \"%1\": %2").arg(QDir::toNativeSeparators(source), file.errorString());
        return false;
    }
    return saveBytes(bytes, target, error);
}

} // namespace

QStringList RunExporter::chartFileStems(const QStringList &titles)
{
    static const QRegularExpression notWordy(QStringLiteral("[^a-z0-9]+"));
    QStringList stems;
    for (const QString &title : titles) {
        QString stem = title.toLower().replace(notWordy, QStringLiteral("-"));
        stem = stem.mid(stem.startsWith(QLatin1Char('-')) ? 1 : 0);
        if (stem.endsWith(QLatin1Char('-')))
            stem.chop(1);
        if (stem.isEmpty())
            stem = QStringLiteral("chart");
        QString unique = stem;
        for (int n = 2; stems.contains(unique); ++n)
            unique = stem % QLatin1Char('-') % QString::number(n);
        stems.append(unique);
    }
    return stems;
}

QStringList RunExporter::plannedFiles(const ExportOptions &options, const QStringList &chartTitles)
{
    QStringList files;
    if (options.requestsCsv)
        files << requestsCsvName;
    if (options.summaryJson)
        files << summaryJsonName;
    const QStringList stems = chartFileStems(chartTitles);
    for (const QString &stem : stems) {
        if (options.chartsPng)
            files << stem + QStringLiteral(".png");
        if (options.chartsSvg)
            files << stem + QStringLiteral(".svg");
    }
    if (options.htmlReport)
        files << reportName;
    return files;
}

bool RunExporter::exportRun(const RunResult &run, const ExportOptions &options, const QList<NamedChart> &charts,
                            const QString &extraHtml, QStringList *written, QString *error)
{
    QString ignoredError;
    QString &why = error ? *error : ignoredError;
    QStringList ignoredWritten;
    QStringList &done = written ? *written : ignoredWritten;
    if (options.dir.isEmpty()) {
        why = QStringLiteral("no export folder was chosen");
        return false;
    }
    const QDir dir(options.dir);
    if (!QDir().mkpath(dir.absolutePath())) {
        why = QStringLiteral("cannot create the folder \"%1\"").arg(QDir::toNativeSeparators(dir.absolutePath()));
        return false;
    }
    const auto path = [&dir](const QString &name) {
        return dir.absoluteFilePath(name);
    };

    if (options.requestsCsv) {
        if (!copyFromRun(run, requestsCsvName, path(requestsCsvName), &why))
            return false;
        done << path(requestsCsvName);
    }
    if (options.summaryJson) {
        if (!copyFromRun(run, summaryJsonName, path(summaryJsonName), &why))
            return false;
        done << path(summaryJsonName);
    }
    QStringList titles;
    for (const NamedChart &chart : charts)
        titles << chart.title;
    const QStringList stems = chartFileStems(titles);
    for (qsizetype i = 0; i < charts.size(); ++i) {
        QChartView *view = charts.at(i).view;
        if (!view)
            continue;
        if (options.chartsPng) {
            const QString file = path(stems.at(i) + QStringLiteral(".png"));
            if (!chartimage::writePng(view, file, &why))
                return false;
            done << file;
        }
        if (options.chartsSvg) {
            const QString file = path(stems.at(i) + QStringLiteral(".svg"));
            if (!chartimage::writeSvg(view, charts.at(i).title, file, &why))
                return false;
            done << file;
        }
    }
    if (options.htmlReport) {
        const QString file = path(reportName);
        if (!saveBytes(buildHtmlReport(run, charts, extraHtml).toUtf8(), file, &why))
            return false;
        done << file;
    }
    return true;
}

} // namespace relaybench
