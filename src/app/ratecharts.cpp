#include "ratecharts.h"

#include "chartstyle.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace relaybench {

ErrorRateChart::ErrorRateChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_series(new QStackedBarSeries)
    , m_time(new QBarCategoryAxis(this))
    , m_count(new QValueAxis(this))
{
    styleChart(chart(), tr("Failed attempts over time, by outcome"));
    chart()->addSeries(m_series);
    m_time->setTitleText(tr("time since start (s)"));
    m_count->setTitleText(tr("failed attempts per second"));
    m_count->setLabelFormat(QStringLiteral("%.1f"));
    chart()->addAxis(m_time, Qt::AlignBottom);
    chart()->addAxis(m_count, Qt::AlignLeft);
    restyleChart(chart()); // theme the axes just added
    m_series->attachAxis(m_time);
    m_series->attachAxis(m_count);
}

void ErrorRateChart::update(const LiveSnapshot &snapshot)
{
    int seconds = 0;
    for (const LiveTarget &target : snapshot.targets)
        seconds = std::max(seconds, int(target.seconds.size()));
    const int group = std::max(1, (seconds + maxBars - 1) / maxBars); // seconds per bar
    const int bars = (seconds + group - 1) / group;
    QStringList categories;
    for (int bar = 0; bar < bars; ++bar)
        categories.append(QString::number(bar * group));
    m_series->clear();
    double highest = 0.0;
    std::vector<double> totals(size_t(bars), 0.0);
    for (Outcome outcome : allOutcomes()) {
        if (outcome == Outcome::Ok || outcome == Outcome::Cancelled)
            continue;
        QList<qreal> values(bars, 0.0);
        bool any = false;
        for (const LiveTarget &target : snapshot.targets) {
            for (int s = 0; s < target.seconds.size(); ++s) {
                const qint32 n = target.seconds.at(s).outcomes[size_t(outcome)];
                values[s / group] += double(n) / group; // per second, also when grouped
                any = any || n > 0;
            }
        }
        if (!any)
            continue;
        auto *set = new QBarSet(QString(outcomeName(outcome)));
        set->setColor(outcomeColor(outcome));
        set->append(values);
        m_series->append(set);
        for (int bar = 0; bar < bars; ++bar) {
            totals[size_t(bar)] += values[bar];
            highest = std::max(highest, totals[size_t(bar)]);
        }
    }
    m_time->setCategories(categories);
    m_count->setRange(0.0, std::max(1.0, highest * 1.1));
}

ThroughputChart::ThroughputChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_time(new QValueAxis(this))
    , m_rate(new QValueAxis(this))
    , m_tokens(new QValueAxis(this))
{
    styleChart(chart(), tr("Throughput"));
    m_time->setTitleText(tr("time since start (s)"));
    m_time->setLabelFormat(QStringLiteral("%.0f"));
    m_rate->setTitleText(tr("finished attempts per second"));
    m_rate->setLabelFormat(QStringLiteral("%.0f"));
    m_tokens->setTitleText(tr("output tokens per second (dashed)"));
    m_tokens->setLabelFormat(QStringLiteral("%.0f"));
    chart()->addAxis(m_time, Qt::AlignBottom);
    chart()->addAxis(m_rate, Qt::AlignLeft);
    chart()->addAxis(m_tokens, Qt::AlignRight);
    restyleChart(chart());
}

void ThroughputChart::setTargets(const QStringList &names)
{
    chart()->removeAllSeries();
    m_requests.clear();
    m_outputTokens.clear();
    for (int i = 0; i < names.size(); ++i) {
        auto *requests = new QLineSeries;
        requests->setName(tr("%1 requests/s").arg(names.at(i)));
        requests->setPen(QPen(targetColor(i), 2.0));
        auto *tokens = new QLineSeries;
        tokens->setName(tr("%1 tokens/s").arg(names.at(i)));
        tokens->setPen(QPen(targetColor(i), 1.5, Qt::DashLine));
        chart()->addSeries(requests);
        chart()->addSeries(tokens);
        requests->attachAxis(m_time);
        requests->attachAxis(m_rate);
        tokens->attachAxis(m_time);
        tokens->attachAxis(m_tokens);
        m_requests.push_back(requests);
        m_outputTokens.push_back(tokens);
    }
    m_time->setRange(0.0, 10.0);
}

void ThroughputChart::update(const LiveSnapshot &snapshot)
{
    double maxRate = 1.0;
    double maxTokens = 1.0;
    double seconds = 10.0;
    for (int t = 0; t < snapshot.targets.size() && size_t(t) < m_requests.size(); ++t) {
        const QVector<LiveSecond> &perSecond = snapshot.targets.at(t).seconds;
        QList<QPointF> requests;
        QList<QPointF> tokens;
        for (int s = 0; s < perSecond.size(); ++s) {
            qint64 attempts = 0;
            for (qint32 n : perSecond.at(s).outcomes)
                attempts += n;
            requests.append(QPointF(s + 0.5, double(attempts)));
            tokens.append(QPointF(s + 0.5, double(perSecond.at(s).outputTokens)));
            maxRate = std::max(maxRate, double(attempts));
            maxTokens = std::max(maxTokens, double(perSecond.at(s).outputTokens));
        }
        seconds = std::max(seconds, double(perSecond.size()));
        m_requests[size_t(t)]->replace(requests);
        m_outputTokens[size_t(t)]->replace(tokens);
    }
    m_time->setRange(0.0, seconds);
    m_rate->setRange(0.0, maxRate * 1.1);
    m_tokens->setRange(0.0, maxTokens * 1.1);
}

} // namespace relaybench
