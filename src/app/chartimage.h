#pragma once

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

class QChartView;

namespace relaybench {

// A chart as the exporter and the HTML report see it.
struct NamedChart
{
    QString title;
    QChartView *view = nullptr;
};

// Charts rendered for files at a fixed size, whatever the window's size, so that exports of two runs
// match. The view is left as it was. PNGs are drawn at devicePixelRatio times the size (sharp when shown
// at `size` on a high-density screen or zoomed in a report); SVGs are vector, `size` is their view box.
namespace chartimage {

inline constexpr QSize defaultSize{1200, 700};
inline constexpr qreal devicePixelRatio = 2.0;

// An image of size * devicePixelRatio pixels, with that device pixel ratio set.
QImage render(QChartView *view, QSize size = defaultSize);
QByteArray png(QChartView *view, QSize size = defaultSize);
QByteArray svg(QChartView *view, const QString &title, QSize size = defaultSize);

// Written whole or not at all (QSaveFile); `error` names the file and the reason.
bool writePng(QChartView *view, const QString &path, QString *error, QSize size = defaultSize);
bool writeSvg(QChartView *view, const QString &title, const QString &path, QString *error, QSize size = defaultSize);

} // namespace chartimage

} // namespace relaybench
