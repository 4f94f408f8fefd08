#include "retrypolicy.h"

#include <QList>

#include <algorithm>
#include <cmath>

namespace relaybench {

namespace {

int monthOf(const QByteArray &token)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    const QByteArray lower = token.toLower();
    for (int i = 0; i < 12; ++i) {
        if (lower == months[i])
            return i + 1;
    }
    return 0;
}

int numberOf(const QByteArray &token, int maxDigits)
{
    if (token.isEmpty() || token.size() > maxDigits)
        return -1;
    bool ok = false;
    const int value = token.toInt(&ok);
    return ok && value >= 0 && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })
               ? value
               : -1;
}

// An HTTP-date (RFC 9110, section 5.6.7), always UTC, in any of its three forms:
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"
//   asctime      "Sun Nov  6 08:49:37 1994"
// Qt's RFC2822Date parser rejects the "GMT" zone that every HTTP server sends, hence this.
QDateTime parseHttpDate(const QByteArray &text, const QDateTime &nowUtc)
{
    QByteArray normalised = text;
    normalised.replace(',', ' ').replace('-', ' ');
    QList<QByteArray> tokens = normalised.simplified().split(' ');
    if (!tokens.isEmpty() && monthOf(tokens.first()) == 0 && numberOf(tokens.first(), 2) < 0)
        tokens.removeFirst(); // the day name
    if (!tokens.isEmpty() && (tokens.last() == "GMT" || tokens.last() == "UTC"))
        tokens.removeLast();
    if (tokens.size() != 4)
        return {};
    int day = 0;
    int month = 0;
    int year = -1;
    QByteArray time;
    if (monthOf(tokens[0]) != 0) { // asctime: month day time year
        month = monthOf(tokens[0]);
        day = numberOf(tokens[1], 2);
        time = tokens[2];
        year = numberOf(tokens[3], 4);
    } else { // day month year time
        day = numberOf(tokens[0], 2);
        month = monthOf(tokens[1]);
        year = tokens[2].size() == 2 || tokens[2].size() == 4 ? numberOf(tokens[2], 4) : -1;
        time = tokens[3];
        if (tokens[2].size() == 2 && year >= 0) {
            // RFC 850's two-digit year: the most recent year with those digits, unless that lies more than
            // 50 years in the future (RFC 9110).
            year += 2000;
            if (year > nowUtc.date().year() + 50)
                year -= 100;
        }
    }
    const QList<QByteArray> hms = time.split(':');
    if (hms.size() != 3 || day < 0 || month == 0 || year < 0)
        return {};
    const QDate date(year, month, day);
    const QTime clock(numberOf(hms[0], 2), numberOf(hms[1], 2), numberOf(hms[2], 2));
    if (!date.isValid() || !clock.isValid())
        return {};
    return QDateTime(date, clock, Qt::UTC);
}

} // namespace

double parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nan("");
    bool ok = false;
    const double seconds = trimmed.toDouble(&ok);
    if (ok)
        return seconds >= 0.0 && std::isfinite(seconds) ? seconds : std::nan("");
    QDateTime date = parseHttpDate(trimmed, nowUtc);
    if (!date.isValid()) // not an HTTP-date, but perhaps another RFC 2822 form ("+0000")
        date = QDateTime::fromString(QString::fromLatin1(trimmed), Qt::RFC2822Date);
    if (!date.isValid())
        return std::nan("");
    return std::max(0.0, double(nowUtc.msecsTo(date)) / 1000.0);
}

RetryPolicy::RetryPolicy(RetrySpec spec, quint64 seed)
    : m_spec(std::move(spec))
    , m_rng(seed)
{}

bool RetryPolicy::shouldRetry(Outcome outcome, int attempt) const
{
    return attempt < m_spec.maxAttempts && m_spec.on.contains(outcome);
}

double RetryPolicy::delayMs(int attempt, double retryAfterS)
{
    const double maxMs = m_spec.maxDelayS * 1000.0;
    if (m_spec.respectRetryAfter && !std::isnan(retryAfterS))
        return std::clamp(retryAfterS * 1000.0, 0.0, maxMs);
    // std::max: an attempt number below 1 is treated as the first.
    double delay = std::min(m_spec.baseDelayS * 1000.0 * std::pow(2.0, std::max(attempt, 1) - 1), maxMs);
    if (m_spec.jitter > 0.0) {
        std::uniform_real_distribution<double> spread(1.0 - m_spec.jitter, 1.0 + m_spec.jitter);
        delay *= spread(m_rng);
    }
    return std::clamp(delay, 0.0, maxMs);
}

} // namespace relaybench
