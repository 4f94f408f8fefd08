#include "requestscsvwriter.h"

#include <QIODevice>
#include <QStringBuilder>

namespace relaybench {

namespace {

QByteArray number(double value, int decimals)
{
    return applies(value) ? QByteArray::number(value, 'f', decimals) : QByteArray();
}

} // namespace

QByteArray RequestsCsvWriter::header()
{
    return QByteArrayLiteral(
        "target,request_id,attempt,warmup,scheduled_ms,sent_ms,headers_ms,first_token_ms,end_ms,"
        "queue_ms,ttfb_ms,ttft_ms,latency_ms,status,outcome,error,prompt_tokens,"
        "completion_tokens,cached_tokens,reasoning_tokens,token_source,cost_usd,retry_delay_ms\r\n");
}

RequestsCsvWriter::RequestsCsvWriter(QIODevice *device, QStringList targetNames)
    : m_device(device)
    , m_targetNames(std::move(targetNames))
{}

bool RequestsCsvWriter::writeHeader()
{
    return m_device->write(header()) > 0;
}

bool RequestsCsvWriter::write(const AttemptRecord &record)
{
    return m_device->write(row(record, m_targetNames.value(record.target))) > 0;
}

QByteArray RequestsCsvWriter::cell(const QString &text)
{
    QString value = text;
    // OWASP's list: = + - @, and tab and carriage return, which some spreadsheets skip before a formula.
    if (!value.isEmpty() && QStringLiteral("=+-@\t\r").contains(value.front()))
        value.prepend(QLatin1Char('\''));
    const bool quote = value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"')) ||
                       value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r'));
    if (!quote)
        return value.toUtf8();
    value.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return '"' + value.toUtf8() + '"';
}

QByteArray RequestsCsvWriter::row(const AttemptRecord &r, const QString &targetName)
{
    const bool sent = applies(r.sentMs);
    QByteArray line;
    line.reserve(256);
    line += cell(targetName) + ',' + QByteArray::number(r.requestId) + ',' + QByteArray::number(r.attempt) + ',' +
            (r.warmup ? "true" : "false") + ',' + number(r.scheduledMs, 3) + ',' + number(r.sentMs, 3) + ',' +
            number(r.headersMs, 3) + ',' + number(r.firstTokenMs, 3) + ',' + number(r.endMs, 3) + ',' +
            number(r.queueMs(), 3) + ',' + number(r.ttfbMs(), 3) + ',' + number(r.ttftMs(), 3) + ',' +
            number(r.latencyMs(), 3) + ',' + QByteArray::number(r.status) + ',' +
            QByteArray(outcomeName(r.outcome).data()) + ',' + cell(r.error) + ',';
    if (r.tokenSource != TokenSource::None) {
        line += QByteArray::number(r.promptTokens) + ',' + QByteArray::number(r.completionTokens) + ',' +
                QByteArray::number(r.cachedTokens) + ',' + QByteArray::number(r.reasoningTokens) + ',' +
                QByteArray(tokenSourceName(r.tokenSource).data()) + ',';
    } else {
        line += ",,,,,";
    }
    line += (sent ? QByteArray::number(r.costUsd, 'f', 8) : QByteArray()) + ',' + number(r.retryDelayMs, 3) + "\r\n";
    return line;
}

} // namespace relaybench
