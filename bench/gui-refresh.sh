#!/usr/bin/env bash
# Benchmark of the window's Live run page under a 1,000,000-request run (issue: the dashboard, "Speed").
#
#   bash bench/gui-refresh.sh [BUILD_DIR] [RESULTS_DIR]
#
# BUILD_DIR defaults to build/default (built first if the benchmark binary is missing), RESULTS_DIR to
# bench/results/gui-<timestamp>/ (gitignored). Runs build/.../bench/relaybench-gui-bench twice: on the
# offscreen platform (pure raster painting) and in a real X server (Xvfb, the xcb platform, as a user's
# window paints). No network traffic. About 2 minutes per platform. Environment: REQUESTS (1000000),
# FRAMES (400).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../scripts/lib.sh"
cd "$(repo_root)"
BUILD=${1:-build/default}
OUT=${2:-$HERE/results/gui-$(date +%Y%m%d-%H%M%S)}
REQUESTS=${REQUESTS:-1000000}
FRAMES=${FRAMES:-400}
BIN=$BUILD/bench/relaybench-gui-bench
mkdir -p "$OUT"
if [ ! -x "$BIN" ]; then
    ensure_packages "${RELAYBENCH_BUILD_PACKAGES[@]}"
    cmake --preset default >/dev/null
    cmake --build "$BUILD" --target relaybench-gui-bench
fi
ensure_packages xvfb xauth fonts-dejavu-core

say "offscreen platform"
QT_QPA_PLATFORM=offscreen "$BIN" --requests "$REQUESTS" --frames "$FRAMES" | tee "$OUT/offscreen.txt"
say "Xvfb (xcb platform)"
xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb "$BIN" --requests "$REQUESTS" --frames "$FRAMES" |
    tee "$OUT/xvfb.txt"
say "raw results in $OUT"
