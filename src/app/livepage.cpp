#include "livepage.h"

#include "chartstyle.h"
#include "failuresmodel.h"
#include "latencychart.h"
#include "latencyhistogramchart.h"
#include "ratecharts.h"
#include "targettile.h"
#include "ui_livepage.h"

#include "engine/runcontroller.h"
#include "exporter/metricsendpoint.h"
#include "history/runrecorder.h"
#include "history/runstore.h"
#include "storage/csvfilesink.h"
#include "storage/summaryfile.h"
#include "util/datadirectory.h"

#include <QDir>
#include <QHeaderView>
#include <QJsonArray>
#include <QSortFilterProxyModel>
#include <QThread>

namespace relaybench {

LivePage::LivePage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::LivePage>())
    , m_failures(new FailuresModel(this))
    , m_filter(new QSortFilterProxyModel(this))
{
    m_ui->setupUi(this);
    m_filter->setSourceModel(m_failures);
    m_filter->setFilterKeyColumn(-1); // every column
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_ui->failuresView->setModel(m_filter);
    m_ui->failuresView->horizontalHeader()->setStretchLastSection(true);
    m_ui->failuresView->verticalHeader()->hide();
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->splitter->setSizes({560, 200}); // the chart first; the failures table is for reading, not watching
    connect(m_ui->failureFilter, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_ui->runButton, &QPushButton::clicked, this, &LivePage::runRequested);
    connect(m_ui->stopButton, &QPushButton::clicked, this, &LivePage::stopRun);
    connect(m_ui->chartTabs, &QTabWidget::currentChanged, this, &LivePage::updateChart);
    // 10 Hz: smooth enough to watch, and every refresh is one batch of replace() calls.
    m_refresh.setInterval(100);
    connect(&m_refresh, &QTimer::timeout, this, &LivePage::refresh);
}

LivePage::~LivePage()
{
    // A run's last history batch may still be being written (finishRecording): wait for it rather than lose
    // it. Bounded by the database's 5 s busy timeout.
    const auto finishing = findChildren<QThread *>(Qt::FindDirectChildrenOnly);
    for (QThread *thread : finishing)
        thread->wait();
}

QString LivePage::historyPath() const
{
    return m_historyPath.isEmpty() ? RunStore::defaultPath() : m_historyPath;
}

void LivePage::setCampaign(const Campaign &campaign, const QByteArray &campaignJson)
{
    m_campaign = campaign;
    m_campaignJson = campaignJson;
    qDeleteAll(m_tiles);
    m_tiles.clear();
    QStringList names;
    for (int i = 0; i < campaign.targets.size(); ++i) {
        names.append(campaign.targets.at(i).name);
        auto *tile = new TargetTile(campaign.targets.at(i).name, targetColor(i), m_ui->tilesArea);
        m_ui->tilesLayout->addWidget(tile);
        m_tiles.append(tile);
    }
    m_ui->latencyChart->setTargets(names);
    m_ui->throughputChart->setTargets(names);
    m_ui->histogramChart->setTargets(names);
    m_failures->setTargetNames(names);
    const LoadSpec &load = campaign.load;
    m_ui->campaignLabel->setText(
        tr("%1: %2 target(s), %3, %4")
            .arg(campaign.name)
            .arg(campaign.targets.size())
            .arg(load.requests > 0 ? tr("%1 requests each").arg(load.requests) : tr("%1 s").arg(load.durationS))
            .arg(load.mode == LoadSpec::Mode::Closed ? tr("concurrency %1").arg(load.concurrency)
                                                     : tr("%1 requests/s").arg(load.rate)));
    m_ui->progressBar->setValue(0);
    m_ui->etaLabel->clear();
    updateButtons();
}

bool LivePage::startRun(const QStringList &apiKeys, QString *error)
{
    if (isRunning())
        return false;
    QString folder = createRunFolder(m_campaign.name, error);
    if (folder.isEmpty())
        return false;
    QStringList names;
    for (const Target &target : m_campaign.targets)
        names.append(target.name);
    auto csv = std::make_unique<CsvFileSink>(QDir(folder).filePath(QStringLiteral("requests.csv")), names);
    if (!csv->open(error))
        return false;
    setCampaign(m_campaign, m_campaignJson); // fresh tiles, charts and failures
    m_shownVersion = 0;
    m_lastSnapshot = LiveSnapshot();
    m_shownFailures = 0;
    m_newestFailureMs = 0.0;
    m_reportedUnreachable = QList<bool>(m_campaign.targets.size(), false);
    m_controller.reset(); // the old run's controller goes before its sink
    m_csv = std::move(csv);
    m_runFolder = folder;
    m_controller = std::make_unique<RunController>(m_campaign, apiKeys);
    m_controller->addSink(m_csv.get());
    if (m_metrics && m_metrics->isListening()) {
        RunController *controller = m_controller.get();
        m_controller->addSink(m_metrics->beginRun(names, [controller] { return controller->progress(); }));
    }
    startRecording();
    connect(m_controller.get(), &RunController::finished, this, &LivePage::onFinished);
    m_controller->start();
    m_refresh.start();
    updateButtons();
    emit runStarted();
    return true;
}

void LivePage::startRecording()
{
    QList<RecordedTarget> targets;
    for (const Target &target : m_campaign.targets)
        targets.append({target.name, target.model, target.baseUrl});
    // beginAsync: the database is opened on the recorder's own thread (a locked file can hold that up to
    // 5 s); records queue meanwhile, and a history that cannot be opened never holds up or stops the run:
    // finish() says why it was not recorded.
    m_recorder = std::make_shared<RunRecorder>(historyPath());
    m_recorder->beginAsync(m_campaign.name, m_campaignJson, targets, QStringLiteral("campaign"));
    m_controller->addSink(m_recorder.get());
}

void LivePage::finishRecording(const QJsonObject &summary, bool discard)
{
    if (!m_recorder)
        return;
    // finish() writes the last queued batch and the summary, and waits for the recorder's thread: seconds
    // when another program holds the database, so it runs on a thread of its own. The engine has ended, so
    // nothing writes to the recorder any more.
    std::shared_ptr<RunRecorder> recorder = std::move(m_recorder);
    const QString path = historyPath();
    QThread *thread = QThread::create([this, recorder, summary, discard, path] {
        QString error;
        recorder->finish(summary, summary.value(QLatin1String("stop_reason")).toString(), &error);
        const qint64 runId = recorder->runId();
        if (discard) {
            // The run could not start and nothing was sent: it has no place in the history.
            RunStore store;
            QString ignored;
            if (runId > 0 && store.open(path, &ignored))
                store.deleteRun(runId, &ignored);
            return;
        }
        // Queued to the page's thread; dropped if the page is gone by then (its destructor waits for us).
        QMetaObject::invokeMethod(
            this, [this, runId, error] { emit runRecorded(error.isEmpty() ? runId : 0, error); }, Qt::QueuedConnection);
    });
    thread->setObjectName(QStringLiteral("RunRecorderFinish"));
    thread->setParent(this);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void LivePage::stopRun()
{
    if (m_controller)
        m_controller->stop();
}

bool LivePage::isRunning() const
{
    return m_controller && m_controller->isRunning();
}

TargetTile *LivePage::tile(int target) const
{
    return m_tiles.value(target);
}

void LivePage::onFinished(const QString &error)
{
    refresh();
    showAllCharts();
    m_refresh.stop();
    if (m_metrics)
        m_metrics->endRun(); // the engine thread has ended: nothing writes to the run's sink any more
    QString problem = error;
    if (error.isEmpty()) {
        // The engine thread has ended: requests.csv is complete; summary.json joins it.
        m_csv->flush();
        RunResult result{m_campaign, m_controller->summary(), m_controller->snapshot(), m_runFolder};
        if (!writeSummaryFile(QDir(m_runFolder).filePath(QStringLiteral("summary.json")), result.summary, &problem))
            result.folder.clear(); // the CSV is there, but the folder is not a complete run
        m_lastRun = std::move(result);
        finishRecording(m_lastRun.summary, false);
    } else {
        QDir(m_runFolder).removeRecursively(); // nothing was sent
        finishRecording(QJsonObject(), true);
    }
    updateButtons();
    emit runFinished(problem);
}

bool LivePage::showStoredRun(const RunResult &run)
{
    if (isRunning())
        return false;
    setCampaign(run.campaign); // fresh tiles, charts and failures; Run sets the Campaign page's campaign again
    // Progress as the run ended: the summary's requests of the planned ones, over the run's duration.
    const QJsonArray summaryTargets = run.summary.value(QLatin1String("targets")).toArray();
    QList<TargetProgress> progress;
    for (int i = 0; i < run.live.targets.size(); ++i) {
        const QJsonObject target = summaryTargets.at(i).toObject();
        TargetProgress p;
        p.name = run.live.targets.at(i).name;
        p.finished = qint64(target.value(QLatin1String("requests")).toDouble());
        p.succeeded = qint64(target.value(QLatin1String("succeeded")).toDouble());
        p.costUsd = target.value(QLatin1String("cost_usd")).toDouble();
        p.planned = run.campaign.load.requests > 0 ? run.campaign.load.requests : p.finished;
        progress.append(p);
    }
    showProgress(progress, run.summary.value(QLatin1String("duration_s")).toDouble());
    m_reportedUnreachable = QList<bool>(run.live.targets.size(), true); // no dialogs about a past run
    m_shownVersion = run.live.version;
    m_lastSnapshot = run.live;
    for (int i = 0; i < m_tiles.size() && i < run.live.targets.size() && i < m_progress.size(); ++i)
        m_tiles.at(i)->update(run.live.targets.at(i), m_progress.at(i), m_elapsedS);
    m_failures->setFailures(run.live.recentFailures);
    m_shownFailures = run.live.recentFailures.size();
    m_newestFailureMs = run.live.recentFailures.isEmpty() ? 0.0 : run.live.recentFailures.last().endMs;
    showAllCharts();
    m_lastRun = run;
    updateButtons();
    return true;
}

void LivePage::showAllCharts()
{
    for (int tab = 0; tab < m_ui->chartTabs->count(); ++tab)
        updateChart(tab);
}

QList<QPair<QString, QChartView *>> LivePage::charts() const
{
    return {{tr("Latency over time"), m_ui->latencyChart},
            {tr("Failed attempts by outcome"), m_ui->errorChart},
            {tr("Throughput"), m_ui->throughputChart},
            {tr("Latency and TTFT distribution"), m_ui->histogramChart}};
}

void LivePage::updateButtons()
{
    const bool running = isRunning();
    m_ui->runButton->setEnabled(!running && !m_campaign.targets.isEmpty());
    m_ui->stopButton->setEnabled(running);
}

void LivePage::refresh()
{
    if (!m_controller)
        return;
    showProgress(m_controller->progress(), m_controller->elapsedMs() / 1000.0);
    showSnapshot(m_controller->snapshot());
}

void LivePage::showProgress(const QList<TargetProgress> &progress, double elapsedS)
{
    m_progress = progress;
    m_elapsedS = elapsedS;
    qint64 done = 0;
    qint64 planned = 0;
    double etaS = 0.0; // the slowest target decides when the run ends
    for (const TargetProgress &p : progress) {
        done += p.finished;
        planned += p.planned;
        const double rate = elapsedS > 0.0 ? double(p.finished) / elapsedS : 0.0;
        if (p.planned > p.finished)
            etaS = std::max(etaS, rate > 0.0 ? double(p.planned - p.finished) / rate : qInf());
    }
    if (planned > 0) {
        m_ui->progressBar->setRange(0, int(planned));
        m_ui->progressBar->setValue(int(std::min(done, planned)));
        if (!isRunning())
            m_ui->etaLabel->setText(tr("done in %1 s").arg(elapsedS, 0, 'f', 1));
        else
            m_ui->etaLabel->setText(qIsFinite(etaS) ? tr("ETA %1 s").arg(qRound(etaS)) : tr("ETA -"));
    }
}

void LivePage::showSnapshot(const LiveSnapshot &snapshot)
{
    for (int i = 0; i < m_tiles.size() && i < snapshot.targets.size() && i < m_progress.size(); ++i)
        m_tiles.at(i)->update(snapshot.targets.at(i), m_progress.at(i), m_elapsedS);
    if (snapshot.version == m_shownVersion)
        return; // nothing new: no redraw
    m_shownVersion = snapshot.version;
    m_lastSnapshot = snapshot;
    // Only the chart on screen is refreshed: a hidden one catches up when its tab is opened, and all of them
    // when the run ends (so exports of any chart are complete).
    updateChart(m_ui->chartTabs->currentIndex());
    const bool newFailures =
        snapshot.recentFailures.size() != m_shownFailures ||
        (!snapshot.recentFailures.isEmpty() && snapshot.recentFailures.last().endMs != m_newestFailureMs);
    if (newFailures) {
        m_failures->setFailures(snapshot.recentFailures);
        m_shownFailures = snapshot.recentFailures.size();
        m_newestFailureMs = snapshot.recentFailures.isEmpty() ? 0.0 : snapshot.recentFailures.last().endMs;
    }
    reportUnreachableTargets(snapshot);
}

void LivePage::updateChart(int tab)
{
    QWidget *chart = m_ui->chartTabs->widget(tab);
    if (chart == m_ui->latencyChart)
        m_ui->latencyChart->update(m_lastSnapshot);
    else if (chart == m_ui->errorChart)
        m_ui->errorChart->update(m_lastSnapshot);
    else if (chart == m_ui->throughputChart)
        m_ui->throughputChart->update(m_lastSnapshot);
    else if (chart == m_ui->histogramChart)
        m_ui->histogramChart->update(m_lastSnapshot);
}

void LivePage::reportUnreachableTargets(const LiveSnapshot &snapshot)
{
    constexpr qint64 attemptsToBeSure = 3; // one refused connection can be a restart; three in a row is a pattern
    for (int t = 0; t < snapshot.targets.size(); ++t) {
        const LiveTarget &target = snapshot.targets.at(t);
        const qint64 networkErrors = target.attemptOutcomes[size_t(Outcome::NetworkError)];
        if (m_reportedUnreachable.value(t, true) || target.attempts < attemptsToBeSure ||
            networkErrors != target.attempts)
            continue;
        m_reportedUnreachable[t] = true;
        QString message = tr("no answer");
        for (const LiveFailure &failure : snapshot.recentFailures)
            if (failure.target == t && !failure.error.isEmpty())
                message = failure.error;
        emit targetUnreachable(target.name, message);
    }
}

} // namespace relaybench
