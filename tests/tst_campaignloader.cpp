#include "campaign/campaignloader.h"
#include "pricing/pricecatalog.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace relaybench;

class TestCampaignLoader : public QObject
{
    Q_OBJECT

private slots:
    void fullCampaignRoundTrips();
    void absentKeysTakeTheDefaults();
    void openLoopHasNoConcurrencyCapByDefault();
    void nullTemperatureIsLeftOut();
    void promptSources_data();
    void promptSources();
    void badValueIsOneClearError_data();
    void badValueIsOneClearError();
    void everyErrorIsReportedAtOnce();
    void unknownKeysAreWarnings_data();
    void unknownKeysAreWarnings();
    void unknownPriceIdListsTheKnownIds();
    void authorizationHeaderIsRefused_data();
    void authorizationHeaderIsRefused();
    void keyInApiKeyEnvIsNotRepeated();
    void promptsFile_data();
    void promptsFile();
    void promptsFileIsRelativeToTheCampaignFile();
    void manyBadLinesAreSummarised();
    void unreadableCampaignFileNamesThePath();
};

namespace {

const PriceCatalog &catalog()
{
    static const PriceCatalog shipped = PriceCatalog::shipped();
    return shipped;
}

QString campaignsDir()
{
    return QStringLiteral(RELAYBENCH_TEST_DATA "/campaigns");
}

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

// A campaign with one valid target and the given extra top-level members ("\"load\": {...}").
QByteArray withTarget(const QByteArray &members)
{
    QByteArray json = R"({"targets": [{"name": "t", "base_url": "sim://relay", "model": "m"}])";
    if (!members.isEmpty())
        json += ", " + members;
    json += '}';
    return json;
}

// A campaign whose only target has the given extra members ("\"price\": 3").
QByteArray withTargetMembers(const QByteArray &members)
{
    return R"({"targets": [{"name": "t", "base_url": "sim://relay", "model": "m", )" + members + "}]}";
}

CampaignLoadResult parse(const QByteArray &json, const QString &baseDir = campaignsDir())
{
    return parseCampaign(json, QStringLiteral("campaign.json"), baseDir, catalog());
}

QJsonArray jsonArray(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}

QJsonArray userMessage(const char *text)
{
    return QJsonArray{
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), u8(text)}}};
}

} // namespace

void TestCampaignLoader::fullCampaignRoundTrips()
{
    const QString path = campaignsDir() + QStringLiteral("/full.json");
    const CampaignLoadResult result = loadCampaignFile(path, catalog());
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(QLatin1Char('\n'))));
    QVERIFY(result.campaign);
    const Campaign &c = *result.campaign;
    QCOMPARE(c.name, QStringLiteral("relay vs direct"));
    QCOMPARE(c.sourcePath, path);

    QCOMPARE(c.targets.size(), 2);
    const Target &relay = c.targets[0];
    QCOMPARE(relay.name, QStringLiteral("relay"));
    QCOMPARE(relay.baseUrl, QStringLiteral("https://relay.example.com/v1")); // trailing slash dropped
    QVERIFY(!relay.isSimulated());
    QCOMPARE(relay.model, QStringLiteral("deepseek-chat"));
    QCOMPARE(relay.apiKeyEnv, QStringLiteral("RELAY_API_KEY"));
    const QList<QPair<QString, QString>> headers{
        {QStringLiteral("HTTP-Referer"), QStringLiteral("https://example.com")},
        {QStringLiteral("X-Team"), QStringLiteral("bench")}};
    QCOMPARE(relay.headers, headers);
    QCOMPARE(relay.priceId, QStringLiteral("deepseek-chat"));
    QVERIFY(relay.price);
    QCOMPARE(relay.price->input, 0.28);
    QCOMPARE(relay.price->cachedInput, 0.028);
    QCOMPARE(relay.price->output, 0.42);

    const Target &local = c.targets[1];
    QCOMPARE(local.name, QStringLiteral("local"));
    QCOMPARE(local.baseUrl, QStringLiteral("sim://local-gpu"));
    QVERIFY(local.isSimulated());
    QCOMPARE(local.simProfile(), QStringLiteral("local-gpu"));
    QCOMPARE(local.model, QStringLiteral("sim-model"));
    QVERIFY(local.apiKeyEnv.isEmpty());
    QVERIFY(local.headers.isEmpty());
    QVERIFY(local.priceId.isEmpty());
    QVERIFY(local.price);
    QCOMPARE(local.price->input, 1.5);
    QCOMPARE(local.price->cachedInput, 0.25);
    QCOMPARE(local.price->output, 6.0);

    QCOMPARE(c.load.mode, LoadSpec::Mode::Open);
    QCOMPARE(c.load.concurrency, 32);
    QCOMPARE(c.load.rate, 12.5);
    QCOMPARE(c.load.arrival, LoadSpec::Arrival::Poisson);
    QCOMPARE(c.load.requests, qint64(500));
    QCOMPARE(c.load.durationS, 120.0);
    QCOMPARE(c.load.warmupRequests, qint64(10));
    QCOMPARE(c.load.rampUpS, 15.0);

    // prompts/valid.jsonl: a messages object, a blank line, a bare string, and a CRLF line with array content.
    const QList<QJsonArray> conversations{
        jsonArray(R"([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Name a prime."}])"),
        userMessage("Say hello in French."),
        jsonArray(R"([{"role": "user", "content": [{"type": "text", "text": "Café?"}]}])")};
    QCOMPARE(c.request.conversations, conversations);
    QCOMPARE(c.request.maxTokens, 512);
    QCOMPARE(c.request.temperature, std::optional<double>(0.2));
    QCOMPARE(c.request.stream, false);
    QCOMPARE(c.request.includeUsage, false);
    QCOMPARE(c.request.extraBody, QJsonDocument::fromJson(R"({"top_p": 0.9, "seed": 7})").object());

    QCOMPARE(c.timeouts.totalS, 90.0);
    QCOMPARE(c.timeouts.stallS, 12.0);
    QCOMPARE(c.retry.maxAttempts, 4);
    QCOMPARE(c.retry.baseDelayS, 0.25);
    QCOMPARE(c.retry.maxDelayS, 8.0);
    QCOMPARE(c.retry.jitter, 0.5);
    QCOMPARE(c.retry.respectRetryAfter, false);
    QCOMPARE(c.retry.on, (QList<Outcome>{Outcome::RateLimited, Outcome::StreamError}));
    QCOMPARE(c.rateLimit.requestsPerMinute, 600.0);
    QCOMPARE(c.rateLimit.tokensPerMinute, 90000.0);
    QCOMPARE(c.circuitBreaker.failureThreshold, 5);
    QCOMPARE(c.circuitBreaker.cooldownS, 20.0);
    QCOMPARE(c.maxCostUsd, 2.5);
    QCOMPARE(c.slo.successRate, std::optional<double>(0.99));
    QCOMPARE(c.slo.latencyP95Ms, std::optional<double>(4000.0));
    QCOMPARE(c.slo.ttftP95Ms, std::optional<double>(800.0));
}

void TestCampaignLoader::absentKeysTakeTheDefaults()
{
    const CampaignLoadResult result = parse(withTarget({}));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY(result.warnings.isEmpty());
    QVERIFY(result.campaign);
    const Campaign &c = *result.campaign;
    QCOMPARE(c.name, QStringLiteral("campaign")); // the file name without its extension
    QCOMPARE(c.targets.size(), 1);
    QVERIFY(c.targets[0].apiKeyEnv.isEmpty());
    QVERIFY(c.targets[0].headers.isEmpty());
    QVERIFY(c.targets[0].priceId.isEmpty());
    QVERIFY(!c.targets[0].price); // no price: cost 0

    // The documented defaults, spelt out (a change to the structs must be a deliberate one).
    QCOMPARE(c.load.mode, LoadSpec::Mode::Closed);
    QCOMPARE(c.load.concurrency, 8);
    QCOMPARE(c.load.rate, 5.0);
    QCOMPARE(c.load.arrival, LoadSpec::Arrival::Constant);
    QCOMPARE(c.load.requests, qint64(100));
    QCOMPARE(c.load.durationS, 0.0);
    QCOMPARE(c.load.warmupRequests, qint64(0));
    QCOMPARE(c.load.rampUpS, 0.0);
    QCOMPARE(c.request.conversations.size(), 1);
    QCOMPARE(c.request.conversations[0], userMessage("Reply with one short sentence about latency."));
    QCOMPARE(c.request.maxTokens, 256);
    QCOMPARE(c.request.temperature, std::optional<double>(0.7));
    QCOMPARE(c.request.stream, true);
    QCOMPARE(c.request.includeUsage, true);
    QVERIFY(c.request.extraBody.isEmpty());
    QCOMPARE(c.timeouts.totalS, 60.0);
    QCOMPARE(c.timeouts.stallS, 0.0);
    QCOMPARE(c.retry.maxAttempts, 1);
    QCOMPARE(c.retry.baseDelayS, 0.5);
    QCOMPARE(c.retry.maxDelayS, 30.0);
    QCOMPARE(c.retry.jitter, 0.2);
    QCOMPARE(c.retry.respectRetryAfter, true);
    QCOMPARE(c.retry.on,
             (QList<Outcome>{Outcome::RateLimited, Outcome::ServerError, Outcome::Timeout, Outcome::NetworkError}));
    QCOMPARE(c.rateLimit.requestsPerMinute, 0.0);
    QCOMPARE(c.rateLimit.tokensPerMinute, 0.0);
    QCOMPARE(c.circuitBreaker.failureThreshold, 0);
    QCOMPARE(c.circuitBreaker.cooldownS, 30.0);
    QCOMPARE(c.maxCostUsd, 0.0);
    QVERIFY(!c.slo.successRate);
    QVERIFY(!c.slo.latencyP95Ms);
    QVERIFY(!c.slo.ttftP95Ms);

    // Empty sections are the same as absent ones.
    const CampaignLoadResult empty = parse(withTarget(R"("load": {}, "request": {}, "timeouts": {}, "retry": {},
        "rate_limit": {}, "circuit_breaker": {}, "budget": {}, "slo": {})"));
    QVERIFY2(empty.campaign, qPrintable(empty.errors.join(QLatin1Char('\n'))));
    QCOMPARE(empty.campaign->load.concurrency, c.load.concurrency);
    QCOMPARE(empty.campaign->request.conversations, c.request.conversations);
    QCOMPARE(empty.campaign->retry.on, c.retry.on);
    QVERIFY(!empty.campaign->slo.successRate);
}

void TestCampaignLoader::openLoopHasNoConcurrencyCapByDefault()
{
    const CampaignLoadResult result = parse(withTarget(R"("load": {"mode": "open"})"));
    QVERIFY2(result.campaign, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.campaign->load.mode, LoadSpec::Mode::Open);
    QCOMPARE(result.campaign->load.concurrency, 0);
}

void TestCampaignLoader::nullTemperatureIsLeftOut()
{
    const CampaignLoadResult result = parse(withTarget(R"("request": {"temperature": null})"));
    QVERIFY2(result.campaign, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY(!result.campaign->request.temperature);
}

void TestCampaignLoader::promptSources_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QList<QJsonArray>>("conversations");
    QTest::addRow("messages")
        << QByteArray(R"({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]})")
        << QList<QJsonArray>{jsonArray(R"([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}])")};
    QTest::addRow("null content") << QByteArray(R"({"messages": [{"role": "user", "content": null}]})")
                                  << QList<QJsonArray>{jsonArray(R"([{"role": "user", "content": null}])")};
    QTest::addRow("prompts") << QByteArray(R"({"prompts": ["one", "two", ""]})")
                             << QList<QJsonArray>{userMessage("one"), userMessage("two"), userMessage("")};
}

void TestCampaignLoader::promptSources()
{
    QFETCH(QByteArray, request);
    QFETCH(QList<QJsonArray>, conversations);
    const CampaignLoadResult result = parse(withTarget("\"request\": " + request));
    QVERIFY2(result.campaign, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.campaign->request.conversations, conversations);
}

void TestCampaignLoader::badValueIsOneClearError_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    // The whole document
    QTest::addRow("not json") << QByteArray(R"({"targets": [)")
                              << u8("campaign.json: line 1, column 14: unterminated array");
    QTest::addRow("empty") << QByteArray() << u8("campaign.json: empty file, expected a JSON object");
    QTest::addRow("array") << QByteArray("[]") << u8("campaign.json: must be a JSON object");
    QTest::addRow("name") << withTarget(R"("name": 5)") << u8("campaign.json: name: must be a string, got 5");

    // targets
    QTest::addRow("no targets") << QByteArray("{}")
                                << u8("campaign.json: targets: must be a non-empty array of targets, none given");
    QTest::addRow("empty targets") << QByteArray(R"({"targets": []})")
                                   << u8("campaign.json: targets: must be a non-empty array of targets, got an empty "
                                         "array");
    QTest::addRow("targets not array")
        << QByteArray(R"({"targets": "relay"})")
        << u8(R"(campaign.json: targets: must be a non-empty array of targets, got "relay")");
    QTest::addRow("target not object") << QByteArray(R"({"targets": [5]})")
                                       << u8("campaign.json: targets[0]: must be an object, got 5");
    QTest::addRow("no name") << QByteArray(R"({"targets": [{"base_url": "sim://relay", "model": "m"}]})")
                             << u8(R"(campaign.json: targets[0].name: is required: a short label like "relay")");
    QTest::addRow("name not string")
        << QByteArray(R"({"targets": [{"name": 5, "base_url": "sim://relay", "model": "m"}]})")
        << u8(R"(campaign.json: targets[0].name: must be a short label like "relay", got 5)");
    QTest::addRow("blank name") << QByteArray(
                                       R"({"targets": [{"name": " ", "base_url": "sim://relay", "model": "m"}]})")
                                << u8(R"(campaign.json: targets[0].name: must be a short label like "relay", got " ")");
    QTest::addRow("duplicate name") << QByteArray(
                                           R"({"targets": [{"name": "t", "base_url": "sim://relay", "model": "m"},
                                      {"name": "t", "base_url": "sim://flaky", "model": "m"}]})")
                                    << u8(R"(campaign.json: targets[1].name: "t" is used twice)");
    const char *urlHint = "an http:// or https:// URL (e.g. https://api.example.com/v1) or sim://PROFILE";
    QTest::addRow("no base_url") << QByteArray(R"({"targets": [{"name": "t", "model": "m"}]})")
                                 << QString(u8("campaign.json: targets[0].base_url: is required: ") + u8(urlHint));
    QTest::addRow("ftp base_url") << QByteArray(R"({"targets": [{"name": "t", "base_url": "ftp://x", "model": "m"}]})")
                                  << QString(u8("campaign.json: targets[0].base_url: must be ") + u8(urlHint) +
                                             u8(R"(, got "ftp://x")"));
    QTest::addRow("no host") << QByteArray(R"({"targets": [{"name": "t", "base_url": "https://", "model": "m"}]})")
                             << QString(u8("campaign.json: targets[0].base_url: must be ") + u8(urlHint) +
                                        u8(R"(, got "https://")"));
    QTest::addRow("space in url")
        << QByteArray(R"({"targets": [{"name": "t", "base_url": "https://api.exa mple.com/v1", "model": "m"}]})")
        << QString(u8("campaign.json: targets[0].base_url: must be ") + u8(urlHint) +
                   u8(R"(, got "https://api.exa mple.com/v1")"));
    QTest::addRow("no profile") << QByteArray(R"({"targets": [{"name": "t", "base_url": "sim://", "model": "m"}]})")
                                << QString(u8("campaign.json: targets[0].base_url: must be ") + u8(urlHint) +
                                           u8(R"(, got "sim://")"));
    QTest::addRow("base_url not string")
        << QByteArray(R"({"targets": [{"name": "t", "base_url": 8080, "model": "m"}]})")
        << QString(u8("campaign.json: targets[0].base_url: must be ") + u8(urlHint) + u8(", got 8080"));
    QTest::addRow("query in url")
        << QByteArray(
               R"({"targets": [{"name": "t", "base_url": "https://x.example.com/v1?api-version=1", "model": "m"}]})")
        << u8(R"(campaign.json: targets[0].base_url: must not have a ?query or #fragment ("/chat/completions" is )"
              R"(appended to it), got "https://x.example.com/v1?api-version=1")");
    QTest::addRow("password in url")
        << QByteArray(R"({"targets": [{"name": "t", "base_url": "https://me:s3cret@x.example.com/v1", "model": "m"}]})")
        << u8("campaign.json: targets[0].base_url: must not contain a user name or password: put the key in an "
              "environment variable and name it in api_key_env");
    QTest::addRow("no model")
        << QByteArray(R"({"targets": [{"name": "t", "base_url": "sim://relay"}]})")
        << u8("campaign.json: targets[0].model: is required: the model name the endpoint expects");
    QTest::addRow("empty model")
        << QByteArray(R"({"targets": [{"name": "t", "base_url": "sim://relay", "model": ""}]})")
        << u8(R"(campaign.json: targets[0].model: must be the model name the endpoint expects, got "")");
    QTest::addRow("api_key_env not string") << withTargetMembers(R"("api_key_env": 5)")
                                            << u8("campaign.json: targets[0].api_key_env: must be a string, got 5");
    QTest::addRow("headers not object")
        << withTargetMembers(R"("headers": ["X-A: 1"])")
        << u8(R"(campaign.json: targets[0].headers: must be an object of "Name": "value", got an array)");
    QTest::addRow("header not string") << withTargetMembers(R"("headers": {"X-A": 1})")
                                       << u8("campaign.json: targets[0].headers.X-A: must be a string, got 1");
    QTest::addRow("header line break") << withTargetMembers(R"("headers": {"X-A": "a\r\nX-Injected: 1"})")
                                       << u8("campaign.json: targets[0].headers.X-A: must be one line: no line breaks "
                                             "or NUL characters");
    QTest::addRow("header name") << withTargetMembers(R"("headers": {"X A": "1"})")
                                 << u8("campaign.json: targets[0].headers.X A: is not a valid HTTP header name "
                                       "(letters, digits and !#$%&'*+-.^_`|~)");
    QTest::addRow("price not id") << withTargetMembers(R"("price": 3)")
                                  << u8(R"(campaign.json: targets[0].price: must be a catalogue id or {"input", )"
                                        R"("cached_input", "output"} in USD per million tokens, got 3)");
    QTest::addRow("negative price") << withTargetMembers(R"("price": {"input": 1, "output": -1})")
                                    << u8("campaign.json: targets[0].price.output: must be a number >= 0, got -1");
    QTest::addRow("price as text") << withTargetMembers(R"("price": {"input": "1.5"})")
                                   << u8(R"(campaign.json: targets[0].price.input: must be a number >= 0, got "1.5")");

    // load
    QTest::addRow("load not object") << withTarget(R"("load": [])")
                                     << u8("campaign.json: load: must be an object, got an array");
    QTest::addRow("concurrency as text")
        << withTarget(R"("load": {"concurrency": "eight"})")
        << u8(R"(campaign.json: load.concurrency: must be an integer >= 1, got "eight")");
    QTest::addRow("concurrency 0") << withTarget(R"("load": {"concurrency": 0})")
                                   << u8("campaign.json: load.concurrency: must be an integer >= 1, got 0");
    QTest::addRow("concurrency 2.5") << withTarget(R"("load": {"concurrency": 2.5})")
                                     << u8("campaign.json: load.concurrency: must be an integer >= 1, got 2.5");
    QTest::addRow("concurrency huge") << withTarget(R"("load": {"concurrency": 3000000000})")
                                      << u8("campaign.json: load.concurrency: must be an integer between 1 and 100000, "
                                            "got 3000000000");
    QTest::addRow("concurrency beyond 2^63") << withTarget(R"("load": {"concurrency": 9223372036854775807})")
                                             << u8("campaign.json: load.concurrency: must be an integer >= 1, got "
                                                   "9.22337203685e+18");
    QTest::addRow("open concurrency") << withTarget(R"("load": {"mode": "open", "concurrency": -1})")
                                      << u8("campaign.json: load.concurrency: must be an integer >= 0, got -1");
    QTest::addRow("mode") << withTarget(R"("load": {"mode": "Closed"})")
                          << u8(R"(campaign.json: load.mode: must be "closed" or "open", got "Closed")");
    QTest::addRow("mode not string") << withTarget(R"("load": {"mode": 1})")
                                     << u8("campaign.json: load.mode: must be a string, got 1");
    QTest::addRow("rate 0") << withTarget(R"("load": {"rate": 0})")
                            << u8("campaign.json: load.rate: must be a number between 0.001 and 100000, got 0");
    QTest::addRow("arrival") << withTarget(R"("load": {"arrival": "uniform"})")
                             << u8(R"(campaign.json: load.arrival: must be "constant" or "poisson", got "uniform")");
    QTest::addRow("requests negative")
        << withTarget(R"("load": {"requests": -5})")
        << u8("campaign.json: load.requests: must be an integer between 0 and 100000000, "
              "got -5");
    QTest::addRow("duration negative") << withTarget(R"("load": {"duration_s": -1})")
                                       << u8("campaign.json: load.duration_s: must be a number between 0 and 2592000, "
                                             "got -1");
    QTest::addRow("no end") << withTarget(R"("load": {"requests": 0})")
                            << u8(R"(campaign.json: load: needs "requests" > 0 or "duration_s" > 0 (or both): a run )"
                                  "must end");
    QTest::addRow("no end, bad duration") << withTarget(R"("load": {"requests": 0, "duration_s": "1m"})")
                                          << u8(R"(campaign.json: load.duration_s: must be a number between 0 and )"
                                                R"(2592000, got "1m")");
    QTest::addRow("warm-up fractional") << withTarget(R"("load": {"warmup_requests": 1.5})")
                                        << u8("campaign.json: load.warmup_requests: must be an integer between 0 and "
                                              "1000000, got 1.5");
    QTest::addRow("ramp-up negative")
        << withTarget(R"("load": {"ramp_up_s": -2})")
        << u8("campaign.json: load.ramp_up_s: must be a number between 0 and 86400, got -2");

    // request
    QTest::addRow("request not object") << withTarget(R"("request": "hi")")
                                        << u8(R"(campaign.json: request: must be an object, got "hi")");
    QTest::addRow("messages not array")
        << withTarget(R"("request": {"messages": "hi"})")
        << u8(R"(campaign.json: request.messages: must be an array of messages, got "hi")");
    QTest::addRow("messages empty") << withTarget(R"("request": {"messages": []})")
                                    << u8("campaign.json: request.messages: must be a non-empty array of messages");
    QTest::addRow("message not object")
        << withTarget(R"("request": {"messages": [{"role": "user", "content": "a"}, "b"]})")
        << u8(R"(campaign.json: request.messages[1]: must be a message object like {"role": "user", )"
              R"("content": "..."}, got "b")");
    QTest::addRow("message without role") << withTarget(R"("request": {"messages": [{"content": "a"}]})")
                                          << u8(R"(campaign.json: request.messages[0]: needs a "role" ("system", )"
                                                R"("user", "assistant", ...))");
    QTest::addRow("role not string") << withTarget(R"("request": {"messages": [{"role": 1, "content": "a"}]})")
                                     << u8(R"(campaign.json: request.messages[0]: needs a string "role" ("system", )"
                                           R"("user", "assistant", ...), got 1)");
    QTest::addRow("message without content") << withTarget(R"("request": {"messages": [{"role": "user"}]})")
                                             << u8(R"(campaign.json: request.messages[0]: needs a "content")");
    QTest::addRow("two prompt sources") << withTarget(R"("request": {"prompts": ["a"], "prompts_file": "p.jsonl"})")
                                        << u8(R"(campaign.json: request: give one of "messages", "prompts" or )"
                                              R"("prompts_file", not several)");
    QTest::addRow("prompts empty") << withTarget(R"("request": {"prompts": []})")
                                   << u8("campaign.json: request.prompts: must be a non-empty array of strings");
    QTest::addRow("prompts not array") << withTarget(R"("request": {"prompts": "a"})")
                                       << u8(R"(campaign.json: request.prompts: must be an array of strings, got "a")");
    QTest::addRow("prompt not string") << withTarget(R"("request": {"prompts": ["a", 3]})")
                                       << u8("campaign.json: request.prompts[1]: must be a string, got 3");
    QTest::addRow("prompts_file not string") << withTarget(R"("request": {"prompts_file": 3})")
                                             << u8("campaign.json: request.prompts_file: must be the path of a JSONL "
                                                   "file (relative to the campaign file), got 3");
    QTest::addRow("prompts_file empty") << withTarget(R"("request": {"prompts_file": ""})")
                                        << u8("campaign.json: request.prompts_file: must be the path of a JSONL file "
                                              R"((relative to the campaign file), got "")");
    QTest::addRow("max_tokens 0") << withTarget(R"("request": {"max_tokens": 0})")
                                  << u8("campaign.json: request.max_tokens: must be an integer between 1 and 10000000, "
                                        "got 0");
    QTest::addRow("temperature 3") << withTarget(R"("request": {"temperature": 3})")
                                   << u8("campaign.json: request.temperature: must be a number between 0 and 2, got 3");
    QTest::addRow("temperature text") << withTarget(R"("request": {"temperature": "hot"})")
                                      << u8(R"(campaign.json: request.temperature: must be a number between 0 and 2, )"
                                            R"(got "hot")");
    QTest::addRow("stream text") << withTarget(R"("request": {"stream": "yes"})")
                                 << u8(R"(campaign.json: request.stream: must be true or false, got "yes")");
    QTest::addRow("include_usage number") << withTarget(R"("request": {"include_usage": 1})")
                                          << u8("campaign.json: request.include_usage: must be true or false, got 1");
    QTest::addRow("extra_body array") << withTarget(R"("request": {"extra_body": []})")
                                      << u8("campaign.json: request.extra_body: must be an object (merged into the "
                                            "request body), got an array");

    // timeouts, retry, rate_limit, circuit_breaker, budget, slo
    QTest::addRow("total_s 0")
        << withTarget(R"("timeouts": {"total_s": 0})")
        << u8("campaign.json: timeouts.total_s: must be a number between 0.001 and 86400, got 0");
    QTest::addRow("stall_s negative") << withTarget(R"("timeouts": {"stall_s": -1})")
                                      << u8("campaign.json: timeouts.stall_s: must be a number between 0 and 86400, "
                                            "got -1");
    QTest::addRow("max_attempts 0") << withTarget(R"("retry": {"max_attempts": 0})")
                                    << u8("campaign.json: retry.max_attempts: must be an integer between 1 and 100, "
                                          "got 0");
    QTest::addRow("max_delay below base") << withTarget(R"("retry": {"base_delay_s": 2, "max_delay_s": 1})")
                                          << u8("campaign.json: retry.max_delay_s: must be >= base_delay_s (2), got 1");
    QTest::addRow("base above default max")
        << withTarget(R"("retry": {"base_delay_s": 60})")
        << u8("campaign.json: retry.base_delay_s: must be <= max_delay_s (30 by default; set max_delay_s to raise "
              "it), got 60");
    QTest::addRow("base_delay negative") << withTarget(R"("retry": {"base_delay_s": -1, "max_delay_s": 1})")
                                         << u8("campaign.json: retry.base_delay_s: must be a number between 0 and "
                                               "3600, got -1");
    QTest::addRow("jitter 1.5") << withTarget(R"("retry": {"jitter": 1.5})")
                                << u8("campaign.json: retry.jitter: must be a number between 0 and 1, got 1.5");
    QTest::addRow("respect_retry_after text") << withTarget(R"("retry": {"respect_retry_after": "no"})")
                                              << u8(R"(campaign.json: retry.respect_retry_after: must be true or )"
                                                    R"(false, got "no")");
    const char *retryable = "must be a retryable outcome (rate_limited, auth_error, client_error, server_error, "
                            "timeout, stalled, network_error, stream_error, invalid_response), got ";
    QTest::addRow("retry on ok") << withTarget(R"("retry": {"on": ["ok"]})")
                                 << QString(u8("campaign.json: retry.on[0]: ") + u8(retryable) + u8(R"("ok")"));
    QTest::addRow("retry on unknown") << withTarget(R"("retry": {"on": ["timeout", "teapot"]})")
                                      << QString(u8("campaign.json: retry.on[1]: ") + u8(retryable) +
                                                 u8(R"("teapot")"));
    QTest::addRow("retry on cancelled") << withTarget(R"("retry": {"on": ["cancelled"]})")
                                        << QString(u8("campaign.json: retry.on[0]: ") + u8(retryable) +
                                                   u8(R"("cancelled")"));
    QTest::addRow("retry on number") << withTarget(R"("retry": {"on": [429]})")
                                     << QString(u8("campaign.json: retry.on[0]: ") + u8(retryable) + u8("429"));
    QTest::addRow("retry on not array") << withTarget(R"("retry": {"on": "timeout"})")
                                        << u8(R"(campaign.json: retry.on: must be an array of outcome names, got )"
                                              R"("timeout")");
    QTest::addRow("requests_per_minute") << withTarget(R"("rate_limit": {"requests_per_minute": -1})")
                                         << u8("campaign.json: rate_limit.requests_per_minute: must be a number "
                                               "between 0 and 1000000000, got -1");
    QTest::addRow("tokens_per_minute") << withTarget(R"("rate_limit": {"tokens_per_minute": "lots"})")
                                       << u8(R"(campaign.json: rate_limit.tokens_per_minute: must be a number )"
                                             R"(between 0 and 1000000000000, got "lots")");
    QTest::addRow("failure_threshold text") << withTarget(R"("circuit_breaker": {"failure_threshold": "5"})")
                                            << u8(R"(campaign.json: circuit_breaker.failure_threshold: must be an )"
                                                  R"(integer between 0 and 1000000, got "5")");
    QTest::addRow("cooldown 0") << withTarget(R"("circuit_breaker": {"cooldown_s": 0})")
                                << u8("campaign.json: circuit_breaker.cooldown_s: must be a number between 0.001 and "
                                      "86400, got 0");
    QTest::addRow("budget negative") << withTarget(R"("budget": {"max_cost_usd": -1})")
                                     << u8("campaign.json: budget.max_cost_usd: must be a number between 0 and "
                                           "1000000000, got -1");
    QTest::addRow("success_rate as percent") << withTarget(R"("slo": {"success_rate": 99})")
                                             << u8("campaign.json: slo.success_rate: must be a number between 0 and 1, "
                                                   "got 99");
    QTest::addRow("latency_p95 negative") << withTarget(R"("slo": {"latency_p95_ms": -5})")
                                          << u8("campaign.json: slo.latency_p95_ms: must be a number >= 0, got -5");
    QTest::addRow("ttft_p95 null") << withTarget(R"("slo": {"ttft_p95_ms": null})")
                                   << u8("campaign.json: slo.ttft_p95_ms: must be a number >= 0, got null");
}

void TestCampaignLoader::badValueIsOneClearError()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const CampaignLoadResult result = parse(json);
    QVERIFY(!result.campaign);
    QCOMPARE(result.errors, QStringList{expected});
}

void TestCampaignLoader::everyErrorIsReportedAtOnce()
{
    const CampaignLoadResult result = parse(R"({
        "targets": [{"name": "a", "base_url": "ftp://x", "model": "m"}, {"base_url": "sim://relay", "model": "m"}],
        "load": {"concurrency": "eight", "rate": -1},
        "request": {"max_tokens": 0},
        "retry": {"on": ["ok"]},
        "slo": {"success_rate": 2}
    })");
    QVERIFY(!result.campaign);
    const QStringList expected{
        u8(R"(campaign.json: targets[0].base_url: must be an http:// or https:// URL (e.g. https://api.example.com/v1) )"
           R"(or sim://PROFILE, got "ftp://x")"),
        u8(R"(campaign.json: targets[1].name: is required: a short label like "relay")"),
        u8(R"(campaign.json: load.concurrency: must be an integer >= 1, got "eight")"),
        u8("campaign.json: load.rate: must be a number between 0.001 and 100000, got -1"),
        u8("campaign.json: request.max_tokens: must be an integer between 1 and 10000000, got 0"),
        u8("campaign.json: retry.on[0]: must be a retryable outcome (rate_limited, auth_error, client_error, "
           R"(server_error, timeout, stalled, network_error, stream_error, invalid_response), got "ok")"),
        u8("campaign.json: slo.success_rate: must be a number between 0 and 1, got 2"),
    };
    QCOMPARE(result.errors, expected);
}

void TestCampaignLoader::unknownKeysAreWarnings_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("warning");
    QTest::addRow("top level") << withTarget(R"("lod": {})") << u8("campaign.json: lod: unknown key, ignored");
    QTest::addRow("target") << withTargetMembers(R"("modle": "x")")
                            << u8("campaign.json: targets[0].modle: unknown key, ignored");
    QTest::addRow("inline price") << withTargetMembers(R"("price": {"input": 1, "outptu": 2})")
                                  << u8("campaign.json: targets[0].price.outptu: unknown key, ignored");
    QTest::addRow("load") << withTarget(R"("load": {"concurency": 4})")
                          << u8("campaign.json: load.concurency: unknown key, ignored");
    QTest::addRow("request") << withTarget(R"("request": {"max_token": 4})")
                             << u8("campaign.json: request.max_token: unknown key, ignored");
    QTest::addRow("timeouts") << withTarget(R"("timeouts": {"connect_s": 4})")
                              << u8("campaign.json: timeouts.connect_s: unknown key, ignored");
    QTest::addRow("retry") << withTarget(R"("retry": {"retries": 4})")
                           << u8("campaign.json: retry.retries: unknown key, ignored");
    QTest::addRow("rate_limit") << withTarget(R"("rate_limit": {"rpm": 4})")
                                << u8("campaign.json: rate_limit.rpm: unknown key, ignored");
    QTest::addRow("circuit_breaker") << withTarget(R"("circuit_breaker": {"threshold": 4})")
                                     << u8("campaign.json: circuit_breaker.threshold: unknown key, ignored");
    QTest::addRow("budget") << withTarget(R"("budget": {"max_usd": 4})")
                            << u8("campaign.json: budget.max_usd: unknown key, ignored");
    QTest::addRow("slo") << withTarget(R"("slo": {"p95_ms": 4})")
                         << u8("campaign.json: slo.p95_ms: unknown key, ignored");
}

void TestCampaignLoader::unknownKeysAreWarnings()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, warning);
    const CampaignLoadResult result = parse(json);
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY(result.campaign);
    QCOMPARE(result.warnings, QStringList{warning});
}

void TestCampaignLoader::unknownPriceIdListsTheKnownIds()
{
    const CampaignLoadResult result = parse(withTargetMembers(R"("price": "gpt-5")"));
    QVERIFY(!result.campaign);
    QCOMPARE(result.errors,
             QStringList{u8(R"(campaign.json: targets[0].price: unknown catalogue id "gpt-5" (known: deepseek-chat, )"
                            "deepseek-reasoner, gpt-4.1, claude-sonnet-4.5, gemini-2.5-flash)")});
    for (const QString &id : catalog().ids())
        QVERIFY2(result.errors.first().contains(id), qPrintable(id));
}

void TestCampaignLoader::authorizationHeaderIsRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::addRow("Authorization") << QStringLiteral("Authorization");
    QTest::addRow("lower case") << QStringLiteral("authorization");
    QTest::addRow("upper case") << QStringLiteral("AUTHORIZATION");
}

void TestCampaignLoader::authorizationHeaderIsRefused()
{
    QFETCH(QString, name);
    const QByteArray json =
        withTargetMembers(R"("headers": {"X-Ok": "1", ")" + name.toUtf8() + R"(": "Bearer sk-secret-123"})");
    const CampaignLoadResult result = parse(json);
    QVERIFY(!result.campaign);
    QCOMPARE(result.errors, QStringList{u8("campaign.json: targets[0].headers.") + name +
                                        u8(": keys do not belong in the campaign file: put the key in an environment "
                                           "variable and name it in api_key_env")});
    QVERIFY(!result.errors.first().contains(QLatin1String("sk-secret")));
}

void TestCampaignLoader::keyInApiKeyEnvIsNotRepeated()
{
    // A key pasted where the variable's name belongs must not be echoed to a terminal or a CI log.
    const CampaignLoadResult result = parse(withTargetMembers(R"("api_key_env": "sk-proj-abc123")"));
    QVERIFY(!result.campaign);
    QCOMPARE(result.errors, QStringList{u8("campaign.json: targets[0].api_key_env: must be the name of an environment "
                                           "variable (letters, digits, _) that holds the key, not the key itself")});

    for (const char *name : {"OPENAI_API_KEY", "_KEY", "key2", ""}) {
        const CampaignLoadResult ok = parse(withTargetMembers(R"("api_key_env": ")" + QByteArray(name) + "\""));
        QVERIFY2(ok.campaign, qPrintable(ok.errors.join(QLatin1Char('\n'))));
        QCOMPARE(ok.campaign->targets[0].apiKeyEnv, u8(name));
    }
}

void TestCampaignLoader::promptsFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("conversations");
    QTest::addColumn<QString>("error"); // after "campaign.json: request.prompts_file: <path>"
    QTest::addRow("valid") << QStringLiteral("prompts/valid.jsonl") << 3 << QString();
    QTest::addRow("empty") << QStringLiteral("prompts/empty.jsonl") << 0 << u8(": no prompts in the file");
    QTest::addRow("not utf-8") << QStringLiteral("prompts/latin1.jsonl") << 0 << u8(": not valid UTF-8 text");
    QTest::addRow("bad json line") << QStringLiteral("prompts/bad-json-line.jsonl") << 0
                                   << u8(R"(: line 3: not valid JSON (unterminated object); each line must be )"
                                         R"({"messages": [...]} or a JSON string)");
    QTest::addRow("number line") << QStringLiteral("prompts/number-line.jsonl") << 0
                                 << u8(R"(: line 2: must be {"messages": [...]} or a JSON string, got 42)");
    QTest::addRow("no messages") << QStringLiteral("prompts/no-messages.jsonl") << 0
                                 << u8(R"(: line 1: must be {"messages": [...]} or a JSON string, got an object )"
                                       R"(without a "messages" array)");
    QTest::addRow("message without role") << QStringLiteral("prompts/message-without-role.jsonl") << 0
                                          << u8(R"(: line 3: messages[1]: needs a "role" ("system", "user", )"
                                                R"("assistant", ...))");
    QTest::addRow("missing") << QStringLiteral("prompts/missing.jsonl") << 0
                             << u8(": cannot read: No such file or directory");
}

void TestCampaignLoader::promptsFile()
{
    QFETCH(QString, file);
    QFETCH(int, conversations);
    QFETCH(QString, error);
    const CampaignLoadResult result =
        parse(withTarget(R"("request": {"prompts_file": ")" + file.toUtf8() + R"("})"), campaignsDir());
    if (error.isEmpty()) {
        QVERIFY2(result.campaign, qPrintable(result.errors.join(QLatin1Char('\n'))));
        QCOMPARE(int(result.campaign->request.conversations.size()), conversations);
        return;
    }
    QVERIFY(!result.campaign);
    const QString path = QDir(campaignsDir()).filePath(file);
    QCOMPARE(result.errors, QStringList{u8("campaign.json: request.prompts_file: ") + path + error});
}

void TestCampaignLoader::promptsFileIsRelativeToTheCampaignFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("runs/data")));
    QFile prompts(dir.filePath(QStringLiteral("runs/data/p.jsonl")));
    QVERIFY(prompts.open(QIODevice::WriteOnly));
    prompts.write("\"first\"\n\"second\"\n");
    prompts.close();
    QFile campaignFile(dir.filePath(QStringLiteral("runs/c.json")));
    QVERIFY(campaignFile.open(QIODevice::WriteOnly));
    campaignFile.write(withTarget(R"("request": {"prompts_file": "data/p.jsonl"})"));
    campaignFile.close();

    // Loaded from elsewhere: the path is resolved against the campaign file's folder, not the working directory.
    const CampaignLoadResult result = loadCampaignFile(campaignFile.fileName(), catalog());
    QVERIFY2(result.campaign, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.campaign->request.conversations, (QList<QJsonArray>{userMessage("first"), userMessage("second")}));
    QCOMPARE(result.campaign->name, QStringLiteral("c"));
}

void TestCampaignLoader::manyBadLinesAreSummarised()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile prompts(dir.filePath(QStringLiteral("p.jsonl")));
    QVERIFY(prompts.open(QIODevice::WriteOnly));
    for (int i = 0; i < 25; ++i)
        prompts.write("prompt without quotes\n");
    prompts.close();
    QStringList errors;
    QVERIFY(!loadPromptsFile(prompts.fileName(), &errors));
    QCOMPARE(errors.size(), 11);
    QVERIFY2(errors.first().startsWith(prompts.fileName() + QStringLiteral(": line 1: not valid JSON")),
             qPrintable(errors.first()));
    QVERIFY2(errors[9].startsWith(prompts.fileName() + QStringLiteral(": line 10: ")), qPrintable(errors[9]));
    QCOMPARE(errors.last(), QString(prompts.fileName() + QStringLiteral(": 15 more bad lines not listed")));
}

void TestCampaignLoader::unreadableCampaignFileNamesThePath()
{
    const CampaignLoadResult result = loadCampaignFile(QStringLiteral("/nonexistent/dir/c.json"), catalog());
    QVERIFY(!result.campaign);
    QCOMPARE(result.errors, QStringList{u8("/nonexistent/dir/c.json: cannot read: No such file or directory")});

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("bad.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(withTarget(R"("load": {"concurrency": "eight"})"));
    file.close();
    const CampaignLoadResult bad = loadCampaignFile(file.fileName(), catalog());
    QCOMPARE(bad.errors,
             QStringList{file.fileName() + u8(R"(: load.concurrency: must be an integer >= 1, got "eight")")});
}

QTEST_GUILESS_MAIN(TestCampaignLoader)
#include "tst_campaignloader.moc"
