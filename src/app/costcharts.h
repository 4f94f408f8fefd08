#pragma once

#include "pricing/costmodel.h"

#include <QChartView>
#include <QList>

class QBarCategoryAxis;
class QHorizontalBarSeries;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace relaybench {

// Monthly cost of each option as one horizontal bar (one bar set per option, so the legend names it in
// its target colour), on a money axis in the display currency.
class CostBarChart : public QChartView
{
    Q_OBJECT

public:
    explicit CostBarChart(QWidget *parent = nullptr);

    void setRows(const QList<CostRow> &rows, const Currency &currency);
    QHorizontalBarSeries *series() const { return m_series; }
    QValueAxis *moneyAxis() const { return m_money; }

private:
    QHorizontalBarSeries *m_series;
    QBarCategoryAxis *m_categories;
    QValueAxis *m_money;
};

// Monthly cost against requests a month, one line per option (costCurve), with the volumes where the
// cheapest option changes (breakEvenRequestsPerMonth) marked and labelled.
class CostCurveChart : public QChartView
{
    Q_OBJECT

public:
    explicit CostCurveChart(QWidget *parent = nullptr);

    struct Line
    {
        QString name;
        CostOption option;
    };
    // Plots 0 .. maxRequestsPerMonth; money in `currency`.
    void setOptions(const Workload &workload, const QList<Line> &lines, double maxRequestsPerMonth,
                    const Currency &currency);
    QList<QLineSeries *> lines() const { return m_lines; }
    QScatterSeries *breakEvens() const { return m_breakEvens; }
    QValueAxis *volumeAxis() const { return m_volume; }
    QValueAxis *moneyAxis() const { return m_money; }

private:
    QList<QLineSeries *> m_lines;
    QScatterSeries *m_breakEvens;
    QValueAxis *m_volume;
    QValueAxis *m_money;
};

} // namespace relaybench
