#include "outcome.h"

namespace relaybench {

namespace {
constexpr std::array<const char *, outcomeCount> names = {
    "ok",        "rate_limited", "auth_error",     "client_error", "server_error",
    "timeout",   "stalled",      "network_error",  "stream_error", "invalid_response",
    "cancelled", "circuit_open", "budget_stopped",
};
} // namespace

QLatin1String outcomeName(Outcome outcome)
{
    return QLatin1String(names[size_t(outcome)]);
}

std::optional<Outcome> outcomeFromName(QLatin1String name)
{
    for (int i = 0; i < outcomeCount; ++i) {
        if (name == QLatin1String(names[size_t(i)]))
            return Outcome(i);
    }
    return std::nullopt;
}

std::array<Outcome, outcomeCount> allOutcomes()
{
    std::array<Outcome, outcomeCount> all{};
    for (int i = 0; i < outcomeCount; ++i)
        all[size_t(i)] = Outcome(i);
    return all;
}

Outcome outcomeForStatus(int status)
{
    if (status == 429)
        return Outcome::RateLimited;
    if (status == 401 || status == 403)
        return Outcome::AuthError;
    if (status >= 400 && status < 500)
        return Outcome::ClientError;
    if (status >= 500)
        return Outcome::ServerError;
    return Outcome::Ok;
}

} // namespace relaybench
