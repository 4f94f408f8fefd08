#pragma once

#include "attemptrecord.h"
#include "boundedsample.h"
#include "statistics.h"

#include <QJsonObject>

#include <array>
#include <vector>

namespace relaybench {

struct SloSpec;

// Everything summary.json says about one target, accumulated record by record on the runner's thread.
// Latency-type samples cover successful, non-warm-up attempts; every value is kept for exact percentiles
// (inter-token gaps up to BoundedSample's limit).
class TargetStats
{
public:
    void addAttempt(const AttemptRecord &record);
    // A logical request reached its final outcome; responseTimeMs runs from its first scheduled time.
    void addFinal(const AttemptRecord &last, double responseTimeMs);
    void notePeakInFlight(qint64 inFlight) { m_peakInFlight = std::max(m_peakInFlight, inFlight); }

    qint64 requests() const { return m_requests; }
    qint64 succeeded() const { return m_finalOutcomes[size_t(Outcome::Ok)]; }
    qint64 attempts() const { return m_attempts; }
    qint64 failedAttempts() const { return m_attempts - m_attemptOutcomes[size_t(Outcome::Ok)]; }
    double costUsd() const { return m_costUsd; }
    qint64 completionTokens() const { return m_completionTokens; }
    qint64 peakInFlight() const { return m_peakInFlight; }

    // The "targets[]" entry of summary.json (name, model, base_url are added by the caller).
    QJsonObject toJson(double durationS, const SloSpec &slo) const;
    // Whether every SLO set in `slo` held (true when none is set).
    bool sloPassed(const SloSpec &slo) const;

private:
    QJsonObject sloJson(const SloSpec &slo, bool *passed) const;

    qint64 m_requests = 0;
    qint64 m_attempts = 0;
    std::array<qint64, outcomeCount> m_finalOutcomes{};
    std::array<qint64, outcomeCount> m_attemptOutcomes{};
    std::vector<double> m_latency;
    std::vector<double> m_responseTime;
    std::vector<double> m_ttfb;
    std::vector<double> m_ttft;
    BoundedSample m_itl; // grows with tokens, not requests: bounded
    std::vector<double> m_tpot;
    qint64 m_promptTokens = 0;
    qint64 m_completionTokens = 0;
    qint64 m_cachedTokens = 0;
    qint64 m_reasoningTokens = 0;
    qint64 m_serverCounted = 0;
    qint64 m_estimated = 0;
    double m_costUsd = 0.0;
    qint64 m_peakInFlight = 0;
};

} // namespace relaybench
