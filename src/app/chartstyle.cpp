#include "chartstyle.h"

#include <QAbstractSeries>
#include <QApplication>
#include <QChart>
#include <QLegend>
#include <QPalette>
#include <QXYSeries>

#include <iterator>

namespace relaybench {

QColor targetColor(int target)
{
    static const QColor palette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                     QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0x17, 0xbe, 0xcf)};
    return palette[size_t(target) % std::size(palette)];
}

QColor outcomeColor(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Ok:
        return QColor(0x2c, 0xa0, 0x2c);
    case Outcome::RateLimited:
        return QColor(0xff, 0xb5, 0x47);
    case Outcome::AuthError:
        return QColor(0x94, 0x67, 0xbd);
    case Outcome::ClientError:
        return QColor(0xc5, 0xb0, 0xd5);
    case Outcome::ServerError:
        return QColor(0xd6, 0x27, 0x28);
    case Outcome::Timeout:
        return QColor(0x7f, 0x7f, 0x7f);
    case Outcome::Stalled:
        return QColor(0xbc, 0xbd, 0x22);
    case Outcome::NetworkError:
        return QColor(0x8c, 0x56, 0x4b);
    case Outcome::StreamError:
        return QColor(0xe3, 0x77, 0xc2);
    case Outcome::InvalidResponse:
        return QColor(0x17, 0xbe, 0xcf);
    default:
        return QColor(0x99, 0x99, 0x99);
    }
}

bool paletteIsDark()
{
    const QPalette palette = QApplication::palette();
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

namespace {

void applyTheme(QChart *chart)
{
    const QPalette palette = QApplication::palette();
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setTitleBrush(palette.color(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    const QColor grid = palette.color(QPalette::Mid);
    const auto axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        axis->setLabelsColor(palette.color(QPalette::Text));
        axis->setTitleBrush(palette.color(QPalette::Text));
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(grid.lighter(paletteIsDark() ? 80 : 120));
        axis->setLinePenColor(palette.color(QPalette::Text));
    }
}

} // namespace

void styleChart(QChart *chart, const QString &title)
{
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    applyTheme(chart);
}

void restyleChart(QChart *chart)
{
    applyTheme(chart);
}

} // namespace relaybench
