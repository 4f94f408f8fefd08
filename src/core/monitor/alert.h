#pragma once

#include "healthstate.h"
#include "windowfigures.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace relaybench {

// One state change of one target, as alerts carry it.
struct Alert
{
    QDateTime at; // UTC
    QString target;
    HealthState from = HealthState::Unknown;
    HealthState to = HealthState::Unknown;
    WindowFigures figures; // the evaluation window that decided the change
};

// One line for people (stdout, Slack, the tray): `relay: healthy -> degraded (5 min: 90.0% of 20 probes
// ok, p95 812 ms)`.
QString alertText(const Alert &alert);
// Slack-compatible: {"text": alertText}.
QByteArray slackPayload(const Alert &alert);
// {"source": "relaybench", "target", "old_state", "new_state", "at", "window": WindowFigures::toJson()}.
QByteArray jsonPayload(const Alert &alert);
// A window length for people: "45 s", "5 min", "1 h", "24 h".
QString windowLabel(double windowS);

} // namespace relaybench
