#include "metricsrecordsink.h"

#include "metricsregistry.h"

namespace relaybench {

MetricsRecordSink::MetricsRecordSink(MetricsRegistry *registry, QStringList targetNames)
    : m_registry(registry)
    , m_targetNames(std::move(targetNames))
{
    for (const QString &name : std::as_const(m_targetNames))
        m_registry->addTarget(name);
}

void MetricsRecordSink::write(const AttemptRecord &record)
{
    if (record.target >= 0 && record.target < m_targetNames.size())
        m_registry->observe(m_targetNames.at(record.target), record);
}

} // namespace relaybench
