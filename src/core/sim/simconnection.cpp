#include "simconnection.h"

#include "httpresponse.h"
#include "simwire.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

#include <cmath>

namespace relaybench {

namespace {

const QByteArray jsonType = QByteArrayLiteral("application/json");

// Parses and validates a chat-completions body the way the OpenAI API does, far enough to answer it.
std::optional<SimChatRequest> parseChatRequest(const QByteArray &body, QString *error, QString *param)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("We could not parse the JSON body of your request: ") +
                 (doc.isObject() || parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                                 : QStringLiteral("not an object")) +
                 QStringLiteral(" at offset %1.").arg(parseError.offset);
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    SimChatRequest request;
    if (!root.value(QLatin1String("model")).isString() || root.value(QLatin1String("model")).toString().isEmpty()) {
        *error = QStringLiteral("you must provide a model parameter");
        *param = QStringLiteral("model");
        return std::nullopt;
    }
    request.model = root.value(QLatin1String("model")).toString();
    const QJsonValue messages = root.value(QLatin1String("messages"));
    if (!messages.isArray() || messages.toArray().isEmpty()) {
        *error = QStringLiteral("'messages' must be a non-empty array of message objects");
        *param = QStringLiteral("messages");
        return std::nullopt;
    }
    const QJsonArray array = messages.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject message = array.at(i).toObject();
        if (!array.at(i).isObject() || !message.value(QLatin1String("role")).isString()) {
            *error = QStringLiteral("messages[%1] must be an object with a string 'role'").arg(i);
            *param = QStringLiteral("messages[%1]").arg(i);
            return std::nullopt;
        }
        const QJsonValue content = message.value(QLatin1String("content"));
        if (content.isString()) {
            request.promptChars += int(content.toString().size());
        } else if (content.isArray()) {
            for (const QJsonValue &part : content.toArray())
                request.promptChars += int(part.toObject().value(QLatin1String("text")).toString().size());
        }
        ++request.messageCount;
    }
    for (const char *key : {"max_tokens", "max_completion_tokens"}) {
        const QJsonValue value = root.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            continue;
        const double number = value.toDouble(-1.0);
        if (!value.isDouble() || number < 1.0 || std::floor(number) != number || number > 1e9) {
            *error = QStringLiteral("Invalid '%1': must be an integer >= 1.").arg(QLatin1String(key));
            *param = QLatin1String(key);
            return std::nullopt;
        }
        request.maxTokens = request.maxTokens == 0 ? int(number) : std::min(request.maxTokens, int(number));
    }
    const QJsonValue stream = root.value(QLatin1String("stream"));
    if (!stream.isUndefined() && !stream.isNull() && !stream.isBool()) {
        *error = QStringLiteral("Invalid 'stream': expected a boolean.");
        *param = QStringLiteral("stream");
        return std::nullopt;
    }
    request.stream = stream.toBool(false);
    request.includeUsage =
        request.stream &&
        root.value(QLatin1String("stream_options")).toObject().value(QLatin1String("include_usage")).toBool(false);
    return request;
}

bool authorized(const QStringList &keys, const QByteArray &authorization, bool *missing)
{
    *missing = authorization.isEmpty();
    if (keys.isEmpty())
        return true;
    if (!authorization.startsWith("Bearer "))
        return false;
    const QString presented = QString::fromUtf8(authorization.mid(7).trimmed());
    return keys.contains(presented);
}

} // namespace

SimConnection::SimConnection(qintptr socketDescriptor, std::shared_ptr<SimContext> context, QObject *parent)
    : QObject(parent)
    , m_socket(context->tls() ? new QSslSocket(this) : new QTcpSocket(this))
    , m_context(std::move(context))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SimConnection::runDueSteps);
    m_hostileTimer.setSingleShot(true);
    connect(&m_hostileTimer, &QTimer::timeout, this, &SimConnection::pumpHostile);
    if (!m_socket->setSocketDescriptor(socketDescriptor)) {
        m_closing = true;
        return;
    }
    // SSE events are small writes; Nagle's algorithm would hold them back by up to 40 ms.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket)) {
        tls->setSslConfiguration(*m_context->tls());
        tls->startServerEncryption(); // readyRead then carries decrypted bytes only
    }
    m_context->stats().connectionOpened();
    m_countedOpen = true;
    connect(m_socket, &QTcpSocket::readyRead, this, &SimConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &SimConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_hostile && !m_hostileTimer.isActive())
            pumpHostile();
    });
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

SimConnection::~SimConnection()
{
    m_socket->disconnect(this); // abort() below must not call back into a half-destroyed object
    releaseCounters(false);
    m_socket->abort();
}

void SimConnection::releaseCounters(bool clientWentAway)
{
    if (m_chatInFlight) {
        if (clientWentAway)
            m_context->stats().countClientAbort();
        m_context->stats().requestFinished();
        m_chatInFlight = false;
    }
    if (m_countedOpen) {
        m_context->stats().connectionClosed();
        m_countedOpen = false;
    }
}

bool SimConnection::isOpen() const
{
    return !m_closing;
}

void SimConnection::onReadyRead()
{
    m_buffer += m_socket->readAll();
    processBuffered();
}

void SimConnection::onDisconnected()
{
    // A hung request or a stream still being written when the peer leaves counts as a client abort,
    // unless we closed the connection ourselves (reset, stream cut).
    releaseCounters(!m_closing);
    if (m_deleteScheduled)
        return;
    m_deleteScheduled = true;
    m_closing = true;
    m_timer.stop();
    m_script.reset();
    m_hostileTimer.stop();
    m_hostile.reset();
    deleteLater();
}

void SimConnection::processBuffered()
{
    while (!m_busy && !m_closing) {
        HttpRequest request;
        const auto result = m_parser.parse(m_buffer, request);
        if (result == HttpRequestParser::Result::NeedMore)
            return;
        if (result == HttpRequestParser::Result::Error) {
            m_keepAlive = false; // the stream can no longer be framed: answer and close
            m_context->stats().countBadRequest();
            sendError(m_parser.errorStatus(), QString::fromLatin1(m_parser.errorMessage()),
                      QStringLiteral("invalid_request_error"));
            return;
        }
        m_keepAlive = request.keepAlive();
        dispatch(request);
    }
}

void SimConnection::dispatch(const HttpRequest &request)
{
    const QByteArray path = request.path.endsWith('/') ? request.path.chopped(1) : request.path;
    if (path == "/v1/chat/completions" || path == "/chat/completions") {
        if (request.method != "POST") {
            m_context->stats().countBadRequest();
            sendError(405, QStringLiteral("Use POST for chat completions."), QStringLiteral("invalid_request_error"),
                      {}, "Allow: POST\r\n");
            return;
        }
        handleChat(request);
        return;
    }
    if (request.method == "GET" && (path == "/v1/models" || path == "/models")) {
        if (!checkApiKey(request))
            return;
        sendSimple(200, openAiModelsBody(m_context->profile()->models, 1735689600));
        return;
    }
    if (request.method == "GET" && path == "/sim/stats") {
        sendSimple(200, QJsonDocument(m_context->stats().snapshot().toJson()).toJson(QJsonDocument::Compact));
        return;
    }
    if (request.method == "GET" && (path == "/health" || path == "/sim/profile")) {
        const QJsonObject body = path == "/health" ? QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}}
                                                   : m_context->profile()->toJson();
        sendSimple(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
        return;
    }
    m_context->stats().countBadRequest();
    sendError(404,
              QStringLiteral("Unknown request URL: %1 %2.")
                  .arg(QString::fromLatin1(request.method), QString::fromLatin1(request.path)),
              QStringLiteral("invalid_request_error"), QStringLiteral("unknown_url"));
}

bool SimConnection::checkApiKey(const HttpRequest &request)
{
    bool missingKey = false;
    if (authorized(m_context->profile()->apiKeys, request.header("authorization"), &missingKey))
        return true;
    m_context->stats().countUnauthorized();
    // Like OpenAI, say what is wrong; unlike OpenAI, never echo any part of the key back.
    sendError(401,
              missingKey ? QStringLiteral("You didn't provide an API key. Send it in an Authorization header "
                                          "using Bearer auth (Authorization: Bearer YOUR_KEY).")
                         : QStringLiteral("Incorrect API key provided."),
              QStringLiteral("invalid_request_error"), missingKey ? QString() : QStringLiteral("invalid_api_key"));
    return false;
}

void SimConnection::handleChat(const HttpRequest &request)
{
    if (!checkApiKey(request))
        return;
    const std::shared_ptr<const SimProfile> profile = m_context->profile();
    QString error;
    QString param;
    const auto chat = parseChatRequest(request.body, &error, &param);
    if (!chat) {
        m_context->stats().countBadRequest();
        sendError(400, error, QStringLiteral("invalid_request_error"), {}, {}, param);
        return;
    }
    std::optional<SimFault> forced;
    const QByteArray forcedName = request.header("x-sim-fault");
    if (const auto hostile = simHostileFaultFromName(QLatin1String(forcedName))) {
        startHostile(*hostile, chat->stream);
        return;
    }
    if (!forcedName.isEmpty()) {
        forced = simFaultFromName(QLatin1String(forcedName));
        if (!forced) {
            m_context->stats().countBadRequest();
            sendError(400, QStringLiteral("Unknown X-Sim-Fault: %1").arg(QString::fromLatin1(forcedName)),
                      QStringLiteral("invalid_request_error"));
            return;
        }
    }

    const quint64 index = m_context->nextRequestIndex();
    const double nowS = m_context->secondsSinceStart();
    m_requestClock.start();
    const SimPlan plan = SimPlanner(*profile).plan(*chat, index, nowS, QDateTime::currentDateTimeUtc().time(), forced);
    const auto admitted = m_context->limiter().admit(plan.promptTokens + plan.completionTokens(), nowS);
    if (!admitted.admitted) {
        m_context->stats().countRateLimited();
        const qint64 retryAfter = std::max<qint64>(1, qint64(std::ceil(admitted.retryAfterS)));
        sendError(429,
                  QStringLiteral("Rate limit reached for %1 per minute (simulated server limit).")
                      .arg(QLatin1String(admitted.limit)),
                  QStringLiteral("rate_limit_error"), QStringLiteral("rate_limit_exceeded"),
                  "Retry-After: " + QByteArray::number(retryAfter) + "\r\n");
        return;
    }

    m_context->stats().requestStarted(chat->stream);
    m_context->stats().countFault(plan.fault);
    m_chatInFlight = true;
    m_busy = true;
    m_script.emplace(plan, *chat, index, QDateTime::currentSecsSinceEpoch(), m_keepAlive);
    runDueSteps();
}

void SimConnection::startHostile(SimHostileFault fault, bool stream)
{
    m_context->stats().requestStarted(stream);
    m_chatInFlight = true;
    m_busy = true;
    m_keepAlive = false; // nothing after a hostile answer can be framed
    m_hostile.emplace(fault, stream, m_context->nextRequestIndex());
    pumpHostile();
}

void SimConnection::pumpHostile()
{
    // A bounded socket buffer: the answer is generated as fast as the client reads it, never ahead.
    constexpr qint64 maxBuffered = 4 * SimHostileResponse::pieceBytes;
    while (m_hostile && !m_hostile->atEnd() && m_socket->bytesToWrite() < maxBuffered) {
        m_socket->write(m_hostile->next());
        if (m_hostile->pauseAfterMs() > 0) {
            // The timer first: flush() emits bytesWritten at once, which must not write the next byte.
            m_hostileTimer.start(m_hostile->pauseAfterMs());
            m_socket->flush();
            return;
        }
    }
    if (m_hostile && m_hostile->atEnd()) {
        m_hostile.reset();
        closeConnection();
    }
}

void SimConnection::runDueSteps()
{
    QByteArray out;
    while (m_script && m_script->hasNext()) {
        const double wait = m_script->nextAtMs() - requestElapsedMs();
        if (wait >= 0.5) {
            // Qt timers have millisecond resolution; rounding keeps each step within +-0.5 ms of its time.
            m_timer.start(std::chrono::milliseconds(qint64(std::lround(wait))));
            break;
        }
        QByteArray step;
        const auto after = m_script->next(step);
        out += step;
        if (after == SimResponseScript::After::Reset) {
            resetConnection();
            return;
        }
        if (after == SimResponseScript::After::CloseAfter) {
            m_socket->write(out);
            closeConnection();
            return;
        }
        if (after == SimResponseScript::After::EndResponse) {
            m_socket->write(out);
            m_socket->flush();
            if (m_script->plan().fault == SimFault::None)
                m_context->stats().countCompleted();
            finishResponse();
            return;
        }
    }
    if (!out.isEmpty()) {
        m_socket->write(out);
        m_socket->flush(); // on the wire now, not on the next event-loop pass
    }
}

void SimConnection::finishResponse()
{
    m_script.reset();
    if (m_chatInFlight) {
        m_context->stats().requestFinished();
        m_chatInFlight = false;
    }
    m_busy = false;
    if (!m_keepAlive) {
        closeConnection();
        return;
    }
    processBuffered();
}

void SimConnection::sendSimple(int status, const QByteArray &body, const QByteArray &extraHeaders)
{
    m_busy = true;
    m_socket->write(httpResponseHead(status, jsonType, body.size(), m_keepAlive, extraHeaders) + body);
    m_socket->flush();
    finishResponse();
}

void SimConnection::sendError(int status, const QString &message, const QString &type, const QString &code,
                              const QByteArray &extraHeaders, const QString &param)
{
    sendSimple(status, openAiErrorBody(message, type, code, param), extraHeaders);
}

void SimConnection::closeConnection()
{
    m_closing = true;
    m_timer.stop();
    m_socket->flush();
    m_socket->disconnectFromHost(); // emits disconnected() once the write buffer is out
}

void SimConnection::resetConnection()
{
    m_closing = true;
    m_timer.stop();
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN: "connection reset by peer".
    const linger hardClose{1, 0};
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hardClose, sizeof(hardClose));
    m_socket->disconnect(this);
    releaseCounters(false);
    m_socket->abort();
    m_deleteScheduled = true;
    m_script.reset();
    deleteLater();
}

} // namespace relaybench
