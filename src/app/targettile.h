#pragma once

#include "engine/runner.h"
#include "metrics/liveaggregator.h"

#include <QGroupBox>
#include <QHash>

class QLabel;

namespace relaybench {

// The figures of one target during a run: done/total, success rate, latency percentiles, TTFT,
// output tokens/s, cost so far, in flight and the circuit state.
class TargetTile : public QGroupBox
{
    Q_OBJECT

public:
    TargetTile(const QString &name, const QColor &color, QWidget *parent = nullptr);
    void update(const LiveTarget &live, const TargetProgress &progress, double elapsedS);
    QString text(const QString &field) const; // for tests: the shown value of a field

private:
    QLabel *addRow(const QString &label, const QString &tooltip);
    QHash<QString, QLabel *> m_values;
};

} // namespace relaybench
