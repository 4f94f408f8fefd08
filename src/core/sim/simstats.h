#pragma once

#include "simfault.h"

#include <QJsonObject>

#include <atomic>

namespace relaybench {

struct SimStatsSnapshot
{
    quint64 connectionsOpened = 0;
    qint64 connectionsOpen = 0;
    qint64 peakConnections = 0;
    quint64 chatRequests = 0; // chat-completion requests received (parsed)
    quint64 completed = 0;    // answered in full without a fault
    quint64 streamed = 0;     // of chatRequests, how many asked for a stream
    quint64 badRequests = 0;  // 4xx for malformed input (400, 404, 405, 411, 413, 431)
    quint64 unauthorized = 0; // 401
    quint64 rateLimited = 0;  // 429 from the server-side rate limit (not the fault)
    quint64 clientAborts = 0; // connection closed by the client mid-answer
    qint64 inFlight = 0;      // chat requests received and not yet fully answered
    qint64 peakInFlight = 0;
    SimFaultRates faults{}; // counts per fault, stored as doubles for the JSON
    QJsonObject toJson() const;
};

// Counters shared by every worker thread of one simulator; lock-free so the hot path stays cheap.
class SimStats
{
public:
    void connectionOpened();
    void connectionClosed();
    void requestStarted(bool stream);
    void requestFinished();
    void countFault(SimFault fault) { m_faults[size_t(fault)].fetch_add(1, std::memory_order_relaxed); }
    void countCompleted() { m_completed.fetch_add(1, std::memory_order_relaxed); }
    void countBadRequest() { m_badRequests.fetch_add(1, std::memory_order_relaxed); }
    void countUnauthorized() { m_unauthorized.fetch_add(1, std::memory_order_relaxed); }
    void countRateLimited() { m_rateLimited.fetch_add(1, std::memory_order_relaxed); }
    void countClientAbort() { m_clientAborts.fetch_add(1, std::memory_order_relaxed); }
    void resetPeaks();

    SimStatsSnapshot snapshot() const;

private:
    static void raisePeak(std::atomic<qint64> &peak, qint64 value);

    std::atomic<quint64> m_connectionsOpened{0};
    std::atomic<qint64> m_connectionsOpen{0};
    std::atomic<qint64> m_peakConnections{0};
    std::atomic<quint64> m_chatRequests{0};
    std::atomic<quint64> m_completed{0};
    std::atomic<quint64> m_streamed{0};
    std::atomic<quint64> m_badRequests{0};
    std::atomic<quint64> m_unauthorized{0};
    std::atomic<quint64> m_rateLimited{0};
    std::atomic<quint64> m_clientAborts{0};
    std::atomic<qint64> m_inFlight{0};
    std::atomic<qint64> m_peakInFlight{0};
    std::array<std::atomic<quint64>, simFaultCount> m_faults{};
};

} // namespace relaybench
