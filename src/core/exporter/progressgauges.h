#pragma once

#include "engine/runner.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace relaybench {

class MetricsRegistry;

// The exporter's gauges (in flight, circuit open) are states, not events: this polls the engine's
// progress (Runner::progress or RunController::progress) twice a second and copies them into the registry.
class ProgressGauges : public QObject
{
    Q_OBJECT

public:
    static constexpr int pollIntervalMs = 500;

    ProgressGauges(MetricsRegistry *registry, std::function<QList<TargetProgress>()> progress,
                   QObject *parent = nullptr);
    void start();
    // One last poll (so the final scrape reads 0 in flight), then no more.
    void stop();

private:
    void poll();

    MetricsRegistry *m_registry;
    std::function<QList<TargetProgress>()> m_progress;
    QTimer m_timer;
};

} // namespace relaybench
