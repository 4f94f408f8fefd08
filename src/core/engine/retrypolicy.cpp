#include "retrypolicy.h"

#include <cmath>

namespace relaybench {

double parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc)
{
    const QByteArray trimmed = value.trimmed();
    bool ok = false;
    const double seconds = trimmed.toDouble(&ok);
    if (ok)
        return seconds >= 0.0 && std::isfinite(seconds) ? seconds : std::nan("");
    const QDateTime date = QDateTime::fromString(QString::fromLatin1(trimmed), Qt::RFC2822Date);
    if (!date.isValid())
        return std::nan("");
    return std::max(0.0, double(nowUtc.msecsTo(date)) / 1000.0);
}

RetryPolicy::RetryPolicy(RetrySpec spec, quint64 seed)
    : m_spec(std::move(spec))
    , m_rng(seed)
{
}

bool RetryPolicy::shouldRetry(Outcome outcome, int attempt) const
{
    return attempt < m_spec.maxAttempts && m_spec.on.contains(outcome);
}

double RetryPolicy::delayMs(int attempt, double retryAfterS)
{
    const double maxMs = m_spec.maxDelayS * 1000.0;
    if (m_spec.respectRetryAfter && !std::isnan(retryAfterS))
        return std::min(retryAfterS * 1000.0, maxMs);
    double delay = std::min(m_spec.baseDelayS * 1000.0 * std::pow(2.0, attempt - 1), maxMs);
    if (m_spec.jitter > 0.0) {
        std::uniform_real_distribution<double> spread(1.0 - m_spec.jitter, 1.0 + m_spec.jitter);
        delay *= spread(m_rng);
    }
    return std::clamp(delay, 0.0, maxMs);
}

} // namespace relaybench
