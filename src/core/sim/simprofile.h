#pragma once

#include "distribution.h"
#include "simfault.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QTime>

#include <optional>

namespace relaybench {

// A time window in which the simulated server is slower and fails more ("peak hours").
// Either relative to the server's start (start_s, duration_s, repeating every every_s when > 0)
// or a daily UTC window (utc "HH:MM-HH:MM", may wrap past midnight).
struct SimPeakWindow
{
    double startS = 0.0;
    double durationS = 0.0;
    double everyS = 0.0;
    std::optional<QTime> utcFrom;
    std::optional<QTime> utcTo;
    double latencyFactor = 1.0;
    double faultFactor = 1.0;

    bool isActive(double secondsSinceStart, const QTime &utcNow) const;
};

struct SimRateLimit
{
    double requestsPerMinute = 0.0; // 0: off
    double tokensPerMinute = 0.0;   // 0: off; counts prompt + completion tokens
};

// Everything that describes how the simulated endpoint behaves. See docs/simulator.md.
struct SimProfile
{
    QString name;
    QString description;
    quint64 seed = 1;
    Distribution headersMs = Distribution::fixed(0.0);
    Distribution ttftMs = Distribution::fixed(50.0);
    Distribution tpotMs = Distribution::fixed(5.0);
    Distribution completionTokens = Distribution::logNormal(64.0, 256.0);
    Distribution reasoningTokens = Distribution::fixed(0.0);
    int tokensPerChunk = 1;
    double cachedPromptShare = 0.0;
    SimFaultRates faultRates{};
    double retryAfterS = 1.0;
    QStringList apiKeys; // non-empty: every request needs "Authorization: Bearer <one of these>"
    SimRateLimit rateLimit;
    QList<SimPeakWindow> peakWindows;
    QStringList models{QStringLiteral("sim-model")};

    double faultRate(SimFault fault) const { return faultRates[size_t(fault)]; }
    double totalFaultRate() const;
    QJsonObject toJson() const;
    // One line for people: "TTFT 40 ms median (p99 130 ms), 0.3 ms/token, ~24 tokens; faults 0.3% ..."
    QString summary() const;
};

// Loads a profile by shipped name ("relay") or file path. On failure returns nullopt and sets `error`
// to one line per problem naming the file and the field.
std::optional<SimProfile> loadSimProfile(const QString &nameOrPath, QString *error);
std::optional<SimProfile> parseSimProfile(const QByteArray &json, const QString &source, QString *error);
QStringList shippedSimProfileNames();

} // namespace relaybench
