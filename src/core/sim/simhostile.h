#pragma once

#include <QByteArray>
#include <QLatin1String>

#include <optional>

namespace relaybench {

// Servers that break the rules rather than fail politely: what RelayBench must survive with bounded
// memory and a clear outcome. Asked for per request with the X-Sim-Fault header, like the SimFault
// types, but never drawn from a profile's rates: they are for tests of the client, not for load runs.
enum class SimHostileFault
{
    HugeBody,        // a 200 answer of 100 MB (plain: one JSON string; stream: SSE comment lines)
    EndlessLine,     // a 200 stream whose one "data:" line runs to 100 MB without a newline
    Garbage,         // binary noise instead of an HTTP response, then close
    CloseMidHeaders, // half a status line and header block, then close
    Trickle,         // a normal answer, one byte a second
    WrongLength,     // Content-Length twice the body, then close
    InvalidUtf8,     // a 200 answer whose text holds bytes that are not UTF-8
};

QLatin1String simHostileFaultName(SimHostileFault fault);
std::optional<SimHostileFault> simHostileFaultFromName(QLatin1String name);

// One hostile answer, handed out piece by piece so that the simulator itself never holds 100 MB:
// the connection writes the next piece when its socket buffer has drained.
class SimHostileResponse
{
public:
    static constexpr qint64 hugeBytes = 100 * 1000 * 1000;
    static constexpr qint64 pieceBytes = 64 * 1024;

    SimHostileResponse(SimHostileFault fault, bool stream, quint64 seed);

    bool atEnd() const;
    QByteArray next();
    // How long to wait after writing a piece before the next one (Trickle: a second; others: none).
    int pauseAfterMs() const { return m_trickle ? 1000 : 0; }

private:
    QByteArray bodyPiece(qint64 size);

    QByteArray m_head;       // written first (the whole answer, for small ones)
    QByteArray m_bodyPrefix; // then a generated body of m_bodyTotal bytes: prefix, filler repeated
    QByteArray m_filler;
    qint64 m_bodyTotal = 0;
    qint64 m_bodyWritten = 0;
    bool m_chunked = false; // each body piece framed as an HTTP chunk
    QByteArray m_tail;      // written last
    bool m_trickle = false; // m_head goes out one byte at a time
    qsizetype m_headWritten = 0;
    bool m_tailWritten = false;
};

} // namespace relaybench
