#!/usr/bin/env bash
# Renders the real window under Xvfb into docs/screenshots/, after sending it some traffic,
# so the README shows what a user sees. Usage: scripts/screenshot.sh [BUILD_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

build=${1:-build/default}
ensure_packages xvfb xauth imagemagick curl fonts-dejavu-core
if [ ! -x "$build/src/relaybench" ]; then
    ensure_packages "${RELAYBENCH_BUILD_PACKAGES[@]}"
    cmake --preset default >/dev/null && cmake --build --preset default
fi
mkdir -p docs/screenshots
port=${RELAYBENCH_SCREENSHOT_PORT:-18517}
export RELAYBENCH_BIN=$build/src/relaybench RELAYBENCH_PORT=$port

# A clean settings folder: the screenshot must not depend on a saved window layout.
XDG_CONFIG_HOME=$(mktemp -d)
export XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT

say "Starting the window under Xvfb and sending it traffic"
xvfb-run -a -s "-screen 0 1100x760x24" bash -c '
    set -euo pipefail
    "$RELAYBENCH_BIN" --sim-port "$RELAYBENCH_PORT" &
    app=$!
    url=http://127.0.0.1:$RELAYBENCH_PORT/v1/chat/completions
    for _ in $(seq 50); do curl -sf "${url%/chat/completions}/models" >/dev/null && break; sleep 0.1; done
    body="{\"model\":\"deepseek-chat\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}"
    stream="{\"model\":\"deepseek-chat\",\"stream\":true,\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}"
    for i in $(seq 40); do curl -s "$url" -H "Content-Type: application/json" -d "$body" >/dev/null & done
    for i in $(seq 20); do curl -sN "$url" -H "Content-Type: application/json" -d "$stream" >/dev/null & done
    for fault in rate_limited server_error bad_gateway stream_cut error_event; do
        curl -s "$url" -H "X-Sim-Fault: $fault" -H "Content-Type: application/json" -d "$stream" >/dev/null || true
    done
    wait $(jobs -p | grep -v "^$app\$") 2>/dev/null || true
    sleep 1.5   # two refreshes of the counters
    import -window root docs/screenshots/simulator.png
    kill $app
    wait $app || true
'
say "Wrote docs/screenshots/simulator.png"
