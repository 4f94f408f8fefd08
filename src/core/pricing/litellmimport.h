#pragma once

#include "pricecatalog.h"

#include <QStringList>

#include <optional>

namespace relaybench {

struct LiteLlmImport
{
    PriceCatalog catalog;
    QStringList skipped; // "key: why" for every entry left out (sample_spec, non-chat modes, no token prices)
};

// Reads LiteLLM's model_prices_and_context_window.json (model key -> fields, USD per token): chat models
// become catalogue entries with rates x 1e6 (USD per million tokens); the key is the id; fields this
// catalogue has no place for are kept in CatalogEntry::extra. `sample_spec` (documentation) and every
// mode other than "chat" are skipped. Fails (with `error`) only on invalid JSON or no chat model at all.
std::optional<LiteLlmImport> importLiteLlm(const QByteArray &json, const QString &source, QString *error);

} // namespace relaybench
