#include "sseparser.h"

namespace relaybench {

SseParser::SseParser(qsizetype maxLineBytes)
    : m_maxLineBytes(maxLineBytes)
{}

void SseParser::feed(const QByteArray &bytes)
{
    if (m_overflowed)
        return;
    const char *data = bytes.constData();
    const qsizetype size = bytes.size();
    qsizetype start = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        if (c != '\n' && c != '\r')
            continue;
        if (c == '\n' && m_lastWasCr && i == start && m_line.isEmpty()) {
            // The LF of a CRLF whose CR ended the previous line.
            m_lastWasCr = false;
            start = i + 1;
            continue;
        }
        if (m_line.size() + (i - start) > m_maxLineBytes) {
            m_overflowed = true; // a whole overlong line in one piece is as hostile as an endless one
            m_line.clear();
            return;
        }
        m_line.append(data + start, i - start);
        processLine(m_line);
        m_line.clear();
        m_lastWasCr = c == '\r';
        start = i + 1;
        if (c == '\r' && i + 1 < size && data[i + 1] == '\n') {
            ++i;
            ++start;
            m_lastWasCr = false;
        }
    }
    if (start < size) {
        m_lastWasCr = false;
        m_line.append(data + start, size - start);
        if (m_line.size() > m_maxLineBytes) {
            m_overflowed = true;
            m_line.clear();
        }
    }
}

void SseParser::finish()
{
    if (!m_line.isEmpty()) {
        processLine(m_line);
        m_line.clear();
    }
    dispatch();
}

QList<SseEvent> SseParser::takeEvents()
{
    QList<SseEvent> events;
    events.swap(m_events);
    return events;
}

void SseParser::processLine(const QByteArray &line)
{
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    if (line.startsWith(':'))
        return; // comment, e.g. a keep-alive ": ping"
    const qsizetype colon = line.indexOf(':');
    const QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "data") {
        if (m_hasData)
            m_pending.data += '\n';
        m_pending.data += value;
        m_hasData = true;
    } else if (field == "event") {
        m_pending.event = value;
    } else if (field == "id") {
        m_pending.id = value;
    }
    // "retry" and unknown fields are ignored, as the specification says.
}

void SseParser::dispatch()
{
    if (m_hasData)
        m_events.append(m_pending);
    m_pending = SseEvent();
    m_hasData = false;
}

} // namespace relaybench
