#pragma once

#include "metrics/attemptrecord.h"

namespace relaybench {

// Where attempt records go as the run produces them: the CSV file, the run store, live views.
// Called on the runner's thread, one record at a time, in completion order.
class RecordSink
{
public:
    virtual ~RecordSink() = default;
    virtual void write(const AttemptRecord &record) = 0;
    virtual void flush() {}
};

} // namespace relaybench
