#pragma once

#include "engine/recordsink.h"

#include <QStringList>

namespace relaybench {

class MetricsRegistry;

// Hands every attempt of a run to the registry under its target's name (records carry the index).
class MetricsRecordSink : public RecordSink
{
public:
    MetricsRecordSink(MetricsRegistry *registry, QStringList targetNames);
    void write(const AttemptRecord &record) override;

private:
    MetricsRegistry *m_registry;
    QStringList m_targetNames;
};

} // namespace relaybench
