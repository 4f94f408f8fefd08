#include "costcharts.h"

#include "chartstyle.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>

namespace relaybench {

CostBarChart::CostBarChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_series(new QHorizontalBarSeries(this))
    , m_categories(new QBarCategoryAxis(this))
    , m_money(new QValueAxis(this))
{
    setRenderHint(QPainter::Antialiasing);
    chart()->addSeries(m_series);
    m_categories->append(tr("monthly cost"));
    m_money->setLabelFormat(QStringLiteral("%.2f"));
    m_money->setTitleText(tr("monthly cost (USD)"));
    chart()->addAxis(m_categories, Qt::AlignLeft);
    chart()->addAxis(m_money, Qt::AlignBottom);
    m_series->attachAxis(m_categories);
    m_series->attachAxis(m_money);
    m_series->setLabelsVisible(true);
    m_series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    m_series->setLabelsPrecision(8);
    // One category only: the legend names the bars, a "monthly cost" label beside them would say nothing.
    m_categories->setVisible(false);
    m_money->setRange(0.0, 1.0);
    styleChart(chart(), tr("Monthly cost per option"));
    chart()->legend()->setShowToolTips(true); // many options shorten the names: the tooltip has them whole
}

void CostBarChart::setRows(const QList<CostRow> &rows, const Currency &currency)
{
    // A bar chart has no replace(): the sets are rebuilt whole, once per recompute, never point by point.
    m_series->clear();
    double highest = 0.0;
    QList<QBarSet *> sets;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const CostRow &row = rows.at(i);
        auto *set = new QBarSet(
            row.plan == QLatin1String("direct") ? row.model : QString(row.model + QStringLiteral(" via ") + row.plan));
        const double value = row.monthlyUsd * currency.perUsd;
        set->append(value);
        set->setColor(targetColor(int(i)));
        set->setLabelColor(paletteIsDark() ? Qt::white : Qt::black);
        sets.append(set);
        highest = std::max(highest, value);
    }
    m_series->append(sets);
    m_series->setLabelsFormat(currency.symbol() + QStringLiteral("@value"));
    m_money->setTitleText(tr("monthly cost (%1)").arg(currency.code));
    m_money->setRange(0.0, highest > 0.0 ? highest * 1.25 : 1.0);
    m_money->applyNiceNumbers();
}

CostCurveChart::CostCurveChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_breakEvens(new QScatterSeries(this))
    , m_volume(new QValueAxis(this))
    , m_money(new QValueAxis(this))
{
    setRenderHint(QPainter::Antialiasing);
    m_volume->setTitleText(tr("requests per month"));
    m_volume->setLabelFormat(QStringLiteral("%.0f"));
    m_money->setTitleText(tr("monthly cost (USD)"));
    m_money->setLabelFormat(QStringLiteral("%.2f"));
    chart()->addAxis(m_volume, Qt::AlignBottom);
    chart()->addAxis(m_money, Qt::AlignLeft);
    m_breakEvens->setName(tr("break-even"));
    m_breakEvens->setMarkerSize(10.0);
    m_breakEvens->setPointLabelsVisible(true);
    m_breakEvens->setPointLabelsFormat(QStringLiteral("@xPoint req/mo"));
    m_breakEvens->setPointLabelsClipping(false);
    chart()->addSeries(m_breakEvens);
    m_breakEvens->attachAxis(m_volume);
    m_breakEvens->attachAxis(m_money);
    m_volume->setRange(0.0, 1.0);
    m_money->setRange(0.0, 1.0);
    styleChart(chart(), tr("Monthly cost against volume"));
    chart()->legend()->setShowToolTips(true);
}

void CostCurveChart::setOptions(const Workload &workload, const QList<Line> &lines, double maxRequestsPerMonth,
                                const Currency &currency)
{
    const double maxVolume = std::max(1.0, maxRequestsPerMonth);
    // One line per option: add or drop series only when the number of options changes.
    while (m_lines.size() > lines.size()) {
        QLineSeries *series = m_lines.takeLast();
        chart()->removeSeries(series);
        delete series;
    }
    while (m_lines.size() < lines.size()) {
        auto *series = new QLineSeries(this);
        chart()->addSeries(series);
        series->attachAxis(m_volume);
        series->attachAxis(m_money);
        m_lines.append(series);
    }
    double highest = 0.0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QList<QPointF> points = costCurve(workload, lines.at(i).option, maxVolume);
        for (QPointF &point : points) {
            point.setY(point.y() * currency.perUsd);
            highest = std::max(highest, point.y());
        }
        QLineSeries *series = m_lines.at(i);
        series->setName(lines.at(i).name);
        series->setColor(targetColor(int(i)));
        series->replace(points);
    }
    QList<QPointF> crossings;
    for (qsizetype a = 0; a < lines.size(); ++a) {
        for (qsizetype b = a + 1; b < lines.size(); ++b) {
            const CostOption &first = lines.at(a).option;
            for (double volume : breakEvenRequestsPerMonth(workload, first, lines.at(b).option, maxVolume))
                crossings.append({volume, monthlyCostUsd(workload, first, volume) * currency.perUsd});
        }
    }
    m_breakEvens->replace(crossings);
    m_breakEvens->setColor(paletteIsDark() ? Qt::white : Qt::black);
    m_breakEvens->setVisible(!crossings.isEmpty());
    m_money->setTitleText(tr("monthly cost (%1)").arg(currency.code));
    m_volume->setRange(0.0, maxVolume);
    m_money->setRange(0.0, highest > 0.0 ? highest * 1.1 : 1.0);
    m_money->applyNiceNumbers();
    restyleChart(chart());
}

} // namespace relaybench
