#pragma once

#include "pricecatalog.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <optional>

namespace relaybench {

// What a user sends a month. docs/cost.md has every formula.
struct Workload
{
    static constexpr double daysPerMonth = 30.0; // requests_per_day x 30

    double requestsPerMonth = 0.0;          // successful requests
    double inputTokensPerRequest = 0.0;     // prompt tokens, cached ones included
    double outputTokensPerRequest = 0.0;    // visible completion tokens
    double cachedInputShare = 0.0;          // 0..1 of the prompt tokens read from the provider's cache
    double reasoningTokensPerRequest = 0.0; // hidden thinking tokens, billed as output unless priced apart
    double batchShare = 0.0;                // 0..1 of requests sent through the Batch API
    double retryOverhead = 0.0;             // extra attempts per success, each billed like a full request
    double monthlyGrowth = 0.0;             // 0.05: 5% more requests each month (compounded over the year)
};

// How a gateway, relay or subscription bills. Money amounts are in the plan's billing currency.
struct Plan
{
    QString name;
    double monthlyFee = 0.0;
    double includedTokens = 0.0;          // tokens a month the fee covers (input + output + reasoning)
    double includedCredit = 0.0;          // or: usage the fee covers, billing currency
    std::optional<double> overagePerMtok; // beyond the included tokens; none: the model's list price
    double markupPct = 0.0;               // on top of list prices
    double perRequestFee = 0.0;           // per attempt
    double topUpFeePct = 0.0;             // on the metered (prepaid) charges, e.g. 5.5 for a card top-up
    double freeTokens = 0.0;              // free tier, tokens a month
    QString currency = QStringLiteral("USD");
    double exchangeRate = 1.0; // market rate: billing-currency units per US dollar (CNY: ~7.3)
    double usageRate = 1.0;    // billing-currency units charged per US dollar of list-price usage (the
                               // articles' relay: 1.0, "1 yuan per dollar", against exchangeRate 7.3)
    QStringList models;        // models the plan sells; empty: all
};

// Display currency of results and workings; rows are always computed in USD.
struct Currency
{
    QString code = QStringLiteral("USD");
    double perUsd = 1.0; // CNY: ~7.3, editable

    static Currency usd() { return {}; }
    static Currency cny(double perUsd) { return {QStringLiteral("CNY"), perUsd}; }
    QString symbol() const;
};

QString formatMoney(double usd, const Currency &currency);       // "$4.20", "¥30.66", "$1,234.50", "$0.0042"
QString formatTokens(double tokens);                             // "10M", "1.5M", "250K", "800"
QString formatRate(double usdPerMtok, const Currency &currency); // "$0.42/M"

// One option to compare: a model, bought directly (no plan) or through a plan.
struct CostOption
{
    CatalogEntry model;
    std::optional<Plan> plan;
    QString planName() const { return plan ? plan->name : QStringLiteral("direct"); }
};

struct CostRow
{
    QString model;
    QString modelName;
    QString plan;
    double monthlyUsd = 0.0;
    double annualUsd = 0.0;
    std::optional<double> effectiveUsdPerMtokOutput; // none when the workload has no output tokens
    std::optional<double> costPer1kRequestsUsd;      // none when it has no requests
    std::optional<double> savingsUsd;                // against the baseline, a month; none without one
    std::optional<double> savingsPct;
    // The working of each figure, in the display currency: "10M output tokens × $0.42/M = $4.20".
    QStringList monthlyWorking; // one line per part; the last one is the total
    QString annualWorking;
    QString effectiveWorking;
    QString per1kWorking;
    QString savingsWorking;
};

// The monthly cost in USD of one option at `requestsPerMonth` (the other workload fields as given);
// `working`, when given, receives the lines that add up to it.
double monthlyCostUsd(const Workload &workload, const CostOption &option, double requestsPerMonth,
                      const Currency &display = Currency::usd(), QStringList *working = nullptr);

// Every figure of one option; savings left empty (see compareCosts).
CostRow costRow(const Workload &workload, const CostOption &option, const Currency &display = Currency::usd());

// Rows for every option, with savings against `baseline` when given (it need not be among `options`).
QList<CostRow> compareCosts(const Workload &workload, const QList<CostOption> &options,
                            const std::optional<CostOption> &baseline, const Currency &display = Currency::usd());

// Monthly cost (USD) against requests per month from 0 to `maxRequestsPerMonth`, for a line chart.
QList<QPointF> costCurve(const Workload &workload, const CostOption &option, double maxRequestsPerMonth,
                         int points = 101);

// Request volumes (per month) in (0, maxRequestsPerMonth] at which `a` and `b` cost the same and the
// cheaper one changes, ascending. Costs are piecewise linear in volume (plans), so there may be several.
QList<double> breakEvenRequestsPerMonth(const Workload &workload, const CostOption &a, const CostOption &b,
                                        double maxRequestsPerMonth);

} // namespace relaybench
