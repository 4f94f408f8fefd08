#pragma once

#include "httprequestparser.h"
#include "simcontext.h"
#include "simhostile.h"
#include "simresponsescript.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

class QTcpSocket;

namespace relaybench {

// One client connection of the simulator, living in a worker thread. Parses requests one at a time
// (pipelined requests wait in the buffer), answers chat completions by playing a SimResponseScript
// against a precise timer, and keeps the connection alive between requests.
class SimConnection : public QObject
{
    Q_OBJECT

public:
    SimConnection(qintptr socketDescriptor, std::shared_ptr<SimContext> context, QObject *parent);
    ~SimConnection() override;

    bool isOpen() const;

private:
    void onReadyRead();
    void onDisconnected();
    void processBuffered();
    void dispatch(const HttpRequest &request);
    void handleChat(const HttpRequest &request);
    void sendSimple(int status, const QByteArray &body, const QByteArray &extraHeaders = {});
    void sendError(int status, const QString &message, const QString &type, const QString &code = {},
                   const QByteArray &extraHeaders = {}, const QString &param = {});
    bool checkApiKey(const HttpRequest &request);
    void startHostile(SimHostileFault fault, bool stream);
    void pumpHostile(); // writes hostile pieces while the socket buffer is small
    void runDueSteps();
    void finishResponse();
    void resetConnection();
    void closeConnection();
    void releaseCounters(bool clientWentAway);
    double requestElapsedMs() const { return double(m_requestClock.nsecsElapsed()) / 1e6; }

    QTcpSocket *m_socket = nullptr;
    std::shared_ptr<SimContext> m_context;
    HttpRequestParser m_parser;
    QByteArray m_buffer;
    bool m_keepAlive = true;
    bool m_busy = false;         // a response is being produced; further requests wait
    bool m_chatInFlight = false; // counted in SimStats::inFlight
    bool m_closing = false;
    bool m_countedOpen = false;
    bool m_deleteScheduled = false;
    std::optional<SimResponseScript> m_script;
    QTimer m_timer;
    std::optional<SimHostileResponse> m_hostile;
    QTimer m_hostileTimer;        // the pause between trickled bytes
    QElapsedTimer m_requestClock; // started when the request was fully received
};

} // namespace relaybench
