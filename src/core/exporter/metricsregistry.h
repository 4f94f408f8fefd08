#pragma once

#include "metrics/attemptrecord.h"

#include <QByteArray>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <array>
#include <map>
#include <vector>

namespace relaybench {

// What the Prometheus exporter serves (docs/prometheus.md): per-target counters, histograms and gauges,
// fed by the engine's records (MetricsRecordSink), by the progress poller (in flight, circuit) and by the
// monitor (health state). Every method is thread-safe: the engine writes on its thread while the
// exporter reads on another.
class MetricsRegistry
{
public:
    // Upper bounds (seconds) of the histogram buckets; chosen for LLM calls, whose latencies run from
    // tens of milliseconds (a cached local model) to minutes (long reasoning), not Prometheus' HTTP defaults.
    static const std::vector<double> &durationBucketsS();
    static const std::vector<double> &ttftBucketsS();

    // Makes every series of the target exist from the start (at 0), so rate() and absent() work before
    // the first failure of each kind. Idempotent.
    void addTarget(const QString &name);
    // One attempt of `target` (added on first use).
    void observe(const QString &target, const AttemptRecord &record);
    void setInFlight(const QString &target, qint64 count);
    void setCircuitOpen(const QString &target, bool open);
    // 0 healthy, 1 degraded, 2 down (monitor/healthstate). The series exists only once a state was set.
    void setHealthState(const QString &target, int state);

    // The text exposition format, version 0.0.4.
    QByteArray exposition() const;

private:
    struct Histogram
    {
        std::vector<quint64> counts; // per bucket, not cumulative; the last one is +Inf
        double sum = 0.0;
        quint64 count = 0;
        void observe(double value, const std::vector<double> &bounds);
    };
    struct TargetSeries
    {
        std::array<quint64, outcomeCount> requests{};
        Histogram duration;
        Histogram ttft;
        quint64 promptTokens = 0;
        quint64 completionTokens = 0;
        quint64 cachedTokens = 0;
        quint64 reasoningTokens = 0;
        double costUsd = 0.0;
        qint64 inFlight = 0;
        bool circuitOpen = false;
        int healthState = -1; // -1: never set
    };

    TargetSeries &seriesOf(const QString &target); // m_mutex held

    mutable QMutex m_mutex;
    QStringList m_order; // targets in the order they were added, for a stable output
    std::map<QString, TargetSeries> m_targets;
};

} // namespace relaybench
