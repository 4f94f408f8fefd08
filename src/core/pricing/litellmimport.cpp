#include "litellmimport.h"

#include "util/jsondocument.h"

#include <QJsonObject>

#include <algorithm>

namespace relaybench {

namespace {

// 2.8e-07 x 1e6 is 0.27999999999999997 in binary: keep the 12 significant digits LiteLLM means.
double perMillion(double perToken)
{
    return QString::number(perToken * 1e6, 'g', 12).toDouble();
}

std::optional<double> perMillionOf(QJsonObject &fields, QLatin1String key)
{
    const QJsonValue value = fields.take(key);
    if (!value.isDouble())
        return std::nullopt;
    return perMillion(value.toDouble());
}

// LiteLLM names the long-context tier by its threshold: input_cost_per_token_above_200k_tokens.
void takeLongContextTier(QJsonObject &fields, Price &price)
{
    for (int thousands : {128, 200, 256, 272}) {
        const QString suffix = QStringLiteral("_above_%1k_tokens").arg(thousands);
        const QString inputKey = QStringLiteral("input_cost_per_token") + suffix;
        const QString outputKey = QStringLiteral("output_cost_per_token") + suffix;
        if (!fields.value(inputKey).isDouble() || !fields.value(outputKey).isDouble())
            continue;
        price.longContextThreshold = qint64(thousands) * 1000;
        price.longContextInput = perMillion(fields.take(inputKey).toDouble());
        price.longContextOutput = perMillion(fields.take(outputKey).toDouble());
        const QJsonValue cached = fields.take(QStringLiteral("cache_read_input_token_cost") + suffix);
        const double ratio = price.input > 0.0 ? price.cachedInput / price.input : 1.0;
        price.longContextCachedInput =
            cached.isDouble() ? perMillion(cached.toDouble()) : price.longContextInput * ratio;
        return; // the lowest threshold is the one that applies first
    }
}

} // namespace

std::optional<LiteLlmImport> importLiteLlm(const QByteArray &json, const QString &source, QString *error)
{
    const auto object =
        parseJsonObjectText(json, source, QStringLiteral("LiteLLM's JSON object of model -> prices"), error);
    if (!object)
        return std::nullopt;
    LiteLlmImport result;
    const QJsonObject &root = *object;
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        const QString &key = it.key();
        if (key == QLatin1String("sample_spec")) {
            result.skipped.append(key + QStringLiteral(": documentation, not a model"));
            continue;
        }
        QJsonObject fields = it.value().toObject();
        const QString mode = fields.value(QLatin1String("mode")).toString();
        if (mode != QLatin1String("chat")) {
            result.skipped.append(key + QStringLiteral(": mode \"%1\", not chat").arg(mode));
            continue;
        }
        CatalogEntry entry;
        entry.id = key;
        entry.name = key;
        const auto input = perMillionOf(fields, QLatin1String("input_cost_per_token"));
        const auto output = perMillionOf(fields, QLatin1String("output_cost_per_token"));
        if (!input || !output) {
            result.skipped.append(key + QStringLiteral(": no input_cost_per_token and output_cost_per_token"));
            continue;
        }
        entry.provider = fields.take(QLatin1String("litellm_provider")).toString();
        entry.price.input = *input;
        entry.price.output = *output;
        entry.price.cachedInput = perMillionOf(fields, QLatin1String("cache_read_input_token_cost")).value_or(*input);
        takeLongContextTier(fields, entry.price);
        entry.reasoningOutput = perMillionOf(fields, QLatin1String("output_cost_per_reasoning_token"));
        entry.batchInput = perMillionOf(fields, QLatin1String("input_cost_per_token_batches"));
        entry.batchOutput = perMillionOf(fields, QLatin1String("output_cost_per_token_batches"));
        const QJsonValue perRequest = fields.take(QLatin1String("input_cost_per_request"));
        entry.perRequestUsd = perRequest.isDouble() ? perRequest.toDouble() : 0.0; // already USD per request
        const QJsonValue context = fields.take(QLatin1String("max_input_tokens"));
        // Clamped before the conversion: a double beyond qint64's range (the fuzzer found 1e74) is undefined behaviour.
        entry.contextTokens = context.isDouble() ? qint64(std::clamp(context.toDouble(), 0.0, 9e15)) : 0;
        const QJsonValue url = fields.take(QLatin1String("source"));
        entry.sourceUrl =
            url.isString() ? url.toString() : QStringLiteral("LiteLLM model_prices_and_context_window.json");
        entry.extra = fields; // mode, max_output_tokens, supports_*, cache_creation_* ... as LiteLLM wrote them
        result.catalog.upsert(entry);
    }
    if (result.catalog.isEmpty()) {
        if (error)
            *error = source + QStringLiteral(": no chat model with input and output prices found");
        return std::nullopt;
    }
    return result;
}

} // namespace relaybench
