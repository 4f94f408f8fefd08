#include "windowfigures.h"

namespace relaybench {

namespace {

QJsonValue number(double value)
{
    return applies(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject WindowFigures::toJson() const
{
    QJsonObject outcomeCounts;
    for (Outcome outcome : allOutcomes()) {
        if (const qint64 count = outcomes[size_t(outcome)]; count > 0)
            outcomeCounts.insert(QString(outcomeName(outcome)), count);
    }
    return QJsonObject{
        {QStringLiteral("window_s"), windowS},
        {QStringLiteral("probes"), probes},
        {QStringLiteral("successes"), successes},
        {QStringLiteral("success_rate"), number(successRate())},
        {QStringLiteral("latency_ms"), QJsonObject{{QStringLiteral("p50"), number(latencyP50Ms)},
                                                   {QStringLiteral("p95"), number(latencyP95Ms)},
                                                   {QStringLiteral("p99"), number(latencyP99Ms)}}},
        {QStringLiteral("ttft_ms"),
         QJsonObject{{QStringLiteral("p50"), number(ttftP50Ms)}, {QStringLiteral("p95"), number(ttftP95Ms)}}},
        {QStringLiteral("outcomes"), outcomeCounts},
    };
}

} // namespace relaybench
