#include "comparepage.h"

#include "comparemodel.h"
#include "distributionchart.h"
#include "ui_comparepage.h"

#include <QDateTime>
#include <QHeaderView>
#include <QJsonArray>
#include <QLocale>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace relaybench {

namespace {

QString durationText(double seconds)
{
    if (std::isnan(seconds) || seconds < 0.0)
        return ComparePage::tr("unknown duration");
    if (seconds < 120.0)
        return ComparePage::tr("%1 s").arg(seconds, 0, 'f', 1);
    const qint64 whole = qRound64(seconds);
    if (whole < 3600)
        return ComparePage::tr("%1 min %2 s").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
    return ComparePage::tr("%1 h %2 min").arg(whole / 3600).arg((whole % 3600) / 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ComparePage::ComparePage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ComparePage>())
    , m_model(new CompareModel(this))
{
    m_ui->setupUi(this);
    m_ui->table->setModel(m_model);
    m_ui->table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    // The table is read whole; growing the window gives the chart the room.
    m_ui->splitter->setStretchFactor(0, 0);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->distributionChart->setMinimumHeight(240);
    connect(m_ui->baselineCombo, &QComboBox::currentIndexChanged, this, &ComparePage::onBaselineChosen);
    clear();
}

ComparePage::~ComparePage() = default;

DistributionChart *ComparePage::distributionChart() const
{
    return m_ui->distributionChart;
}

void ComparePage::setRun(const RunResult &run)
{
    if (run.isEmpty()) {
        clear();
        return;
    }
    m_model->setRun(run);
    m_ui->distributionChart->setRun(run);
    {
        // The model starts on the first target as baseline; the combo follows without echoing back.
        const QSignalBlocker blocker(m_ui->baselineCombo);
        m_ui->baselineCombo->clear();
        m_ui->baselineCombo->addItems(m_model->targetNames());
        m_ui->baselineCombo->setCurrentIndex(m_model->baseline());
    }
    m_ui->caption->setText(captionFor(run));
    m_ui->stack->setCurrentWidget(m_ui->resultsPage);
    fitTable();
}

void ComparePage::clear()
{
    m_model->clear();
    m_ui->distributionChart->clear();
    {
        const QSignalBlocker blocker(m_ui->baselineCombo);
        m_ui->baselineCombo->clear();
    }
    m_ui->caption->clear();
    m_ui->stack->setCurrentWidget(m_ui->emptyPage);
}

void ComparePage::onBaselineChosen(int target)
{
    m_model->setBaseline(target);
    fitTable();
}

void ComparePage::fitTable()
{
    // The differences change the cells' widths; the header modes resize on layout, this makes it immediate.
    m_ui->table->resizeColumnsToContents();
    m_ui->table->resizeRowsToContents();
    const QTableView *table = m_ui->table;
    const int tableHeight = table->horizontalHeader()->sizeHint().height() + table->verticalHeader()->length() +
                            2 * table->frameWidth() + table->horizontalScrollBar()->sizeHint().height();
    const int available = std::max(m_ui->splitter->height(), tableHeight + m_ui->distributionChart->minimumHeight());
    m_ui->splitter->setSizes({tableHeight, available - tableHeight});
}

QString ComparePage::captionFor(const RunResult &run)
{
    const QJsonObject &summary = run.summary;
    QString name = summary.value(QLatin1String("campaign")).toString();
    if (name.isEmpty())
        name = run.campaign.name;
    const QDateTime started =
        QDateTime::fromString(summary.value(QLatin1String("started_at")).toString(), Qt::ISODateWithMs);
    const QString when =
        started.isValid() ? QLocale().toString(started.toLocalTime(), QLocale::ShortFormat) : tr("start time unknown");
    const double durationS = summary.value(QLatin1String("duration_s")).toDouble(std::nan(""));
    const int targets = int(summary.value(QLatin1String("targets")).toArray().size());
    QString ending = tr("ran to the end");
    if (summary.value(QLatin1String("stopped_early")).toBool()) {
        const QString reason = summary.value(QLatin1String("stop_reason")).toString();
        ending = reason.isEmpty() ? tr("stopped early") : tr("stopped early (%1)").arg(reason);
    }
    // Spelled out rather than tr()'s %n, which needs a loaded translation to read "3 targets".
    const QString count = targets == 1 ? tr("1 target") : tr("%1 targets").arg(targets);
    return tr("Campaign \u201c%1\u201d: started %2, lasted %3, %4. %5.")
        .arg(name, when, durationText(durationS), ending, count);
}

} // namespace relaybench
