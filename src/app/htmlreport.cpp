#include "htmlreport.h"

#include "appinfo.h"
#include "chartimage.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace relaybench {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString number(double value, int decimals)
{
    return std::isfinite(value) ? QString::number(value, 'f', decimals) : QStringLiteral("-");
}

QString stat(const QJsonObject &target, const char *metric, const char *key)
{
    const QJsonValue stats = target.value(QLatin1String(metric));
    return stats.isObject() ? number(stats.toObject().value(QLatin1String(key)).toDouble(), 1) : QStringLiteral("-");
}

QString localTime(const QJsonValue &iso)
{
    const QDateTime time = QDateTime::fromString(iso.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")) : QStringLiteral("-");
}

// Base URLs can carry credentials (user:password@host) or a key in the query: the report keeps neither.
QString publicUrl(const QString &baseUrl)
{
    const QUrl url(baseUrl);
    if (!url.isValid())
        return QStringLiteral("(invalid URL)");
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

QString row(const QStringList &cells, const char *tag = "td")
{
    QString html = QStringLiteral("<tr>");
    for (const QString &cell : cells)
        html += QLatin1Char('<') % QLatin1String(tag) % QLatin1Char('>') % cell % QLatin1String("</") %
                QLatin1String(tag) % QLatin1Char('>');
    return html + QStringLiteral("</tr>\n");
}

QString loadInBrief(const LoadSpec &load)
{
    QStringList parts;
    if (load.mode == LoadSpec::Mode::Closed) {
        parts << QStringLiteral("closed loop, %1 concurrent per target").arg(load.concurrency);
    } else {
        parts << QStringLiteral("open loop, %1 requests/s per target (%2)")
                     .arg(load.rate)
                     .arg(load.arrival == LoadSpec::Arrival::Poisson ? QStringLiteral("Poisson")
                                                                     : QStringLiteral("constant"));
        parts << (load.concurrency > 0 ? QStringLiteral("at most %1 in flight").arg(load.concurrency)
                                       : QStringLiteral("no in-flight cap"));
    }
    parts << (load.requests > 0 ? QStringLiteral("%1 requests per target").arg(load.requests)
                                : QStringLiteral("no request limit"));
    if (load.durationS > 0.0)
        parts << QStringLiteral("at most %1 s").arg(load.durationS);
    if (load.warmupRequests > 0)
        parts << QStringLiteral("%1 warm-up requests").arg(load.warmupRequests);
    if (load.rampUpS > 0.0)
        parts << QStringLiteral("%1 s ramp-up").arg(load.rampUpS);
    return parts.join(QStringLiteral(", "));
}

QString settingsSection(const Campaign &campaign)
{
    QString html = QStringLiteral("<h2>Settings</h2>\n<table class=\"kv\">\n");
    html += row({QStringLiteral("Load"), esc(loadInBrief(campaign.load))});
    const RequestSpec &request = campaign.request;
    html += row({QStringLiteral("Requests"),
                 esc(QStringLiteral("%1 conversation(s), max_tokens %2, %3%4")
                         .arg(request.conversations.size())
                         .arg(request.maxTokens)
                         .arg(request.stream ? QStringLiteral("streamed") : QStringLiteral("not streamed"))
                         .arg(request.temperature ? QStringLiteral(", temperature %1").arg(*request.temperature)
                                                  : QString()))});
    html += row({QStringLiteral("Timeouts"),
                 esc(QStringLiteral("total %1 s, stall %2")
                         .arg(campaign.timeouts.totalS)
                         .arg(campaign.timeouts.stallS > 0.0 ? QStringLiteral("%1 s").arg(campaign.timeouts.stallS)
                                                             : QStringLiteral("off")))});
    html += row({QStringLiteral("Retries"),
                 esc(campaign.retry.maxAttempts > 1 ? QStringLiteral("up to %1 attempts, backoff from %2 s to %3 s")
                                                          .arg(campaign.retry.maxAttempts)
                                                          .arg(campaign.retry.baseDelayS)
                                                          .arg(campaign.retry.maxDelayS)
                                                    : QStringLiteral("none"))});
    if (campaign.rateLimit.requestsPerMinute > 0.0 || campaign.rateLimit.tokensPerMinute > 0.0)
        html += row({QStringLiteral("Client rate limit"), esc(QStringLiteral("%1 requests/min, %2 tokens/min")
                                                                  .arg(campaign.rateLimit.requestsPerMinute)
                                                                  .arg(campaign.rateLimit.tokensPerMinute))});
    if (campaign.circuitBreaker.failureThreshold > 0)
        html += row({QStringLiteral("Circuit breaker"), esc(QStringLiteral("opens after %1 failures, %2 s cooldown")
                                                                .arg(campaign.circuitBreaker.failureThreshold)
                                                                .arg(campaign.circuitBreaker.cooldownS))});
    if (campaign.maxCostUsd > 0.0)
        html += row({QStringLiteral("Budget"), esc(QStringLiteral("$%1").arg(campaign.maxCostUsd))});
    QStringList slo;
    if (campaign.slo.successRate)
        slo << QStringLiteral("success rate >= %1%").arg(*campaign.slo.successRate * 100.0);
    if (campaign.slo.latencyP95Ms)
        slo << QStringLiteral("latency p95 <= %1 ms").arg(*campaign.slo.latencyP95Ms);
    if (campaign.slo.ttftP95Ms)
        slo << QStringLiteral("TTFT p95 <= %1 ms").arg(*campaign.slo.ttftP95Ms);
    html += row({QStringLiteral("SLO"), esc(slo.isEmpty() ? QStringLiteral("none") : slo.join(QStringLiteral(", ")))});
    html += QStringLiteral("</table>\n<h3>Targets</h3>\n<table>\n");
    html += row({QStringLiteral("target"), QStringLiteral("base URL"), QStringLiteral("model"),
                 QStringLiteral("price (USD per million tokens: input / cached / output)"),
                 QStringLiteral("extra headers (values not shown)")},
                "th");
    for (const Target &target : campaign.targets) {
        QStringList headerNames;
        for (const auto &header : target.headers)
            headerNames << header.first;
        const QString price = target.price ? QStringLiteral("%1 / %2 / %3")
                                                 .arg(target.price->input)
                                                 .arg(target.price->cachedInput)
                                                 .arg(target.price->output)
                                           : QStringLiteral("none");
        html += row({esc(target.name), esc(publicUrl(target.baseUrl)), esc(target.model), esc(price),
                     esc(headerNames.isEmpty() ? QStringLiteral("none") : headerNames.join(QStringLiteral(", ")))});
    }
    return html + QStringLiteral("</table>\n");
}

QString resultsSection(const QJsonArray &targets)
{
    QString html = QStringLiteral("<h2>Results per target</h2>\n<table>\n");
    html += row({QStringLiteral("target"), QStringLiteral("requests"), QStringLiteral("success"),
                 QStringLiteral("latency p50 (ms)"), QStringLiteral("p95 (ms)"), QStringLiteral("p99 (ms)"),
                 QStringLiteral("TTFT p50 (ms)"), QStringLiteral("TTFT p95 (ms)"), QStringLiteral("output tokens/s"),
                 QStringLiteral("cost (USD)"), QStringLiteral("SLO")},
                "th");
    for (const QJsonValue &value : targets) {
        const QJsonObject t = value.toObject();
        const QJsonValue rate = t.value(QLatin1String("success_rate"));
        const bool passed = t.value(QLatin1String("slo")).toObject().value(QLatin1String("passed")).toBool();
        html += row(
            {esc(t.value(QLatin1String("name")).toString()),
             QString::number(qint64(t.value(QLatin1String("requests")).toDouble())),
             rate.isDouble() ? QString(number(rate.toDouble() * 100.0, 1) + QLatin1Char('%')) : QStringLiteral("-"),
             stat(t, "latency_ms", "p50"), stat(t, "latency_ms", "p95"), stat(t, "latency_ms", "p99"),
             stat(t, "ttft_ms", "p50"), stat(t, "ttft_ms", "p95"),
             number(
                 t.value(QLatin1String("throughput")).toObject().value(QLatin1String("output_tokens_per_s")).toDouble(),
                 1),
             number(t.value(QLatin1String("cost_usd")).toDouble(), 4),
             passed ? QStringLiteral("<span class=\"pass\">pass</span>")
                    : QStringLiteral("<span class=\"fail\">FAIL</span>")});
    }
    return html + QStringLiteral("</table>\n");
}

QString outcomesSection(const QJsonArray &targets)
{
    QString html = QStringLiteral("<h2>Outcomes</h2>\n<p>Final outcome of each logical request, and of every attempt "
                                  "(retries included). Outcomes that never happened are left out.</p>\n<table>\n");
    QStringList header{QStringLiteral("outcome")};
    for (const QJsonValue &value : targets) {
        const QString name = esc(value.toObject().value(QLatin1String("name")).toString());
        header << QString(name + QStringLiteral(" requests")) << QString(name + QStringLiteral(" attempts"));
    }
    html += row(header, "th");
    for (Outcome outcome : allOutcomes()) {
        const QString name = QString(outcomeName(outcome));
        QStringList cells{esc(name)};
        double any = 0.0;
        for (const QJsonValue &value : targets) {
            const QJsonObject t = value.toObject();
            const double finals = t.value(QLatin1String("outcomes")).toObject().value(name).toDouble();
            const double attempts = t.value(QLatin1String("attempt_outcomes")).toObject().value(name).toDouble();
            any += finals + attempts;
            cells << QString::number(qint64(finals)) << QString::number(qint64(attempts));
        }
        if (any > 0.0)
            html += row(cells);
    }
    return html + QStringLiteral("</table>\n");
}

QString failuresSection(const RunResult &run)
{
    constexpr int shown = 20;
    const QVector<LiveFailure> &failures = run.live.recentFailures;
    if (failures.isEmpty())
        return QString();
    QString html = QStringLiteral("<h2>Last failures</h2>\n<p>The newest %1 of the failed attempts "
                                  "(requests.csv has every one).</p>\n<table>\n")
                       .arg(std::min<qsizetype>(shown, failures.size()));
    html += row({QStringLiteral("end (s)"), QStringLiteral("target"), QStringLiteral("HTTP status"),
                 QStringLiteral("outcome"), QStringLiteral("error")},
                "th");
    for (qsizetype i = failures.size() - 1; i >= std::max<qsizetype>(0, failures.size() - shown); --i) {
        const LiveFailure &failure = failures.at(i);
        const QString target = failure.target >= 0 && failure.target < run.campaign.targets.size()
                                   ? run.campaign.targets.at(failure.target).name
                                   : QString::number(failure.target);
        html += row({number(failure.endMs / 1000.0, 3), esc(target),
                     failure.status ? QString::number(failure.status) : QStringLiteral("-"),
                     esc(QString(outcomeName(failure.outcome))), esc(failure.error)});
    }
    return html + QStringLiteral("</table>\n");
}

QString chartsSection(const QList<NamedChart> &charts)
{
    QString html;
    if (!charts.isEmpty())
        html += QStringLiteral("<h2>Charts</h2>\n");
    for (const NamedChart &chart : charts) {
        if (!chart.view)
            continue;
        html += QStringLiteral("<figure><img alt=\"%1\" width=\"%2\" height=\"%3\" src=\"data:image/png;base64,")
                    .arg(esc(chart.title))
                    .arg(chartimage::defaultSize.width())
                    .arg(chartimage::defaultSize.height()) %
                QString::fromLatin1(chartimage::png(chart.view).toBase64()) %
                QStringLiteral("\"><figcaption>%1</figcaption></figure>\n").arg(esc(chart.title));
    }
    return html;
}

const char *const css =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1250px;"
    "color:#222;background:#fff;padding:0 1em}"
    "h1{margin-bottom:0}.sub{color:#666;margin-top:.2em}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right;vertical-align:top}"
    "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
    "table.kv td{text-align:left}"
    ".pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}"
    ".stopped{color:#9a6700;font-weight:600}"
    "figure{margin:1em 0}img{max-width:100%;height:auto;border:1px solid #ddd}"
    "figcaption{color:#555;font-size:.9em}"
    "footer{color:#888;font-size:.85em;margin-top:2em}";

} // namespace

QString buildHtmlReport(const RunResult &run, const QList<NamedChart> &charts, const QString &extraHtml)
{
    const QJsonObject &summary = run.summary;
    const QString campaign = summary.value(QLatin1String("campaign")).toString(run.campaign.name);
    const bool stoppedEarly = summary.value(QLatin1String("stopped_early")).toBool();
    const QString stopReason = summary.value(QLatin1String("stop_reason")).toString();
    const QJsonArray targets = summary.value(QLatin1String("targets")).toArray();

    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n") %
                   QStringLiteral("<title>RelayBench report: %1</title>\n").arg(esc(campaign)) %
                   QStringLiteral("<style>") % QLatin1String(css) % QStringLiteral("</style>\n</head>\n<body>\n") %
                   QStringLiteral("<h1>RelayBench report</h1>\n<p class=\"sub\">Campaign <strong>%1</strong></p>\n")
                       .arg(esc(campaign));
    html += QStringLiteral("<table class=\"kv\">\n");
    html += row({QStringLiteral("Started"), esc(localTime(summary.value(QLatin1String("started_at"))))});
    html += row({QStringLiteral("Finished"), esc(localTime(summary.value(QLatin1String("finished_at"))))});
    html += row({QStringLiteral("Duration"),
                 QString(number(summary.value(QLatin1String("duration_s")).toDouble(), 1) + QStringLiteral(" s"))});
    html += row({QStringLiteral("Result"),
                 stoppedEarly ? QString(QStringLiteral("<span class=\"stopped\">stopped early</span>: ") %
                                        esc(stopReason.isEmpty() ? QStringLiteral("no reason recorded") : stopReason))
                              : QStringLiteral("ran to the end")});
    html += QStringLiteral("</table>\n");
    html += settingsSection(run.campaign);
    html += resultsSection(targets);
    html += outcomesSection(targets);
    if (!extraHtml.isEmpty())
        html += QStringLiteral("<h2>Comparison</h2>\n") % extraHtml % QLatin1Char('\n');
    html += chartsSection(charts);
    html += failuresSection(run);
    html += QStringLiteral("<footer>Written by RelayBench %1 on %2. Latency figures are of successful attempts; "
                           "percentiles are exact (nearest rank).</footer>\n</body>\n</html>\n")
                .arg(QStringLiteral(RELAYBENCH_VERSION),
                     esc(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t"))));
    return html;
}

} // namespace relaybench
