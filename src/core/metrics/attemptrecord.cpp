#include "attemptrecord.h"

namespace relaybench {

QLatin1String tokenSourceName(TokenSource source)
{
    switch (source) {
    case TokenSource::Server:
        return QLatin1String("server");
    case TokenSource::Estimated:
        return QLatin1String("estimated");
    case TokenSource::None:
        break;
    }
    return QLatin1String("");
}

double AttemptRecord::tpotMs() const
{
    if (!applies(ttftMs()) || completionTokens < 2)
        return notApplicable;
    return (latencyMs() - ttftMs()) / double(completionTokens - 1);
}

} // namespace relaybench
