#include "chatresponsereader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace relaybench {

namespace {

QString shortened(QString text)
{
    text = text.simplified();
    return text.size() > 200 ? text.left(200) + QStringLiteral("...") : text;
}

qint64 intField(const QJsonObject &object, QLatin1String key)
{
    return qint64(object.value(key).toDouble(0.0));
}

} // namespace

ChatResponseReader::ChatResponseReader(bool sse, qint64 maxBodyBytes, qint64 maxLineBytes)
    : m_sse(sse)
    , m_maxBodyBytes(maxBodyBytes)
    , m_parser(maxLineBytes)
{
}

bool ChatResponseReader::feed(const QByteArray &bytes, double nowMs)
{
    if (m_overLimit)
        return false;
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
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        if (m_invalid.isEmpty())
            m_invalid = QStringLiteral("SSE event is not valid JSON: ") + parseError.errorString();
        return;
    }
    const QJsonObject chunk = doc.object();
    if (chunk.value(QLatin1String("error")).isObject()) {
        const QJsonObject error = chunk.value(QLatin1String("error")).toObject();
        m_errorEvent = shortened(error.value(QLatin1String("message")).toString(QStringLiteral("error event")));
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
    u.cachedTokens = intField(usage.value(QLatin1String("prompt_tokens_details")).toObject(),
                              QLatin1String("cached_tokens"));
    u.reasoningTokens = intField(usage.value(QLatin1String("completion_tokens_details")).toObject(),
                                 QLatin1String("reasoning_tokens"));
    m_usage = u;
}

void ChatResponseReader::finish()
{
    if (m_sse) {
        m_parser.finish();
        for (const SseEvent &event : m_parser.takeEvents())
            handleEvent(event.data, m_lastTokenMs);
        return;
    }
    if (m_overLimit)
        return;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(m_body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        m_invalid = QStringLiteral("body is not valid JSON: ") + parseError.errorString();
        return;
    }
    const QJsonObject body = doc.object();
    const QJsonArray choices = body.value(QLatin1String("choices")).toArray();
    if (choices.isEmpty() || !choices.first().isObject()) {
        m_invalid = QStringLiteral("body has no \"choices\": not a chat completion");
        return;
    }
    const QJsonObject choice = choices.first().toObject();
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
    const QJsonValue error = root.value(QLatin1String("error"));
    if (error.isObject())
        return shortened(error.toObject().value(QLatin1String("message")).toString());
    if (error.isString())
        return shortened(error.toString());
    return shortened(QString::fromUtf8(body.left(200)));
}

} // namespace relaybench
