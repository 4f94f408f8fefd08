#pragma once

#include "simprofile.h"
#include "simstats.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

class QThread;

namespace relaybench {

class SimContext;
class SimListener;
class SimWorker;

// The built-in OpenAI-compatible simulator: a QTcpServer in its own accept thread that hands each
// connection to one of `threads` worker threads (round robin). Nothing runs on the thread that owns
// the SimServer, so a busy GUI or test thread cannot delay an answer. Usable in-process (tests, the
// app's Demo target, sim:// campaign targets) and from `relaybench serve-mock`.
class SimServer : public QObject
{
    Q_OBJECT

public:
    explicit SimServer(SimProfile profile, int threads = 1, QObject *parent = nullptr);
    ~SimServer() override;

    // Serve HTTPS with this certificate and key (PEM files), e.g. a self-signed one to test how clients
    // react. Call before listen(). On failure returns false and sets `error` to one clear line.
    bool setTls(const QString &certificateFile, const QString &keyFile, QString *error);

    // Port 0 picks a free port. On failure returns false and sets `error` to one clear line.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void close();

    bool isListening() const;
    quint16 port() const;
    QHostAddress address() const;
    QUrl baseUrl() const; // http://HOST:PORT/v1 (https:// with TLS)

    SimStatsSnapshot stats() const;
    void resetPeaks();
    std::shared_ptr<const SimProfile> profile() const;
    // Applies to requests that arrive from now on; answers already under way keep their plan.
    void setProfile(SimProfile profile);
    int threadCount() const { return int(m_threads.size()); }

private:
    void dispatch(qintptr socketDescriptor);

    std::shared_ptr<SimContext> m_context;
    QThread *m_acceptThread = nullptr;
    SimListener *m_listener = nullptr; // lives in m_acceptThread
    std::vector<QThread *> m_threads;
    std::vector<SimWorker *> m_workers;
    size_t m_nextWorker = 0; // touched only in the accept thread
    quint16 m_port = 0;
    QHostAddress m_address;
    bool m_listening = false;
};

} // namespace relaybench
