#include "metricsendpoint.h"

#include "metricsrecordsink.h"
#include "progressgauges.h"
#include "prometheusexporter.h"

namespace relaybench {

MetricsEndpoint::MetricsEndpoint(QObject *parent)
    : QObject(parent)
{}

MetricsEndpoint::~MetricsEndpoint() = default;

bool MetricsEndpoint::listen(const QString &host, quint16 port, QString *error)
{
    auto exporter = std::make_unique<PrometheusExporter>(&m_registry);
    if (!exporter->listen(host, port, error))
        return false;
    m_exporter = std::move(exporter);
    return true;
}

bool MetricsEndpoint::isListening() const
{
    return m_exporter != nullptr;
}

void MetricsEndpoint::close()
{
    m_exporter.reset();
}

QString MetricsEndpoint::address() const
{
    return m_exporter ? m_exporter->address() : QString();
}

RecordSink *MetricsEndpoint::beginRun(const QStringList &targetNames, std::function<QList<TargetProgress>()> progress)
{
    endRun();
    m_sink = std::make_unique<MetricsRecordSink>(&m_registry, targetNames);
    m_gauges = std::make_unique<ProgressGauges>(&m_registry, std::move(progress));
    m_gauges->start();
    return m_sink.get();
}

void MetricsEndpoint::endRun()
{
    if (m_gauges)
        m_gauges->stop();
    m_gauges.reset();
    m_sink.reset();
}

} // namespace relaybench
