#include "attemptreader.h"

#include <sqlite3.h>

#include <array>
#include <memory>

namespace relaybench {

namespace {

// How long a locked database is waited for, as RunStore does.
constexpr int busyTimeoutMs = 5000;

struct CloseDatabase
{
    void operator()(sqlite3 *db) const { sqlite3_close(db); }
};
struct FinalizeStatement
{
    void operator()(sqlite3_stmt *statement) const { sqlite3_finalize(statement); }
};

double realOrNaN(sqlite3_stmt *statement, int column)
{
    return sqlite3_column_type(statement, column) == SQLITE_NULL ? notApplicable
                                                                 : sqlite3_column_double(statement, column);
}

QLatin1String textOf(sqlite3_stmt *statement, int column)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, column));
    return text ? QLatin1String(text, sqlite3_column_bytes(statement, column)) : QLatin1String();
}

} // namespace

bool readAttempts(const QString &databasePath, qint64 runId, const std::function<void(const AttemptRecord &)> &visit,
                  QString *error)
{
    const auto fail = [&](sqlite3 *db) {
        *error = QStringLiteral("%1: history database error: %2")
                     .arg(databasePath, db ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("out of memory"));
        return false;
    };
    sqlite3 *raw = nullptr;
    // NOMUTEX: the connection never leaves this function's thread, and every sqlite3_column_* call would
    // otherwise take the connection's mutex (a tenth of the time of reading a run, measured with perf).
    const int opened =
        sqlite3_open_v2(databasePath.toUtf8().constData(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<sqlite3, CloseDatabase> db(raw);
    if (opened != SQLITE_OK)
        return fail(raw);
    sqlite3_busy_timeout(db.get(), busyTimeoutMs);
    sqlite3_stmt *rawStatement = nullptr;
    static const char sql[] =
        "SELECT target, request_id, attempt, warmup, scheduled_ms, sent_ms, headers_ms, first_token_ms, end_ms,"
        " status, outcome, error, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, token_source,"
        " cost_usd, retry_delay_ms FROM attempts WHERE run_id = ? ORDER BY id";
    if (sqlite3_prepare_v2(db.get(), sql, -1, &rawStatement, nullptr) != SQLITE_OK)
        return fail(db.get());
    std::unique_ptr<sqlite3_stmt, FinalizeStatement> statement(rawStatement);
    sqlite3_bind_int64(statement.get(), 1, runId);
    // Outcome names repeat on every row: look each one up once.
    std::array<std::pair<QByteArray, Outcome>, outcomeCount> outcomes;
    for (Outcome outcome : allOutcomes())
        outcomes[size_t(outcome)] = {QByteArray(outcomeName(outcome).data(), outcomeName(outcome).size()), outcome};
    AttemptRecord r;
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(statement.get())) == SQLITE_ROW) {
        sqlite3_stmt *s = statement.get();
        r.target = sqlite3_column_int(s, 0);
        r.requestId = sqlite3_column_int64(s, 1);
        r.attempt = sqlite3_column_int(s, 2);
        r.warmup = sqlite3_column_int(s, 3) != 0;
        r.scheduledMs = realOrNaN(s, 4);
        r.sentMs = realOrNaN(s, 5);
        r.headersMs = realOrNaN(s, 6);
        r.firstTokenMs = realOrNaN(s, 7);
        r.endMs = realOrNaN(s, 8);
        r.status = sqlite3_column_int(s, 9);
        const QLatin1String outcome = textOf(s, 10);
        r.outcome = Outcome::InvalidResponse; // what an unknown name (a newer build's outcome) reads as
        for (const auto &[name, value] : outcomes) {
            if (outcome == QLatin1String(name)) {
                r.outcome = value;
                break;
            }
        }
        r.error = sqlite3_column_type(s, 11) == SQLITE_NULL
                      ? QString()
                      : QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 11)),
                                          sqlite3_column_bytes(s, 11));
        r.promptTokens = sqlite3_column_int64(s, 12);
        r.completionTokens = sqlite3_column_int64(s, 13);
        r.cachedTokens = sqlite3_column_int64(s, 14);
        r.reasoningTokens = sqlite3_column_int64(s, 15);
        const QLatin1String source = textOf(s, 16);
        r.tokenSource = source == QLatin1String("server")
                            ? TokenSource::Server
                            : (source == QLatin1String("estimated") ? TokenSource::Estimated : TokenSource::None);
        r.costUsd = sqlite3_column_double(s, 17);
        r.retryDelayMs = realOrNaN(s, 18);
        visit(r);
    }
    if (step != SQLITE_DONE)
        return fail(db.get());
    return true;
}

} // namespace relaybench
