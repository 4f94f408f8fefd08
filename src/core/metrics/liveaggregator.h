#pragma once

#include "engine/recordsink.h"
#include "loglinearhistogram.h"

#include <QMutex>
#include <QString>
#include <QStringList>
#include <QVector>

#include <array>
#include <deque>
#include <limits>
#include <map>
#include <vector>

namespace relaybench {

// One second of one target: how many attempts ended in it, by outcome, the output tokens they carried, and the
// exact nearest-rank p50/p95/p99 latency of its successful attempts (NaN when none succeeded in it).
struct LiveSecond
{
    std::array<qint32, outcomeCount> outcomes{};
    qint64 outputTokens = 0;
    float latencyP50Ms = std::numeric_limits<float>::quiet_NaN();
    float latencyP95Ms = std::numeric_limits<float>::quiet_NaN();
    float latencyP99Ms = std::numeric_limits<float>::quiet_NaN();
};

// One attempt as a point of the latency-over-time chart.
struct LivePoint
{
    float endS = 0.0f;
    float latencyMs = 0.0f;
    Outcome outcome = Outcome::Ok;
};

struct LiveFailure
{
    double endMs = 0.0;
    int target = 0;
    int status = 0;
    Outcome outcome = Outcome::Ok;
    QString error;
};

struct LiveTarget
{
    QString name;
    std::array<qint64, outcomeCount> attemptOutcomes{};
    qint64 attempts = 0;
    qint64 outputTokens = 0;
    double costUsd = 0.0;
    LogLinearHistogram latencyMs; // successful, non-warm-up attempts
    LogLinearHistogram ttftMs;
    QVector<LiveSecond> seconds;     // index = second of the run in which attempts ended
    QVector<LivePoint> recentPoints; // the newest points, at most LiveAggregator::maxPoints
};

struct LiveSnapshot
{
    quint64 version = 0; // grows with every record: views skip redraws when it has not moved
    QVector<LiveTarget> targets;
    QVector<LiveFailure> recentFailures; // newest last, at most LiveAggregator::maxFailures
};

// The live view of a run, fed record by record on the runner's thread and read as a copied snapshot
// from any thread (the window's 10 Hz timer, an exporter). Bounded: histograms instead of samples,
// per-second buckets, and only the newest points and failures.
class LiveAggregator : public RecordSink
{
public:
    static constexpr int maxPoints = 5000;
    static constexpr int maxFailures = 500;

    explicit LiveAggregator(const QStringList &targetNames);

    void write(const AttemptRecord &record) override;
    LiveSnapshot snapshot() const;

private:
    mutable QMutex m_mutex;
    LiveSnapshot m_live;
    std::vector<std::deque<LivePoint>> m_points;
    std::deque<LiveFailure> m_failures;
    // Latencies of the seconds still open per target: records end roughly in time order, but attempts of
    // other lanes may still land in the last couple of seconds. Older seconds are reduced to percentiles.
    std::vector<std::map<int, std::vector<float>>> m_openSeconds;
};

} // namespace relaybench
