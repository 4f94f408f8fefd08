#include "runner.h"

#include "appinfo.h"
#include "attemptspec.h"
#include "lane.h"
#include "pricing/pricecatalog.h"
#include "promptsize.h"
#include "recordsink.h"
#include "sim/simserver.h"
#include "simtarget.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QThread>

#include <cmath>

Q_DECLARE_METATYPE(relaybench::AttemptRecord)

namespace relaybench {

namespace {

constexpr double closedLoopRampTickMs = 50.0;

} // namespace

Runner::Runner(Campaign campaign, QStringList apiKeys, QObject *parent)
    : QObject(parent)
    , m_campaign(std::move(campaign))
    , m_apiKeys(std::move(apiKeys))
    , m_retry(m_campaign.retry)
{
    if (m_campaign.request.conversations.isEmpty()) // the loader never allows it; a caller building one might
        m_campaign.request.conversations.append(QJsonArray{QJsonObject{
            {QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), QStringLiteral("ping")}}});
    for (const QJsonArray &messages : m_campaign.request.conversations)
        m_promptChars.append(messageContentChars(messages));
    qRegisterMetaType<relaybench::AttemptRecord>();
    m_tick.setSingleShot(true);
    m_tick.setTimerType(Qt::PreciseTimer);
    connect(&m_tick, &QTimer::timeout, this, &Runner::tick);
}

Runner::~Runner()
{
    for (TargetRun &target : m_targets) {
        for (LaneSlot &slot : target.lanes) {
            slot.thread->quit();
            slot.thread->wait();
            delete slot.thread;
        }
    }
}

bool Runner::prepare(QString *error)
{
    m_targets.clear();
    m_targets.resize(size_t(m_campaign.targets.size()));
    for (int i = 0; i < m_campaign.targets.size(); ++i) {
        const Target &target = m_campaign.targets.at(i);
        QString baseUrl = target.baseUrl;
        if (target.isSimulated()) {
            auto simulator = startTargetSimulator(m_campaign, target, error);
            if (!simulator)
                return false;
            baseUrl = simulator->baseUrl().toString();
            m_simulators.push_back(std::move(simulator));
        }
        m_targets[size_t(i)].baseUrl = baseUrl;
        setUpTarget(i);
    }
    return true;
}

QString Runner::resolvedBaseUrl(int target) const
{
    return m_targets.at(size_t(target)).baseUrl;
}

void Runner::setUpTarget(int index)
{
    TargetRun &run = m_targets[size_t(index)];
    const Target &target = m_campaign.targets.at(index);
    run.index = index;
    run.url = QUrl(run.baseUrl + QStringLiteral("/chat/completions"));
    // Bodies are the same for every request of a conversation: serialise them once, not per attempt.
    for (const QJsonArray &messages : m_campaign.request.conversations)
        run.bodies.append(requestBody(target, messages));
    const QString key = m_apiKeys.value(index);
    if (!key.isEmpty())
        run.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + key.toUtf8()});
    run.headers.append({QByteArrayLiteral("User-Agent"), QByteArrayLiteral("RelayBench/" RELAYBENCH_VERSION)});
    for (const auto &[name, value] : target.headers)
        run.headers.append({name.toUtf8(), value.toUtf8()});
    const LoadSpec &load = m_campaign.load;
    run.toIssue = load.requests > 0 ? load.requests + load.warmupRequests : 0;
    run.breaker =
        CircuitBreaker(m_campaign.circuitBreaker.failureThreshold, m_campaign.circuitBreaker.cooldownS * 1000.0);
    run.requestBucket = TokenBucket(m_campaign.rateLimit.requestsPerMinute);
    run.tokenBucket = TokenBucket(m_campaign.rateLimit.tokensPerMinute);
}

QByteArray Runner::requestBody(const Target &target, const QJsonArray &messages) const
{
    const RequestSpec &request = m_campaign.request;
    QJsonObject body{{QStringLiteral("model"), target.model},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("max_tokens"), request.maxTokens},
                     {QStringLiteral("stream"), request.stream}};
    if (request.temperature)
        body.insert(QStringLiteral("temperature"), *request.temperature);
    if (request.stream && request.includeUsage)
        body.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
    for (auto it = request.extraBody.constBegin(); it != request.extraBody.constEnd(); ++it)
        body.insert(it.key(), it.value());
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

AttemptSpec Runner::specFor(const TargetRun &target, const Logical &logical) const
{
    const int conversation = conversationOf(logical.id);
    AttemptSpec spec;
    spec.target = target.index;
    spec.requestId = logical.id;
    spec.attempt = logical.attempt;
    spec.warmup = logical.warmup;
    spec.scheduledMs = logical.dueMs;
    spec.url = target.url;
    spec.body = target.bodies.at(conversation);
    spec.headers = target.headers;
    spec.stream = m_campaign.request.stream;
    spec.totalTimeoutMs = m_campaign.timeouts.totalS * 1000.0;
    spec.stallTimeoutMs = m_campaign.timeouts.stallS * 1000.0;
    spec.maxBodyBytes = m_campaign.limits.maxResponseBytes;
    spec.maxLineBytes = m_campaign.limits.maxSseLineBytes;
    spec.tlsVerify = m_campaign.targets.at(target.index).tlsVerify;
    spec.promptChars = m_promptChars.at(conversation);
    spec.messageCount = int(m_campaign.request.conversations.at(conversation).size());
    return spec;
}

int Runner::conversationOf(qint64 requestId) const
{
    return int(requestId % m_campaign.request.conversations.size());
}

double Runner::estimateCostUsd(int target) const
{
    const auto &price = m_campaign.targets.at(target).price;
    if (!price)
        return 0.0;
    // The worst case an attempt can cost: the longest prompt (~4 chars a token) and max_tokens of output.
    const int chars = *std::max_element(m_promptChars.begin(), m_promptChars.end());
    return attemptCostUsd(*price, (chars + 3) / 4 + 4, 0, m_campaign.request.maxTokens);
}

void Runner::start()
{
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_running = true;
    const LoadSpec &load = m_campaign.load;
    for (TargetRun &target : m_targets) {
        const int wanted = load.concurrency > 0 ? load.concurrency : 1;
        const int lanes = (wanted + Lane::maxInFlightPerLane - 1) / Lane::maxInFlightPerLane;
        for (int i = 0; i < lanes; ++i)
            addLane(target);
    }
    tick();
}

Runner::LaneSlot &Runner::addLane(TargetRun &target)
{
    LaneSlot slot;
    slot.thread = new QThread;
    slot.thread->setObjectName(QStringLiteral("lane-%1-%2").arg(target.index).arg(target.lanes.size()));
    slot.lane = new Lane(&m_clock);
    slot.lane->moveToThread(slot.thread);
    connect(slot.thread, &QThread::finished, slot.lane, &QObject::deleteLater);
    const int laneIndex = int(target.lanes.size());
    connect(slot.lane, &Lane::attemptFinished, this,
            [this, laneIndex](const AttemptRecord &record) { onAttemptFinished(record, laneIndex); });
    // The lane only stamps and forwards network events: let it run ahead of everything else.
    slot.thread->start(QThread::HighPriority);
    target.lanes.push_back(slot);
    return target.lanes.back();
}

double Runner::allowedConcurrency(const TargetRun &target, double nowMs) const
{
    Q_UNUSED(target);
    const LoadSpec &load = m_campaign.load;
    if (load.rampUpS <= 0.0 || nowMs >= load.rampUpS * 1000.0)
        return load.concurrency;
    return std::max(1.0, std::ceil(load.concurrency * nowMs / (load.rampUpS * 1000.0)));
}

double Runner::currentRate(double nowMs) const
{
    const LoadSpec &load = m_campaign.load;
    if (load.rampUpS <= 0.0)
        return load.rate;
    // Linear from 5% to 100% of the rate over ramp_up_s (0% would mean an infinite first interval).
    return load.rate * std::clamp(nowMs / (load.rampUpS * 1000.0), 0.05, 1.0);
}

bool Runner::canIssue(const TargetRun &target) const
{
    return target.issuing && !m_stopping && (target.toIssue == 0 || target.nextId < target.toIssue);
}

Runner::Logical Runner::newLogical(TargetRun &target, double scheduledMs)
{
    Logical logical;
    logical.target = target.index;
    logical.id = target.nextId++;
    logical.warmup = logical.id < m_campaign.load.warmupRequests;
    logical.firstScheduledMs = scheduledMs;
    logical.dueMs = scheduledMs;
    target.firstScheduled.insert(logical.id, scheduledMs);
    ++target.active;
    return logical;
}

void Runner::tick()
{
    if (!m_running)
        return;
    const double now = m_clock.nowMs();
    const LoadSpec &load = m_campaign.load;
    if (load.durationS > 0.0 && now >= load.durationS * 1000.0) {
        for (TargetRun &target : m_targets)
            target.issuing = false;
    }
    double next = std::numeric_limits<double>::infinity();
    for (TargetRun &target : m_targets) {
        dispatchWaiting(target); // retries whose backoff has passed, requests that waited for a slot
        if (load.mode == LoadSpec::Mode::Closed) {
            issueClosedLoop(target);
            if (canIssue(target) && load.rampUpS > 0.0 && now < load.rampUpS * 1000.0)
                next = std::min(next, now + closedLoopRampTickMs);
        } else {
            issueOpenLoop(target);
            if (canIssue(target))
                next = std::min(next, target.nextArrivalMs);
        }
        // Retries wake the runner when their backoff ends. Requests waiting for a slot go when an attempt
        // finishes, and those waiting for a rate limit scheduled their own tick: no polling for either.
        for (const Logical &waiting : target.waiting) {
            if (waiting.dueMs > now)
                next = std::min(next, waiting.dueMs);
        }
    }
    if (load.durationS > 0.0 && canIssue(m_targets.front()))
        next = std::min(next, load.durationS * 1000.0);
    if (std::isfinite(next))
        scheduleTick(next);
    maybeFinish();
}

void Runner::scheduleTick(double atMs)
{
    const double wait = std::max(0.0, atMs - m_clock.nowMs());
    const auto ms = std::chrono::milliseconds(qint64(std::floor(wait)));
    if (!m_tick.isActive() || m_tick.remainingTime() > ms.count())
        m_tick.start(ms);
}

void Runner::issueClosedLoop(TargetRun &target)
{
    const double now = m_clock.nowMs();
    while (canIssue(target) && double(target.active) < allowedConcurrency(target, now)) {
        if (target.breaker.refusing(now)) {
            // Workers wait for the cooldown (or the probe) instead of spinning on refusals.
            if (target.breaker.state() == CircuitBreaker::State::Open)
                scheduleTick(target.breaker.reopensAtMs());
            break;
        }
        tryDispatch(newLogical(target, now));
    }
}

void Runner::issueOpenLoop(TargetRun &target)
{
    const double now = m_clock.nowMs();
    while (canIssue(target) && target.nextArrivalMs <= now) {
        // Scheduled at its planned arrival, not when the timer fired: lateness shows up as queue time.
        const double arrival = target.nextArrivalMs;
        const double rate = currentRate(arrival);
        double intervalMs = 1000.0 / rate;
        if (m_campaign.load.arrival == LoadSpec::Arrival::Poisson)
            intervalMs = std::exponential_distribution<double>(rate)(m_arrivals) * 1000.0;
        target.nextArrivalMs += intervalMs;
        tryDispatch(newLogical(target, arrival));
    }
}

void Runner::dispatchWaiting(TargetRun &target)
{
    const double now = m_clock.nowMs();
    // Retries are due at their own times; requests over the cap wait in arrival order.
    const size_t count = target.waiting.size();
    for (size_t i = 0; i < count && !target.waiting.empty(); ++i) {
        Logical logical = target.waiting.front();
        target.waiting.pop_front();
        if (logical.dueMs > now) {
            target.waiting.push_back(logical);
            continue;
        }
        tryDispatch(logical);
    }
}

void Runner::tryDispatch(Logical logical)
{
    TargetRun &target = m_targets[size_t(logical.target)];
    const double now = m_clock.nowMs();
    if (m_stopping) {
        const bool budget = m_stopReason == QLatin1String("budget");
        refuse(logical, budget ? Outcome::BudgetStopped : Outcome::Cancelled,
               budget ? QStringLiteral("not sent: the budget is spent") : QStringLiteral("not sent: run stopped"));
        return;
    }
    if (logical.dueMs > now) { // a retry in its backoff
        target.waiting.push_back(logical);
        scheduleTick(logical.dueMs);
        return;
    }
    const LoadSpec &load = m_campaign.load;
    if (load.mode == LoadSpec::Mode::Open && load.concurrency > 0 && target.inFlight >= load.concurrency) {
        target.waiting.push_back(logical);
        return; // dispatched when a slot frees
    }
    const double estimate = estimateCostUsd(target.index);
    if (m_campaign.maxCostUsd > 0.0 && m_spentUsd + target.inFlightEstimateUsd + estimate > m_campaign.maxCostUsd) {
        stop(QStringLiteral("budget"));
        refuse(logical, Outcome::BudgetStopped,
               QStringLiteral("not sent: spent $%1 plus in flight would pass the $%2 budget")
                   .arg(m_spentUsd, 0, 'f', 4)
                   .arg(m_campaign.maxCostUsd, 0, 'f', 4));
        return;
    }
    const double tokens = double(m_promptChars.at(conversationOf(logical.id)) + 3) / 4.0 + m_campaign.request.maxTokens;
    const double wait = std::max(target.requestBucket.waitMs(1.0, now), target.tokenBucket.waitMs(tokens, now));
    if (wait > 0.0) {
        target.waiting.push_back(logical);
        scheduleTick(now + wait);
        return;
    }
    if (!target.breaker.allow(now)) {
        ++m_circuitRefusals;
        refuse(logical, Outcome::CircuitOpen, QStringLiteral("not sent: circuit open after consecutive failures"));
        return;
    }
    target.requestBucket.take(1.0, now);
    target.tokenBucket.take(tokens, now);

    // The lane with the fewest attempts in flight; a new one when all have Qt's 6 connections busy.
    LaneSlot *slot = &*std::min_element(target.lanes.begin(), target.lanes.end(),
                                        [](const LaneSlot &a, const LaneSlot &b) { return a.inFlight < b.inFlight; });
    if (slot->inFlight >= Lane::maxInFlightPerLane)
        slot = &addLane(target);
    ++slot->inFlight;
    ++target.inFlight;
    target.stats.notePeakInFlight(target.inFlight);
    target.inFlightEstimateUsd += estimate;
    AttemptSpec spec = specFor(target, logical);
    Lane *lane = slot->lane;
    QMetaObject::invokeMethod(
        lane, [lane, spec] { lane->start(spec); }, Qt::QueuedConnection);
}

void Runner::onAttemptFinished(const AttemptRecord &finishedRecord, int laneIndex)
{
    AttemptRecord record = finishedRecord;
    TargetRun &target = m_targets[size_t(record.target)];
    --target.lanes[size_t(laneIndex)].inFlight;
    --target.inFlight;
    target.inFlightEstimateUsd = std::max(0.0, target.inFlightEstimateUsd - estimateCostUsd(target.index));
    const auto &price = m_campaign.targets.at(target.index).price;
    if (price && record.tokenSource != TokenSource::None)
        record.costUsd = attemptCostUsd(*price, record.promptTokens, record.cachedTokens, record.completionTokens);
    m_spentUsd += record.costUsd;
    const double now = m_clock.nowMs();
    target.breaker.record(record.outcome, now, record.sentMs);

    Logical logical;
    logical.target = record.target;
    logical.id = record.requestId;
    logical.warmup = record.warmup;
    logical.attempt = record.attempt;
    logical.firstScheduledMs = target.firstScheduled.value(record.requestId, record.scheduledMs);
    if (logical.firstScheduledMs > record.scheduledMs)
        logical.firstScheduledMs = record.scheduledMs;
    if (!m_stopping && m_retry.shouldRetry(record.outcome, record.attempt)) {
        const double delay = m_retry.delayMs(record.attempt, record.retryAfterS);
        record.retryDelayMs = delay;
        emitRecord(record);
        logical.attempt = record.attempt + 1;
        logical.dueMs = (applies(record.endMs) ? record.endMs : now) + delay;
        tryDispatch(logical);
    } else {
        emitRecord(record);
        finishLogical(logical, record);
    }
    dispatchWaiting(target);
    scheduleTick(now);
}

void Runner::emitRecord(AttemptRecord record)
{
    record.error = redact(record.error);
    m_targets[size_t(record.target)].stats.addAttempt(record);
    for (RecordSink *sink : m_sinks)
        sink->write(record);
}

void Runner::refuse(const Logical &logical, Outcome outcome, const QString &why)
{
    AttemptRecord record;
    record.target = logical.target;
    record.requestId = logical.id;
    record.attempt = logical.attempt;
    record.warmup = logical.warmup;
    record.scheduledMs = logical.dueMs;
    record.endMs = m_clock.nowMs();
    record.outcome = outcome;
    record.error = why;
    emitRecord(record);
    finishLogical(logical, record);
}

void Runner::finishLogical(const Logical &logical, const AttemptRecord &last)
{
    TargetRun &target = m_targets[size_t(logical.target)];
    const double end = applies(last.endMs) ? last.endMs : m_clock.nowMs();
    target.stats.addFinal(last, end - logical.firstScheduledMs);
    target.firstScheduled.remove(logical.id);
    --target.active;
    ++target.finished;
    if (m_running)
        scheduleTick(m_clock.nowMs());
}

void Runner::stop(const QString &reason)
{
    if (!m_running || m_stopping)
        return;
    m_stopping = true;
    m_stopReason = reason;
    for (TargetRun &target : m_targets) {
        target.issuing = false;
        std::deque<Logical> waiting;
        waiting.swap(target.waiting);
        for (const Logical &logical : waiting)
            tryDispatch(logical); // refused as cancelled / budget_stopped
        // A budget stop lets paid-for attempts finish; a user stop cancels them.
        if (reason != QLatin1String("budget")) {
            for (LaneSlot &slot : target.lanes)
                QMetaObject::invokeMethod(slot.lane, &Lane::cancelAll, Qt::QueuedConnection);
        }
    }
    maybeFinish();
}

void Runner::maybeFinish()
{
    if (!m_running || m_finished)
        return;
    for (const TargetRun &target : m_targets) {
        if (canIssue(target) || target.active > 0 || target.inFlight > 0 || !target.waiting.empty())
            return;
    }
    m_finished = true;
    m_running = false;
    m_tick.stop();
    m_endMs = m_clock.nowMs();
    m_finishedAt = QDateTime::currentDateTimeUtc();
    // Requests the circuit breaker refused were planned and never sent: the run did not do its work.
    if (m_stopReason.isEmpty() && m_circuitRefusals > 0)
        m_stopReason = QStringLiteral("circuit");
    for (RecordSink *sink : m_sinks)
        sink->flush();
    emit finished();
}

QList<TargetProgress> Runner::progress() const
{
    QList<TargetProgress> list;
    for (const TargetRun &target : m_targets) {
        TargetProgress p;
        p.name = m_campaign.targets.at(target.index).name;
        p.planned = m_campaign.load.requests;
        p.finished = target.stats.requests();
        p.succeeded = target.stats.succeeded();
        p.failedAttempts = target.stats.failedAttempts();
        p.inFlight = target.inFlight;
        p.costUsd = target.stats.costUsd();
        p.circuit = target.breaker.state();
        list.append(p);
    }
    return list;
}

QJsonObject Runner::summary() const
{
    const double durationS = (m_finished ? m_endMs : m_clock.nowMs()) / 1000.0;
    QJsonArray targets;
    for (const TargetRun &target : m_targets) {
        const Target &spec = m_campaign.targets.at(target.index);
        QJsonObject object = target.stats.toJson(durationS, m_campaign.slo);
        object.insert(QStringLiteral("name"), spec.name);
        object.insert(QStringLiteral("model"), spec.model);
        object.insert(QStringLiteral("base_url"), spec.baseUrl);
        targets.append(object);
    }
    const auto iso = [](const QDateTime &time) {
        return time.isValid() ? QJsonValue(time.toString(Qt::ISODateWithMs)) : QJsonValue();
    };
    return QJsonObject{
        {QStringLiteral("schema"), QStringLiteral("relaybench.summary/1")},
        {QStringLiteral("campaign"), m_campaign.name},
        {QStringLiteral("started_at"), iso(m_startedAt)},
        {QStringLiteral("finished_at"), iso(m_finishedAt)},
        {QStringLiteral("duration_s"), std::round(durationS * 1000.0) / 1000.0},
        {QStringLiteral("stopped_early"), stoppedEarly()},
        {QStringLiteral("stop_reason"), m_stopReason.isEmpty() ? QJsonValue() : QJsonValue(m_stopReason)},
        {QStringLiteral("targets"), targets},
    };
}

bool Runner::sloPassed() const
{
    return std::all_of(m_targets.begin(), m_targets.end(),
                       [this](const TargetRun &t) { return t.stats.sloPassed(m_campaign.slo); });
}

QString Runner::redact(QString text) const
{
    for (const QString &key : m_apiKeys) {
        if (!key.isEmpty())
            text.replace(key, QStringLiteral("[REDACTED]"));
    }
    // Providers echo masked keys ("sk-abc1***xyz9"): drop those too.
    static const QRegularExpression maskedKey(QStringLiteral("\\b(sk|key|api)[-_][A-Za-z0-9*_\\-]{6,}"));
    text.replace(maskedKey, QStringLiteral("[REDACTED]"));
    return text;
}

} // namespace relaybench
