// The Live run page under a 1,000,000-request run: how long one 10 Hz refresh takes (the snapshot copy,
// the charts' replace() calls, the paint of what is visible) and how much memory the process holds, as the
// run grows. Records are synthesised (two targets, 1,000 attempts per simulated second, log-normal
// latencies, 2% failures of several kinds, 64-token streams) and fed to the same LiveAggregator the engine
// feeds and to TargetStats (the engine's exact summary statistics), so the memory figure is the window's
// plus the engine's bookkeeping for the whole run. Run by bench/gui-refresh.sh; figures in docs/PERFORMANCE.md.
//
//   relaybench-gui-bench [--requests N] [--per-second N] [--frames-per-tab N]
#include "app/latencychart.h"
#include "app/livepage.h"
#include "app/ratecharts.h"

#include "engine/runner.h"
#include "metrics/liveaggregator.h"
#include "metrics/targetstats.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QTabWidget>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

using namespace relaybench;

namespace {

double memoryMiB(const char *field) // VmRSS (now) or VmHWM (peak), from /proc/self/status
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0.0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field)) + 1).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0.0;
}

double percentile(std::vector<double> values, double fraction)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const size_t rank = size_t(std::ceil(fraction * double(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

class RecordFactory
{
public:
    AttemptRecord next(qint64 index, double endMs)
    {
        AttemptRecord r;
        r.target = int(index % 2);
        r.requestId = index;
        const double latency = r.target == 0 ? m_fast(m_rng) : m_slow(m_rng);
        r.endMs = endMs;
        r.sentMs = endMs - latency;
        r.scheduledMs = r.sentMs;
        r.headersMs = r.sentMs + latency * 0.2;
        const double draw = m_uniform(m_rng);
        if (draw < 0.008) {
            r.outcome = Outcome::RateLimited;
            r.status = 429;
            r.error = QStringLiteral("HTTP 429: rate limited");
        } else if (draw < 0.014) {
            r.outcome = Outcome::ServerError;
            r.status = 500;
            r.error = QStringLiteral("HTTP 500: internal error");
        } else if (draw < 0.02) {
            r.outcome = Outcome::Timeout;
            r.error = QStringLiteral("no answer within 60 s");
        } else {
            r.status = 200;
            r.firstTokenMs = r.sentMs + latency * 0.3;
            r.completionTokens = 64;
            r.promptTokens = 120;
            r.tokenSource = TokenSource::Server;
            r.interTokenMs = QVector<float>(63, float(latency * 0.7 / 63.0));
            r.costUsd = 120 * 0.28e-6 + 64 * 0.42e-6;
        }
        return r;
    }

private:
    std::mt19937_64 m_rng{42};
    std::lognormal_distribution<double> m_fast{std::log(50.0), 0.5};
    std::lognormal_distribution<double> m_slow{std::log(1500.0), 0.7};
    std::uniform_real_distribution<double> m_uniform{0.0, 1.0};
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption requestsOption(QStringLiteral("requests"), QStringLiteral("Attempts in all."),
                                            QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption rateOption(QStringLiteral("per-second"), QStringLiteral("Attempts per simulated second."),
                                        QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption framesOption(QStringLiteral("frames"), QStringLiteral("Refreshes measured in all."),
                                          QStringLiteral("N"), QStringLiteral("400"));
    parser.addOptions({requestsOption, rateOption, framesOption});
    parser.process(app);
    const qint64 requests = parser.value(requestsOption).toLongLong();
    const qint64 perSecond = std::max<qint64>(1, parser.value(rateOption).toLongLong());
    const qint64 frames = std::max<qint64>(1, parser.value(framesOption).toLongLong());

    const QStringList names{QStringLiteral("relay"), QStringLiteral("direct")};
    Campaign campaign;
    campaign.name = QStringLiteral("gui-bench");
    for (const QString &name : names) {
        Target target;
        target.name = name;
        target.baseUrl = QStringLiteral("http://127.0.0.1:1/v1");
        target.model = QStringLiteral("bench");
        campaign.targets.append(target);
    }
    campaign.load.requests = requests / 2;

    LivePage page;
    page.setCampaign(campaign);
    page.resize(1400, 900);
    page.show();
    auto *tabs = page.findChild<QTabWidget *>(QStringLiteral("chartTabs"));
    LiveAggregator live(names);
    std::vector<TargetStats> stats(2);
    RecordFactory factory;
    const double baselineMiB = memoryMiB("VmRSS:");

    std::printf("# RelayBench GUI refresh benchmark: %lld attempts, %lld per simulated second, %lld frames, "
                "platform %s\n",
                requests, perSecond, frames, qPrintable(QGuiApplication::platformName()));
    std::printf("%10s %6s %9s %9s %9s %9s %9s %9s\n", "attempts", "tab", "lock_ms", "update_ms", "paint_ms", "frame_ms",
                "rss_MiB", "peak_MiB");
    const qint64 recordsPerFrame = std::max<qint64>(1, requests / frames);
    constexpr qint64 framesPerTab = 10;
    std::vector<double> frameMs;
    std::vector<double> lockMs;
    std::vector<std::vector<double>> frameByTab(size_t(tabs->count()));
    std::vector<std::vector<double>> lateFrameByTab(size_t(tabs->count())); // the last 10% of the run
    QElapsedTimer timer;
    qint64 fed = 0;
    for (qint64 frame = 0; frame < frames; ++frame) {
        for (qint64 i = 0; i < recordsPerFrame && fed < requests; ++i, ++fed) {
            const AttemptRecord record = factory.next(fed, double(fed) * 1000.0 / double(perSecond));
            live.write(record);
            stats[size_t(record.target)].addAttempt(record);
            stats[size_t(record.target)].addFinal(record, record.latencyMs());
        }
        // Every chart is on screen in turn, for blocks of framesPerTab refreshes, as a user watches one tab at a
        // time. Opening a tab lays its chart out anew: that one-off cost is the untimed first frame of a block.
        const int tab = int((frame / framesPerTab) % tabs->count());
        const bool opened = tabs->currentIndex() != tab;
        tabs->setCurrentIndex(tab);
        QList<TargetProgress> progress;
        for (int t = 0; t < 2; ++t) {
            TargetProgress p;
            p.name = names.at(t);
            p.planned = requests / 2;
            p.finished = fed / 2;
            progress.append(p);
        }
        timer.start();
        const LiveSnapshot snapshot = live.snapshot(); // what the engine waits for: the lock is held for the copy
        const double lock = double(timer.nsecsElapsed()) / 1e6;
        page.showProgress(progress, double(fed) / double(perSecond));
        page.showSnapshot(snapshot);
        const double update = double(timer.nsecsElapsed()) / 1e6 - lock;
        page.repaint(); // a synchronous paint of the whole page, the visible chart included
        const double total = double(timer.nsecsElapsed()) / 1e6;
        const double paint = total - lock - update;
        QCoreApplication::processEvents();
        if (opened)
            continue;
        frameMs.push_back(total);
        lockMs.push_back(lock);
        frameByTab[size_t(tab)].push_back(total);
        if (frame >= frames - frames / 10)
            lateFrameByTab[size_t(tab)].push_back(total);
        if ((frame + 1) % std::max<qint64>(1, frames / 20) == 0 || frame == frames - 1)
            std::printf("%10lld %6d %9.2f %9.2f %9.2f %9.2f %9.1f %9.1f\n", fed, tab, lock, update, paint, total,
                        memoryMiB("VmRSS:"), memoryMiB("VmHWM:"));
    }
    std::printf("\n## Summary\n");
    std::printf("- attempts fed: %lld (%lld simulated seconds)\n", fed, fed / perSecond);
    std::printf("- frame (snapshot + update + paint) over all %zu timed frames: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, "
                "max %.2f ms\n",
                frameMs.size(), percentile(frameMs, 0.5), percentile(frameMs, 0.95), percentile(frameMs, 0.99),
                percentile(frameMs, 1.0));
    for (int tab = 0; tab < tabs->count(); ++tab)
        std::printf("- tab \"%s\": p50 %.2f ms, max %.2f ms; in the last 10%% of the run: "
                    "p50 %.2f ms, max %.2f ms\n",
                    qPrintable(tabs->tabText(tab)), percentile(frameByTab[size_t(tab)], 0.5),
                    percentile(frameByTab[size_t(tab)], 1.0), percentile(lateFrameByTab[size_t(tab)], 0.5),
                    percentile(lateFrameByTab[size_t(tab)], 1.0));
    std::printf("- snapshot lock held (the engine's longest possible wait per refresh): p50 %.3f ms, max %.3f ms\n",
                percentile(lockMs, 0.5), percentile(lockMs, 1.0));
    // Each chart alone on the final (largest) snapshot: which part of a frame is whose.
    const LiveSnapshot last = live.snapshot();
    const auto timeChart = [&last](auto &chart, const char *name) {
        chart.resize(1200, 600);
        chart.show();
        std::vector<double> update;
        QElapsedTimer t;
        for (int i = 0; i < 20; ++i) {
            LiveSnapshot copy = last;
            copy.version += quint64(i) + 1;
            t.start();
            chart.update(copy);
            update.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        std::printf("- %s alone on the final snapshot: update() p50 %.2f ms\n", name, percentile(update, 0.5));
    };
    {
        const QStringList names2{QStringLiteral("relay"), QStringLiteral("direct")};
        LatencyChart latency;
        latency.setTargets(names2);
        timeChart(latency, "latency chart");
        ErrorRateChart errors;
        timeChart(errors, "error chart");
        ThroughputChart throughput;
        throughput.setTargets(names2);
        timeChart(throughput, "throughput chart");
    }
    std::printf("- memory: %.1f MiB at start, %.1f MiB resident at the end, %.1f MiB peak\n", baselineMiB,
                memoryMiB("VmRSS:"), memoryMiB("VmHWM:"));
    // The engine's summary for the whole run, to show the exact statistics were built from every record.
    QElapsedTimer summaryTimer;
    summaryTimer.start();
    qint64 summarised = 0;
    for (const TargetStats &target : stats)
        summarised +=
            target.toJson(double(fed) / double(perSecond), SloSpec()).value(QLatin1String("attempts")).toInt();
    std::printf("- summary of %lld attempts built in %.0f ms; peak after it %.1f MiB\n", summarised,
                double(summaryTimer.nsecsElapsed()) / 1e6, memoryMiB("VmHWM:"));
    return 0;
}
