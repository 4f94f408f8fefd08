#pragma once

#include <QStringList>

namespace relaybench::cli {

// relaybench serve-mock [--host H] [--port N] [--profile NAME|FILE] [--threads N] [--api-key KEY] [--seed N]
// `arguments` starts with "serve-mock".
int runServeMock(const QStringList &arguments);

} // namespace relaybench::cli
