#pragma once

#include "healthstate.h"
#include "monitorconfig.h"
#include "probehistory.h"

#include "campaign/campaign.h"
#include "engine/runclock.h"
#include "metrics/attemptrecord.h"
#include "sim/simserver.h" // held by unique_ptr in an inline-destroyed member

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

class QThread;

namespace relaybench {

class Lane;
class RecordSink;

// Monitor mode (docs/monitor.md): every interval, one small request per target, sent through the
// engine's Lane and Attempt so timing and outcome classes are those of a campaign; each result goes to
// the sinks (history, exporter), into the target's rolling windows, and through its health state machine.
// Lives on the thread that creates it; each target's probes run on a lane thread of their own.
class Monitor : public QObject
{
    Q_OBJECT

public:
    // `apiKeys[i]` is the key of campaign.targets[i] ("" = none).
    Monitor(Campaign campaign, MonitorConfig config, QStringList apiKeys, QObject *parent = nullptr);
    ~Monitor() override;

    // Starts the in-process simulators of sim:// targets (kept for the monitor's life). false and `error`.
    bool prepare(QString *error);
    void addSink(RecordSink *sink) { m_sinks.push_back(sink); }
    void start();
    // Stops probing and cancels the probes in flight; stopped() follows once none is left.
    void stop(const QString &reason = QStringLiteral("stopped"));

    bool isRunning() const { return m_running; }
    QString stopReason() const { return m_stopReason; }
    const Campaign &campaign() const { return m_campaign; }
    const MonitorConfig &config() const { return m_config; }
    int targetCount() const { return int(m_targets.size()); }
    QString targetName(int target) const { return m_campaign.targets.at(target).name; }
    HealthState state(int target) const { return m_targets.at(size_t(target)).machine.state(); }
    // The target's figures over the last `windowS` seconds (up to 24 h).
    WindowFigures figures(int target, double windowS) const;
    qint64 probesSent(int target) const { return m_targets.at(size_t(target)).sent; }
    qint64 probesSkipped(int target) const { return m_targets.at(size_t(target)).skipped; }
    // The in-process simulator behind a sim:// target (null for others): tests switch its profile.
    SimServer *simulator(int target) const { return m_targets.at(size_t(target)).simulator.get(); }
    QString resolvedBaseUrl(int target) const { return m_targets.at(size_t(target)).baseUrl; }
    // For the history: per target the 24 h figures and the state, in the shape of a campaign summary.
    QJsonObject summary() const;

signals:
    void probeFinished(int target, const relaybench::AttemptRecord &record);
    void stateChanged(int target, relaybench::HealthState from, relaybench::HealthState to,
                      const relaybench::WindowFigures &figures);
    void stopped();

private:
    struct TargetMonitor
    {
        explicit TargetMonitor(const HealthThresholds &thresholds, qsizetype capacity)
            : history(capacity)
            , machine(thresholds)
        {}
        QString baseUrl;
        QUrl url;
        QByteArray body; // the same for every probe: serialised once
        QList<QPair<QByteArray, QByteArray>> headers;
        std::unique_ptr<SimServer> simulator;
        std::unique_ptr<QTimer> timer;
        Lane *lane = nullptr;
        QThread *thread = nullptr;
        ProbeHistory history;
        HealthStateMachine machine;
        qint64 sent = 0;
        qint64 skipped = 0; // ticks that found the previous probe still in flight
        bool inFlight = false;
    };

    QByteArray probeBody(const QString &model) const;
    void probe(int target);
    void onProbeFinished(const AttemptRecord &record);
    void maybeFinishStop();
    qint64 wallMs(double clockMs) const; // a run-clock time as ms since the epoch

    Campaign m_campaign;
    MonitorConfig m_config;
    QStringList m_apiKeys;
    int m_promptChars = 0;
    RunClock m_clock;
    std::vector<TargetMonitor> m_targets;
    std::vector<RecordSink *> m_sinks;
    QDateTime m_startedAt;
    double m_startClockMs = 0.0; // the run clock when start() was called
    bool m_running = false;
    bool m_stopping = false;
    QString m_stopReason;
};

} // namespace relaybench
