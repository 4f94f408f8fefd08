#pragma once

#include <QLatin1String>

#include <array>
#include <optional>

namespace relaybench {

// How one attempt (and, finally, one logical request) ended. See docs/metrics.md for each definition.
enum class Outcome
{
    Ok,
    RateLimited,     // HTTP 429
    AuthError,       // HTTP 401, 403
    ClientError,     // other 4xx
    ServerError,     // 5xx
    Timeout,         // the total deadline passed
    Stalled,         // no bytes for stall_s
    NetworkError,    // refused, reset, DNS, TLS
    StreamError,     // a stream that ended without a finish reason or [DONE], or carried an error event
    InvalidResponse, // a 2xx whose body is not a valid chat completion or SSE stream
    Cancelled,       // stopped by the user (Stop, Ctrl-C) while in flight
    CircuitOpen,     // refused by the client-side circuit breaker, never sent
    BudgetStopped,   // refused because the budget would be exceeded, never sent
};

inline constexpr int outcomeCount = 13;

QLatin1String outcomeName(Outcome outcome);
std::optional<Outcome> outcomeFromName(QLatin1String name);
std::array<Outcome, outcomeCount> allOutcomes();

// The outcome an HTTP status maps to when the transfer itself completed.
Outcome outcomeForStatus(int status);

} // namespace relaybench
