#pragma once

#include <QObject>

#include <memory>

class QSocketNotifier;

namespace relaybench::cli {

// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe trick), so that headless
// commands stop through their normal path: flush files, close sockets, print the summary.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void stopRequested(int signalNumber);

private:
    void onReadable();

    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace relaybench::cli
