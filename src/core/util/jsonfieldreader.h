#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <limits>

namespace relaybench {

// One problem at one JSON path ("load.concurrency"), for callers that place it beside a field.
struct JsonFieldProblem
{
    QString path; // empty: the document as a whole
    QString problem;
};

// Reads typed fields out of JSON objects and collects every problem with its JSON path,
// e.g. "campaign.json: load.concurrency: must be an integer >= 1, got \"eight\"".
// Loaders read the whole document and report all errors at once instead of stopping at the first.
class JsonFieldReader
{
public:
    explicit JsonFieldReader(QString source);

    static QString join(const QString &path, QLatin1String key);

    // Each reader returns `fallback` when the key is absent, and also (after recording an error)
    // when the value has the wrong type or is out of range.
    double number(const QJsonObject &object, const QString &path, QLatin1String key, double fallback,
                  double min = std::numeric_limits<double>::lowest(), double max = std::numeric_limits<double>::max());
    qint64 integer(const QJsonObject &object, const QString &path, QLatin1String key, qint64 fallback,
                   qint64 min = std::numeric_limits<qint64>::min(), qint64 max = std::numeric_limits<qint64>::max());
    bool boolean(const QJsonObject &object, const QString &path, QLatin1String key, bool fallback);
    QString string(const QJsonObject &object, const QString &path, QLatin1String key, const QString &fallback);
    QStringList stringList(const QJsonObject &object, const QString &path, QLatin1String key);

    // Records a warning for every key of `object` that is not in `known` (a typo should not pass silently).
    void warnUnknownKeys(const QJsonObject &object, const QString &path, std::initializer_list<QLatin1String> known);

    void fail(const QString &path, const QString &problem);
    void warn(const QString &path, const QString &problem);

    bool ok() const { return m_errors.isEmpty(); }
    const QStringList &errors() const { return m_errors; }
    const QStringList &warnings() const { return m_warnings; }
    const QList<JsonFieldProblem> &fieldErrors() const { return m_fieldErrors; } // the errors, unformatted
    const QString &source() const { return m_source; }

private:
    QString located(const QString &path, const QString &problem) const;

    QString m_source;
    QStringList m_errors;
    QStringList m_warnings;
    QList<JsonFieldProblem> m_fieldErrors;
};

} // namespace relaybench
