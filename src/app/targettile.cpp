#include "targettile.h"

#include <QFormLayout>
#include <QLabel>

namespace relaybench {

namespace {
QString ms(double value)
{
    return value >= 100.0 ? QString::number(value, 'f', 0) : QString::number(value, 'f', 1);
}
} // namespace

TargetTile::TargetTile(const QString &name, const QColor &color, QWidget *parent)
    : QGroupBox(name, parent)
{
    setStyleSheet(QStringLiteral("QGroupBox { font-weight: bold; border-top: 3px solid %1; padding-top: 6px; }")
                      .arg(color.name()));
    auto *form = new QFormLayout(this);
    form->setLabelAlignment(Qt::AlignRight);
    addRow(tr("Done"), tr("Logical requests with a final outcome / planned"));
    addRow(tr("Success"), tr("Successful attempts / all attempts (warm-up excluded)"));
    addRow(tr("Latency p50/p95/p99"), tr("Successful attempts, ms, from a live histogram (1.6% resolution)"));
    addRow(tr("TTFT p50"), tr("Time to the first content or reasoning token, ms"));
    addRow(tr("Output tokens/s"), tr("Completion tokens of finished attempts / time since start"));
    addRow(tr("Cost"), tr("USD spent so far, warm-up included"));
    addRow(tr("In flight"), tr("Attempts on the wire now"));
    addRow(tr("Circuit"), tr("The client-side circuit breaker: closed, open or half-open"));
}

QLabel *TargetTile::addRow(const QString &label, const QString &tooltip)
{
    auto *value = new QLabel(QStringLiteral("-"), this);
    value->setToolTip(tooltip);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    static_cast<QFormLayout *>(layout())->addRow(label, value);
    m_values.insert(label, value);
    return value;
}

QString TargetTile::text(const QString &field) const
{
    const QLabel *label = m_values.value(field);
    return label ? label->text() : QString();
}

void TargetTile::update(const LiveTarget &live, const TargetProgress &progress, double elapsedS)
{
    m_values.value(tr("Done"))
        ->setText(progress.planned > 0 ? QStringLiteral("%1 / %2").arg(progress.finished).arg(progress.planned)
                                       : QString::number(progress.finished));
    const qint64 ok = live.attemptOutcomes[size_t(Outcome::Ok)];
    m_values.value(tr("Success"))
        ->setText(live.attempts ? QStringLiteral("%1%").arg(100.0 * double(ok) / double(live.attempts), 0, 'f', 1)
                                : QStringLiteral("-"));
    const LogLinearHistogram &latency = live.latencyMs;
    m_values.value(tr("Latency p50/p95/p99"))
        ->setText(latency.count()
                      ? QStringLiteral("%1 / %2 / %3 ms")
                            .arg(ms(latency.percentile(50)), ms(latency.percentile(95)), ms(latency.percentile(99)))
                      : QStringLiteral("-"));
    m_values.value(tr("TTFT p50"))
        ->setText(live.ttftMs.count() ? ms(live.ttftMs.percentile(50)) + QStringLiteral(" ms") : QStringLiteral("-"));
    m_values.value(tr("Output tokens/s"))
        ->setText(elapsedS > 0.0 ? QString::number(double(live.outputTokens) / elapsedS, 'f', 1) : QStringLiteral("-"));
    m_values.value(tr("Cost"))->setText(QStringLiteral("$%1").arg(live.costUsd, 0, 'f', 4));
    m_values.value(tr("In flight"))->setText(QString::number(progress.inFlight));
    static const QString states[] = {tr("closed"), tr("open"), tr("half-open")};
    m_values.value(tr("Circuit"))->setText(states[int(progress.circuit)]);
}

} // namespace relaybench
