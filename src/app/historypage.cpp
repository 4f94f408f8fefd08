#include "historypage.h"

#include "historymodel.h"
#include "historyworker.h"
#include "regressionmodel.h"
#include "ui_historypage.h"

#include "history/runcomparison.h"
#include "history/runstore.h"

#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMessageBox>

#include <algorithm>

namespace relaybench {

HistoryPage::HistoryPage(const QString &databasePath, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::HistoryPage>())
    , m_model(new HistoryModel(this))
    , m_filter(new HistoryFilterModel(this))
    , m_regression(new RegressionModel(this))
    , m_worker(new HistoryWorker(databasePath.isEmpty() ? RunStore::defaultPath() : databasePath, this))
{
    m_ui->setupUi(this);
    m_ui->errorBanner->hide();
    m_filter->setSourceModel(m_model);
    m_ui->runsView->setModel(m_filter);
    m_ui->runsView->sortByColumn(HistoryModel::DateColumn, Qt::DescendingOrder); // newest first
    m_ui->runsView->verticalHeader()->hide();
    m_ui->runsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->runsView->horizontalHeader()->setSectionResizeMode(HistoryModel::TargetsColumn, QHeaderView::Stretch);
    m_ui->regressionView->setModel(m_regression);
    m_ui->regressionView->verticalHeader()->hide();
    m_ui->regressionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->regressionView->horizontalHeader()->setStretchLastSection(true);
    m_ui->historySplitter->setStretchFactor(0, 3);
    m_ui->historySplitter->setStretchFactor(1, 2);
    m_ui->stateCombo->addItem(tr("Every state"), QString());
    for (const char *state : {"finished", "stopped", "interrupted", "running"})
        m_ui->stateCombo->addItem(QLatin1String(state), QLatin1String(state));

    connect(m_ui->filterEdit, &QLineEdit::textChanged, m_filter, &HistoryFilterModel::setText);
    connect(m_ui->stateCombo, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_filter->setState(m_ui->stateCombo->itemData(index).toString()); });
    connect(m_ui->runsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryPage::updateButtons);
    connect(m_ui->runsView, &QTableView::doubleClicked, this, &HistoryPage::openSelected);
    connect(m_ui->openButton, &QPushButton::clicked, this, &HistoryPage::openSelected);
    connect(m_ui->compareButton, &QPushButton::clicked, this, &HistoryPage::compareSelected);
    connect(m_ui->deleteButton, &QPushButton::clicked, this, &HistoryPage::deleteSelected);
    connect(m_ui->exportButton, &QPushButton::clicked, this, &HistoryPage::exportSelected);
    connect(m_ui->refreshButton, &QPushButton::clicked, this, &HistoryPage::refresh);
    connect(m_worker, &HistoryWorker::runsListed, this, &HistoryPage::onListed);
    connect(m_worker, &HistoryWorker::runLoaded, this, &HistoryPage::onLoaded);
    connect(m_worker, &HistoryWorker::runDeleted, this, &HistoryPage::onDeleted);
    connect(m_worker, &HistoryWorker::runExported, this, &HistoryPage::onExported);
    updateButtons();
    refresh();
}

HistoryPage::~HistoryPage() = default;

QString HistoryPage::databasePath() const
{
    return m_worker->databasePath();
}

void HistoryPage::refresh()
{
    m_worker->listRuns();
}

void HistoryPage::onListed(const QList<RecordedRun> &runs, const QString &error)
{
    const QList<qint64> selected = selectedRunIds();
    m_listed = true;
    m_databaseError = error;
    m_model->setRuns(runs);
    selectRuns(selected); // a refresh keeps what was selected, where it still exists
    if (error.isEmpty()) {
        m_ui->errorBanner->hide();
    } else {
        m_ui->errorBanner->setText(
            tr("The run history cannot be used: %1\nEverything else works; runs are not recorded until this is fixed.")
                .arg(error));
        m_ui->errorBanner->show();
    }
    setStatus(error.isEmpty()
                  ? tr("%n run(s) in %1", nullptr, int(runs.size())).arg(QDir::toNativeSeparators(databasePath()))
                  : QString());
    updateButtons();
    emit runsListed();
}

QList<qint64> HistoryPage::selectedRunIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_ui->runsView->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        ids.append(row.data(HistoryModel::RunIdRole).toLongLong());
    return ids;
}

void HistoryPage::selectRuns(const QList<qint64> &runIds)
{
    QItemSelection selection;
    for (qint64 id : runIds) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_filter->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index.siblingAtColumn(HistoryModel::ColumnCount - 1));
    }
    m_ui->runsView->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    updateButtons();
}

void HistoryPage::updateButtons()
{
    const QList<qint64> ids = selectedRunIds();
    const bool usable = isDatabaseOpen();
    m_ui->openButton->setEnabled(usable && ids.size() == 1 && m_opening == 0);
    m_ui->compareButton->setEnabled(usable && ids.size() == 2);
    m_ui->deleteButton->setEnabled(usable && !ids.isEmpty());
    m_ui->exportButton->setEnabled(usable && ids.size() == 1);
}

void HistoryPage::setStatus(const QString &text)
{
    m_ui->statusLabel->setText(text);
}

void HistoryPage::openSelected()
{
    const QList<qint64> ids = selectedRunIds();
    if (ids.size() == 1)
        openRun(ids.first());
}

void HistoryPage::openRun(qint64 runId)
{
    m_opening = runId;
    m_openClock.start();
    setStatus(tr("Reading run %1...").arg(runId));
    updateButtons();
    m_worker->loadRun(runId);
}

void HistoryPage::onLoaded(qint64 runId, const RunResult &run, const QString &error, qint64 readMs)
{
    if (runId != m_opening)
        return; // an Open the user has since replaced by another
    m_opening = 0;
    updateButtons();
    if (!error.isEmpty()) {
        setStatus(QString());
        emit failed(tr("Open run %1").arg(runId), error);
        return;
    }
    emit runOpened(runId, run);
    m_lastOpenMs = m_openClock.elapsed();
    setStatus(tr("Run %1 opened in %2 ms (read in %3 ms): see the Live run and Compare pages")
                  .arg(runId)
                  .arg(m_lastOpenMs)
                  .arg(readMs));
}

void HistoryPage::compareSelected()
{
    QList<qint64> ids = selectedRunIds();
    if (ids.size() != 2)
        return;
    // The older run is the baseline: ids grow with time.
    std::sort(ids.begin(), ids.end());
    compareRuns(ids.at(0), ids.at(1));
}

bool HistoryPage::compareRuns(qint64 before, qint64 after)
{
    const RecordedRun *first = m_model->run(before);
    const RecordedRun *second = m_model->run(after);
    if (!first || !second)
        return false;
    m_comparedBefore = before;
    m_comparedAfter = after;
    const QList<MetricChange> changes = relaybench::compareRuns(*first, *second);
    m_regression->setChanges(changes);
    const qsizetype unsure =
        std::count_if(changes.begin(), changes.end(), [](const MetricChange &change) { return change.tooFewSamples; });
    if (changes.isEmpty()) {
        m_ui->regressionCaption->setText(
            tr("Run %1 and run %2 have nothing to compare: a run without a summary (running or interrupted), or no "
               "target of the same name in both.")
                .arg(before)
                .arg(after));
    } else {
        m_ui->regressionCaption->setText(
            tr("Run %1 (%2, %3) before, run %4 (%5, %6) after: %7 metric(s), %8 of them with too few samples to "
               "tell (hover over the verdict for why).")
                .arg(before)
                .arg(first->campaignName, first->startedAt.left(19))
                .arg(after)
                .arg(second->campaignName, second->startedAt.left(19))
                .arg(changes.size())
                .arg(unsure));
    }
    return true;
}

void HistoryPage::deleteSelected()
{
    const QList<qint64> ids = selectedRunIds();
    if (ids.isEmpty())
        return;
    QStringList names;
    for (qint64 id : ids)
        names.append(QString::number(id));
    const auto answer = QMessageBox::question(
        this, tr("Delete runs"),
        tr("Delete run(s) %1 from the history, with every attempt recorded? This cannot be undone; run folders on "
           "disk are kept.")
            .arg(names.join(QLatin1String(", "))),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    for (qint64 id : ids)
        deleteRun(id);
}

void HistoryPage::deleteRun(qint64 runId)
{
    setStatus(tr("Deleting run %1...").arg(runId));
    m_worker->deleteRun(runId);
}

void HistoryPage::onDeleted(qint64 runId, const QString &error)
{
    if (!error.isEmpty())
        emit failed(tr("Delete run %1").arg(runId), error);
    if (error.isEmpty() && (runId == m_comparedBefore || runId == m_comparedAfter)) {
        m_regression->setChanges({}); // a view of a run that is gone
        m_ui->regressionCaption->setText(tr("Run %1 was deleted.").arg(runId));
    }
    emit runDeleted(runId, error);
    refresh();
}

void HistoryPage::exportSelected()
{
    const QList<qint64> ids = selectedRunIds();
    if (ids.size() != 1)
        return;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export run %1 into").arg(ids.first()));
    if (!folder.isEmpty())
        exportRun(ids.first(), folder);
}

void HistoryPage::exportRun(qint64 runId, const QString &folder)
{
    setStatus(tr("Exporting run %1...").arg(runId));
    m_worker->exportRun(runId, folder);
}

void HistoryPage::onExported(qint64 runId, const QString &folder, const QString &error)
{
    if (error.isEmpty())
        setStatus(
            tr("Run %1 exported to %2 (requests.csv, summary.json)").arg(runId).arg(QDir::toNativeSeparators(folder)));
    else
        emit failed(tr("Export run %1").arg(runId), error);
    emit runExported(runId, folder, error);
}

} // namespace relaybench
