#pragma once

#include "campaignloader.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace relaybench {

class PriceCatalog;

// A campaign being edited, held as its JSON object so that open -> edit -> save keeps everything the
// editor does not show (unknown keys, "$comment", prompts_file references, headers) exactly as it was.
// Values are addressed by JSON path: "load.concurrency", "targets[1].model". It never holds a key:
// targets name where the key is (api_key_env / api_key_keychain), as in the file.
class CampaignDocument
{
public:
    bool loadFile(const QString &path, QString *error);
    // `baseDir` resolves prompts_file and sim:// profile files; `path` is "" for a campaign never saved.
    bool loadBytes(const QByteArray &json, const QString &baseDir, QString *error, const QString &path = QString());
    // Indented JSON, written atomically (QSaveFile); the document then belongs to `path`.
    bool saveFile(const QString &path, QString *error);
    QByteArray toJson() const;

    const QJsonObject &root() const { return m_root; }
    QString filePath() const { return m_path; }
    QString baseDir() const { return m_baseDir; }
    bool isModified() const { return m_modified; }

    // Undefined for a path that is not in the document (the loader's default applies).
    QJsonValue value(const QString &path) const;
    // An undefined `value` removes the key (objects left empty by that go too). Returns false for a
    // malformed path or one that goes through a value of another type.
    bool setValue(const QString &path, const QJsonValue &value);

    int targetCount() const;
    QJsonObject target(int index) const;
    int addTarget(const QJsonObject &target); // returns its index
    void removeTarget(int index);
    void moveTarget(int from, int to);

    // Runs the real loader (parseCampaign), so the editor and `relaybench run` agree on what is valid.
    CampaignLoadResult validate(const PriceCatalog &catalog) const;

private:
    QJsonArray targetsArray() const;
    void setTargets(const QJsonArray &targets);

    QJsonObject m_root;
    QString m_path;
    QString m_baseDir;
    bool m_modified = false;
};

} // namespace relaybench
