#include "jsonfieldreader.h"

#include "jsondocument.h"

#include <QJsonArray>
#include <QLocale>

#include <cmath>

namespace relaybench {

namespace {

QString shortest(double value)
{
    // Bounds like 100000000 must read as such, not as "1e+08".
    return QString::number(value, 'f', QLocale::FloatingPointShortest);
}

QString rangeText(double min, double max)
{
    const bool hasMin = min > std::numeric_limits<double>::lowest();
    const bool hasMax = max < std::numeric_limits<double>::max();
    if (hasMin && hasMax)
        return QStringLiteral(" between %1 and %2").arg(shortest(min), shortest(max));
    if (hasMin)
        return QStringLiteral(" >= %1").arg(shortest(min));
    if (hasMax)
        return QStringLiteral(" <= %1").arg(shortest(max));
    return {};
}

} // namespace

JsonFieldReader::JsonFieldReader(QString source)
    : m_source(std::move(source))
{}

QString JsonFieldReader::join(const QString &path, QLatin1String key)
{
    return path.isEmpty() ? QString(key) : path + QLatin1Char('.') + key;
}

double JsonFieldReader::number(const QJsonObject &object, const QString &path, QLatin1String key, double fallback,
                               double min, double max)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return fallback;
    const double number = value.toDouble(std::nan(""));
    if (!value.isDouble() || !std::isfinite(number) || number < min || number > max) {
        fail(join(path, key), QStringLiteral("must be a number") + rangeText(min, max) + QStringLiteral(", got ") +
                                  describeJsonValue(value));
        return fallback;
    }
    return number;
}

qint64 JsonFieldReader::integer(const QJsonObject &object, const QString &path, QLatin1String key, qint64 fallback,
                                qint64 min, qint64 max)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return fallback;
    const double number = value.toDouble(std::nan(""));
    // 2^53: beyond it a JSON number no longer holds every integer exactly.
    constexpr double exactLimit = 9007199254740992.0;
    const bool integral =
        value.isDouble() && std::isfinite(number) && std::floor(number) == number && std::fabs(number) <= exactLimit;
    if (!integral || number < double(min) || number > double(max)) {
        const QString range =
            rangeText(min == std::numeric_limits<qint64>::min() ? std::numeric_limits<double>::lowest() : double(min),
                      max == std::numeric_limits<qint64>::max() ? std::numeric_limits<double>::max() : double(max));
        fail(join(path, key),
             QStringLiteral("must be an integer") + range + QStringLiteral(", got ") + describeJsonValue(value));
        return fallback;
    }
    return qint64(number);
}

bool JsonFieldReader::boolean(const QJsonObject &object, const QString &path, QLatin1String key, bool fallback)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return fallback;
    if (!value.isBool()) {
        fail(join(path, key), QStringLiteral("must be true or false, got ") + describeJsonValue(value));
        return fallback;
    }
    return value.toBool();
}

QString JsonFieldReader::string(const QJsonObject &object, const QString &path, QLatin1String key,
                                const QString &fallback)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return fallback;
    if (!value.isString()) {
        fail(join(path, key), QStringLiteral("must be a string, got ") + describeJsonValue(value));
        return fallback;
    }
    return value.toString();
}

QStringList JsonFieldReader::stringList(const QJsonObject &object, const QString &path, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return {};
    if (!value.isArray()) {
        fail(join(path, key), QStringLiteral("must be an array of strings, got ") + describeJsonValue(value));
        return {};
    }
    QStringList result;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString()) {
            fail(join(path, key) + QStringLiteral("[%1]").arg(i),
                 QStringLiteral("must be a string, got ") + describeJsonValue(array.at(i)));
            continue;
        }
        result.append(array.at(i).toString());
    }
    return result;
}

void JsonFieldReader::warnUnknownKeys(const QJsonObject &object, const QString &path,
                                      std::initializer_list<QLatin1String> known)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        const bool isKnown = std::any_of(known.begin(), known.end(), [&](QLatin1String k) { return key == k; });
        if (!isKnown)
            warn(path.isEmpty() ? key : path + QLatin1Char('.') + key, QStringLiteral("unknown key, ignored"));
    }
}

void JsonFieldReader::fail(const QString &path, const QString &problem)
{
    m_errors.append(located(path, problem));
    m_fieldErrors.append({path, problem});
}

void JsonFieldReader::warn(const QString &path, const QString &problem)
{
    m_warnings.append(located(path, problem));
}

QString JsonFieldReader::located(const QString &path, const QString &problem) const
{
    QString where = m_source;
    if (!path.isEmpty())
        where += (where.isEmpty() ? QString() : QStringLiteral(": ")) + path;
    return where.isEmpty() ? problem : where + QStringLiteral(": ") + problem;
}

} // namespace relaybench
