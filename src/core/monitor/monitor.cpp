#include "monitor.h"

#include "appinfo.h"
#include "engine/attemptspec.h"
#include "engine/lane.h"
#include "engine/recordsink.h"
#include "engine/simtarget.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <cmath>

namespace relaybench {

Monitor::Monitor(Campaign campaign, MonitorConfig config, QStringList apiKeys, QObject *parent)
    : QObject(parent)
    , m_campaign(std::move(campaign))
    , m_config(std::move(config))
    , m_apiKeys(std::move(apiKeys))
{
    qRegisterMetaType<relaybench::AttemptRecord>();
    qRegisterMetaType<relaybench::HealthState>();
    qRegisterMetaType<relaybench::WindowFigures>();
    m_promptChars = int(m_config.prompt.size());
}

Monitor::~Monitor()
{
    for (TargetMonitor &target : m_targets) {
        if (!target.thread)
            continue;
        target.thread->quit();
        target.thread->wait();
        delete target.thread;
    }
}

QByteArray Monitor::probeBody(const QString &model) const
{
    const QJsonArray messages{
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), m_config.prompt}}};
    QJsonObject body{{QStringLiteral("model"), model},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("max_tokens"), m_config.maxTokens},
                     {QStringLiteral("stream"), m_config.stream}};
    if (m_config.stream)
        body.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

bool Monitor::prepare(QString *error)
{
    m_targets.clear();
    const qsizetype capacity = ProbeHistory::capacityFor(m_config.intervalS);
    m_targets.reserve(size_t(m_campaign.targets.size()));
    for (int i = 0; i < m_campaign.targets.size(); ++i) {
        const Target &target = m_campaign.targets.at(i);
        m_targets.emplace_back(m_config.thresholds, capacity);
        TargetMonitor &run = m_targets.back();
        run.baseUrl = target.baseUrl;
        if (target.isSimulated()) {
            run.simulator = startTargetSimulator(m_campaign, target, error);
            if (!run.simulator)
                return false;
            run.baseUrl = run.simulator->baseUrl().toString();
        }
        run.url = QUrl(run.baseUrl + QStringLiteral("/chat/completions"));
        run.body = probeBody(target.model);
        const QString key = m_apiKeys.value(i);
        if (!key.isEmpty())
            run.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + key.toUtf8()});
        run.headers.append({QByteArrayLiteral("User-Agent"), QByteArrayLiteral("RelayBench/" RELAYBENCH_VERSION)});
        for (const auto &[name, value] : target.headers)
            run.headers.append({name.toUtf8(), value.toUtf8()});
    }
    return true;
}

void Monitor::start()
{
    if (m_running)
        return;
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_startClockMs = m_clock.nowMs();
    m_running = true;
    m_stopping = false;
    m_stopReason.clear();
    for (int i = 0; i < int(m_targets.size()); ++i) {
        TargetMonitor &target = m_targets[size_t(i)];
        if (!target.thread) {
            target.thread = new QThread;
            target.thread->setObjectName(QStringLiteral("monitor-%1").arg(i));
            target.lane = new Lane(&m_clock);
            target.lane->moveToThread(target.thread);
            connect(target.thread, &QThread::finished, target.lane, &QObject::deleteLater);
            connect(target.lane, &Lane::attemptFinished, this, &Monitor::onProbeFinished);
            target.thread->start();
        }
        target.timer = std::make_unique<QTimer>();
        target.timer->setTimerType(Qt::PreciseTimer);
        target.timer->setInterval(std::chrono::milliseconds(qint64(std::llround(m_config.intervalS * 1000.0))));
        connect(target.timer.get(), &QTimer::timeout, this, [this, i] { probe(i); });
        target.timer->start();
        probe(i); // the first probe at once, not one interval late
    }
}

void Monitor::probe(int index)
{
    TargetMonitor &target = m_targets[size_t(index)];
    if (!m_running || m_stopping)
        return;
    if (target.inFlight) {
        ++target.skipped; // only when timeout_s exceeds the interval: one probe per target at a time
        return;
    }
    const Target &config = m_campaign.targets.at(index);
    AttemptSpec spec;
    spec.target = index;
    spec.requestId = target.sent++;
    spec.scheduledMs = m_clock.nowMs();
    spec.url = target.url;
    spec.body = target.body;
    spec.headers = target.headers;
    spec.stream = m_config.stream;
    spec.totalTimeoutMs = m_config.probeTimeoutS() * 1000.0;
    spec.stallTimeoutMs = m_campaign.timeouts.stallS * 1000.0;
    spec.maxBodyBytes = m_campaign.limits.maxResponseBytes;
    spec.maxLineBytes = m_campaign.limits.maxSseLineBytes;
    spec.tlsVerify = config.tlsVerify;
    spec.promptChars = m_promptChars;
    spec.messageCount = 1;
    target.inFlight = true;
    Lane *lane = target.lane;
    QMetaObject::invokeMethod(
        lane, [lane, spec] { lane->start(spec); }, Qt::QueuedConnection);
}

void Monitor::onProbeFinished(const AttemptRecord &record)
{
    TargetMonitor &target = m_targets[size_t(record.target)];
    target.inFlight = false;
    for (RecordSink *sink : m_sinks)
        sink->write(record);
    if (record.outcome != Outcome::Cancelled) {
        ProbeSample sample;
        // Wall time from the run's monotonic clock: a clock step (NTP) cannot reorder the windows.
        sample.atMs = wallMs(applies(record.endMs) ? record.endMs : m_clock.nowMs());
        sample.latencyMs = float(record.latencyMs());
        sample.ttftMs = float(record.ttftMs());
        sample.outcome = record.outcome;
        target.history.add(sample);
        emit probeFinished(record.target, record);
        const WindowFigures window = target.history.figures(sample.atMs, m_config.windowS);
        if (!m_stopping && target.machine.evaluate(window))
            emit stateChanged(record.target, target.machine.previous(), target.machine.state(), window);
    }
    maybeFinishStop();
}

WindowFigures Monitor::figures(int target, double windowS) const
{
    const qint64 now = m_startedAt.isValid() ? wallMs(m_clock.nowMs()) : QDateTime::currentMSecsSinceEpoch();
    return m_targets.at(size_t(target)).history.figures(now, windowS);
}

qint64 Monitor::wallMs(double clockMs) const
{
    return m_startedAt.toMSecsSinceEpoch() + std::llround(clockMs - m_startClockMs);
}

void Monitor::stop(const QString &reason)
{
    if (!m_running || m_stopping)
        return;
    m_stopping = true;
    m_stopReason = reason;
    for (TargetMonitor &target : m_targets) {
        target.timer.reset();
        Lane *lane = target.lane;
        QMetaObject::invokeMethod(
            lane, [lane] { lane->cancelAll(); }, Qt::QueuedConnection);
    }
    maybeFinishStop();
}

void Monitor::maybeFinishStop()
{
    if (!m_stopping || !m_running)
        return;
    for (const TargetMonitor &target : m_targets) {
        if (target.inFlight)
            return;
    }
    m_running = false;
    m_stopping = false;
    emit stopped();
}

QJsonObject Monitor::summary() const
{
    QJsonArray targets;
    for (int i = 0; i < int(m_targets.size()); ++i) {
        const WindowFigures day = figures(i, ProbeHistory::spanS);
        QJsonObject t = day.toJson();
        t.insert(QStringLiteral("name"), targetName(i));
        t.insert(QStringLiteral("requests"), day.probes);
        t.insert(QStringLiteral("state"), QString(healthStateName(state(i))));
        targets.append(t);
    }
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("monitor")},
                       {QStringLiteral("started_at"), m_startedAt.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("interval_s"), m_config.intervalS},
                       {QStringLiteral("targets"), targets}};
}

} // namespace relaybench
