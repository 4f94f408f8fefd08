#!/usr/bin/env bash
# Soak test: `relaybench run` at a steady open-loop load against the simulator's `flaky` profile for a
# long time, checking that memory and file handles stay flat and that every attempt is recorded.
#
#   bash bench/soak.sh [RELAYBENCH_BINARY] [RESULTS_DIR]
#
# RELAYBENCH_BINARY defaults to build/default/src/relaybench, RESULTS_DIR to
# bench/results/soak-<timestamp>/ (gitignored). Environment: DURATION_S (default 1800), RATE (requests/s,
# default 8: under flaky's 600 requests/min server limit, so its 429s come from its fault rate and peak
# windows), SAMPLE_S (default 10). All traffic goes to 127.0.0.1.
#
# Samples the RSS (VmRSS) and open file descriptors of the relaybench client process (and of the separate
# simulator process) every SAMPLE_S seconds into samples.csv, then checks that requests.csv rows =
# summary.json attempts = the history database's attempts, and prints a Markdown report (also report.md).
# Exit code 1 when a check fails.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:-build/default/src/relaybench}
OUT=${2:-$HERE/results/soak-$(date +%Y%m%d-%H%M%S)}
DURATION_S=${DURATION_S:-1800}
RATE=${RATE:-8}
SAMPLE_S=${SAMPLE_S:-10}

die() { echo "soak: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "relaybench binary not found or not executable: $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve-mock --profile flaky --port "$PORT" --threads 2 >"$OUT/sim.log" 2>&1 &
SIM_PID=$!
RUN_PID=
cleanup() {
    [[ -n $RUN_PID ]] && kill "$RUN_PID" 2>/dev/null || true
    kill "$SIM_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do
    grep -q "listening" "$OUT/sim.log" && break
    sleep 0.2
done
grep -q "listening" "$OUT/sim.log" || die "the simulator did not start: $(cat "$OUT/sim.log")"

cat >"$OUT/campaign.json" <<JSON
{
  "name": "soak-flaky",
  "targets": [{"name": "flaky", "base_url": "http://127.0.0.1:$PORT/v1", "model": "sim-model"}],
  "load": {"mode": "open", "rate": $RATE, "concurrency": 128, "requests": 0, "duration_s": $DURATION_S},
  "request": {"prompts": ["Soak: say something short."], "max_tokens": 64, "stream": true},
  "timeouts": {"total_s": 10, "stall_s": 5},
  "retry": {"max_attempts": 2, "base_delay_s": 0.2, "max_delay_s": 3}
}
JSON

export RELAYBENCH_DATA_DIR=$OUT/data
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$BIN" run "$OUT/campaign.json" --out "$OUT/run" --quiet >"$OUT/run.stdout" 2>"$OUT/run.stderr" &
RUN_PID=$!
echo "elapsed_s,client_rss_kb,client_fds,client_threads,sim_rss_kb,sim_fds" >"$OUT/samples.csv"
T0=$SECONDS
while kill -0 "$RUN_PID" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$RUN_PID/status" 2>/dev/null || true)
    threads=$(awk '/^Threads/ {print $2}' "/proc/$RUN_PID/status" 2>/dev/null || true)
    fds=$(ls "/proc/$RUN_PID/fd" 2>/dev/null | wc -l)
    sim_rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SIM_PID/status" 2>/dev/null || true)
    sim_fds=$(ls "/proc/$SIM_PID/fd" 2>/dev/null | wc -l)
    [[ -n $rss ]] && echo "$((SECONDS - T0)),$rss,$fds,$threads,$sim_rss,$sim_fds" >>"$OUT/samples.csv"
    sleep "$SAMPLE_S"
done
set +e
wait "$RUN_PID"
RUN_EXIT=$?
set -e
RUN_PID=
END=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$BIN" history list --json >"$OUT/history.json"

python3 "$HERE/soak-report.py" "$OUT" "$RUN_EXIT" "$START" "$END" "$RATE" "$DURATION_S" | tee "$OUT/report.md"
exit "${PIPESTATUS[0]}"
