#include "attempt.h"

#include "retrypolicy.h"
#include "runclock.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslError>

namespace relaybench {

namespace {
constexpr qsizetype maxErrorBodyBytes = 16 * 1024;
constexpr qint64 readBufferBytes = 1024 * 1024;

qint64 ceilQuarter(qint64 chars)
{
    return (chars + 3) / 4;
}
} // namespace

Attempt::Attempt(AttemptSpec spec, QNetworkAccessManager *manager, const RunClock *clock, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_manager(manager)
    , m_clock(clock)
{
    m_record.target = m_spec.target;
    m_record.requestId = m_spec.requestId;
    m_record.attempt = m_spec.attempt;
    m_record.warmup = m_spec.warmup;
    m_record.scheduledMs = m_spec.scheduledMs;
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer);
    m_stall.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { abortWith(AbortReason::Timeout); });
    connect(&m_stall, &QTimer::timeout, this, [this] { abortWith(AbortReason::Stalled); });
}

Attempt::~Attempt()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void Attempt::start()
{
    QNetworkRequest request(m_spec.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : m_spec.headers)
        request.setRawHeader(name, value);
    if (m_spec.stream) {
        request.setRawHeader("Accept", "text/event-stream");
        // QNAM asks for gzip by default; a compressed stream would arrive in bursts, distorting ITL.
        request.setRawHeader("Accept-Encoding", "identity");
    }
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(0); // our own deadlines, which know why they fired
    m_reply = m_manager->post(request, m_spec.body);
    // Backpressure: without a limit QNAM's network thread reads the socket as fast as the server writes and
    // queues it all for this thread, so a fast hostile server plus a busy lane thread means unbounded memory
    // (a 100 MB answer grew the process by 170 MB on a loaded machine). With it, what this thread has not
    // read yet stays in the kernel's socket buffer. Arrival times are still stamped on arrival here.
    m_reply->setReadBufferSize(readBufferBytes);
    connect(m_reply, &QNetworkReply::requestSent, this, &Attempt::onRequestSent);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &Attempt::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &Attempt::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &Attempt::onFinished);
    connect(m_reply, &QNetworkReply::uploadProgress, this, [this](qint64, qint64) { touch(); });
    connect(m_reply, &QNetworkReply::sslErrors, this, &Attempt::onSslErrors);
    m_deadline.start(std::chrono::milliseconds(qint64(m_spec.totalTimeoutMs)));
    touch();
}

void Attempt::cancel()
{
    abortWith(AbortReason::Cancelled);
}

void Attempt::touch()
{
    if (m_spec.stallTimeoutMs > 0.0)
        m_stall.start(std::chrono::milliseconds(qint64(m_spec.stallTimeoutMs)));
}

void Attempt::onRequestSent()
{
    if (!applies(m_record.sentMs))
        m_record.sentMs = m_clock->nowMs();
    touch();
}

void Attempt::onSslErrors(const QList<QSslError> &errors)
{
    if (!m_spec.tlsVerify) {
        m_reply->ignoreSslErrors(); // the target opted out (tls_verify: false); the loader warned about it
        return;
    }
    // Kept for the message: QNAM's own error string only says that the handshake failed.
    for (const QSslError &error : errors) {
        if (!m_sslErrors.contains(error.errorString()))
            m_sslErrors.append(error.errorString());
    }
}

void Attempt::onMetaDataChanged()
{
    const double now = m_clock->nowMs();
    if (applies(m_record.headersMs))
        return;
    m_record.headersMs = now;
    if (!applies(m_record.sentMs))
        m_record.sentMs = now; // requestSent was not delivered (tiny body written at once): best bound
    m_record.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_reply->hasRawHeader("Retry-After"))
        m_record.retryAfterS = parseRetryAfter(m_reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
    const QByteArray contentType = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
    // The server decides: a stream request answered with plain JSON is read as JSON.
    m_reader.emplace(contentType.startsWith("text/event-stream"), m_spec.maxBodyBytes, m_spec.maxLineBytes);
    touch();
}

void Attempt::onReadyRead()
{
    const double now = m_clock->nowMs(); // stamp first: parsing must not delay the timestamp
    if (!applies(m_record.headersMs))
        onMetaDataChanged();
    const QByteArray bytes = m_reply->readAll();
    touch();
    if (m_record.status >= 300 || m_record.status == 0) {
        if (m_errorBody.size() < maxErrorBodyBytes)
            m_errorBody += bytes.left(maxErrorBodyBytes - m_errorBody.size());
        return;
    }
    if (!m_reader->feed(bytes, now))
        abortWith(AbortReason::TooLarge);
}

void Attempt::abortWith(AbortReason reason)
{
    if (m_done || !m_reply || m_abort != AbortReason::None)
        return;
    // The reply has already failed and its finished() is on the way: that failure is the outcome. (Aborting
    // it again would make QNAM report a second error: "this method must only be called once".)
    if (m_reply->error() != QNetworkReply::NoError || m_reply->isFinished())
        return;
    m_abort = reason;
    m_reply->abort(); // emits finished() synchronously, which completes the attempt
}

void Attempt::onFinished()
{
    if (m_done)
        return;
    m_record.endMs = m_clock->nowMs();
    if (m_reply->bytesAvailable() > 0 && m_abort == AbortReason::None)
        onReadyRead();
    complete();
}

void Attempt::fillTokens()
{
    const bool haveReader = m_reader.has_value();
    const auto usage = haveReader ? m_reader->usage() : std::nullopt;
    if (usage) {
        m_record.promptTokens = usage->promptTokens;
        m_record.completionTokens = usage->completionTokens;
        m_record.cachedTokens = usage->cachedTokens;
        m_record.reasoningTokens = usage->reasoningTokens;
        m_record.tokenSource = TokenSource::Server;
        return;
    }
    if (!applies(m_record.sentMs))
        return; // nothing was sent: nothing to count
    // No usage from the server: ~4 characters a token, as docs/metrics.md says, marked "estimated".
    m_record.promptTokens = ceilQuarter(m_spec.promptChars) + 4 * m_spec.messageCount;
    if (haveReader) {
        m_record.reasoningTokens = ceilQuarter(m_reader->reasoningChars());
        m_record.completionTokens = ceilQuarter(m_reader->contentChars()) + m_record.reasoningTokens;
    }
    m_record.tokenSource = TokenSource::Estimated;
}

void Attempt::complete()
{
    m_done = true;
    m_deadline.stop();
    m_stall.stop();
    const QNetworkReply::NetworkError error = m_reply->error();
    if (m_record.status == 0)
        m_record.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const bool success = m_record.status >= 200 && m_record.status < 300;
    if (!m_reader && success) // a 2xx whose headers were never announced: read it as an empty plain body
        m_reader.emplace(false, m_spec.maxBodyBytes, m_spec.maxLineBytes);
    if (m_reader && success && m_abort != AbortReason::TooLarge)
        m_reader->finish();

    switch (m_abort) {
    case AbortReason::Timeout:
        m_record.outcome = Outcome::Timeout;
        m_record.error = QStringLiteral("no complete answer within %1 s").arg(m_spec.totalTimeoutMs / 1000.0);
        break;
    case AbortReason::Stalled:
        m_record.outcome = Outcome::Stalled;
        m_record.error = QStringLiteral("no bytes for %1 s").arg(m_spec.stallTimeoutMs / 1000.0);
        break;
    case AbortReason::Cancelled:
        m_record.outcome = Outcome::Cancelled;
        m_record.error = QStringLiteral("stopped by the user");
        break;
    case AbortReason::TooLarge:
        m_record.outcome = Outcome::InvalidResponse;
        // Name the campaign setting, so that a legitimately huge answer can be let through on purpose.
        m_record.error =
            m_reader->invalid() +
            (m_reader->isSse() && m_reader->invalid().startsWith(QLatin1String("SSE"))
                 ? QStringLiteral(" (limits.max_sse_line_bytes = %1): reading stopped").arg(m_spec.maxLineBytes)
                 : QStringLiteral(" (limits.max_response_bytes): reading stopped"));
        break;
    case AbortReason::None:
        if (m_record.status >= 300) {
            m_record.outcome = outcomeForStatus(m_record.status);
            if (m_record.outcome == Outcome::Ok)
                m_record.outcome = Outcome::InvalidResponse; // 3xx that QNAM did not follow
            m_record.error =
                QStringLiteral("HTTP %1: %2").arg(m_record.status).arg(ChatResponseReader::errorMessageOf(m_errorBody));
        } else if (m_record.status == 0 && !m_sslErrors.isEmpty()) {
            m_record.outcome = Outcome::NetworkError;
            m_record.error = QStringLiteral("TLS certificate of %1 rejected: %2 (for a test server only, set "
                                            "\"tls_verify\": false on this target)")
                                 .arg(m_spec.url.host(), m_sslErrors.join(QStringLiteral("; ")));
        } else if (m_record.status == 0) {
            m_record.outcome = Outcome::NetworkError;
            m_record.error = m_reply->errorString();
        } else if (error != QNetworkReply::NoError) {
            // The connection failed after a 2xx header: a stream cut off, or a body cut short.
            m_record.outcome = m_reader && m_reader->isSse() ? Outcome::StreamError : Outcome::NetworkError;
            m_record.error = QStringLiteral("connection lost mid-answer: ") + m_reply->errorString();
        } else if (!m_reader->errorEvent().isEmpty()) {
            m_record.outcome = Outcome::StreamError;
            m_record.error = QStringLiteral("error event in the stream: ") + m_reader->errorEvent();
        } else if (!m_reader->invalid().isEmpty()) {
            m_record.outcome = Outcome::InvalidResponse;
            m_record.error = m_reader->invalid();
        } else if (m_reader->isSse() && !m_reader->sawDone() && m_reader->finishReason().isEmpty()) {
            m_record.outcome = Outcome::StreamError;
            m_record.error = QStringLiteral("stream ended without a finish reason or [DONE]");
        } else {
            m_record.outcome = Outcome::Ok;
        }
        break;
    }
    if (m_reader && m_reader->isSse()) {
        m_record.firstTokenMs = m_reader->firstTokenMs();
        m_record.interTokenMs = m_reader->interTokenMs();
    }
    fillTokens();
    emit finished(m_record);
}

} // namespace relaybench
