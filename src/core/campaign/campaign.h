#pragma once

#include "engine/outcome.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace relaybench {

// USD per million tokens.
struct Price
{
    Price() = default;
    Price(double inputUsd, double cachedInputUsd, double outputUsd)
        : input(inputUsd)
        , cachedInput(cachedInputUsd)
        , output(outputUsd)
    {}
    double input = 0.0;
    double cachedInput = 0.0;
    double output = 0.0;
    // Long-context tier (pricing/pricecatalog.h): a request whose prompt has MORE than this many tokens is
    // billed whole at the long-context rates. 0: the model has no such tier.
    qint64 longContextThreshold = 0;
    double longContextInput = 0.0;
    double longContextCachedInput = 0.0;
    double longContextOutput = 0.0;
};

struct Target
{
    QString name;
    QString baseUrl; // http(s)://host/v1, or sim://PROFILE to start the built-in simulator in-process
    QString model;
    QString apiKeyEnv;      // environment variable holding the key; empty: no Authorization header
    QString apiKeyKeychain; // or: entry in the system keychain (service "RelayBench"); never both
    QList<QPair<QString, QString>> headers;
    QString priceId;            // a catalogue id, or empty
    std::optional<Price> price; // resolved (catalogue or inline); none: cost 0
    bool tlsVerify = true;      // false: certificate errors are ignored (self-signed test servers), with a warning

    bool isSimulated() const { return baseUrl.startsWith(QLatin1String("sim://")); }
    QString simProfile() const { return baseUrl.mid(6); }
};

struct LoadSpec
{
    enum class Mode
    {
        Closed,
        Open
    };
    enum class Arrival
    {
        Constant,
        Poisson
    };
    Mode mode = Mode::Closed;
    int concurrency = 8; // closed: workers per target; open: cap on in-flight (0 = none)
    double rate = 5.0;   // open: requests/s per target
    Arrival arrival = Arrival::Constant;
    qint64 requests = 100;  // logical requests per target (warm-up not included); 0: no limit
    double durationS = 0.0; // 0: no limit
    qint64 warmupRequests = 0;
    double rampUpS = 0.0;
};

struct RequestSpec
{
    QList<QJsonArray> conversations; // each a messages array; request i uses conversations[i % n]
    int maxTokens = 256;
    std::optional<double> temperature = 0.7;
    bool stream = true;
    bool includeUsage = true;
    QJsonObject extraBody;
};

struct TimeoutSpec
{
    double totalS = 60.0;
    double stallS = 0.0; // 0: off
};

// Caps on what one answer may make RelayBench hold in memory: a hostile or broken server cannot grow
// a reply without bound. Passing one aborts the attempt as invalid_response (docs/metrics.md).
struct LimitsSpec
{
    static constexpr qint64 defaultMaxResponseBytes = 64 * 1024 * 1024;
    static constexpr qint64 defaultMaxSseLineBytes = 1024 * 1024;
    qint64 maxResponseBytes = defaultMaxResponseBytes;
    qint64 maxSseLineBytes = defaultMaxSseLineBytes;
};

struct RetrySpec
{
    int maxAttempts = 1;
    double baseDelayS = 0.5;
    double maxDelayS = 30.0;
    double jitter = 0.2;
    bool respectRetryAfter = true;
    QList<Outcome> on{Outcome::RateLimited, Outcome::ServerError, Outcome::Timeout, Outcome::NetworkError};
};

struct RateLimitSpec
{
    double requestsPerMinute = 0.0;
    double tokensPerMinute = 0.0;
};

struct CircuitBreakerSpec
{
    int failureThreshold = 0; // 0: off
    double cooldownS = 30.0;
};

struct SloSpec
{
    std::optional<double> successRate;
    std::optional<double> latencyP95Ms;
    std::optional<double> ttftP95Ms;
};

// A test campaign, as loaded from its JSON file (docs/campaign-format.md).
struct Campaign
{
    QString name;
    QString sourcePath; // the file it came from, for messages
    QList<Target> targets;
    LoadSpec load;
    RequestSpec request;
    TimeoutSpec timeouts;
    LimitsSpec limits;
    RetrySpec retry;
    RateLimitSpec rateLimit;
    CircuitBreakerSpec circuitBreaker;
    double maxCostUsd = 0.0; // 0: no budget
    SloSpec slo;
};

} // namespace relaybench
