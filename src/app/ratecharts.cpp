#include "ratecharts.h"

#include "chartstyle.h"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace relaybench {

ErrorRateChart::ErrorRateChart(QWidget *parent)
    : QChartView(new QChart, parent)
    , m_time(new QValueAxis(this))
    , m_count(new QValueAxis(this))
{
    m_time->setTitleText(tr("time since start (s)"));
    m_time->setLabelFormat(QStringLiteral("%.0f"));
    m_count->setTitleText(tr("failed attempts per second"));
    m_count->setLabelFormat(QStringLiteral("%.1f"));
    chart()->addAxis(m_time, Qt::AlignBottom);
    chart()->addAxis(m_count, Qt::AlignLeft);
    for (Outcome outcome : allOutcomes()) {
        if (outcome == Outcome::Ok || outcome == Outcome::Cancelled)
            continue;
        auto *area = new QAreaSeries(new QLineSeries(this), new QLineSeries(this));
        area->setName(QString(outcomeName(outcome)));
        area->setColor(outcomeColor(outcome));
        area->setBorderColor(outcomeColor(outcome).darker(120));
        chart()->addSeries(area);
        area->attachAxis(m_time);
        area->attachAxis(m_count);
        area->setVisible(false); // until this outcome happens
        m_areas.emplace_back(outcome, area);
    }
    m_time->setRange(0.0, 10.0);
    m_count->setRange(0.0, 1.0);
    styleChart(chart(), tr("Failed attempts over time, by outcome"));
}

QAreaSeries *ErrorRateChart::area(Outcome outcome) const
{
    for (const auto &[o, area] : m_areas)
        if (o == outcome)
            return area;
    return nullptr;
}

QList<Outcome> ErrorRateChart::shownOutcomes() const
{
    QList<Outcome> shown;
    for (const auto &[outcome, area] : m_areas)
        if (area->isVisible())
            shown.append(outcome);
    return shown;
}

void ErrorRateChart::update(const LiveSnapshot &snapshot)
{
    qsizetype seconds = 0;
    for (const LiveTarget &target : snapshot.targets)
        seconds = std::max(seconds, target.seconds.size());
    const qsizetype group = std::max<qsizetype>(1, (seconds + maxPoints - 1) / maxPoints); // seconds per point
    const qsizetype points = (seconds + group - 1) / group;
    std::vector<double> below(size_t(points), 0.0); // the stack so far
    double highest = 0.0;
    for (const auto &[outcome, area] : m_areas) {
        std::vector<double> rate(size_t(points), 0.0);
        bool any = false;
        for (const LiveTarget &target : snapshot.targets) {
            for (qsizetype s = 0; s < target.seconds.size(); ++s) {
                const qint32 n = target.seconds.at(s).outcomes[size_t(outcome)];
                rate[size_t(s / group)] += double(n) / double(group); // per second, also when grouped
                any = any || n > 0;
            }
        }
        area->setVisible(any);
        if (!any)
            continue;
        // Steps: each second (or group) is a flat segment from its start to its end, as the counts are.
        QList<QPointF> lower;
        QList<QPointF> upper;
        lower.reserve(points * 2);
        upper.reserve(points * 2);
        for (qsizetype p = 0; p < points; ++p) {
            const double from = double(p * group);
            const double to = double(std::min(seconds, (p + 1) * group));
            const double base = below[size_t(p)];
            const double top = base + rate[size_t(p)];
            lower << QPointF(from, base) << QPointF(to, base);
            upper << QPointF(from, top) << QPointF(to, top);
            below[size_t(p)] = top;
            highest = std::max(highest, top);
        }
        area->lowerSeries()->replace(lower);
        area->upperSeries()->replace(upper);
    }
    m_time->setRange(0.0, std::max<double>(10.0, double(seconds)));
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
        requests->setName(tr("%1 requests/s").arg(names.at(i).toHtmlEscaped())); // legends render rich text
        requests->setPen(QPen(targetColor(i), 2.0));
        auto *tokens = new QLineSeries;
        tokens->setName(tr("%1 tokens/s").arg(names.at(i).toHtmlEscaped())); // legends render rich text
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
        // Beyond maxPoints seconds, each point is the mean of `group` seconds: still per-second rates, and a
        // frame stays cheap however long the run.
        const qsizetype group = std::max<qsizetype>(1, (perSecond.size() + maxPoints - 1) / maxPoints);
        QList<QPointF> requests;
        QList<QPointF> tokens;
        for (qsizetype first = 0; first < perSecond.size(); first += group) {
            const qsizetype last = std::min(perSecond.size(), first + group);
            double attempts = 0.0;
            double outputTokens = 0.0;
            for (qsizetype s = first; s < last; ++s) {
                for (qint32 n : perSecond.at(s).outcomes)
                    attempts += n;
                outputTokens += double(perSecond.at(s).outputTokens);
            }
            const double width = double(last - first);
            const double x = double(first) + width / 2.0;
            requests.append(QPointF(x, attempts / width));
            tokens.append(QPointF(x, outputTokens / width));
            maxRate = std::max(maxRate, attempts / width);
            maxTokens = std::max(maxTokens, outputTokens / width);
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
