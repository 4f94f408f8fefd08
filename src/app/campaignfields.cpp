#include "campaignfields.h"

#include <QCoreApplication>

namespace relaybench {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CampaignFields", text);
}

CampaignField field(const char *group, const char *path, const char *label, CampaignField::Kind kind,
                    const char *defaultText, const char *tooltip, QStringList choices = {})
{
    return {QLatin1String(group),       QLatin1String(path), tr(label),  kind,
            QLatin1String(defaultText), std::move(choices),  tr(tooltip)};
}

QList<CampaignField> makeFields()
{
    using K = CampaignField::Kind;
    const QStringList modes{QStringLiteral("closed"), QStringLiteral("open")};
    const QStringList arrivals{QStringLiteral("constant"), QStringLiteral("poisson")};
    return {
        field("", "name", "Name", K::Text, "the file name", "The campaign's name, shown in reports."),
        field("load", "load.mode", "Mode", K::Choice, "closed",
              "closed: concurrency workers per target, each sends its next request when its last one finished. "
              "open: rate requests/s per target whatever the server does.",
              modes),
        field("load", "load.concurrency", "Concurrency", K::Value, "8 (open: 0)",
              "closed: workers per target (>= 1). open: the most attempts in flight per target (0 = no cap); an "
              "arrival over the cap waits in the engine, and that wait is in its queue_ms."),
        field("load", "load.rate", "Rate (requests/s)", K::Value, "5", "open: requests/s per target."),
        field("load", "load.arrival", "Arrival", K::Choice, "constant",
              "open: constant intervals, or poisson (exponential intervals with that mean).", arrivals),
        field("load", "load.requests", "Requests", K::Value, "100",
              "Logical requests per target, warm-up not included (0 = no limit)."),
        field("load", "load.duration_s", "Duration (s)", K::Value, "0",
              "Stop starting requests after this many seconds (0 = no limit); what is in flight finishes. With "
              "both, the first reached ends the run."),
        field("load", "load.warmup_requests", "Warm-up requests", K::Value, "0",
              "Sent first, flagged warmup in requests.csv, left out of the statistics (their cost counts)."),
        field("load", "load.ramp_up_s", "Ramp-up (s)", K::Value, "0",
              "closed: concurrency rises linearly from 1 to concurrency; open: the rate rises linearly from 5% "
              "to 100%."),
        field("request", "request.prompts", "Prompts", K::Lines, "a short fixed prompt",
              "Strings, cycled; each becomes one user message. One prompt per line here."),
        field("request", "request.max_tokens", "Max tokens", K::Value, "256", "Sent as max_tokens."),
        field("request", "request.temperature", "Temperature", K::Value, "0.7",
              "Sent when not null (type null to leave it out)."),
        field("request", "request.stream", "Stream", K::Bool, "true",
              "Request an SSE stream (then Accept: text/event-stream, Accept-Encoding: identity)."),
        field("request", "request.include_usage", "Include usage", K::Bool, "true",
              "For streams, send stream_options: {\"include_usage\": true} so the server reports token usage."),
        field("request", "request.extra_body", "Extra body", K::Json, "{}",
              "Merged into the body last (e.g. {\"top_p\": 0.9}); it may override the keys above."),
        field("timeouts", "timeouts.total_s", "Total (s)", K::Value, "60",
              "An attempt not finished after this long is aborted (timeout)."),
        field("timeouts", "timeouts.stall_s", "Stall (s)", K::Value, "0",
              "An attempt that received no byte for this long is aborted (stalled); 0 = off."),
        field("limits", "limits.max_response_bytes", "Max response (bytes)", K::Value, "67108864 (64 MiB)",
              "The most one answer may hold; a larger one is cut off as invalid_response (a hostile or broken "
              "server cannot fill the memory). At least 1024; there is no \"off\"."),
        field("limits", "limits.max_sse_line_bytes", "Max SSE line (bytes)", K::Value, "1048576 (1 MiB)",
              "The longest line of a stream; a longer one (a server that never sends a newline) is cut off as "
              "invalid_response. At least 1024."),
        field("retry", "retry.max_attempts", "Max attempts", K::Value, "1",
              "An attempt whose outcome is listed in \"Retry on\" is tried again, up to this many attempts in all."),
        field("retry", "retry.base_delay_s", "Base delay (s)", K::Value, "0.5",
              "Backoff before attempt n+1: base_delay_s x 2^(n-1), capped at max_delay_s."),
        field("retry", "retry.max_delay_s", "Max delay (s)", K::Value, "30",
              "The longest backoff, also the cap on a server's Retry-After."),
        field("retry", "retry.jitter", "Jitter", K::Value, "0.2", "Spreads each backoff by +/- this fraction."),
        field("retry", "retry.respect_retry_after", "Respect Retry-After", K::Bool, "true",
              "A server's Retry-After (seconds or an HTTP date) replaces the backoff (still capped at "
              "max_delay_s)."),
        field("retry", "retry.on", "Retry on", K::List, "rate_limited, server_error, timeout, network_error",
              "Outcomes that are retried, comma-separated: rate_limited, auth_error, client_error, server_error, "
              "timeout, stalled, network_error, stream_error, invalid_response."),
        field("rate_limit", "rate_limit.requests_per_minute", "Requests/min", K::Value, "0",
              "Client-side token bucket per target holding one minute's allowance (0 = off). A request waits for "
              "its turn; the wait is in its queue_ms."),
        field("rate_limit", "rate_limit.tokens_per_minute", "Tokens/min", K::Value, "0",
              "Tokens per minute per target (0 = off); a request takes its estimated prompt tokens plus "
              "max_tokens."),
        field("circuit_breaker", "circuit_breaker.failure_threshold", "Failure threshold", K::Value, "0",
              "Per target, opens after this many consecutive failed attempts (0 = off); while open, requests are "
              "refused (circuit_open, never sent)."),
        field("circuit_breaker", "circuit_breaker.cooldown_s", "Cooldown (s)", K::Value, "30",
              "After this long one probe goes through: success closes the circuit, failure opens it again."),
        field("budget", "budget.max_cost_usd", "Max cost (USD)", K::Value, "0",
              "Before each attempt, if the cost spent so far plus the worst case of what is in flight plus this "
              "attempt would pass the budget, the run stops sending (0 = no budget)."),
        field("slo", "slo.success_rate", "Success rate", K::Value, "off",
              "0-1, by final outcome; checked per target at the end (relaybench run exits 1 when one fails)."),
        field("slo", "slo.latency_p95_ms", "Latency p95 (ms)", K::Value, "off",
              "The 95th percentile of latency per target must stay at or below this."),
        field("slo", "slo.ttft_p95_ms", "TTFT p95 (ms)", K::Value, "off",
              "The 95th percentile of time to first token per target must stay at or below this."),
    };
}

} // namespace

const QList<CampaignFieldGroup> &campaignFieldGroups()
{
    static const QList<CampaignFieldGroup> groups{
        {QString(), tr("Campaign")},
        {QStringLiteral("load"), tr("Load")},
        {QStringLiteral("request"), tr("Request")},
        {QStringLiteral("timeouts"), tr("Timeouts")},
        {QStringLiteral("limits"), tr("Limits")},
        {QStringLiteral("retry"), tr("Retries")},
        {QStringLiteral("rate_limit"), tr("Rate limits (client side)")},
        {QStringLiteral("circuit_breaker"), tr("Circuit breaker")},
        {QStringLiteral("budget"), tr("Budget")},
        {QStringLiteral("slo"), tr("SLO")},
    };
    return groups;
}

const QList<CampaignField> &campaignFields()
{
    static const QList<CampaignField> fields = makeFields();
    return fields;
}

} // namespace relaybench
