#pragma once

#include "metrics/runresult.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <array>
#include <vector>

namespace relaybench {

// The targets of one run side by side, the way benchmark articles show them: one row per metric, one column
// per target, and beside each non-baseline value its difference against the baseline target ("812 ms (+35.2%)";
// rates in percentage points, "+1.2 pp"). The best value of a row is bold on a tinted background. Every figure
// comes from summary.json (docs/metrics.md); a null there (e.g. latency when nothing succeeded) shows "–" and is
// never best. toCsv() and toHtmlTable() render the same table for the exporter.
class CompareModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Metric
    {
        SuccessRate,
        LatencyMean,
        LatencyP50,
        LatencyP95,
        LatencyP99,
        TtftP50,
        TtftP95,
        TimeoutRate,
        RateLimitedPerHour,
        OutputTokensPerS,
        CostPer1kRequests,
        Requests,
        Attempts,
        CostUsd,
        MetricCount
    };
    Q_ENUM(Metric)

    enum Role
    {
        RawValueRole = Qt::UserRole + 1, // double as in summary.json (rates as fractions); invalid when missing
        DifferenceRole,                  // double, % or pp against the baseline; invalid for the baseline or missing
        IsBestRole,                      // bool
    };

    explicit CompareModel(QObject *parent = nullptr);

    void setRun(const RunResult &run);
    void clear();
    // Out-of-range targets are ignored.
    void setBaseline(int target);
    int baseline() const { return m_baseline; }
    QStringList targetNames() const { return m_names; }

    // The row's figure for one target's summary.json object; NaN when summary.json has no value for it.
    static double metricValue(Metric metric, const QJsonObject &target, double durationS);
    // Rates (shares of requests or attempts) differ in percentage points, everything else in %.
    static bool differsInPoints(Metric metric);
    static QString metricName(Metric metric);
    static QString metricDefinition(Metric metric);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The table as shown (values with differences, best cells bold and tinted), for a report.
    QString toHtmlTable() const;
    // One line per metric: the raw value per target (rates as %), then the difference per non-baseline target
    // ("NAME vs BASELINE", % or pp as the "difference" column says). Missing values are empty cells.
    QString toCsv() const;

private:
    double value(int metric, int target) const { return m_values[size_t(target)][size_t(metric)]; }
    double difference(int metric, int target) const;
    bool isBest(int metric, int target) const;
    void updateBest();
    QString cellText(int metric, int target) const;
    QString cellToolTip(int metric, int target) const;

    QStringList m_names;
    QStringList m_descriptions; // model @ base URL, for the column tooltip
    std::vector<std::array<double, MetricCount>> m_values;
    std::array<std::vector<bool>, MetricCount> m_best;
    int m_baseline = 0;
};

} // namespace relaybench
