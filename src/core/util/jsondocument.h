#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace relaybench {

// Parses JSON text and, on failure, explains where: "profile.json: line 3, column 7: missing comma".
// `source` names the file (or option) in the message, so the user knows what to fix.
std::optional<QJsonDocument> parseJsonText(const QByteArray &text, const QString &source, QString *error);

// The same, for files whose top level must be an object; otherwise "SOURCE: must be EXPECTED" (e.g. "a JSON object").
std::optional<QJsonObject> parseJsonObjectText(const QByteArray &text, const QString &source, const QString &expected,
                                               QString *error);

// Reads and parses a JSON file; unreadable files and invalid UTF-8 are reported with the path.
std::optional<QJsonDocument> readJsonFile(const QString &path, QString *error);

// Human-readable rendering of a JSON value for error messages: "eight" -> "\"eight\"", 3 -> "3".
QString describeJsonValue(const QJsonValue &value);

} // namespace relaybench
