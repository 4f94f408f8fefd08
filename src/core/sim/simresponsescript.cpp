#include "simresponsescript.h"

#include "httpresponse.h"

#include <cmath>

namespace relaybench {

namespace {
const QByteArray jsonType = QByteArrayLiteral("application/json");
const QByteArray sseType = QByteArrayLiteral("text/event-stream; charset=utf-8");
} // namespace

SimResponseScript::SimResponseScript(SimPlan plan, const SimChatRequest &request, quint64 index, qint64 createdSecs,
                                     bool keepAlive)
    : m_plan(std::move(plan))
    , m_wire(m_plan, request, index, createdSecs)
    , m_stream(request.stream)
    , m_includeUsage(request.includeUsage)
    , m_keepAlive(keepAlive)
{
    const bool singleStep = !m_stream || statusForFault() != 200 || m_plan.fault == SimFault::Reset;
    // Streams: step 0 sends the headers, steps 1..chunks the token chunks (a fault may end them early).
    m_lastStep = singleStep ? 0 : m_plan.tokenChunks();
}

int SimResponseScript::statusForFault() const
{
    switch (m_plan.fault) {
    case SimFault::RateLimited:
        return 429;
    case SimFault::InternalError:
        return 500;
    case SimFault::BadGateway:
        return 502;
    case SimFault::Unavailable:
        return 503;
    default:
        return 200;
    }
}

double SimResponseScript::nextAtMs() const
{
    if (m_step == 0 && (m_stream || statusForFault() != 200 || m_plan.fault == SimFault::Reset))
        return m_plan.headersMs;
    if (!m_stream)
        return m_plan.endMs();
    return m_plan.chunkMs(m_step - 1);
}

SimResponseScript::After SimResponseScript::next(QByteArray &out)
{
    const int status = statusForFault();
    if (m_plan.fault == SimFault::Reset) {
        ++m_step;
        return After::Reset;
    }
    if (status != 200) {
        ++m_step;
        QByteArray extra;
        QString message = QStringLiteral("The server had an error while processing your request (simulated).");
        QString type = QStringLiteral("server_error");
        if (status == 429) {
            extra = "Retry-After: " + QByteArray::number(qint64(std::ceil(m_plan.retryAfterS))) + "\r\n";
            message = QStringLiteral("Rate limit reached for requests (simulated). Please try again later.");
            type = QStringLiteral("rate_limit_error");
        } else if (status == 502) {
            message = QStringLiteral("Bad gateway (simulated upstream failure).");
        } else if (status == 503) {
            message = QStringLiteral("The engine is currently overloaded, please try again later (simulated).");
        }
        const QByteArray body = openAiErrorBody(message, type);
        out = httpResponseHead(status, jsonType, body.size(), m_keepAlive, extra) + body;
        return After::EndResponse;
    }
    if (m_stream)
        return nextStreamStep(out);

    ++m_step;
    QByteArray body = m_wire.completionBody();
    if (m_plan.fault == SimFault::MalformedJson)
        body.truncate(body.size() / 2); // framing stays valid (Content-Length matches), the JSON does not
    out = httpResponseHead(200, jsonType, body.size(), m_keepAlive) + body;
    return After::EndResponse;
}

SimResponseScript::After SimResponseScript::nextStreamStep(QByteArray &out)
{
    const int step = m_step++;
    if (step == 0) {
        out = httpResponseHead(200, sseType, -1, m_keepAlive) + httpChunk(m_wire.roleChunk());
        return After::Continue;
    }
    const int chunk = step - 1;
    if (chunk == m_plan.faultAtChunk) {
        switch (m_plan.fault) {
        case SimFault::StreamCut:
            m_step = m_lastStep + 1;
            out.clear();
            return After::CloseAfter;
        case SimFault::ErrorEvent:
            m_step = m_lastStep + 1;
            out = httpChunk(SimWire::errorEvent(QStringLiteral("The model stopped producing output (simulated)."))) +
                  httpLastChunk();
            return After::EndResponse;
        case SimFault::MalformedJson:
            out = httpChunk(m_wire.malformedChunk());
            break;
        default:
            out = httpChunk(m_wire.tokenChunk(chunk));
            break;
        }
    } else {
        out = httpChunk(m_wire.tokenChunk(chunk));
    }
    if (step < m_lastStep)
        return After::Continue;
    QByteArray tail = m_wire.finishChunk();
    if (m_includeUsage)
        tail += m_wire.usageChunk();
    tail += SimWire::doneEvent();
    out += httpChunk(tail) + httpLastChunk();
    return After::EndResponse;
}

} // namespace relaybench
