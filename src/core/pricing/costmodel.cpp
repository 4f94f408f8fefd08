#include "costmodel.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace relaybench {

namespace {

QString symbolOf(const QString &code)
{
    if (code == QLatin1String("USD"))
        return QStringLiteral("$");
    if (code == QLatin1String("CNY"))
        return QStringLiteral("¥");
    if (code == QLatin1String("EUR"))
        return QStringLiteral("€");
    return code + QLatin1Char(' ');
}

const QLocale &english()
{
    static const QLocale locale(QLocale::English, QLocale::UnitedStates);
    return locale;
}

// An amount already in `code`: two decimals with grouping, or four significant digits below a cent.
QString formatAmount(double amount, const QString &code)
{
    const double magnitude = std::abs(amount);
    const QString digits = (magnitude >= 0.01 || magnitude == 0.0) ? english().toString(magnitude, 'f', 2)
                                                                   : QString::number(magnitude, 'g', 4);
    return (amount < 0.0 ? QStringLiteral("-") : QString()) + symbolOf(code) + digits;
}

QString formatCount(double count)
{
    return english().toString(count, 'f', count == std::floor(count) ? 0 : 1);
}

QString formatPercent(double pct)
{
    return QString::number(pct, 'f', 2) + QLatin1Char('%');
}

// Compact decimal without trailing zeros: 1.5, 10, 0.25.
QString compact(double value)
{
    return QString::number(value, 'g', 6);
}

struct Parts
{
    double usd = 0.0;
    QStringList lines;
    // Formatting the working costs far more than the sums: curves and break-even searches evaluate
    // thousands of volumes and need only the figure.
    bool explain = true;
};

// List-price usage in USD of `attempts` attempts of the workload's request shape.
Parts listUsage(const Workload &w, const CatalogEntry &m, double attempts, const Currency &display, bool explain)
{
    Parts parts;
    parts.explain = explain;
    const Price &p = m.price;
    const bool longContext = p.longContextThreshold > 0 && w.inputTokensPerRequest > double(p.longContextThreshold);
    const double input = longContext ? p.longContextInput : p.input;
    const double cached = longContext ? p.longContextCachedInput : p.cachedInput;
    const double output = longContext ? p.longContextOutput : p.output;
    const double reasoning = m.reasoningOutput.value_or(output);
    if (longContext)
        if (parts.explain) {
            parts.lines.append(
                QStringLiteral("prompt of %1 tokens > %2: the whole request at the long-context rates")
                    .arg(formatTokens(w.inputTokensPerRequest), formatTokens(double(p.longContextThreshold))));
        }
    struct Lane
    {
        const char *prefix;
        double share;
        double inputFactor;
        double outputFactor;
    };
    const bool hasBatch = m.batchInput && m.batchOutput;
    const double batchIn = hasBatch && p.input > 0.0 ? *m.batchInput / p.input : 1.0;
    const double batchOut = hasBatch && p.output > 0.0 ? *m.batchOutput / p.output : 1.0;
    if (w.batchShare > 0.0 && !hasBatch)
        if (parts.explain) {
            parts.lines.append(QStringLiteral("%1 has no batch price: batch requests at the list price").arg(m.id));
        }
    const Lane lanes[] = {{"", 1.0 - w.batchShare, 1.0, 1.0}, {"batch ", w.batchShare, batchIn, batchOut}};
    for (const Lane &lane : lanes) {
        if (lane.share <= 0.0)
            continue;
        const double n = attempts * lane.share;
        const struct
        {
            const char *label;
            double tokens;
            double rate;
        } items[] = {
            {"uncached input", n * w.inputTokensPerRequest * (1.0 - w.cachedInputShare), input * lane.inputFactor},
            {"cached input", n * w.inputTokensPerRequest * w.cachedInputShare, cached * lane.inputFactor},
            {"output", n * w.outputTokensPerRequest, output * lane.outputFactor},
            {"reasoning", n * w.reasoningTokensPerRequest, reasoning * lane.outputFactor},
        };
        for (const auto &item : items) {
            if (item.tokens <= 0.0)
                continue;
            const double usd = item.tokens * item.rate / 1e6;
            parts.usd += usd;
            const QString label =
                (w.cachedInputShare > 0.0 || QLatin1String(item.label) != QLatin1String("uncached input"))
                    ? QLatin1String(item.label)
                    : QLatin1String("input");
            if (parts.explain) {
                parts.lines.append(QStringLiteral("%1 %2%3 tokens × %4 = %5")
                                       .arg(formatTokens(item.tokens), QLatin1String(lane.prefix), label,
                                            formatRate(item.rate, display), formatMoney(usd, display)));
            }
        }
    }
    if (m.perRequestUsd > 0.0 && attempts > 0.0) {
        const double usd = attempts * m.perRequestUsd;
        parts.usd += usd;
        if (parts.explain) {
            parts.lines.append(
                QStringLiteral("%1 requests × %2 per-request fee = %3")
                    .arg(formatCount(attempts), formatMoney(m.perRequestUsd, display), formatMoney(usd, display)));
        }
    }
    return parts;
}

// The plan's bill for that usage, in USD (the lines in the plan's own currency, then converted).
Parts planBill(const Workload &w, const Plan &plan, double attempts, double listUsd, const Currency &display,
               bool explain)
{
    Parts parts;
    parts.explain = explain;
    const QString &code = plan.currency;
    const auto amount = [&](double value) {
        return formatAmount(value, code);
    };
    double usage = listUsd * plan.usageRate;
    if (plan.usageRate != 1.0 || code != QLatin1String("USD"))
        if (parts.explain) {
            parts.lines.append(
                QStringLiteral("usage billed at %1 per $1: %2 → %3")
                    .arg(amount(plan.usageRate), formatAmount(listUsd, QStringLiteral("USD")), amount(usage)));
        }
    if (plan.markupPct != 0.0) {
        const double marked = usage * (1.0 + plan.markupPct / 100.0);
        if (parts.explain) {
            parts.lines.append(QStringLiteral("markup %1%: %2 × %3 = %4")
                                   .arg(compact(plan.markupPct), amount(usage), compact(1.0 + plan.markupPct / 100.0),
                                        amount(marked)));
        }
        usage = marked;
    }
    const double tokens = attempts * (w.inputTokensPerRequest + w.outputTokensPerRequest + w.reasoningTokensPerRequest);
    const double allowance = plan.freeTokens + plan.includedTokens;
    const double covered = std::min(tokens, allowance);
    double metered = usage;
    if (plan.overagePerMtok) {
        metered = (tokens - covered) / 1e6 * *plan.overagePerMtok;
        if (parts.explain) {
            parts.lines.append(QStringLiteral("%1 tokens beyond the %2 included × %3/M = %4")
                                   .arg(formatTokens(tokens - covered), formatTokens(allowance),
                                        amount(*plan.overagePerMtok), amount(metered)));
        }
    } else if (allowance > 0.0) {
        metered = tokens > 0.0 ? usage * (tokens - covered) / tokens : 0.0;
        if (parts.explain) {
            parts.lines.append(QStringLiteral("%1 of %2 tokens included (free %3 + plan %4): %5 × %6 metered = %7")
                                   .arg(formatTokens(covered), formatTokens(tokens), formatTokens(plan.freeTokens),
                                        formatTokens(plan.includedTokens), amount(usage),
                                        formatPercent(tokens > 0.0 ? 100.0 * (tokens - covered) / tokens : 0.0),
                                        amount(metered)));
        }
    }
    if (plan.includedCredit > 0.0) {
        const double after = std::max(0.0, metered - plan.includedCredit);
        if (parts.explain) {
            parts.lines.append(QStringLiteral("included credit %1: max(0, %2 − %1) = %3")
                                   .arg(amount(plan.includedCredit), amount(metered), amount(after)));
        }
        metered = after;
    }
    const double requestFees = attempts * plan.perRequestFee;
    if (requestFees > 0.0)
        if (parts.explain) {
            parts.lines.append(QStringLiteral("%1 requests × %2 = %3")
                                   .arg(formatCount(attempts), amount(plan.perRequestFee), amount(requestFees)));
        }
    const double topUp = (metered + requestFees) * plan.topUpFeePct / 100.0;
    if (plan.topUpFeePct > 0.0)
        if (parts.explain) {
            parts.lines.append(QStringLiteral("top-up fee %1% × %2 = %3")
                                   .arg(compact(plan.topUpFeePct), amount(metered + requestFees), amount(topUp)));
        }
    const double total = plan.monthlyFee + metered + requestFees + topUp;
    if (parts.explain) {
        parts.lines.append(
            QStringLiteral("%1 fee + %2 usage%3%4 = %5")
                .arg(amount(plan.monthlyFee), amount(metered),
                     requestFees > 0.0 ? QString(QStringLiteral(" + ") + amount(requestFees)) : QString(),
                     topUp > 0.0 ? QString(QStringLiteral(" + ") + amount(topUp)) : QString(), amount(total)));
    }
    parts.usd = total / plan.exchangeRate;
    if (code != QLatin1String("USD") || plan.exchangeRate != 1.0)
        if (parts.explain) {
            parts.lines.append(
                QStringLiteral("%1 ÷ %2 per $ = %3")
                    .arg(amount(total), amount(plan.exchangeRate), formatAmount(parts.usd, QStringLiteral("USD"))));
        }
    Q_UNUSED(display)
    return parts;
}

} // namespace

QString Currency::symbol() const
{
    return symbolOf(code);
}

QString formatMoney(double usd, const Currency &currency)
{
    return formatAmount(usd * currency.perUsd, currency.code);
}

QString formatTokens(double tokens)
{
    const double magnitude = std::abs(tokens);
    if (magnitude >= 1e6)
        return QString::number(tokens / 1e6, 'g', 6) + QLatin1Char('M');
    if (magnitude >= 1e3)
        return QString::number(tokens / 1e3, 'g', 6) + QLatin1Char('K');
    return QString::number(tokens, 'g', 6);
}

QString formatRate(double usdPerMtok, const Currency &currency)
{
    return formatMoney(usdPerMtok, currency) + QStringLiteral("/M");
}

double monthlyCostUsd(const Workload &workload, const CostOption &option, double requestsPerMonth,
                      const Currency &display, QStringList *working)
{
    const double attempts = requestsPerMonth * (1.0 + workload.retryOverhead);
    QStringList lines;
    if (working && workload.retryOverhead > 0.0)
        lines.append(QStringLiteral("%1 requests × (1 + %2 retries per success) = %3 attempts")
                         .arg(formatCount(requestsPerMonth), compact(workload.retryOverhead), formatCount(attempts)));
    const Parts usage = listUsage(workload, option.model, attempts, display, working != nullptr);
    lines += usage.lines;
    double usd = usage.usd;
    if (option.plan) {
        const Parts bill = planBill(workload, *option.plan, attempts, usage.usd, display, working != nullptr);
        lines += bill.lines;
        usd = bill.usd;
    }
    if (working) {
        lines.append(QStringLiteral("total: %1 a month").arg(formatMoney(usd, display)));
        *working = lines;
    }
    return usd;
}

CostRow costRow(const Workload &workload, const CostOption &option, const Currency &display)
{
    CostRow row;
    row.model = option.model.id;
    row.modelName = option.model.name;
    row.plan = option.planName();
    const double requests = workload.requestsPerMonth;
    row.monthlyUsd = monthlyCostUsd(workload, option, requests, display, &row.monthlyWorking);
    if (workload.monthlyGrowth == 0.0) {
        row.annualUsd = 12.0 * row.monthlyUsd;
        row.annualWorking = QStringLiteral("12 × %1 = %2")
                                .arg(formatMoney(row.monthlyUsd, display), formatMoney(row.annualUsd, display));
    } else {
        QStringList months;
        for (int k = 0; k < 12; ++k) {
            const double cost = monthlyCostUsd(workload, option, requests * std::pow(1.0 + workload.monthlyGrowth, k));
            row.annualUsd += cost;
            months.append(formatMoney(cost, display));
        }
        row.annualWorking = QStringLiteral("12 months, requests growing %1% a month from %2 to %3: %4 = %5")
                                .arg(compact(workload.monthlyGrowth * 100.0), formatCount(requests),
                                     formatCount(std::round(requests * std::pow(1.0 + workload.monthlyGrowth, 11))),
                                     months.join(QStringLiteral(" + ")), formatMoney(row.annualUsd, display));
    }
    const double outputTokens = requests * workload.outputTokensPerRequest;
    if (outputTokens > 0.0) {
        row.effectiveUsdPerMtokOutput = row.monthlyUsd / (outputTokens / 1e6);
        row.effectiveWorking = QStringLiteral("%1 ÷ %2 output tokens = %3")
                                   .arg(formatMoney(row.monthlyUsd, display), formatTokens(outputTokens),
                                        formatRate(*row.effectiveUsdPerMtokOutput, display));
    }
    if (requests > 0.0) {
        row.costPer1kRequestsUsd = row.monthlyUsd / requests * 1000.0;
        row.per1kWorking = QStringLiteral("%1 ÷ %2 requests × 1,000 = %3")
                               .arg(formatMoney(row.monthlyUsd, display), formatCount(requests),
                                    formatMoney(*row.costPer1kRequestsUsd, display));
    }
    return row;
}

QList<CostRow> compareCosts(const Workload &workload, const QList<CostOption> &options,
                            const std::optional<CostOption> &baseline, const Currency &display)
{
    QList<CostRow> rows;
    std::optional<CostRow> base;
    if (baseline)
        base = costRow(workload, *baseline, display);
    for (const CostOption &option : options) {
        CostRow row = costRow(workload, option, display);
        if (base) {
            row.savingsUsd = base->monthlyUsd - row.monthlyUsd;
            QString working = QStringLiteral("%1 (%2, %3) − %4 = %5 a month")
                                  .arg(formatMoney(base->monthlyUsd, display), base->model, base->plan,
                                       formatMoney(row.monthlyUsd, display), formatMoney(*row.savingsUsd, display));
            if (base->monthlyUsd > 0.0) {
                row.savingsPct = *row.savingsUsd / base->monthlyUsd * 100.0;
                working += QStringLiteral("; %1 ÷ %2 = %3")
                               .arg(formatMoney(*row.savingsUsd, display), formatMoney(base->monthlyUsd, display),
                                    formatPercent(*row.savingsPct));
            }
            row.savingsWorking = working;
        }
        rows.append(row);
    }
    return rows;
}

QList<QPointF> costCurve(const Workload &workload, const CostOption &option, double maxRequestsPerMonth, int points)
{
    QList<QPointF> curve;
    points = std::max(points, 2);
    curve.reserve(points);
    for (int i = 0; i < points; ++i) {
        const double requests = maxRequestsPerMonth * i / (points - 1);
        curve.append(QPointF(requests, monthlyCostUsd(workload, option, requests)));
    }
    return curve;
}

QList<double> breakEvenRequestsPerMonth(const Workload &workload, const CostOption &a, const CostOption &b,
                                        double maxRequestsPerMonth)
{
    const auto difference = [&](double requests) {
        return monthlyCostUsd(workload, a, requests) - monthlyCostUsd(workload, b, requests);
    };
    // Sample finely, then bisect every change of sign: costs are piecewise linear, with a kink where a
    // plan's included volume runs out, so a handful of crossings is the most there can be.
    constexpr int samples = 1024;
    const double tolerance = 1e-9;
    QList<double> crossings;
    double previousX = 0.0;
    double previous = difference(0.0);
    for (int i = 1; i <= samples; ++i) {
        const double x = maxRequestsPerMonth * i / samples;
        const double value = difference(x);
        const bool signChange =
            (previous < -tolerance && value > tolerance) || (previous > tolerance && value < -tolerance);
        if (signChange) {
            double lo = previousX;
            double hi = x;
            for (int step = 0; step < 100; ++step) {
                const double mid = (lo + hi) / 2.0;
                if ((difference(mid) > 0.0) == (previous > 0.0))
                    lo = mid;
                else
                    hi = mid;
            }
            crossings.append((lo + hi) / 2.0);
        }
        if (std::abs(value) > tolerance) {
            previous = value;
            previousX = x;
        }
    }
    return crossings;
}

} // namespace relaybench
