#include "pricecatalog.h"

#include "util/jsondocument.h"
#include "util/jsonfieldreader.h"

#include <QFile>
#include <QJsonArray>

#include <algorithm>

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
    if (!doc->isObject()) {
        if (error)
            *error = source + QStringLiteral(": must be a JSON object with a \"models\" array");
        return std::nullopt;
    }
    const QJsonValue modelsValue = doc->object().value(QLatin1String("models"));
    const QJsonArray models = modelsValue.toArray();
    if (modelsValue.isUndefined())
        reader.fail(QStringLiteral("models"), QStringLiteral("is required: a non-empty array of models"));
    else if (models.isEmpty())
        reader.fail(QStringLiteral("models"),
                    QStringLiteral("must be a non-empty array of models, got ") +
                        (modelsValue.isArray() ? QStringLiteral("an empty array") : describeJsonValue(modelsValue)));
    PriceCatalog catalog;
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QString path = QStringLiteral("models[%1]").arg(i);
        if (!models.at(i).isObject()) {
            reader.fail(path, QStringLiteral("must be an object, got ") + describeJsonValue(models.at(i)));
            continue;
        }
        const QJsonObject model = models.at(i).toObject();
        CatalogEntry entry;
        const QJsonValue id = model.value(QLatin1String("id"));
        entry.id = id.toString().trimmed();
        if (entry.id.isEmpty()) {
            reader.fail(path + QStringLiteral(".id"),
                        id.isUndefined()
                            ? QStringLiteral("is required (a short id like \"gpt-4.1\")")
                            : QString(QStringLiteral("must be a non-empty string, got ") + describeJsonValue(id)));
            continue;
        }
        entry.name = reader.string(model, path, QLatin1String("name"), entry.id);
        entry.provider = reader.string(model, path, QLatin1String("provider"), QString());
        // A price left out (or misspelt) would silently cost nothing: input and output are required.
        for (QLatin1String key : {QLatin1String("input"), QLatin1String("output")}) {
            if (!model.contains(key))
                reader.fail(JsonFieldReader::join(path, key), QStringLiteral("is required (USD per million tokens)"));
        }
        entry.price.input = reader.number(model, path, QLatin1String("input"), 0.0, 0.0);
        entry.price.output = reader.number(model, path, QLatin1String("output"), 0.0, 0.0);
        entry.price.cachedInput = reader.number(model, path, QLatin1String("cached_input"), entry.price.input, 0.0);
        if (catalog.m_entries.contains(entry.id)) {
            reader.fail(path + QStringLiteral(".id"), QStringLiteral("duplicate id \"%1\"").arg(entry.id));
            continue;
        }
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
