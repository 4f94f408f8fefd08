#include "simstats.h"

namespace relaybench {

QJsonObject SimStatsSnapshot::toJson() const
{
    QJsonObject faultCounts;
    for (int i = 1; i < simFaultCount; ++i)
        faultCounts.insert(simFaultName(SimFault(i)), faults[size_t(i)]);
    return QJsonObject{
        {QStringLiteral("connections_opened"), double(connectionsOpened)},
        {QStringLiteral("connections_open"), double(connectionsOpen)},
        {QStringLiteral("peak_connections"), double(peakConnections)},
        {QStringLiteral("chat_requests"), double(chatRequests)},
        {QStringLiteral("streamed"), double(streamed)},
        {QStringLiteral("completed"), double(completed)},
        {QStringLiteral("bad_requests"), double(badRequests)},
        {QStringLiteral("unauthorized"), double(unauthorized)},
        {QStringLiteral("rate_limited"), double(rateLimited)},
        {QStringLiteral("client_aborts"), double(clientAborts)},
        {QStringLiteral("in_flight"), double(inFlight)},
        {QStringLiteral("peak_in_flight"), double(peakInFlight)},
        {QStringLiteral("faults"), faultCounts},
    };
}

void SimStats::raisePeak(std::atomic<qint64> &peak, qint64 value)
{
    qint64 seen = peak.load(std::memory_order_relaxed);
    while (value > seen && !peak.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
    }
}

void SimStats::connectionOpened()
{
    m_connectionsOpened.fetch_add(1, std::memory_order_relaxed);
    raisePeak(m_peakConnections, m_connectionsOpen.fetch_add(1, std::memory_order_relaxed) + 1);
}

void SimStats::connectionClosed()
{
    m_connectionsOpen.fetch_sub(1, std::memory_order_relaxed);
}

void SimStats::requestStarted(bool stream)
{
    m_chatRequests.fetch_add(1, std::memory_order_relaxed);
    if (stream)
        m_streamed.fetch_add(1, std::memory_order_relaxed);
    raisePeak(m_peakInFlight, m_inFlight.fetch_add(1, std::memory_order_relaxed) + 1);
}

void SimStats::requestFinished()
{
    m_inFlight.fetch_sub(1, std::memory_order_relaxed);
}

void SimStats::resetPeaks()
{
    m_peakInFlight.store(m_inFlight.load());
    m_peakConnections.store(m_connectionsOpen.load());
}

SimStatsSnapshot SimStats::snapshot() const
{
    SimStatsSnapshot s;
    s.connectionsOpened = m_connectionsOpened.load();
    s.connectionsOpen = m_connectionsOpen.load();
    s.peakConnections = m_peakConnections.load();
    s.chatRequests = m_chatRequests.load();
    s.completed = m_completed.load();
    s.streamed = m_streamed.load();
    s.badRequests = m_badRequests.load();
    s.unauthorized = m_unauthorized.load();
    s.rateLimited = m_rateLimited.load();
    s.clientAborts = m_clientAborts.load();
    s.inFlight = m_inFlight.load();
    s.peakInFlight = m_peakInFlight.load();
    for (int i = 0; i < simFaultCount; ++i)
        s.faults[size_t(i)] = double(m_faults[size_t(i)].load());
    return s;
}

} // namespace relaybench
