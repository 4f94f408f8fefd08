#include "simplan.h"

#include <cmath>
#include <random>

namespace relaybench {

namespace {

// splitmix64: turns (seed, index) into well-mixed, independent generator seeds.
quint64 mix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

SimFault drawFault(const SimProfile &profile, double factor, std::mt19937_64 &rng)
{
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    double scale = factor;
    if (profile.totalFaultRate() * scale > 1.0)
        scale = 1.0 / profile.totalFaultRate(); // peak windows can raise rates only up to "always failing"
    double cumulative = 0.0;
    for (int i = 1; i < simFaultCount; ++i) {
        cumulative += profile.faultRates[size_t(i)] * scale;
        if (u < cumulative)
            return SimFault(i);
    }
    return SimFault::None;
}

} // namespace

int SimPlan::tokenChunks() const
{
    const int tokens = std::max(1, completionTokens());
    return (tokens + tokensPerChunk - 1) / tokensPerChunk;
}

double SimPlan::chunkMs(int chunk) const
{
    return ttftMs + double(chunk) * double(tokensPerChunk) * tpotMs;
}

QLatin1String SimPlan::finishReason() const
{
    return truncatedByMaxTokens ? QLatin1String("length") : QLatin1String("stop");
}

int simPromptTokens(int chars, int messages)
{
    return (std::max(0, chars) + 3) / 4 + 4 * std::max(0, messages);
}

SimPlanner::SimPlanner(const SimProfile &profile)
    : m_profile(profile)
{}

SimPlan SimPlanner::plan(const SimChatRequest &request, quint64 index, double secondsSinceStart, const QTime &utcNow,
                         std::optional<SimFault> forced) const
{
    std::mt19937_64 rng(mix(m_profile.seed ^ mix(index)));
    double latencyFactor = 1.0;
    double faultFactor = 1.0;
    SimPlan plan;
    for (const SimPeakWindow &window : m_profile.peakWindows) {
        if (window.isActive(secondsSinceStart, utcNow)) {
            latencyFactor = std::max(latencyFactor, window.latencyFactor);
            faultFactor = std::max(faultFactor, window.faultFactor);
            plan.inPeakWindow = true;
        }
    }
    // Draw in a fixed order so that a given (seed, index) always gives the same answer.
    const SimFault drawn = drawFault(m_profile, faultFactor, rng);
    plan.fault = forced.value_or(drawn);
    plan.headersMs = m_profile.headersMs.sample(rng) * latencyFactor;
    plan.ttftMs = m_profile.ttftMs.sample(rng) * latencyFactor;
    plan.tpotMs = m_profile.tpotMs.sample(rng) * latencyFactor;
    plan.headersMs = std::min(plan.headersMs, plan.ttftMs);
    plan.tokensPerChunk = std::max(1, m_profile.tokensPerChunk);

    int reasoning = int(std::lround(m_profile.reasoningTokens.sample(rng)));
    int content = std::max(1, int(std::lround(m_profile.completionTokens.sample(rng))));
    if (request.maxTokens > 0 && reasoning + content > request.maxTokens) {
        plan.truncatedByMaxTokens = true;
        reasoning = std::min(reasoning, request.maxTokens);
        content = request.maxTokens - reasoning;
        if (content == 0 && reasoning == 0)
            content = 1; // max_tokens >= 1 is validated; never an answer with no tokens at all
    }
    plan.reasoningTokens = reasoning;
    plan.contentTokens = content;
    plan.promptTokens = simPromptTokens(request.promptChars, request.messageCount);
    plan.cachedTokens = int(std::floor(plan.promptTokens * m_profile.cachedPromptShare));
    plan.retryAfterS = m_profile.retryAfterS;
    plan.textSeed = mix(m_profile.seed + index);

    if (!request.stream && isStreamOnlyFault(plan.fault))
        plan.fault = SimFault::MalformedJson;
    // Stream faults strike somewhere in the middle of the answer, never before the first token.
    const int chunks = plan.tokenChunks();
    plan.faultAtChunk = chunks <= 1 ? 0 : int(std::uniform_int_distribution<int>(1, std::max(1, chunks - 1))(rng));
    return plan;
}

} // namespace relaybench
