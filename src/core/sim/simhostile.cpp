#include "simhostile.h"

#include "httpresponse.h"

#include <array>
#include <random>

namespace relaybench {

namespace {

constexpr std::array<const char *, 7> hostileNames = {
    "huge_body", "endless_line", "garbage", "close_mid_headers", "trickle", "wrong_length", "invalid_utf8",
};

const QByteArray jsonType = QByteArrayLiteral("application/json");
const QByteArray sseType = QByteArrayLiteral("text/event-stream; charset=utf-8");

// A small but complete chat completion, so that only the fault under test is wrong with the answer.
QByteArray completionBody(const QByteArray &content)
{
    return "{\"id\":\"chatcmpl-hostile\",\"object\":\"chat.completion\",\"created\":1735689600,\"model\":\"sim\","
           "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" +
           content +
           "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,"
           "\"total_tokens\":8}}";
}

QByteArray deltaEvent(const QByteArray &content, const char *finishReason)
{
    return "data: {\"id\":\"chatcmpl-hostile\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,"
           "\"model\":\"sim\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" +
           content + "\"},\"finish_reason\":" + finishReason + "}]}\n\n";
}

} // namespace

QLatin1String simHostileFaultName(SimHostileFault fault)
{
    return QLatin1String(hostileNames[size_t(fault)]);
}

std::optional<SimHostileFault> simHostileFaultFromName(QLatin1String name)
{
    for (size_t i = 0; i < hostileNames.size(); ++i) {
        if (name == QLatin1String(hostileNames[i]))
            return SimHostileFault(i);
    }
    return std::nullopt;
}

SimHostileResponse::SimHostileResponse(SimHostileFault fault, bool stream, quint64 seed)
{
    // Every hostile answer closes the connection afterwards: none of them leaves it in a usable state.
    switch (fault) {
    case SimHostileFault::HugeBody:
        m_bodyTotal = hugeBytes;
        if (stream) {
            m_head = httpResponseHead(200, sseType, -1, false);
            m_chunked = true;
            // Many short, valid comment lines: only the size of the whole is wrong.
            m_filler = ": " + QByteArray(1021, 'p') + '\n';
            m_tail = httpLastChunk();
        } else {
            m_head = httpResponseHead(200, jsonType, hugeBytes, false);
            m_bodyPrefix = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
            m_filler = QByteArrayLiteral("a");
        }
        break;
    case SimHostileFault::EndlessLine:
        m_head = httpResponseHead(200, sseType, -1, false);
        m_chunked = true;
        m_bodyTotal = hugeBytes;
        m_bodyPrefix = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
        m_filler = QByteArrayLiteral("x");
        m_tail = httpLastChunk();
        break;
    case SimHostileFault::Garbage: {
        std::mt19937_64 rng(seed);
        m_head.resize(4096);
        for (char &byte : m_head)
            byte = char(rng() & 0xff);
        m_head[0] = '\x01'; // never "HTTP/" by chance
        break;
    }
    case SimHostileFault::CloseMidHeaders:
        m_head = QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: appl");
        break;
    case SimHostileFault::Trickle: {
        const QByteArray body = completionBody("slow");
        m_head = httpResponseHead(200, jsonType, body.size(), false) + body;
        m_trickle = true;
        break;
    }
    case SimHostileFault::WrongLength: {
        const QByteArray body = completionBody("short");
        m_head = httpResponseHead(200, jsonType, body.size() * 2, false) + body;
        break;
    }
    case SimHostileFault::InvalidUtf8: {
        // A lone continuation byte, a truncated sequence and bytes that never occur in UTF-8.
        const QByteArray bad = QByteArrayLiteral("caf\x80 \xc3\x28 \xff\xfe");
        if (stream) {
            const QByteArray events = deltaEvent(bad, "null") + deltaEvent("", "\"stop\"") + "data: [DONE]\n\n";
            m_head = httpResponseHead(200, sseType, -1, false) + httpChunk(events) + httpLastChunk();
        } else {
            const QByteArray body = completionBody(bad);
            m_head = httpResponseHead(200, jsonType, body.size(), false) + body;
        }
        break;
    }
    }
}

bool SimHostileResponse::atEnd() const
{
    return m_headWritten == m_head.size() && m_bodyWritten == m_bodyTotal && (m_tailWritten || m_tail.isEmpty());
}

QByteArray SimHostileResponse::next()
{
    if (m_headWritten < m_head.size()) {
        const qsizetype size = m_trickle ? 1 : m_head.size() - m_headWritten;
        const QByteArray piece = m_head.mid(m_headWritten, size);
        m_headWritten += size;
        return piece;
    }
    if (m_bodyWritten < m_bodyTotal) {
        const QByteArray piece = bodyPiece(std::min(pieceBytes, m_bodyTotal - m_bodyWritten));
        return m_chunked ? httpChunk(piece) : piece;
    }
    m_tailWritten = true;
    return m_tail;
}

QByteArray SimHostileResponse::bodyPiece(qint64 size)
{
    QByteArray piece(size, Qt::Uninitialized);
    char *out = piece.data();
    const qint64 prefix = m_bodyPrefix.size();
    const qint64 filler = m_filler.size();
    for (qint64 i = 0; i < size; ++i, ++m_bodyWritten)
        out[i] = m_bodyWritten < prefix ? m_bodyPrefix[m_bodyWritten] : m_filler[(m_bodyWritten - prefix) % filler];
    return piece;
}

} // namespace relaybench
