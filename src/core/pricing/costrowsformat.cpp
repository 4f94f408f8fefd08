#include "costrowsformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace relaybench {

namespace {

// Ten decimals: enough for any money figure, and 4.2 prints as 4.2 rather than 4.2000000000000002.
double rounded(double value)
{
    return std::round(value * 1e10) / 1e10;
}

QJsonValue jsonNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(rounded(*value)) : QJsonValue(QJsonValue::Null);
}

QString csvNumber(const std::optional<double> &value)
{
    return value ? QString::number(rounded(*value), 'g', 15) : QString();
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

const char *const columns[] = {"model",
                               "plan",
                               "monthly_cost_usd",
                               "annual_cost_usd",
                               "effective_usd_per_mtok_output",
                               "cost_per_1k_requests_usd",
                               "savings_vs_baseline_pct"};

} // namespace

QString costRowsJson(const QList<CostRow> &rows)
{
    QJsonArray array;
    for (const CostRow &row : rows) {
        array.append(QJsonObject{{QLatin1String(columns[0]), row.model},
                                 {QLatin1String(columns[1]), row.plan},
                                 {QLatin1String(columns[2]), rounded(row.monthlyUsd)},
                                 {QLatin1String(columns[3]), rounded(row.annualUsd)},
                                 {QLatin1String(columns[4]), jsonNumber(row.effectiveUsdPerMtokOutput)},
                                 {QLatin1String(columns[5]), jsonNumber(row.costPer1kRequestsUsd)},
                                 {QLatin1String(columns[6]), jsonNumber(row.savingsPct)}});
    }
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QLatin1String("rows"), array}}).toJson(QJsonDocument::Indented));
}

QString costRowsCsv(const QList<CostRow> &rows)
{
    QStringList header;
    for (const char *column : columns)
        header.append(QLatin1String(column));
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const CostRow &row : rows) {
        text += QStringList{csvField(row.model),
                            csvField(row.plan),
                            csvNumber(row.monthlyUsd),
                            csvNumber(row.annualUsd),
                            csvNumber(row.effectiveUsdPerMtokOutput),
                            csvNumber(row.costPer1kRequestsUsd),
                            csvNumber(row.savingsPct)}
                    .join(QLatin1Char(',')) +
                QLatin1Char('\n');
    }
    return text;
}

} // namespace relaybench
