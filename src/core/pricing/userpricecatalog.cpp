#include "userpricecatalog.h"

#include "util/datadirectory.h"
#include "util/jsondocument.h"
#include "util/jsonfieldreader.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <utility>

namespace relaybench {

QString UserPriceCatalog::defaultPath()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("prices.user.json"));
}

UserPriceCatalog::UserPriceCatalog(QString path)
    : m_path(std::move(path))
{}

bool UserPriceCatalog::load(QString *error)
{
    m_entries = PriceCatalog();
    m_hidden.clear();
    if (!QFileInfo::exists(m_path))
        return true;
    const auto doc = readJsonFile(m_path, error);
    if (!doc)
        return false;
    JsonFieldReader reader(m_path);
    const QJsonObject root = doc->object();
    if (!doc->isObject())
        reader.fail(QString(), QStringLiteral("must be a JSON object with a \"models\" array"));
    const QJsonArray models = root.value(QLatin1String("models")).toArray();
    for (qsizetype i = 0; i < models.size(); ++i) {
        const auto entry = PriceCatalog::entryFromJson(models.at(i), QStringLiteral("models[%1]").arg(i), reader);
        if (entry)
            m_entries.upsert(*entry);
    }
    for (const QString &id : reader.stringList(root, QString(), QLatin1String("hidden")))
        m_hidden.insert(id);
    if (!reader.ok()) {
        if (error)
            *error = reader.errors().join(QLatin1Char('\n'));
        m_entries = PriceCatalog();
        m_hidden.clear();
        return false;
    }
    return true;
}

bool UserPriceCatalog::save(QString *error) const
{
    QJsonArray models;
    for (const CatalogEntry &entry : m_entries.entries())
        models.append(PriceCatalog::entryToJson(entry));
    const QJsonObject root{{QLatin1String("schema"), QStringLiteral("relaybench.user-prices/1")},
                           {QLatin1String("models"), models},
                           {QLatin1String("hidden"), QJsonArray::fromStringList(hiddenIds())}};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0 || !file.commit()) {
        if (error)
            *error = m_path + QStringLiteral(": cannot save the user price catalogue: ") + file.errorString();
        return false;
    }
    return true;
}

QStringList UserPriceCatalog::hiddenIds() const
{
    QStringList ids(m_hidden.cbegin(), m_hidden.cend());
    std::sort(ids.begin(), ids.end());
    return ids;
}

void UserPriceCatalog::upsert(const CatalogEntry &entry)
{
    m_entries.upsert(entry);
    m_hidden.remove(entry.id);
}

bool UserPriceCatalog::remove(const QString &id)
{
    return m_entries.remove(id);
}

void UserPriceCatalog::hide(const QString &id)
{
    m_hidden.insert(id);
}

void UserPriceCatalog::unhide(const QString &id)
{
    m_hidden.remove(id);
}

void UserPriceCatalog::importCatalog(const PriceCatalog &catalog)
{
    for (const CatalogEntry &entry : catalog.entries())
        upsert(entry);
}

PriceCatalog UserPriceCatalog::mergedOver(const PriceCatalog &base) const
{
    PriceCatalog merged = base;
    merged.mergeFrom(m_entries);
    for (const QString &id : m_hidden)
        merged.remove(id);
    return merged;
}

PriceCatalog effectivePriceCatalog(QString *warning)
{
    UserPriceCatalog user;
    QString error;
    if (!user.load(&error) && warning)
        *warning = error;
    return user.mergedOver(PriceCatalog::shipped());
}

} // namespace relaybench
