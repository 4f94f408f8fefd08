#pragma once

#include "simplan.h"
#include "simwire.h"

#include <QByteArray>

#include <memory>

namespace relaybench {

// The timed steps of one chat-completions answer, produced lazily so that a thousand open streams
// hold a few hundred bytes each rather than their whole answers.
//   stream:      headers + role chunk at headersMs; token chunk i at ttftMs + i*k*tpotMs; after the last
//                one, at the same moment: finish chunk, usage chunk (include_usage), [DONE], last chunk.
//   non-stream:  the whole body at the time the stream's last token chunk would have gone out.
//   faults:      see SimFault; error statuses answer at headersMs.
class SimResponseScript
{
public:
    enum class After
    {
        Continue,    // more steps follow
        EndResponse, // the response is complete; the connection may serve the next request
        CloseAfter,  // close the connection (FIN) after writing: a stream cut off midway
        Reset,       // close with a TCP RST, writing nothing
    };

    SimResponseScript(SimPlan plan, const SimChatRequest &request, quint64 index, qint64 createdSecs, bool keepAlive);

    bool hangs() const { return m_plan.fault == SimFault::Hang; }
    bool hasNext() const { return !hangs() && m_step <= m_lastStep; }
    double nextAtMs() const;
    After next(QByteArray &out);
    const SimPlan &plan() const { return m_plan; }

private:
    After nextStreamStep(QByteArray &out);
    int statusForFault() const;

    SimPlan m_plan;
    SimWire m_wire;
    bool m_stream;
    bool m_includeUsage;
    bool m_keepAlive;
    int m_step = 0;
    int m_lastStep = 0;
};

} // namespace relaybench
