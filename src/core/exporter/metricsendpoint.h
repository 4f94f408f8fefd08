#pragma once

#include "engine/runner.h"
#include "metricsregistry.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace relaybench {

class MetricsRecordSink;
class ProgressGauges;
class PrometheusExporter;

// The Prometheus exporter as its users see it: one registry that lives as long as the process (so the
// counters only ever grow, across runs, as Prometheus expects), the HTTP server, and the hooks a run
// needs: a sink for its records and a poller for its gauges. Used by `relaybench run`, `relaybench
// monitor` and the window.
class MetricsEndpoint : public QObject
{
    Q_OBJECT

public:
    explicit MetricsEndpoint(QObject *parent = nullptr);
    ~MetricsEndpoint() override;

    bool listen(const QString &host, quint16 port, QString *error);
    bool isListening() const;
    void close();
    QString address() const;
    MetricsRegistry *registry() { return &m_registry; }
    PrometheusExporter *exporter() const { return m_exporter.get(); }

    // Starts feeding one run: returns the sink to add to the run (valid until endRun()); `progress` is polled
    // for the in-flight and circuit gauges on this object's thread.
    RecordSink *beginRun(const QStringList &targetNames, std::function<QList<TargetProgress>()> progress);
    // A last gauge poll (in flight back to 0), then the run's sink and poller go.
    void endRun();

private:
    MetricsRegistry m_registry;
    std::unique_ptr<PrometheusExporter> m_exporter;
    std::unique_ptr<MetricsRecordSink> m_sink;
    std::unique_ptr<ProgressGauges> m_gauges;
};

} // namespace relaybench
