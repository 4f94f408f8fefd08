#!/usr/bin/env bash
# Renders the real window under Xvfb into docs/screenshots/, so the README shows what a user sees:
# live-run.png (the demo campaign, started with Ctrl+R, 12 s in), simulator.png (the Simulator page
# after the run's traffic and a few forced faults), history.png (the History page: two runs of
# `relaybench run` and the demo run, the two compared) and monitor.png (40 s of probes of two simulators
# and a dead port). Usage: scripts/screenshot.sh [BUILD_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

build=${1:-build/default}
ensure_packages xvfb xauth imagemagick curl fonts-dejavu-core xdotool
if [ ! -x "$build/src/relaybench" ]; then
    ensure_packages "${RELAYBENCH_BUILD_PACKAGES[@]}"
    cmake --preset default >/dev/null && cmake --build --preset default
fi
mkdir -p docs/screenshots
port=${RELAYBENCH_SCREENSHOT_PORT:-18517}
export RELAYBENCH_BIN=$build/src/relaybench RELAYBENCH_PORT=$port
# Where the History page's second and third rows are in a 1280 x 900 window (the rows to compare).
export HISTORY_ROW_2_Y=${HISTORY_ROW_2_Y:-144} HISTORY_ROW_3_Y=${HISTORY_ROW_3_Y:-174}

# A clean settings folder: the screenshot must not depend on a saved window layout.
XDG_CONFIG_HOME=$(mktemp -d)
export XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT

# Run folders (requests.csv, summary.json) of the screenshot's runs go to a scratch data directory.
RELAYBENCH_DATA_DIR=$(mktemp -d)
export RELAYBENCH_DATA_DIR
EXPORT_DIR=$(mktemp -d)
export EXPORT_DIR
CAMPAIGN_DIR=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME" "$RELAYBENCH_DATA_DIR" "$EXPORT_DIR" "$CAMPAIGN_DIR"' EXIT

say "Recording two runs of a small campaign with relaybench run, for the History page to list and compare"
cat >"$CAMPAIGN_DIR/nightly.json" <<'JSON'
{"name": "nightly", "targets": [{"name": "relay", "base_url": "sim://relay", "model": "deepseek-chat", "price": "deepseek-chat"},
 {"name": "flaky", "base_url": "sim://flaky", "model": "gpt-4.1", "price": "gpt-4.1"}],
 "load": {"mode": "closed", "concurrency": 16, "requests": 150}, "request": {"max_tokens": 64, "stream": true},
 "timeouts": {"total_s": 10}}
JSON
# What the Monitor page watches: two simulators and a port nothing listens on, probed every second.
cat >"$CAMPAIGN_DIR/watch.json" <<'JSON'
{"name": "watch", "targets": [{"name": "relay", "base_url": "sim://relay", "model": "sim-model"},
 {"name": "flaky", "base_url": "sim://flaky", "model": "sim-model"},
 {"name": "gone", "base_url": "http://127.0.0.1:9/v1", "model": "sim-model"}],
 "monitor": {"interval_s": 1, "window_s": 20, "timeout_s": 5, "max_tokens": 8}}
JSON
export CAMPAIGN_DIR
for run in 1 2; do
    "$RELAYBENCH_BIN" run "$CAMPAIGN_DIR/nightly.json" --out "$CAMPAIGN_DIR/out-$run" --quiet >/dev/null || true
done

say "Starting the window under Xvfb, running the demo campaign, visiting every page"
xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
    set -euo pipefail
    shot() { sleep "$2"; import -window root "docs/screenshots/$1.png"; echo "docs/screenshots/$1.png"; }
    "$RELAYBENCH_BIN" --sim-port "$RELAYBENCH_PORT" &
    app=$!
    url=http://127.0.0.1:$RELAYBENCH_PORT/v1/chat/completions
    for _ in $(seq 50); do curl -sf "${url%/chat/completions}/models" >/dev/null && break; sleep 0.1; done
    sleep 1
    window=$(xdotool search --sync --onlyvisible --name " - RelayBench$" | head -n 1)
    xdotool windowsize "$window" 1280 900 windowmove "$window" 0 0 windowfocus --sync "$window"
    shot campaign 1                       # first start: the Campaign page on the demo campaign
    xdotool key ctrl+r                    # Run: the Live run page
    shot live-run 8                       # mid-run
    sleep 70                              # the demo campaign ends (direct-peak hangs until its 8 s timeout)
    xdotool key ctrl+3                    # Compare
    shot compare 2
    stream="{\"model\":\"deepseek-chat\",\"stream\":true,\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}"
    for fault in rate_limited server_error bad_gateway stream_cut error_event; do
        curl -s "$url" -H "X-Sim-Fault: $fault" -H "Content-Type: application/json" -d "$stream" >/dev/null || true
    done
    xdotool key ctrl+e                    # Export dialog (from Compare: a line edit would take Ctrl+E as End)
    shot export 2
    xdotool key Escape
    sleep 1
    xdotool windowfocus --sync "$window"  # no window manager gives the focus back after a dialog
    xdotool key ctrl+4                    # Cost, with the run as the measured workload
    shot cost 2
    xdotool key ctrl+6                    # Simulator
    shot simulator 1
    xdotool key ctrl+5                    # History: the demo run on top, then the two runs of relaybench run
    sleep 1
    xdotool mousemove 80 "$HISTORY_ROW_2_Y" click 1 keydown shift mousemove 80 "$HISTORY_ROW_3_Y" click 1 keyup shift
    xdotool key alt+t                     # Compare two: the regression view
    shot history 2
    xdotool key Escape
    xdotool key ctrl+o                    # open the campaign the Monitor page watches
    sleep 1
    xdotool type --delay 5 "$CAMPAIGN_DIR/watch.json"
    xdotool key Return
    sleep 1
    xdotool windowfocus --sync "$window"
    xdotool key ctrl+7 alt+m              # Monitor, Start monitoring
    shot monitor 40
    kill $app
    wait $app || true
'
say "Wrote docs/screenshots/{campaign,live-run,compare,export,cost,simulator,history,monitor}.png"
