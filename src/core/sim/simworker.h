#pragma once

#include "simcontext.h"

#include <QObject>

#include <memory>

namespace relaybench {

// Lives in one of the simulator's threads and owns the connections handed to it.
class SimWorker : public QObject
{
    Q_OBJECT

public:
    explicit SimWorker(std::shared_ptr<SimContext> context);

    // Called through a queued invocation so the socket is created in this worker's thread.
    Q_INVOKABLE void adopt(qintptr socketDescriptor);
    // Closes every connection; called (blocking) from the server's thread before the thread stops.
    Q_INVOKABLE void closeAll();

private:
    std::shared_ptr<SimContext> m_context;
};

} // namespace relaybench
