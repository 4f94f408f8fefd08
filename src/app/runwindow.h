#pragma once

namespace relaybench {

// Opens the window with the in-process Demo simulator; returns the application's exit code.
int runWindow(int &argc, char **argv);

} // namespace relaybench
