#include "jsondocument.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringDecoder>

namespace relaybench {

namespace {

// QJsonParseError only gives a byte offset; people think in lines and columns.
QString lineAndColumn(const QByteArray &text, int offset)
{
    int line = 1;
    int column = 1;
    const int end = std::min<int>(offset, int(text.size()));
    for (int i = 0; i < end; ++i) {
        if (text.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

} // namespace

std::optional<QJsonDocument> parseJsonText(const QByteArray &text, const QString &source, QString *error)
{
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString decoded = utf8(text);
    if (utf8.hasError()) {
        if (error)
            *error = source + QStringLiteral(": not valid UTF-8 text");
        return std::nullopt;
    }
    QJsonParseError parseError;
    QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error) {
            if (text.trimmed().isEmpty())
                *error = source + QStringLiteral(": empty file, expected a JSON object");
            else
                *error = source + QStringLiteral(": ") + lineAndColumn(text, parseError.offset) + QStringLiteral(": ") +
                         parseError.errorString();
        }
        return std::nullopt;
    }
    return doc;
}

std::optional<QJsonObject> parseJsonObjectText(const QByteArray &text, const QString &source, const QString &expected,
                                               QString *error)
{
    const auto doc = parseJsonText(text, source, error);
    if (!doc)
        return std::nullopt;
    if (!doc->isObject()) {
        if (error)
            *error = source + QStringLiteral(": must be ") + expected;
        return std::nullopt;
    }
    return doc->object();
}

std::optional<QJsonDocument> readJsonFile(const QString &path, QString *error)
{
    // A device (/dev/zero) or a runaway file must give a message, not exhaust memory.
    constexpr qint64 maxBytes = 256 * 1024 * 1024;
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        if (error)
            *error = path + QStringLiteral(": not a regular file");
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path + QStringLiteral(": cannot read: ") + file.errorString();
        return std::nullopt;
    }
    const QByteArray bytes = file.read(maxBytes + 1);
    if (bytes.size() > maxBytes) {
        if (error)
            *error = path + QStringLiteral(": larger than 256 MiB, the most a JSON file here may hold");
        return std::nullopt;
    }
    return parseJsonText(bytes, path, error);
}

QString describeJsonValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 12);
    case QJsonValue::String: {
        QString text = value.toString();
        if (text.size() > 40)
            text = text.left(40) + QStringLiteral("...");
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

} // namespace relaybench
