#pragma once

#include <QJsonValue>
#include <QString>

#include <random>

namespace relaybench {

class JsonFieldReader;

// A non-negative random quantity of the simulator (a delay in ms, a token count), described the way
// people quote latencies: a median and a 99th percentile. Internally a log-normal distribution,
// whose mean is median * exp(sigma^2 / 2); median == p99 gives a fixed value (what timing tests use).
class Distribution
{
public:
    Distribution() = default;
    static Distribution fixed(double value);
    static Distribution logNormal(double median, double p99, double max = 0.0);

    // JSON forms: 40 | {"fixed": 40} | {"median": 40, "p99": 130, "max": 1000}.
    static Distribution fromJson(const QJsonValue &value, const QString &path, JsonFieldReader &reader,
                                 const Distribution &fallback);
    QJsonValue toJson() const;

    double sample(std::mt19937_64 &rng) const;
    double median() const { return m_median; }
    double p99() const { return m_p99; }
    double max() const { return m_max; }
    double mean() const;
    bool isFixed() const { return m_sigma == 0.0; }

    // The same distribution with every value multiplied (peak-hour slowdowns).
    Distribution scaled(double factor) const;

private:
    double m_median = 0.0;
    double m_p99 = 0.0;
    double m_sigma = 0.0; // log-space standard deviation
    double m_max = 0.0;   // 0: unbounded
};

} // namespace relaybench
