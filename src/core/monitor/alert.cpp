#include "alert.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace relaybench {

QString windowLabel(double windowS)
{
    if (windowS >= 3600.0 && std::fmod(windowS, 3600.0) == 0.0)
        return QStringLiteral("%1 h").arg(windowS / 3600.0);
    if (windowS >= 60.0 && std::fmod(windowS, 60.0) == 0.0)
        return QStringLiteral("%1 min").arg(windowS / 60.0);
    return QStringLiteral("%1 s").arg(windowS);
}

QString alertText(const Alert &alert)
{
    const WindowFigures &f = alert.figures;
    QString text = alert.target + QStringLiteral(": ") + QString(healthStateName(alert.from)) + QStringLiteral(" -> ") +
                   QString(healthStateName(alert.to));
    if (f.probes == 0)
        return text;
    text += QStringLiteral(" (%1: %2% of %3 probes ok")
                .arg(windowLabel(f.windowS))
                .arg(f.successRate() * 100.0, 0, 'f', 1)
                .arg(f.probes);
    if (applies(f.latencyP95Ms))
        text += QStringLiteral(", p95 %1 ms").arg(f.latencyP95Ms, 0, 'f', 0);
    return text + QLatin1Char(')');
}

QByteArray slackPayload(const Alert &alert)
{
    const QString text = QStringLiteral("RelayBench: ") + alertText(alert);
    return QJsonDocument(QJsonObject{{QStringLiteral("text"), text}}).toJson(QJsonDocument::Compact);
}

QByteArray jsonPayload(const Alert &alert)
{
    const QJsonObject payload{
        {QStringLiteral("source"), QStringLiteral("relaybench")},
        {QStringLiteral("target"), alert.target},
        {QStringLiteral("old_state"), QString(healthStateName(alert.from))},
        {QStringLiteral("new_state"), QString(healthStateName(alert.to))},
        {QStringLiteral("at"), alert.at.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("text"), alertText(alert)},
        {QStringLiteral("window"), alert.figures.toJson()},
    };
    return QJsonDocument(payload).toJson(QJsonDocument::Compact);
}

} // namespace relaybench
