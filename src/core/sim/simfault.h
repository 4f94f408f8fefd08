#pragma once

#include <QLatin1String>

#include <array>
#include <optional>

namespace relaybench {

// What the simulator does wrong to one request. Each is drawn at the rate its profile gives.
enum class SimFault
{
    None,
    RateLimited,   // 429 with Retry-After
    InternalError, // 500
    BadGateway,    // 502
    Unavailable,   // 503
    Hang,          // reads the request, never answers
    Reset,         // closes the connection with a TCP RST instead of answering
    StreamCut,     // a stream that stops midway: no finish chunk, no [DONE], unterminated chunked body
    MalformedJson, // 200 with a body (or one SSE event) that is not valid JSON
    ErrorEvent,    // a stream that carries an error event midway and then ends without [DONE]
};

inline constexpr int simFaultCount = 10;

// The names used in profile files, the X-Sim-Fault header and the statistics.
QLatin1String simFaultName(SimFault fault);
std::optional<SimFault> simFaultFromName(QLatin1String name);
std::optional<SimFault> simFaultFromName(const QString &name);

// Faults that need a stream to exist; asked of a non-streamed request they become MalformedJson.
inline bool isStreamOnlyFault(SimFault fault)
{
    return fault == SimFault::StreamCut || fault == SimFault::ErrorEvent;
}

using SimFaultRates = std::array<double, simFaultCount>; // indexed by int(SimFault); [None] unused

} // namespace relaybench
