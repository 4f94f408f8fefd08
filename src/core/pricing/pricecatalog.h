#pragma once

#include "campaign/campaign.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace relaybench {

struct CatalogEntry
{
    QString id;
    QString name;
    QString provider;
    Price price;
};

// The price catalogue: resources/prices.json as shipped (USD per million tokens). The cost
// calculator issue grows it (user entries, LiteLLM import); the campaign engine prices attempts from it.
class PriceCatalog
{
public:
    static PriceCatalog shipped();
    static std::optional<PriceCatalog> fromJson(const QByteArray &json, const QString &source, QString *error);

    std::optional<CatalogEntry> find(const QString &id) const;
    QStringList ids() const;

private:
    QHash<QString, CatalogEntry> m_entries;
    QStringList m_order;
};

// Cost in USD of one attempt: uncached prompt tokens at the input price, cached ones at the cached
// price, completion tokens (reasoning included) at the output price.
double attemptCostUsd(const Price &price, qint64 promptTokens, qint64 cachedTokens, qint64 completionTokens);

} // namespace relaybench
