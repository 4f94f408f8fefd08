#include "simwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>

namespace relaybench {

namespace {

// A small vocabulary of plain ASCII words: no JSON escaping is needed in the hot path.
constexpr std::array<const char *, 32> vocabulary = {
    "latency", "relay", "token",  "stream", "gateway", "request", "budget", "retry", "the",     "a",      "of",
    "and",     "to",    "steady", "queue",  "model",   "answer",  "fast",   "slow",  "limit",   "window", "probe",
    "signal",  "cost",  "server", "client", "measure", "p99",     "burst",  "cache", "thought", "chart",
};

const QByteArray fingerprint = QByteArrayLiteral("fp_relaybench_sim");

} // namespace

QByteArray jsonQuoted(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // strip the [ ]
}

SimWire::SimWire(const SimPlan &plan, const SimChatRequest &request, quint64 index, qint64 createdSecs)
    : m_plan(plan)
    , m_id("chatcmpl-sim" + QByteArray::number(index, 16).rightJustified(12, '0'))
    , m_model(jsonQuoted(request.model))
    , m_created(createdSecs)
{
    m_prefix = "data: {\"id\":\"" + m_id +
               "\",\"object\":\"chat.completion.chunk\",\"created\":" + QByteArray::number(m_created) +
               ",\"model\":" + m_model + ",\"system_fingerprint\":\"" + fingerprint +
               "\",\"choices\":[{\"index\":0,\"delta\":";
    // OpenAI puts "usage": null on every chunk when include_usage is set; clients must tolerate it.
    if (request.includeUsage)
        m_usageNull = QByteArrayLiteral(",\"usage\":null");
}

QString SimWire::tokenText(int token) const
{
    const quint64 pick = (m_plan.textSeed >> 7) + quint64(token) * 0x9e3779b97f4a7c15ULL;
    const QLatin1String word(vocabulary[size_t((pick >> 32) % vocabulary.size())]);
    // Words are separated by a leading space, except the first word of the reasoning and of the answer.
    const bool firstOfItsKind = token == 0 || token == m_plan.reasoningTokens;
    return firstOfItsKind ? QString(word) : QStringLiteral(" ") + word;
}

QString SimWire::content() const
{
    QString text;
    for (int token = m_plan.reasoningTokens; token < m_plan.completionTokens(); ++token)
        text += tokenText(token);
    return text;
}

QString SimWire::reasoning() const
{
    QString text;
    for (int token = 0; token < m_plan.reasoningTokens; ++token)
        text += tokenText(token);
    return text;
}

QByteArray SimWire::usageJson() const
{
    return "{\"prompt_tokens\":" + QByteArray::number(m_plan.promptTokens) +
           ",\"completion_tokens\":" + QByteArray::number(m_plan.completionTokens()) +
           ",\"total_tokens\":" + QByteArray::number(m_plan.promptTokens + m_plan.completionTokens()) +
           ",\"prompt_tokens_details\":{\"cached_tokens\":" + QByteArray::number(m_plan.cachedTokens) +
           ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":" +
           QByteArray::number(m_plan.reasoningTokens) +
           ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
}

QByteArray SimWire::completionBody() const
{
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), content()},
                        {QStringLiteral("refusal"), QJsonValue::Null},
                        {QStringLiteral("annotations"), QJsonArray()}};
    if (m_plan.reasoningTokens > 0)
        message.insert(QStringLiteral("reasoning_content"), reasoning());
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("message"), message},
                             {QStringLiteral("logprobs"), QJsonValue::Null},
                             {QStringLiteral("finish_reason"), QString(m_plan.finishReason())}};
    const QJsonObject body{
        {QStringLiteral("id"), QString::fromLatin1(m_id)},
        {QStringLiteral("object"), QStringLiteral("chat.completion")},
        {QStringLiteral("created"), double(m_created)},
        {QStringLiteral("model"), QJsonDocument::fromJson("[" + m_model + "]").array().at(0)},
        {QStringLiteral("choices"), QJsonArray{choice}},
        {QStringLiteral("usage"), QJsonDocument::fromJson(usageJson()).object()},
        {QStringLiteral("service_tier"), QStringLiteral("default")},
        {QStringLiteral("system_fingerprint"), QString::fromLatin1(fingerprint)},
    };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray SimWire::chunkEvent(const QByteArray &delta, const QByteArray &finishReason) const
{
    return m_prefix + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]" + m_usageNull + "}\n\n";
}

QByteArray SimWire::roleChunk() const
{
    return chunkEvent(QByteArrayLiteral("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}"), "null");
}

QByteArray SimWire::tokenChunk(int chunk) const
{
    const int first = chunk * m_plan.tokensPerChunk;
    const int last = std::min(first + m_plan.tokensPerChunk, m_plan.completionTokens());
    QByteArray events;
    // Reasoning and answer tokens never share a delta: a chunk that straddles the boundary is split.
    QString reasoning;
    QString content;
    for (int token = first; token < last; ++token) {
        if (token < m_plan.reasoningTokens)
            reasoning += tokenText(token);
        else
            content += tokenText(token);
    }
    if (!reasoning.isEmpty())
        events += chunkEvent("{\"reasoning_content\":\"" + reasoning.toLatin1() + "\"}", "null");
    if (!content.isEmpty() || reasoning.isEmpty())
        events += chunkEvent("{\"content\":\"" + content.toLatin1() + "\"}", "null");
    return events;
}

QByteArray SimWire::finishChunk() const
{
    return chunkEvent(QByteArrayLiteral("{}"), '"' + QByteArray(m_plan.finishReason().data()) + '"');
}

QByteArray SimWire::usageChunk() const
{
    return "data: {\"id\":\"" + m_id +
           "\",\"object\":\"chat.completion.chunk\",\"created\":" + QByteArray::number(m_created) +
           ",\"model\":" + m_model + ",\"system_fingerprint\":\"" + fingerprint +
           "\",\"choices\":[],\"usage\":" + usageJson() + "}\n\n";
}

QByteArray SimWire::errorEvent(const QString &message)
{
    return "data: {\"error\":{\"message\":" + jsonQuoted(message) +
           ",\"type\":\"server_error\",\"param\":null,\"code\":\"simulated_stream_error\"}}\n\n";
}

QByteArray SimWire::malformedChunk() const
{
    // Cut off inside a string, the way a corrupted relay line looks.
    return m_prefix + "{\"content\":\"broken\n\n";
}

QByteArray openAiErrorBody(const QString &message, const QString &type, const QString &code, const QString &param)
{
    const QJsonObject error{
        {QStringLiteral("message"), message},
        {QStringLiteral("type"), type},
        {QStringLiteral("param"), param.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(param)},
        {QStringLiteral("code"), code.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(code)}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

QByteArray openAiModelsBody(const QStringList &models, qint64 createdSecs)
{
    QJsonArray data;
    for (const QString &model : models) {
        data.append(QJsonObject{{QStringLiteral("id"), model},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), double(createdSecs)},
                                {QStringLiteral("owned_by"), QStringLiteral("relaybench-simulator")}});
    }
    return QJsonDocument(
               QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

} // namespace relaybench
