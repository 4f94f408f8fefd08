#pragma once

#include "campaign/campaign.h"
#include "circuitbreaker.h"
#include "metrics/targetstats.h"
#include "retrypolicy.h"
#include "runclock.h"
#include "tokenbucket.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <deque>
#include <memory>
#include <random>
#include <vector>

class QThread;

namespace relaybench {

class Lane;
class RecordSink;
class SimServer;
struct AttemptSpec;

// Live figures of one target, for progress lines and the window (pulled, never pushed per attempt).
struct TargetProgress
{
    QString name;
    qint64 planned = 0; // logical requests to run, 0 when only a duration bounds the run
    qint64 finished = 0;
    qint64 succeeded = 0;
    qint64 failedAttempts = 0;
    qint64 inFlight = 0;
    double costUsd = 0.0;
    CircuitBreaker::State circuit = CircuitBreaker::State::Closed;
};

// Runs one campaign: schedules logical requests per target (closed or open loop, ramp, warm-up),
// sends attempts through lanes, applies retries, client-side rate limits, the circuit breaker and the
// budget, hands every record to the sinks and builds the summary. Lives on whatever thread creates
// it (the CLI's main thread, the window's engine thread); the lanes have threads of their own.
class Runner : public QObject
{
    Q_OBJECT

public:
    // `apiKeys[i]` is the key of campaign.targets[i] (empty: none). Keys stay in memory only.
    Runner(Campaign campaign, QStringList apiKeys, QObject *parent = nullptr);
    ~Runner() override;

    // Starts the in-process simulators of sim:// targets. On failure: false, and why in `error`.
    bool prepare(QString *error);
    void addSink(RecordSink *sink) { m_sinks.push_back(sink); }
    void start();
    // Stops sending, cancels what is in flight; `reason` ends up in summary.json's stop_reason.
    void stop(const QString &reason = QStringLiteral("cancelled"));

    bool isRunning() const { return m_running; }
    double elapsedMs() const { return m_clock.nowMs(); }
    QList<TargetProgress> progress() const;
    QJsonObject summary() const;
    bool sloPassed() const;
    bool stoppedEarly() const { return !m_stopReason.isEmpty(); }
    QString stopReason() const { return m_stopReason; }
    const Campaign &campaign() const { return m_campaign; }
    // The URL each target was actually sent to (sim:// resolved to the in-process simulator).
    QString resolvedBaseUrl(int target) const;

signals:
    void finished();

private:
    struct Logical
    {
        int target = 0;
        qint64 id = 0;
        bool warmup = false;
        double firstScheduledMs = 0.0;
        int attempt = 1;
        double dueMs = 0.0;
    };
    struct LaneSlot
    {
        Lane *lane = nullptr;
        QThread *thread = nullptr;
        int inFlight = 0;
    };
    struct TargetRun
    {
        int index = 0;
        QUrl url;                 // .../chat/completions
        QList<QByteArray> bodies; // one request body per conversation
        QString baseUrl;          // as sent
        QList<QPair<QByteArray, QByteArray>> headers;
        std::vector<LaneSlot> lanes;
        qint64 nextId = 0;
        qint64 toIssue = 0;  // warm-up + requests; 0: unbounded (duration)
        qint64 active = 0;   // logical requests started and not final
        qint64 inFlight = 0; // attempts on the wire
        qint64 finished = 0;
        bool issuing = true;
        std::deque<Logical> waiting;          // retries in backoff, and requests over the cap or a rate limit
        QHash<qint64, double> firstScheduled; // logical request -> when its first attempt was due
        double nextArrivalMs = 0.0;
        CircuitBreaker breaker;
        TokenBucket requestBucket;
        TokenBucket tokenBucket;
        TargetStats stats;
        double inFlightEstimateUsd = 0.0;
    };

    void setUpTarget(int index);
    LaneSlot &addLane(TargetRun &target);
    QByteArray requestBody(const Target &target, const QJsonArray &messages) const;
    AttemptSpec specFor(const TargetRun &target, const Logical &logical) const;
    int conversationOf(qint64 requestId) const;
    double estimateCostUsd(int target) const;
    void tick();
    void issueClosedLoop(TargetRun &target);
    void issueOpenLoop(TargetRun &target);
    bool canIssue(const TargetRun &target) const;
    Logical newLogical(TargetRun &target, double scheduledMs);
    void tryDispatch(Logical logical);
    void dispatchWaiting(TargetRun &target);
    void onAttemptFinished(const AttemptRecord &record, int laneIndex);
    void emitRecord(AttemptRecord record);
    void refuse(const Logical &logical, Outcome outcome, const QString &why);
    void finishLogical(const Logical &logical, const AttemptRecord &last);
    void maybeFinish();
    void scheduleTick(double atMs);
    double allowedConcurrency(const TargetRun &target, double nowMs) const;
    double currentRate(double nowMs) const;
    QString redact(QString text) const;

    Campaign m_campaign;
    QStringList m_apiKeys;
    QList<int> m_promptChars; // content characters of each conversation
    RunClock m_clock;
    std::vector<TargetRun> m_targets;
    std::vector<std::unique_ptr<SimServer>> m_simulators;
    std::vector<RecordSink *> m_sinks;
    RetryPolicy m_retry;
    std::mt19937_64 m_arrivals{20260701};
    QTimer m_tick;
    QDateTime m_startedAt;
    QDateTime m_finishedAt;
    double m_endMs = 0.0;
    bool m_running = false;
    bool m_stopping = false;
    bool m_finished = false;
    QString m_stopReason;
    double m_spentUsd = 0.0;
    qint64 m_circuitRefusals = 0;
};

} // namespace relaybench
