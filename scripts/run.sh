#!/usr/bin/env bash
# Builds RelayBench (installing what is missing) and opens the window on the built-in simulator.
# Usage: scripts/run.sh [relaybench arguments, e.g. --profile flaky]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

ensure_packages "${RELAYBENCH_BUILD_PACKAGES[@]}"
say "Configuring (preset default, RelWithDebInfo)"
cmake --preset default >/dev/null
say "Building"
cmake --build --preset default
say "Starting RelayBench with the built-in simulator as the Demo target"
exec build/default/src/relaybench "$@"
