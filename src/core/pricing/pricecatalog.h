#pragma once

#include "campaign/campaign.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace relaybench {

class JsonFieldReader;

// One model's prices, USD per million tokens. `price` carries what the engine needs per attempt
// (input, cached input, output and the long-context tier); the rest is for the cost calculator.
struct CatalogEntry
{
    QString id;
    QString name;
    QString provider;
    Price price;
    std::optional<double> reasoningOutput; // reasoning tokens; none: billed at the output price
    std::optional<double> batchInput;      // Batch API; none: the model has no batch discount
    std::optional<double> batchOutput;
    double perRequestUsd = 0.0; // fee per request on top of tokens (some search models)
    qint64 contextTokens = 0;   // 0: unknown
    QString sourceUrl;
    QString checked;   // when a person last checked the prices, "2026-07"
    QJsonObject extra; // keys this version does not know (LiteLLM's supports_* ...), kept for export
};

// The price catalogue: resources/prices.json as shipped, merged with the user's own entries
// (pricing/userpricecatalog.h) and LiteLLM imports (pricing/litellmimport.h). The campaign engine
// prices attempts from it, the cost calculator (pricing/costmodel.h) compares models with it.
class PriceCatalog
{
public:
    static PriceCatalog shipped();
    // The relaybench.prices/1 format: {"models": [{"id", "input", "output", ...}]}, at least one model.
    static std::optional<PriceCatalog> fromJson(const QByteArray &json, const QString &source, QString *error);
    // Either format: relaybench.prices/1 (an object with "models") or LiteLLM's price file.
    static std::optional<PriceCatalog> fromAnyJson(const QByteArray &json, const QString &source, QString *error);

    std::optional<CatalogEntry> find(const QString &id) const;
    bool contains(const QString &id) const { return m_entries.contains(id); }
    QStringList ids() const;
    QList<CatalogEntry> entries() const; // in ids() order
    bool isEmpty() const { return m_order.isEmpty(); }

    // Adds the entry, or replaces the one with its id in place.
    void upsert(const CatalogEntry &entry);
    bool remove(const QString &id);
    // Every entry of `overrides` replaces or joins this catalogue's (the overriding side wins).
    void mergeFrom(const PriceCatalog &overrides);

    // Export in the relaybench.prices/1 format, unknown keys included; fromJson() reads it back.
    QByteArray toJson() const;

    // One entry in and out of the relaybench.prices/1 format (also the user catalogue's format).
    static QJsonObject entryToJson(const CatalogEntry &entry);
    static std::optional<CatalogEntry> entryFromJson(const QJsonValue &value, const QString &path,
                                                     JsonFieldReader &reader);

private:
    QHash<QString, CatalogEntry> m_entries;
    QStringList m_order;
};

// True when a prompt of `promptTokens` is billed at the long-context tier (above the threshold).
bool usesLongContextTier(const Price &price, qint64 promptTokens);

// Cost in USD of one attempt: uncached prompt tokens at the input price, cached ones at the cached
// price, completion tokens (reasoning included) at the output price. Above the long-context threshold
// the long-context rates apply to the WHOLE request, not just the excess.
double attemptCostUsd(const Price &price, qint64 promptTokens, qint64 cachedTokens, qint64 completionTokens);

} // namespace relaybench
