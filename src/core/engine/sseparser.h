#pragma once

#include <QByteArray>
#include <QList>

namespace relaybench {

struct SseEvent
{
    QByteArray event; // the "event:" field, empty for the default "message"
    QByteArray data;  // "data:" lines joined with '\n'
    QByteArray id;
};

// Incremental Server-Sent Events parser (WHATWG HTML, "event stream interpretation"): bytes go in as
// they arrive, in pieces of any size; whole events come out. Lines end in LF, CRLF or CR, even when
// the CR and LF arrive in different pieces. A line longer than maxLineBytes stops the parser
// (overflowed()), so a hostile server cannot make it buffer without bound.
class SseParser
{
public:
    explicit SseParser(qsizetype maxLineBytes = 4 * 1024 * 1024);

    void feed(const QByteArray &bytes);
    // Dispatches a last event that was not followed by a blank line (the stream ended).
    void finish();
    QList<SseEvent> takeEvents();
    bool hasEvents() const { return !m_events.isEmpty(); }
    bool overflowed() const { return m_overflowed; }
    qsizetype bufferedBytes() const { return m_line.size(); }

private:
    void processLine(const QByteArray &line);
    void dispatch();

    qsizetype m_maxLineBytes;
    QByteArray m_line;
    bool m_lastWasCr = false;
    bool m_overflowed = false;
    bool m_hasData = false;
    SseEvent m_pending;
    QList<SseEvent> m_events;
};

} // namespace relaybench
