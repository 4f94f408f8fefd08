#pragma once

#include "attemptspec.h"
#include "chatresponsereader.h"
#include "metrics/attemptrecord.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QSslError;

namespace relaybench {

class RunClock;

// One HTTP attempt on a lane's thread: posts the request, stamps requestSent / headers / first token /
// end on arrival with the run's clock, feeds the body to a ChatResponseReader, enforces the total and
// stall deadlines, classifies the outcome, and emits finished() exactly once.
class Attempt : public QObject
{
    Q_OBJECT

public:
    Attempt(AttemptSpec spec, QNetworkAccessManager *manager, const RunClock *clock, QObject *parent);
    ~Attempt() override;

    void start();
    void cancel(); // the user stopped the run

signals:
    void finished(const relaybench::AttemptRecord &record);

private:
    enum class AbortReason
    {
        None,
        Timeout,
        Stalled,
        Cancelled,
        TooLarge
    };

    void onRequestSent();
    void onSslErrors(const QList<QSslError> &errors);
    void onMetaDataChanged();
    void onReadyRead();
    void onFinished();
    void abortWith(AbortReason reason);
    void touch(); // bytes moved: restart the stall timer
    void complete();
    void fillTokens();

    AttemptSpec m_spec;
    QNetworkAccessManager *m_manager;
    const RunClock *m_clock;
    QNetworkReply *m_reply = nullptr;
    std::optional<ChatResponseReader> m_reader;
    QByteArray m_errorBody;  // first bytes of a non-2xx body
    QStringList m_sslErrors; // certificate problems, when the target verifies TLS
    AttemptRecord m_record;
    AbortReason m_abort = AbortReason::None;
    QTimer m_deadline;
    QTimer m_stall;
    bool m_done = false;
};

} // namespace relaybench
