#pragma once

#include "engine/outcome.h"

#include <QColor>
#include <QString>

class QChart;

namespace relaybench {

// One look for every chart in the window: the same colour for a target on every chart and page, the same
// colour for an outcome, and a light or dark chart theme that follows the application palette.

// Distinguishable on light and dark backgrounds and for the common colour-vision deficiencies.
QColor targetColor(int target);
QColor outcomeColor(Outcome outcome);

// No animations (they redraw for a second after every 10 Hz refresh), legend at the bottom, the title,
// and the light or dark colours of the current palette. Call it once the chart's axes are added (axes added
// later need restyleChart()).
void styleChart(QChart *chart, const QString &title);
// Re-applies the palette's colours (new axes, or a palette change), keeping series colours
// (Qt's QChart::setTheme() would reset them).
void restyleChart(QChart *chart);
bool paletteIsDark();

} // namespace relaybench
