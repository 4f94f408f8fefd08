#pragma once

#include "simplan.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace relaybench {

// The OpenAI chat-completions wire format as the simulator writes it: bodies, SSE chunks, errors.
// Chunks are assembled from pre-rendered pieces rather than QJsonDocument, because a streaming run
// writes tens of thousands of them per second.
class SimWire
{
public:
    SimWire(const SimPlan &plan, const SimChatRequest &request, quint64 index, qint64 createdSecs);

    QByteArray completionBody() const; // non-streamed chat.completion
    QByteArray roleChunk() const;
    QByteArray tokenChunk(int chunk) const; // SSE event carrying tokens [chunk*k, chunk*k+k)
    QByteArray finishChunk() const;
    QByteArray usageChunk() const;
    static QByteArray doneEvent() { return QByteArrayLiteral("data: [DONE]\n\n"); }
    static QByteArray errorEvent(const QString &message);
    QByteArray malformedChunk() const;

    QString content() const;   // the whole answer text
    QString reasoning() const; // the whole reasoning text

private:
    QByteArray chunkEvent(const QByteArray &delta, const QByteArray &finishReason) const;
    QByteArray usageJson() const;
    QString tokenText(int token) const;

    const SimPlan &m_plan;
    QByteArray m_prefix; // data: {"id":...,"choices":[{"index":0,"delta":
    QByteArray m_usageNull;
    QByteArray m_id;
    QByteArray m_model;
    qint64 m_created;
};

QByteArray openAiErrorBody(const QString &message, const QString &type, const QString &code = QString(),
                           const QString &param = QString());
QByteArray openAiModelsBody(const QStringList &models, qint64 createdSecs);
QByteArray jsonQuoted(const QString &text);

} // namespace relaybench
