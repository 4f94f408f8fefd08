#include "simfault.h"

#include <QString>

namespace relaybench {

namespace {
constexpr std::array<const char *, simFaultCount> faultNames = {
    "none", "rate_limited", "server_error", "bad_gateway",    "service_unavailable",
    "hang", "reset",        "stream_cut",   "malformed_json", "error_event",
};
} // namespace

QLatin1String simFaultName(SimFault fault)
{
    return QLatin1String(faultNames[size_t(fault)]);
}

std::optional<SimFault> simFaultFromName(QLatin1String name)
{
    for (int i = 0; i < simFaultCount; ++i) {
        if (name == QLatin1String(faultNames[size_t(i)]))
            return SimFault(i);
    }
    return std::nullopt;
}

std::optional<SimFault> simFaultFromName(const QString &name)
{
    const QByteArray latin = name.toLatin1();
    return simFaultFromName(QLatin1String(latin));
}

} // namespace relaybench
