#pragma once

#include "campaign/campaign.h"
#include "metrics/liveaggregator.h"
#include "runner.h"

#include <QJsonObject>
#include <QMutex>
#include <QObject>

#include <memory>

class QThread;

namespace relaybench {

// Runs a campaign on an engine thread of its own, for callers that must never wait (the window):
// start() and stop() only post to the engine thread; progress(), snapshot() and summary() return
// copies the engine thread published. finished() arrives in the caller's thread.
class RunController : public QObject
{
    Q_OBJECT

public:
    RunController(Campaign campaign, QStringList apiKeys, QObject *parent = nullptr);
    ~RunController() override;

    // Extra sinks (a CSV file, the run store) get every record on the engine thread; they must outlive the run.
    void addSink(RecordSink *sink) { m_extraSinks.push_back(sink); }
    void start();
    void stop();

    bool isRunning() const;
    QList<TargetProgress> progress() const;
    LiveSnapshot snapshot() const { return m_live.snapshot(); }
    QJsonObject summary() const;
    double elapsedMs() const;

signals:
    // `error` is empty for a run that ran (to its end or stopped); otherwise why it could not start.
    void finished(const QString &error);

private:
    void runOnEngineThread();
    void publish();

    Campaign m_campaign;
    QStringList m_apiKeys;
    LiveAggregator m_live;
    std::vector<RecordSink *> m_extraSinks;
    QThread *m_thread = nullptr;
    Runner *m_runner = nullptr; // lives on m_thread
    mutable QMutex m_mutex;     // guards what the engine thread publishes below
    QList<TargetProgress> m_progress;
    QJsonObject m_summary;
    double m_elapsedMs = 0.0;
    bool m_running = false;
};

} // namespace relaybench
