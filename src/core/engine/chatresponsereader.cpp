#include "chatresponsereader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace relaybench {

namespace {

QString shortened(QString text)
{
    text = text.simplified();
    return text.size() > 200 ? text.left(200) + QStringLiteral("...") : text;
}

qint64 intField(const QJsonObject &object, QLatin1String key)
{
    const double value = object.value(key).toDouble(0.0);
    return std::isfinite(value) && value > 0.0 ? qint64(std::min(value, 9e15)) : 0;
}

// The message of an {"error": {...}} or {"error": "..."} object; empty when there is no error.
// Never empty when there is one, so that an error without a message is not mistaken for none.
QString errorOf(const QJsonObject &object)
{
    const QJsonValue error = object.value(QLatin1String("error"));
    QString message;
    if (error.isObject()) {
        const QJsonObject e = error.toObject();
        message = e.value(QLatin1String("message")).toString();
        if (message.trimmed().isEmpty())
            message = QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact));
    } else if (error.isString()) {
        message = error.toString();
        if (message.trimmed().isEmpty())
            message = QStringLiteral("error");
    } else {
        return {};
    }
    return shortened(message);
}

} // namespace

ChatResponseReader::ChatResponseReader(bool sse, qint64 maxBodyBytes, qint64 maxLineBytes)
    : m_sse(sse)
    , m_maxBodyBytes(maxBodyBytes)
    , m_parser(maxLineBytes)
{}

bool ChatResponseReader::feed(const QByteArray &bytes, double nowMs)
{
    if (m_overLimit)
        return false;
    m_lastFeedMs = nowMs;
    m_received += bytes.size();
    if (m_received > m_maxBodyBytes) {
        m_overLimit = true;
        m_invalid = QStringLiteral("response body larger than %1 bytes").arg(m_maxBodyBytes);
        return false;
    }
    if (!m_sse) {
        m_body += bytes;
        return true;
    }
    m_parser.feed(bytes);
    if (m_parser.overflowed()) {
        m_overLimit = true;
        m_invalid = QStringLiteral("SSE line longer than the line limit");
        return false;
    }
    const QList<SseEvent> events = m_parser.takeEvents();
    for (const SseEvent &event : events)
        handleEvent(event.data, nowMs);
    return true;
}

void ChatResponseReader::handleEvent(const QByteArray &data, double nowMs)
{
    if (data == "[DONE]") {
        m_sawDone = true;
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (m_invalid.isEmpty())
            m_invalid = QStringLiteral("SSE event is not valid JSON: ") + parseError.errorString() +
                        QStringLiteral(" at offset %1 of \"").arg(parseError.offset) +
                        shortened(QString::fromUtf8(data.left(80))) + QLatin1Char('"');
        return;
    }
    if (!doc.isObject()) {
        if (m_invalid.isEmpty())
            m_invalid = QStringLiteral("SSE event is valid JSON but not an object: \"") +
                        shortened(QString::fromUtf8(data.left(80))) + QLatin1Char('"');
        return;
    }
    const QJsonObject chunk = doc.object();
    const QString error = errorOf(chunk);
    if (!error.isEmpty()) {
        if (m_errorEvent.isEmpty())
            m_errorEvent = error;
        return;
    }
    if (chunk.value(QLatin1String("usage")).isObject())
        readUsage(chunk.value(QLatin1String("usage")).toObject());
    const QJsonArray choices = chunk.value(QLatin1String("choices")).toArray();
    if (choices.isEmpty())
        return;
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
    const QString content = delta.value(QLatin1String("content")).toString();
    // "reasoning_content" (DeepSeek, the OpenAI-compatible convention) or "reasoning" (vLLM, OpenRouter).
    QString reasoning = delta.value(QLatin1String("reasoning_content")).toString();
    if (reasoning.isEmpty())
        reasoning = delta.value(QLatin1String("reasoning")).toString();
    m_contentChars += content.size();
    m_reasoningChars += reasoning.size();
    if (!content.isEmpty() || !reasoning.isEmpty()) {
        // A role-only or empty first chunk is not a token: only text counts.
        if (std::isnan(m_firstTokenMs))
            m_firstTokenMs = nowMs;
        else
            m_gaps.append(float(nowMs - m_lastTokenMs));
        m_lastTokenMs = nowMs;
        ++m_tokenEvents;
    }
    const QJsonValue finish = choice.value(QLatin1String("finish_reason"));
    if (finish.isString() && !finish.toString().isEmpty())
        m_finishReason = finish.toString();
}

void ChatResponseReader::readUsage(const QJsonObject &usage)
{
    ServerUsage u;
    u.promptTokens = intField(usage, QLatin1String("prompt_tokens"));
    u.completionTokens = intField(usage, QLatin1String("completion_tokens"));
    u.cachedTokens =
        intField(usage.value(QLatin1String("prompt_tokens_details")).toObject(), QLatin1String("cached_tokens"));
    u.reasoningTokens =
        intField(usage.value(QLatin1String("completion_tokens_details")).toObject(), QLatin1String("reasoning_tokens"));
    m_usage = u;
}

void ChatResponseReader::finish()
{
    if (m_overLimit)
        return;
    if (m_sse) {
        m_parser.finish();
        // An event cut short by the end of the body (no blank line after it) arrived with the last bytes.
        for (const SseEvent &event : m_parser.takeEvents())
            handleEvent(event.data, m_lastFeedMs);
        return;
    }
    if (m_body.trimmed().isEmpty()) {
        m_invalid = QStringLiteral("body is empty: not a chat completion");
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(m_body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        m_invalid = QStringLiteral("body is not valid JSON: ") + parseError.errorString() +
                    QStringLiteral(" at offset %1").arg(parseError.offset);
        return;
    }
    if (!doc.isObject()) {
        m_invalid = QStringLiteral("body is valid JSON but not an object: not a chat completion");
        return;
    }
    const QJsonObject body = doc.object();
    const QString error = errorOf(body);
    if (!error.isEmpty()) {
        // Some relays answer 200 with an error body.
        m_invalid = QStringLiteral("body is an error, not a chat completion: ") + error;
        return;
    }
    const QJsonArray choices = body.value(QLatin1String("choices")).toArray();
    if (choices.isEmpty() || !choices.first().isObject()) {
        m_invalid = QStringLiteral("body has no \"choices\": not a chat completion");
        return;
    }
    const QJsonObject choice = choices.first().toObject();
    if (!choice.value(QLatin1String("message")).isObject()) {
        m_invalid = QStringLiteral("body has no \"choices[0].message\": not a chat completion");
        return;
    }
    const QJsonObject message = choice.value(QLatin1String("message")).toObject();
    m_contentChars = message.value(QLatin1String("content")).toString().size();
    QString reasoning = message.value(QLatin1String("reasoning_content")).toString();
    if (reasoning.isEmpty())
        reasoning = message.value(QLatin1String("reasoning")).toString();
    m_reasoningChars = reasoning.size();
    m_finishReason = choice.value(QLatin1String("finish_reason")).toString();
    if (body.value(QLatin1String("usage")).isObject())
        readUsage(body.value(QLatin1String("usage")).toObject());
}

QString ChatResponseReader::errorMessageOf(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    QString message = errorOf(root);
    // vLLM and FastAPI-style servers: {"object": "error", "message": ...} or {"detail": ...}.
    for (const char *key : {"message", "detail"}) {
        if (message.isEmpty() && root.value(QLatin1String(key)).isString())
            message = shortened(root.value(QLatin1String(key)).toString());
    }
    if (message.isEmpty())
        message = shortened(QString::fromUtf8(body.left(1024)));
    return message.isEmpty() ? QStringLiteral("(empty body)") : message;
}

} // namespace relaybench
