#include "targetstats.h"

#include "campaign/campaign.h"

#include <QJsonArray>

namespace relaybench {

void TargetStats::addAttempt(const AttemptRecord &record)
{
    // Cost counts every attempt, warm-up included: it was paid for. Tokens, like everything else, leave
    // warm-up out, so that output tokens per second describe the measured part of the run (docs/metrics.md).
    m_costUsd += record.costUsd;
    if (record.warmup)
        return;
    ++m_attempts;
    ++m_attemptOutcomes[size_t(record.outcome)];
    if (record.tokenSource == TokenSource::Server)
        ++m_serverCounted;
    else if (record.tokenSource == TokenSource::Estimated)
        ++m_estimated;
    m_promptTokens += record.promptTokens;
    m_cachedTokens += record.cachedTokens;
    m_completionTokens += record.completionTokens;
    m_reasoningTokens += record.reasoningTokens;
    if (record.outcome != Outcome::Ok)
        return;
    m_latency.push_back(record.latencyMs());
    if (applies(record.ttfbMs()))
        m_ttfb.push_back(record.ttfbMs());
    if (applies(record.ttftMs()))
        m_ttft.push_back(record.ttftMs());
    if (applies(record.tpotMs()))
        m_tpot.push_back(record.tpotMs());
    for (float gap : record.interTokenMs)
        m_itl.add(gap);
}

void TargetStats::addFinal(const AttemptRecord &last, double responseTimeMs)
{
    if (last.warmup)
        return;
    ++m_requests;
    ++m_finalOutcomes[size_t(last.outcome)];
    if (last.outcome == Outcome::Ok)
        m_responseTime.push_back(responseTimeMs);
}

QJsonObject TargetStats::sloJson(const SloSpec &slo, bool *passed) const
{
    QJsonArray checks;
    *passed = true;
    const auto check = [&](const char *metric, double threshold, double actual, bool ok) {
        checks.append(QJsonObject{{QStringLiteral("metric"), QLatin1String(metric)},
                                  {QStringLiteral("threshold"), threshold},
                                  {QStringLiteral("actual"), std::isnan(actual) ? QJsonValue() : QJsonValue(actual)},
                                  {QStringLiteral("passed"), ok}});
        *passed = *passed && ok;
    };
    // No request: nothing shows the target met the SLO, so it fails, with no actual figure.
    const double successRate = m_requests > 0 ? double(succeeded()) / double(m_requests) : notApplicable;
    if (slo.successRate)
        check("success_rate", *slo.successRate, successRate, m_requests > 0 && successRate >= *slo.successRate);
    std::vector<double> latency = m_latency;
    std::vector<double> ttft = m_ttft;
    const SampleStats l = describe(latency);
    const SampleStats t = describe(ttft);
    if (slo.latencyP95Ms)
        check("latency_p95_ms", *slo.latencyP95Ms, l.count ? l.p95 : notApplicable,
              l.count > 0 && l.p95 <= *slo.latencyP95Ms);
    if (slo.ttftP95Ms)
        check("ttft_p95_ms", *slo.ttftP95Ms, t.count ? t.p95 : notApplicable, t.count > 0 && t.p95 <= *slo.ttftP95Ms);
    return QJsonObject{{QStringLiteral("passed"), *passed}, {QStringLiteral("checks"), checks}};
}

bool TargetStats::sloPassed(const SloSpec &slo) const
{
    bool passed = true;
    sloJson(slo, &passed);
    return passed;
}

QJsonObject TargetStats::toJson(double durationS, const SloSpec &slo) const
{
    QJsonObject finals;
    QJsonObject perAttempt;
    for (Outcome outcome : allOutcomes()) {
        finals.insert(outcomeName(outcome), double(m_finalOutcomes[size_t(outcome)]));
        perAttempt.insert(outcomeName(outcome), double(m_attemptOutcomes[size_t(outcome)]));
    }
    const auto stats = [](std::vector<double> values) {
        return relaybench::toJson(describe(values));
    };
    const double seconds = std::max(durationS, 1e-9);
    QString source = QStringLiteral("none");
    if (m_serverCounted > 0 && m_estimated > 0)
        source = QStringLiteral("mixed");
    else if (m_serverCounted > 0)
        source = QStringLiteral("server");
    else if (m_estimated > 0)
        source = QStringLiteral("estimated");
    bool passed = true;
    const QJsonObject sloObject = sloJson(slo, &passed);
    return QJsonObject{
        {QStringLiteral("requests"), double(m_requests)},
        {QStringLiteral("attempts"), double(m_attempts)},
        {QStringLiteral("succeeded"), double(succeeded())},
        {QStringLiteral("failed"), double(m_requests - succeeded())},
        {QStringLiteral("success_rate"),
         m_requests > 0 ? QJsonValue(double(succeeded()) / double(m_requests)) : QJsonValue()},
        {QStringLiteral("outcomes"), finals},
        {QStringLiteral("attempt_outcomes"), perAttempt},
        {QStringLiteral("latency_ms"), stats(m_latency)},
        {QStringLiteral("response_time_ms"), stats(m_responseTime)},
        {QStringLiteral("ttfb_ms"), stats(m_ttfb)},
        {QStringLiteral("ttft_ms"), stats(m_ttft)},
        {QStringLiteral("itl_ms"), m_itl.toJson()},
        {QStringLiteral("tpot_ms"), stats(m_tpot)},
        {QStringLiteral("throughput"),
         QJsonObject{{QStringLiteral("requests_per_s"), double(succeeded()) / seconds},
                     {QStringLiteral("output_tokens_per_s"), double(m_completionTokens) / seconds}}},
        {QStringLiteral("tokens"), QJsonObject{{QStringLiteral("prompt"), double(m_promptTokens)},
                                               {QStringLiteral("completion"), double(m_completionTokens)},
                                               {QStringLiteral("cached"), double(m_cachedTokens)},
                                               {QStringLiteral("reasoning"), double(m_reasoningTokens)},
                                               {QStringLiteral("total"), double(m_promptTokens + m_completionTokens)},
                                               {QStringLiteral("source"), source}}},
        {QStringLiteral("cost_usd"), m_costUsd},
        {QStringLiteral("peak_in_flight"), double(m_peakInFlight)},
        {QStringLiteral("slo"), sloObject},
    };
}

} // namespace relaybench
