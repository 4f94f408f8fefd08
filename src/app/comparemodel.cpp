#include "comparemodel.h"

#include "storage/requestscsvwriter.h"

#include <QBrush>
#include <QFont>
#include <QGuiApplication>
#include <QJsonArray>
#include <QPalette>

#include <algorithm>
#include <cmath>
#include <limits>

namespace relaybench {

namespace {

constexpr double missing = std::numeric_limits<double>::quiet_NaN();

enum class Better
{
    Higher,
    Lower,
    Neither // sample sizes: informative, not a quality
};

Better betterOf(CompareModel::Metric metric)
{
    switch (metric) {
    case CompareModel::SuccessRate:
    case CompareModel::OutputTokensPerS:
        return Better::Higher;
    case CompareModel::Requests:
    case CompareModel::Attempts:
        return Better::Neither;
    default:
        return Better::Lower;
    }
}

double number(const QJsonValue &value)
{
    return value.isDouble() ? value.toDouble() : missing;
}

double ratio(double numerator, double denominator)
{
    return std::isnan(numerator) || std::isnan(denominator) || denominator <= 0.0 ? missing : numerator / denominator;
}

QString fixed(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

// Enough digits to be readable, few enough for the differences to stand out.
QString milliseconds(double ms)
{
    return fixed(ms, ms < 10.0 ? 2 : ms < 100.0 ? 1 : 0) + QStringLiteral(" ms");
}

QString dollars(double usd)
{
    return QLatin1Char('$') + fixed(usd, usd >= 1.0 ? 2 : 4);
}

// What the CSV's unit column says, and how its raw numbers are scaled.
QString unitOf(CompareModel::Metric metric)
{
    switch (metric) {
    case CompareModel::SuccessRate:
    case CompareModel::TimeoutRate:
        return QStringLiteral("%");
    case CompareModel::RateLimitedPerHour:
        return QStringLiteral("per hour");
    case CompareModel::OutputTokensPerS:
        return QStringLiteral("tokens/s");
    case CompareModel::CostPer1kRequests:
    case CompareModel::CostUsd:
        return QStringLiteral("USD");
    case CompareModel::Requests:
    case CompareModel::Attempts:
        return QString();
    default:
        return QStringLiteral("ms");
    }
}

QString sourceOf(CompareModel::Metric metric)
{
    switch (metric) {
    case CompareModel::SuccessRate:
        return QStringLiteral("success_rate");
    case CompareModel::LatencyMean:
        return QStringLiteral("latency_ms.mean");
    case CompareModel::LatencyP50:
        return QStringLiteral("latency_ms.p50");
    case CompareModel::LatencyP95:
        return QStringLiteral("latency_ms.p95");
    case CompareModel::LatencyP99:
        return QStringLiteral("latency_ms.p99");
    case CompareModel::TtftP50:
        return QStringLiteral("ttft_ms.p50");
    case CompareModel::TtftP95:
        return QStringLiteral("ttft_ms.p95");
    case CompareModel::TimeoutRate:
        return QStringLiteral("(attempt_outcomes.timeout + attempt_outcomes.stalled) / attempts");
    case CompareModel::RateLimitedPerHour:
        return QStringLiteral("attempt_outcomes.rate_limited / (duration_s / 3600)");
    case CompareModel::OutputTokensPerS:
        return QStringLiteral("throughput.output_tokens_per_s");
    case CompareModel::CostPer1kRequests:
        return QStringLiteral("cost_usd / requests * 1000");
    case CompareModel::Requests:
        return QStringLiteral("requests");
    case CompareModel::Attempts:
        return QStringLiteral("attempts");
    case CompareModel::CostUsd:
    case CompareModel::MetricCount:
        break;
    }
    return QStringLiteral("cost_usd");
}

QString formatValue(CompareModel::Metric metric, double value)
{
    if (std::isnan(value))
        return QString(QChar(0x2013)); // en dash: nothing to measure
    switch (metric) {
    case CompareModel::SuccessRate:
    case CompareModel::TimeoutRate: {
        const double percent = value * 100.0;
        return fixed(percent, percent >= 10.0 || percent == 0.0 ? 1 : 2) + QLatin1Char('%');
    }
    case CompareModel::RateLimitedPerHour:
        return fixed(value, value >= 100.0 ? 0 : 1) + QStringLiteral(" /h");
    case CompareModel::OutputTokensPerS:
        return fixed(value, value >= 1000.0 ? 0 : 1) + QStringLiteral(" tok/s");
    case CompareModel::CostPer1kRequests:
    case CompareModel::CostUsd:
        return dollars(value);
    case CompareModel::Requests:
    case CompareModel::Attempts:
        return fixed(value, 0);
    default:
        return milliseconds(value);
    }
}

// "+12.3%", "−4.0%", "+1.2 pp"; a difference that rounds to zero is "±0.0".
QString formatDifference(double difference, bool points)
{
    const double rounded = std::round(difference * 10.0) / 10.0;
    QString sign = QStringLiteral("\u00b1");
    if (rounded > 0.0)
        sign = QStringLiteral("+");
    else if (rounded < 0.0)
        sign = QString(QChar(0x2212)); // a real minus sign, as wide as the plus
    return sign + fixed(std::abs(rounded), 1) + (points ? QStringLiteral(" pp") : QStringLiteral("%"));
}

// A green wash over the palette's base colour: visible on light and dark palettes alike, and the text
// colour that contrasts with the base still contrasts with it.
QColor bestTint()
{
    const QColor base = QGuiApplication::palette().color(QPalette::Base);
    const QColor green(0x2c, 0xa0, 0x2c);
    const double share = base.lightness() < 128 ? 0.40 : 0.25;
    const auto mix = [share](int from, int to) {
        return int(std::lround(from + (to - from) * share));
    };
    return QColor(mix(base.red(), green.red()), mix(base.green(), green.green()), mix(base.blue(), green.blue()));
}

QString csvNumber(double value)
{
    return std::isnan(value) ? QString() : QString::number(value, 'g', 12);
}

} // namespace

CompareModel::CompareModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

double CompareModel::metricValue(Metric metric, const QJsonObject &target, double durationS)
{
    const QJsonObject latency = target.value(QLatin1String("latency_ms")).toObject();
    const QJsonObject ttft = target.value(QLatin1String("ttft_ms")).toObject();
    const QJsonObject attemptOutcomes = target.value(QLatin1String("attempt_outcomes")).toObject();
    const double attempts = number(target.value(QLatin1String("attempts")));
    const double requests = number(target.value(QLatin1String("requests")));
    const double cost = number(target.value(QLatin1String("cost_usd")));
    switch (metric) {
    case SuccessRate:
        return number(target.value(QLatin1String("success_rate")));
    case LatencyMean:
        return number(latency.value(QLatin1String("mean")));
    case LatencyP50:
        return number(latency.value(QLatin1String("p50")));
    case LatencyP95:
        return number(latency.value(QLatin1String("p95")));
    case LatencyP99:
        return number(latency.value(QLatin1String("p99")));
    case TtftP50:
        return number(ttft.value(QLatin1String("p50")));
    case TtftP95:
        return number(ttft.value(QLatin1String("p95")));
    case TimeoutRate:
        return ratio(number(attemptOutcomes.value(QLatin1String("timeout"))) +
                         number(attemptOutcomes.value(QLatin1String("stalled"))),
                     attempts);
    case RateLimitedPerHour:
        return ratio(number(attemptOutcomes.value(QLatin1String("rate_limited"))), durationS / 3600.0);
    case OutputTokensPerS:
        return number(target.value(QLatin1String("throughput")).toObject().value(QLatin1String("output_tokens_per_s")));
    case CostPer1kRequests: {
        const double perRequest = ratio(cost, requests);
        return std::isnan(perRequest) ? missing : perRequest * 1000.0;
    }
    case Requests:
        return requests;
    case Attempts:
        return attempts;
    case CostUsd:
        return cost;
    case MetricCount:
        break;
    }
    return missing;
}

bool CompareModel::differsInPoints(Metric metric)
{
    return metric == SuccessRate || metric == TimeoutRate;
}

QString CompareModel::metricName(Metric metric)
{
    switch (metric) {
    case SuccessRate:
        return tr("Success rate");
    case LatencyMean:
        return tr("Latency mean");
    case LatencyP50:
        return tr("Latency p50");
    case LatencyP95:
        return tr("Latency p95");
    case LatencyP99:
        return tr("Latency p99");
    case TtftP50:
        return tr("TTFT p50");
    case TtftP95:
        return tr("TTFT p95");
    case TimeoutRate:
        return tr("Timeout rate");
    case RateLimitedPerHour:
        return tr("429s per hour");
    case OutputTokensPerS:
        return tr("Output tokens/s");
    case CostPer1kRequests:
        return tr("Cost per 1,000 requests");
    case Requests:
        return tr("Requests");
    case Attempts:
        return tr("Attempts");
    case CostUsd:
    case MetricCount:
        break;
    }
    return tr("Cost");
}

// docs/metrics.md's words.
QString CompareModel::metricDefinition(Metric metric)
{
    const QString latency = tr("end_ms − sent_ms (from the request on the wire to the end of the answer) of "
                               "successful (ok), non-warm-up attempts; exact nearest-rank percentiles.");
    const QString ttft = tr("first_token_ms − sent_ms: the first SSE event with non-empty content or "
                            "reasoning_content, of successful, non-warm-up streamed attempts; exact nearest-rank "
                            "percentiles.");
    switch (metric) {
    case SuccessRate:
        return tr("Logical requests whose final outcome is ok, over logical requests with a final outcome "
                  "(warm-up excluded).");
    case LatencyMean:
        return tr("Mean of ") + latency;
    case LatencyP50:
        return tr("Median (p50) of ") + latency;
    case LatencyP95:
        return tr("95th percentile of ") + latency;
    case LatencyP99:
        return tr("99th percentile of ") + latency;
    case TtftP50:
        return tr("Median (p50) time to first token: ") + ttft;
    case TtftP95:
        return tr("95th percentile time to first token: ") + ttft;
    case TimeoutRate:
        return tr("Attempts that ended as timeout (the total deadline passed first) or stalled (no byte moved "
                  "for stall_s), over all non-warm-up attempts.");
    case RateLimitedPerHour:
        return tr("Attempts answered HTTP 429 (rate_limited), per hour of the run's duration.");
    case OutputTokensPerS:
        return tr("Completion tokens of non-warm-up attempts ÷ the run's duration.");
    case CostPer1kRequests:
        return tr("The cost of every attempt (warm-up and retries included) per 1,000 logical requests.");
    case Requests:
        return tr("Logical requests with a final outcome, warm-up excluded.");
    case Attempts:
        return tr("The attempts of those requests, retries included.");
    case CostUsd:
    case MetricCount:
        break;
    }
    return tr("(prompt − cached) × input price + cached × cached-input price + completion × output price, per "
              "million tokens, over every attempt, warm-up included (it was paid for).");
}

void CompareModel::setRun(const RunResult &run)
{
    beginResetModel();
    m_names.clear();
    m_descriptions.clear();
    m_values.clear();
    const double durationS = number(run.summary.value(QLatin1String("duration_s")));
    const QJsonArray targets = run.summary.value(QLatin1String("targets")).toArray();
    for (const QJsonValue &entry : targets) {
        const QJsonObject target = entry.toObject();
        m_names.append(target.value(QLatin1String("name")).toString());
        m_descriptions.append(tr("%1 at %2")
                                  .arg(target.value(QLatin1String("model")).toString(),
                                       target.value(QLatin1String("base_url")).toString()));
        std::array<double, MetricCount> values{};
        for (int metric = 0; metric < MetricCount; ++metric)
            values[size_t(metric)] = metricValue(Metric(metric), target, durationS);
        m_values.push_back(values);
    }
    m_baseline = 0;
    updateBest();
    endResetModel();
}

void CompareModel::clear()
{
    setRun(RunResult{});
}

void CompareModel::setBaseline(int target)
{
    if (target < 0 || target >= m_names.size() || target == m_baseline)
        return;
    m_baseline = target;
    if (!m_names.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1),
                         {Qt::DisplayRole, Qt::ToolTipRole, DifferenceRole});
    emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

void CompareModel::updateBest()
{
    for (int metric = 0; metric < MetricCount; ++metric) {
        std::vector<bool> &best = m_best[size_t(metric)];
        best.assign(m_values.size(), false);
        const Better better = betterOf(Metric(metric));
        std::vector<double> present;
        for (size_t t = 0; t < m_values.size(); ++t)
            if (!std::isnan(m_values[t][size_t(metric)]))
                present.push_back(m_values[t][size_t(metric)]);
        if (better == Better::Neither || present.size() < 2)
            continue;
        const auto [low, high] = std::minmax_element(present.begin(), present.end());
        if (*low == *high)
            continue; // all equal: nothing stands out
        const double target = better == Better::Higher ? *high : *low;
        for (size_t t = 0; t < m_values.size(); ++t)
            best[t] = m_values[t][size_t(metric)] == target;
    }
}

double CompareModel::difference(int metric, int target) const
{
    if (target == m_baseline)
        return missing;
    const double v = value(metric, target);
    const double base = value(metric, m_baseline);
    if (std::isnan(v) || std::isnan(base))
        return missing;
    if (differsInPoints(Metric(metric)))
        return (v - base) * 100.0;
    return base == 0.0 ? missing : (v - base) / base * 100.0; // no % of nothing
}

bool CompareModel::isBest(int metric, int target) const
{
    return m_best[size_t(metric)][size_t(target)];
}

QString CompareModel::cellText(int metric, int target) const
{
    const QString text = formatValue(Metric(metric), value(metric, target));
    const double diff = difference(metric, target);
    if (std::isnan(diff))
        return text;
    return text + QStringLiteral(" (") + formatDifference(diff, differsInPoints(Metric(metric))) + QLatin1Char(')');
}

QString CompareModel::cellToolTip(int metric, int target) const
{
    const Metric m = Metric(metric);
    const double v = value(metric, target);
    QString tip = metricName(m) + QStringLiteral(": ") + metricDefinition(m) + QLatin1Char('\n');
    if (std::isnan(v)) {
        tip += tr("No value: summary.json has none for %1 (nothing to measure).").arg(sourceOf(m));
        return tip;
    }
    tip += tr("Raw value: %1 (summary.json: %2)").arg(QString::number(v, 'g', 15), sourceOf(m));
    const double diff = difference(metric, target);
    if (!std::isnan(diff)) {
        tip += QLatin1Char('\n') + (differsInPoints(m) ? tr("%1 percentage points against %2 (%3).")
                                                       : tr("%1 against %2 (%3), relative to the baseline's value."))
                                       .arg(formatDifference(diff, differsInPoints(m)), m_names.at(m_baseline),
                                            formatValue(m, value(metric, m_baseline)));
    } else if (target != m_baseline && value(metric, m_baseline) == 0.0) {
        tip += QLatin1Char('\n') + tr("No difference: the baseline %1 is zero.").arg(m_names.at(m_baseline));
    }
    if (isBest(metric, target))
        tip += QLatin1Char('\n') + (betterOf(m) == Better::Higher ? tr("Best of the targets (highest).")
                                                                  : tr("Best of the targets (lowest)."));
    return tip;
}

int CompareModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || m_names.isEmpty() ? 0 : MetricCount;
}

int CompareModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_names.size());
}

QVariant CompareModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int metric = index.row();
    const int target = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return cellText(metric, target);
    case Qt::ToolTipRole:
        return cellToolTip(metric, target);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (isBest(metric, target)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::BackgroundRole:
        return isBest(metric, target) ? QVariant(QBrush(bestTint())) : QVariant();
    case RawValueRole: {
        const double v = value(metric, target);
        return std::isnan(v) ? QVariant() : QVariant(v);
    }
    case DifferenceRole: {
        const double diff = difference(metric, target);
        return std::isnan(diff) ? QVariant() : QVariant(diff);
    }
    case IsBestRole:
        return isBest(metric, target);
    default:
        return {};
    }
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= m_names.size())
            return {};
        if (role == Qt::DisplayRole)
            return section == m_baseline ? tr("%1 (baseline)").arg(m_names.at(section)) : m_names.at(section);
        if (role == Qt::ToolTipRole) {
            if (section == m_baseline)
                return tr("%1\nThe baseline: the other targets' differences are against it.")
                    .arg(m_descriptions.at(section));
            return tr("%1\nDifferences against %2: in % of its value, and in percentage points (pp) for the "
                      "success and timeout rates.")
                .arg(m_descriptions.at(section), m_names.at(m_baseline));
        }
        return {};
    }
    if (section < 0 || section >= MetricCount)
        return {};
    const Metric metric = Metric(section);
    if (role == Qt::DisplayRole)
        return metricName(metric);
    if (role == Qt::ToolTipRole) {
        QString tip = metricDefinition(metric);
        if (differsInPoints(metric))
            tip += QLatin1Char('\n') + tr("A rate: differences are in percentage points (pp), not %.");
        const Better better = betterOf(metric);
        if (better != Better::Neither)
            tip += QLatin1Char('\n') + (better == Better::Higher ? tr("Higher is better.") : tr("Lower is better."));
        return tip;
    }
    return {};
}

QString CompareModel::toHtmlTable() const
{
    if (m_names.isEmpty())
        return QString();
    QString html = QStringLiteral("<table class=\"relaybench-compare\" border=\"1\" cellspacing=\"0\" "
                                  "cellpadding=\"4\">\n<thead><tr><th>") +
                   tr("Metric") + QStringLiteral("</th>");
    for (int t = 0; t < m_names.size(); ++t)
        html += QStringLiteral("<th title=\"") + m_descriptions.at(t).toHtmlEscaped() + QStringLiteral("\">") +
                headerData(t, Qt::Horizontal).toString().toHtmlEscaped() + QStringLiteral("</th>");
    html += QStringLiteral("</tr></thead>\n<tbody>\n");
    for (int metric = 0; metric < MetricCount; ++metric) {
        html += QStringLiteral("<tr><th align=\"left\" title=\"") +
                headerData(metric, Qt::Vertical, Qt::ToolTipRole).toString().toHtmlEscaped() + QStringLiteral("\">") +
                metricName(Metric(metric)).toHtmlEscaped() + QStringLiteral("</th>");
        for (int t = 0; t < m_names.size(); ++t) {
            // A report is read on white paper: a fixed light tint rather than the window palette's.
            const QString style =
                isBest(metric, t) ? QStringLiteral(" style=\"font-weight:bold;background-color:#cfe8cf;color:#000\"")
                                  : QString();
            html += QStringLiteral("<td align=\"right\"") + style + QStringLiteral(" title=\"") +
                    cellToolTip(metric, t).toHtmlEscaped() + QStringLiteral("\">") +
                    cellText(metric, t).toHtmlEscaped() + QStringLiteral("</td>");
        }
        html += QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</tbody>\n</table>\n");
    return html;
}

QString CompareModel::toCsv() const
{
    if (m_names.isEmpty())
        return QString();
    const auto cell = [](const QString &text) {
        return QString::fromUtf8(RequestsCsvWriter::cell(text));
    };
    QString csv = QStringLiteral("metric,unit,difference");
    for (const QString &name : m_names)
        csv += QLatin1Char(',') + cell(name);
    for (int t = 0; t < m_names.size(); ++t)
        if (t != m_baseline)
            csv += QLatin1Char(',') + cell(tr("%1 vs %2").arg(m_names.at(t), m_names.at(m_baseline)));
    csv += QStringLiteral("\r\n");
    for (int metric = 0; metric < MetricCount; ++metric) {
        const Metric m = Metric(metric);
        const double scale = differsInPoints(m) ? 100.0 : 1.0; // rates as %, like the unit column says
        csv += cell(metricName(m)) + QLatin1Char(',') + cell(unitOf(m)) + QLatin1Char(',') +
               (differsInPoints(m) ? QStringLiteral("pp") : QStringLiteral("%"));
        for (int t = 0; t < m_names.size(); ++t)
            csv += QLatin1Char(',') + csvNumber(value(metric, t) * scale);
        for (int t = 0; t < m_names.size(); ++t)
            if (t != m_baseline)
                csv += QLatin1Char(',') + csvNumber(difference(metric, t));
        csv += QStringLiteral("\r\n");
    }
    return csv;
}

} // namespace relaybench
