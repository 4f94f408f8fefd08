#include "simworker.h"

#include "simconnection.h"

namespace relaybench {

SimWorker::SimWorker(std::shared_ptr<SimContext> context)
    : m_context(std::move(context))
{}

void SimWorker::adopt(qintptr socketDescriptor)
{
    auto *connection = new SimConnection(socketDescriptor, m_context, this);
    if (!connection->isOpen())
        connection->deleteLater();
}

void SimWorker::closeAll()
{
    const QList<SimConnection *> connections = findChildren<SimConnection *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(connections);
}

} // namespace relaybench
