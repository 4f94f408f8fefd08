#include "pricecatalog.h"

#include "litellmimport.h"
#include "util/jsondocument.h"
#include "util/jsonfieldreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace relaybench {

namespace {

const QLatin1String knownKeys[] = {
    QLatin1String("id"),           QLatin1String("name"),         QLatin1String("provider"),
    QLatin1String("input"),        QLatin1String("cached_input"), QLatin1String("output"),
    QLatin1String("reasoning"),    QLatin1String("batch_input"),  QLatin1String("batch_output"),
    QLatin1String("long_context"), QLatin1String("per_request"),  QLatin1String("context"),
    QLatin1String("source"),       QLatin1String("checked"),
};

bool isKnownKey(const QString &key)
{
    return std::any_of(std::begin(knownKeys), std::end(knownKeys), [&](QLatin1String k) { return key == k; });
}

std::optional<double> optionalPrice(const QJsonObject &object, const QString &path, QLatin1String key,
                                    JsonFieldReader &reader)
{
    if (!object.contains(key) || object.value(key).isNull())
        return std::nullopt;
    return reader.number(object, path, key, 0.0, 0.0);
}

void readLongContext(const QJsonObject &model, const QString &path, Price &price, JsonFieldReader &reader)
{
    const QJsonValue value = model.value(QLatin1String("long_context"));
    if (value.isUndefined() || value.isNull())
        return;
    const QString tierPath = JsonFieldReader::join(path, QLatin1String("long_context"));
    if (!value.isObject()) {
        reader.fail(tierPath,
                    QStringLiteral("must be {\"threshold\", \"input\", \"output\"}, got ") + describeJsonValue(value));
        return;
    }
    const QJsonObject tier = value.toObject();
    for (QLatin1String key : {QLatin1String("threshold"), QLatin1String("input"), QLatin1String("output")}) {
        if (!tier.contains(key))
            reader.fail(JsonFieldReader::join(tierPath, key),
                        key == QLatin1String("threshold") ? QStringLiteral("is required (prompt tokens)")
                                                          : QStringLiteral("is required (USD per million tokens)"));
    }
    price.longContextThreshold = reader.integer(tier, tierPath, QLatin1String("threshold"), 0, 1);
    price.longContextInput = reader.number(tier, tierPath, QLatin1String("input"), 0.0, 0.0);
    price.longContextOutput = reader.number(tier, tierPath, QLatin1String("output"), 0.0, 0.0);
    // Without a quoted long-context cache price, the cache discount keeps its ratio to the input price.
    const double ratio = price.input > 0.0 ? price.cachedInput / price.input : 1.0;
    price.longContextCachedInput =
        reader.number(tier, tierPath, QLatin1String("cached_input"), price.longContextInput * ratio, 0.0);
}

} // namespace

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

std::optional<CatalogEntry> PriceCatalog::entryFromJson(const QJsonValue &value, const QString &path,
                                                        JsonFieldReader &reader)
{
    if (!value.isObject()) {
        reader.fail(path, QStringLiteral("must be an object, got ") + describeJsonValue(value));
        return std::nullopt;
    }
    const QJsonObject model = value.toObject();
    CatalogEntry entry;
    const QJsonValue id = model.value(QLatin1String("id"));
    entry.id = id.toString().trimmed();
    if (entry.id.isEmpty()) {
        reader.fail(path + QStringLiteral(".id"),
                    id.isUndefined()
                        ? QStringLiteral("is required (a short id like \"gpt-4.1\")")
                        : QString(QStringLiteral("must be a non-empty string, got ") + describeJsonValue(id)));
        return std::nullopt;
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
    readLongContext(model, path, entry.price, reader);
    entry.reasoningOutput = optionalPrice(model, path, QLatin1String("reasoning"), reader);
    entry.batchInput = optionalPrice(model, path, QLatin1String("batch_input"), reader);
    entry.batchOutput = optionalPrice(model, path, QLatin1String("batch_output"), reader);
    entry.perRequestUsd = reader.number(model, path, QLatin1String("per_request"), 0.0, 0.0);
    entry.contextTokens = reader.integer(model, path, QLatin1String("context"), 0, 0);
    entry.sourceUrl = reader.string(model, path, QLatin1String("source"), QString());
    entry.checked = reader.string(model, path, QLatin1String("checked"), QString());
    for (auto it = model.constBegin(); it != model.constEnd(); ++it) {
        if (!isKnownKey(it.key()))
            entry.extra.insert(it.key(), it.value());
    }
    return entry;
}

QJsonObject PriceCatalog::entryToJson(const CatalogEntry &entry)
{
    QJsonObject out = entry.extra;
    out.insert(QLatin1String("id"), entry.id);
    out.insert(QLatin1String("name"), entry.name);
    if (!entry.provider.isEmpty())
        out.insert(QLatin1String("provider"), entry.provider);
    out.insert(QLatin1String("input"), entry.price.input);
    out.insert(QLatin1String("cached_input"), entry.price.cachedInput);
    out.insert(QLatin1String("output"), entry.price.output);
    if (entry.reasoningOutput)
        out.insert(QLatin1String("reasoning"), *entry.reasoningOutput);
    if (entry.batchInput)
        out.insert(QLatin1String("batch_input"), *entry.batchInput);
    if (entry.batchOutput)
        out.insert(QLatin1String("batch_output"), *entry.batchOutput);
    if (entry.price.longContextThreshold > 0) {
        out.insert(QLatin1String("long_context"),
                   QJsonObject{{QLatin1String("threshold"), entry.price.longContextThreshold},
                               {QLatin1String("input"), entry.price.longContextInput},
                               {QLatin1String("cached_input"), entry.price.longContextCachedInput},
                               {QLatin1String("output"), entry.price.longContextOutput}});
    }
    if (entry.perRequestUsd > 0.0)
        out.insert(QLatin1String("per_request"), entry.perRequestUsd);
    if (entry.contextTokens > 0)
        out.insert(QLatin1String("context"), entry.contextTokens);
    if (!entry.sourceUrl.isEmpty())
        out.insert(QLatin1String("source"), entry.sourceUrl);
    if (!entry.checked.isEmpty())
        out.insert(QLatin1String("checked"), entry.checked);
    return out;
}

std::optional<PriceCatalog> PriceCatalog::fromJson(const QByteArray &json, const QString &source, QString *error)
{
    const auto object =
        parseJsonObjectText(json, source, QStringLiteral("a JSON object with a \"models\" array"), error);
    if (!object)
        return std::nullopt;
    JsonFieldReader reader(source);
    const QJsonValue modelsValue = object->value(QLatin1String("models"));
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
        const auto entry = entryFromJson(models.at(i), path, reader);
        if (!entry)
            continue;
        if (catalog.m_entries.contains(entry->id)) {
            reader.fail(path + QStringLiteral(".id"), QStringLiteral("duplicate id \"%1\"").arg(entry->id));
            continue;
        }
        catalog.upsert(*entry);
    }
    if (!reader.ok()) {
        if (error)
            *error = reader.errors().join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return catalog;
}

std::optional<PriceCatalog> PriceCatalog::fromAnyJson(const QByteArray &json, const QString &source, QString *error)
{
    const auto doc = parseJsonText(json, source, error);
    if (!doc)
        return std::nullopt;
    if (doc->isObject() && !doc->object().contains(QLatin1String("models"))) {
        auto imported = importLiteLlm(json, source, error);
        if (!imported)
            return std::nullopt;
        return imported->catalog;
    }
    return fromJson(json, source, error);
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

QList<CatalogEntry> PriceCatalog::entries() const
{
    QList<CatalogEntry> out;
    out.reserve(m_order.size());
    for (const QString &id : m_order)
        out.append(m_entries.value(id));
    return out;
}

void PriceCatalog::upsert(const CatalogEntry &entry)
{
    if (!m_entries.contains(entry.id))
        m_order.append(entry.id);
    m_entries.insert(entry.id, entry);
}

bool PriceCatalog::remove(const QString &id)
{
    if (!m_entries.remove(id))
        return false;
    m_order.removeAll(id);
    return true;
}

void PriceCatalog::mergeFrom(const PriceCatalog &overrides)
{
    for (const QString &id : overrides.m_order)
        upsert(overrides.m_entries.value(id));
}

QByteArray PriceCatalog::toJson() const
{
    QJsonArray models;
    for (const QString &id : m_order)
        models.append(entryToJson(m_entries.value(id)));
    const QJsonObject root{{QLatin1String("schema"), QStringLiteral("relaybench.prices/1")},
                           {QLatin1String("currency"), QStringLiteral("USD")},
                           {QLatin1String("unit"), QStringLiteral("per million tokens")},
                           {QLatin1String("models"), models}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool usesLongContextTier(const Price &price, qint64 promptTokens)
{
    return price.longContextThreshold > 0 && promptTokens > price.longContextThreshold;
}

double attemptCostUsd(const Price &price, qint64 promptTokens, qint64 cachedTokens, qint64 completionTokens)
{
    const bool longContext = usesLongContextTier(price, promptTokens);
    const double input = longContext ? price.longContextInput : price.input;
    const double cachedInput = longContext ? price.longContextCachedInput : price.cachedInput;
    const double output = longContext ? price.longContextOutput : price.output;
    const qint64 cached = std::clamp<qint64>(cachedTokens, 0, promptTokens);
    return (double(promptTokens - cached) * input + double(cached) * cachedInput + double(completionTokens) * output) /
           1e6;
}

} // namespace relaybench
