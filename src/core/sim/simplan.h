#pragma once

#include "simfault.h"
#include "simprofile.h"

#include <QString>

namespace relaybench {

// What the simulator learned from one chat-completions request body.
struct SimChatRequest
{
    QString model;
    bool stream = false;
    bool includeUsage = false;
    int maxTokens = 0; // max_tokens or max_completion_tokens; 0: no limit
    int promptChars = 0;
    int messageCount = 0;
};

// Everything the simulator will do for one request, decided up front so that the answer is a
// pure function of (profile, seed, request index, time) and can be tested without a socket.
// Times are ms after the request was fully received.
struct SimPlan
{
    SimFault fault = SimFault::None;
    double headersMs = 0.0; // response headers (and, for streams, the role-only chunk); errors answer here
    double ttftMs = 0.0;    // first token-carrying chunk
    double tpotMs = 0.0;    // time per output token after the first
    int tokensPerChunk = 1;
    int promptTokens = 0;
    int cachedTokens = 0;
    int reasoningTokens = 0;
    int contentTokens = 0;
    bool truncatedByMaxTokens = false;
    int faultAtChunk = -1; // stream faults: the token chunk at which the stream breaks
    double retryAfterS = 0.0;
    bool inPeakWindow = false;
    quint64 textSeed = 0;

    int completionTokens() const { return reasoningTokens + contentTokens; }
    int tokenChunks() const;
    // When token chunk `chunk` (0-based) is sent; the last chunk's time is the end of the answer.
    double chunkMs(int chunk) const;
    double endMs() const { return chunkMs(tokenChunks() - 1); }
    QLatin1String finishReason() const;
};

// Estimated prompt tokens for a body with `chars` characters of content in `messages` messages:
// ceil(chars / 4) + 4 per message (the usual rule of thumb, and roughly OpenAI's per-message overhead).
int simPromptTokens(int chars, int messages);

class SimPlanner
{
public:
    explicit SimPlanner(const SimProfile &profile);

    // `index` is the request's arrival number; `forced` comes from the X-Sim-Fault header.
    SimPlan plan(const SimChatRequest &request, quint64 index, double secondsSinceStart, const QTime &utcNow,
                 std::optional<SimFault> forced = std::nullopt) const;

private:
    const SimProfile &m_profile;
};

} // namespace relaybench
