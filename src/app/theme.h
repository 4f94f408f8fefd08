#pragma once

#include <QString>

namespace relaybench {

// The window's colours: the system's own palette (the default; on Linux whatever the platform theme says,
// light or dark), or RelayBench's light or dark palette on the Fusion style for desktops that give none.
enum class Theme
{
    System,
    Light,
    Dark
};

Theme themeFromName(const QString &name); // "system", "light", "dark"; anything else: System
QString themeName(Theme theme);
// Applies it to the whole application. The first call remembers the system palette and style, so that
// System restores them later.
void applyTheme(Theme theme);

} // namespace relaybench
