#include "pricecatalog.h"

#include "util/jsondocument.h"
#include "util/jsonfieldreader.h"

#include <QFile>
#include <QJsonArray>

namespace relaybench {

PriceCatalog PriceCatalog::shipped()
{
    QFile file(QStringLiteral(":/relaybench/prices.json"));
    QString error;
    const bool opened = file.open(QIODevice::ReadOnly);
    auto catalog = opened ? fromJson(file.readAll(), QStringLiteral("prices.json (shipped)"), &error) : std::nullopt;
    if (!catalog)
        qFatal("The shipped price catalogue is broken: %s", qPrintable(error)); // a build defect, caught by tests
    return *catalog;
}

std::optional<PriceCatalog> PriceCatalog::fromJson(const QByteArray &json, const QString &source, QString *error)
{
    const auto doc = parseJsonText(json, source, error);
    if (!doc)
        return std::nullopt;
    JsonFieldReader reader(source);
    const QJsonArray models = doc->object().value(QLatin1String("models")).toArray();
    if (!doc->isObject() || models.isEmpty())
        reader.fail(QStringLiteral("models"), QStringLiteral("must be a non-empty array of models"));
    PriceCatalog catalog;
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QString path = QStringLiteral("models[%1]").arg(i);
        const QJsonObject model = models.at(i).toObject();
        CatalogEntry entry;
        entry.id = reader.string(model, path, QLatin1String("id"), QString());
        if (entry.id.isEmpty()) {
            reader.fail(path + QStringLiteral(".id"), QStringLiteral("must be a non-empty string"));
            continue;
        }
        entry.name = reader.string(model, path, QLatin1String("name"), entry.id);
        entry.provider = reader.string(model, path, QLatin1String("provider"), QString());
        entry.price.input = reader.number(model, path, QLatin1String("input"), 0.0, 0.0);
        entry.price.output = reader.number(model, path, QLatin1String("output"), 0.0, 0.0);
        entry.price.cachedInput = reader.number(model, path, QLatin1String("cached_input"), entry.price.input, 0.0);
        if (catalog.m_entries.contains(entry.id))
            reader.fail(path + QStringLiteral(".id"), QStringLiteral("duplicate id \"%1\"").arg(entry.id));
        catalog.m_order.append(entry.id);
        catalog.m_entries.insert(entry.id, entry);
    }
    if (!reader.ok()) {
        if (error)
            *error = reader.errors().join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return catalog;
}

std::optional<CatalogEntry> PriceCatalog::find(const QString &id) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.constEnd() ? std::nullopt : std::optional<CatalogEntry>(*it);
}

QStringList PriceCatalog::ids() const
{
    return m_order;
}

double attemptCostUsd(const Price &price, qint64 promptTokens, qint64 cachedTokens, qint64 completionTokens)
{
    const qint64 cached = std::clamp<qint64>(cachedTokens, 0, promptTokens);
    return (double(promptTokens - cached) * price.input + double(cached) * price.cachedInput +
            double(completionTokens) * price.output) /
           1e6;
}

} // namespace relaybench
