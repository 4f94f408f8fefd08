#pragma once

#include "attemptspec.h"
#include "metrics/attemptrecord.h"

#include <QObject>

#include <memory>

class QNetworkAccessManager;

namespace relaybench {

class Attempt;
class RunClock;

// One QNetworkAccessManager on a thread of its own. Qt 6.4 opens at most 6 HTTP/1.1 connections per
// host in one manager and silently queues the rest, so the runner never gives a lane more than
// `maxInFlightPerLane` attempts: concurrency C uses ceil(C / 6) lanes per target. The lane's thread
// only receives network signals and stamps them; records go back to the runner by queued signal.
class Lane : public QObject
{
    Q_OBJECT

public:
    static constexpr int maxInFlightPerLane = 6;

    explicit Lane(const RunClock *clock);
    ~Lane() override;

    // Both are called through queued invocations, so they run on the lane's thread.
    void start(const AttemptSpec &spec);
    void cancelAll();

signals:
    void attemptFinished(const relaybench::AttemptRecord &record);

private:
    const RunClock *m_clock;
    std::unique_ptr<QNetworkAccessManager> m_manager; // created on first use, in the lane's thread
};

} // namespace relaybench
