#include "lane.h"

#include "attempt.h"

#include <QNetworkAccessManager>

namespace relaybench {

Lane::Lane(const RunClock *clock)
    : m_clock(clock)
{}

Lane::~Lane()
{
    // Attempts hold replies the manager owns: they go first.
    qDeleteAll(findChildren<Attempt *>(Qt::FindDirectChildrenOnly));
}

void Lane::start(const AttemptSpec &spec)
{
    if (!m_manager) {
        m_manager = std::make_unique<QNetworkAccessManager>();
        m_manager->setAutoDeleteReplies(false); // Attempt owns and deletes its reply
    }
    auto *attempt = new Attempt(spec, m_manager.get(), m_clock, this);
    connect(attempt, &Attempt::finished, this, [this, attempt](const AttemptRecord &record) {
        emit attemptFinished(record);
        attempt->deleteLater();
    });
    attempt->start();
}

void Lane::cancelAll()
{
    const QList<Attempt *> attempts = findChildren<Attempt *>(Qt::FindDirectChildrenOnly);
    for (Attempt *attempt : attempts)
        attempt->cancel();
}

} // namespace relaybench
