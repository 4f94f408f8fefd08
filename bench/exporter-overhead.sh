#!/usr/bin/env bash
# Benchmark of the Prometheus exporter (docs/prometheus.md): what serving /metrics costs a campaign, and
# how fast a scrape is answered.
#
#   bash bench/exporter-overhead.sh [RELAYBENCH_BINARY] [RESULTS_DIR]
#
# RELAYBENCH_BINARY defaults to build/default/src/relaybench, RESULTS_DIR to
# bench/results/exporter-<timestamp>/ (gitignored). All traffic goes to 127.0.0.1; about 2 minutes.
# Environment: REQUESTS (per run, default 20000), CONCURRENCY (default 50), REPEAT (default 3).
#
# Measures
#   1. requests/s of `relaybench run` (closed loop, non-streamed, against a zero-delay `serve-mock` in its
#      own process), alternately without the exporter and with `--metrics-port 0` while curl scrapes
#      /metrics ten times a second: the cost of the record sink, the gauge poller and the scrapes;
#   2. scrapes answered per second and their latency: `hey -c 4 -n 5000` against /metrics of a finished
#      run that lingers (the exposition of 2 targets), with its size in bytes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:-build/default/src/relaybench}
OUT=${2:-$HERE/results/exporter-$(date +%Y%m%d-%H%M%S)}
REQUESTS=${REQUESTS:-20000}
CONCURRENCY=${CONCURRENCY:-50}
REPEAT=${REPEAT:-3}
die() { echo "exporter-overhead: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "relaybench binary not found: $BIN (build it: cmake --build build/default)"
for tool in hey curl awk python3 timeout; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMPD=$(mktemp -d /tmp/exporter-overhead.XXXXXX)
cp "$BIN" "$TMPD/relaybench" # a rebuild during the run must not swap the binary under us
BIN=$TMPD/relaybench
export RELAYBENCH_DATA_DIR=$TMPD/data
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$TMPD"
}
trap cleanup EXIT

echo '{"name":"bench-fast","headers_ms":0,"ttft_ms":0,"tpot_ms":0,"completion_tokens":16}' >"$OUT/profile-fast.json"
"$BIN" serve-mock --host 127.0.0.1 --port 0 --profile "$OUT/profile-fast.json" --threads 1 >"$OUT/sim.txt" 2>&1 &
PIDS+=($!)
for ((i = 0; i < 100; ++i)); do [[ -s $OUT/sim.txt ]] && break; sleep 0.05; done
[[ $(head -1 "$OUT/sim.txt") =~ (http://127\.0\.0\.1:[0-9]+)/v1 ]] || die "simulator did not start: $(cat "$OUT/sim.txt")"
SIM_BASE=${BASH_REMATCH[1]}
cat >"$OUT/campaign.json" <<JSON
{ "name": "exporter-bench",
  "targets": [ { "name": "server", "base_url": "$SIM_BASE/v1", "model": "sim-model" },
               { "name": "server-2", "base_url": "$SIM_BASE/v1", "model": "sim-model" } ],
  "load": { "mode": "closed", "concurrency": $CONCURRENCY, "requests": $((REQUESTS / 2)) },
  "request": { "stream": false, "max_tokens": 16, "prompts": ["Say hello to the benchmark."] },
  "timeouts": { "total_s": 30, "stall_s": 0 } }
JSON

# run LABEL [OPTIONS...]: prints requests/s (all requests over the wall time of the process).
run() {
    local label=$1 start end scraper=""
    shift
    start=$(date +%s.%N)
    timeout 300 "$BIN" run "$OUT/campaign.json" --out "$OUT/$label" --quiet --no-history "$@" \
        >"$OUT/$label.txt" 2>"$OUT/$label.err" &
    local pid=$!
    if [[ $* == *--metrics-port* ]]; then
        for ((i = 0; i < 100; ++i)); do grep -q "serving Prometheus" "$OUT/$label.err" 2>/dev/null && break; sleep 0.02; done
        local url
        url=$(grep -o 'http://[^ ]*/metrics' "$OUT/$label.err")
        (while kill -0 "$pid" 2>/dev/null; do curl -s -o /dev/null "$url" || true; sleep 0.1; done) &
        scraper=$!
    fi
    wait "$pid" || die "$label failed: $(tail -3 "$OUT/$label.err")"
    end=$(date +%s.%N)
    [[ -n $scraper ]] && wait "$scraper"
    awk -v n="$REQUESTS" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", n / (e - s) }'
}

declare -a without with
for ((r = 1; r <= REPEAT; ++r)); do
    without+=("$(run "plain-$r")")
    with+=("$(run "metrics-$r" --metrics-port 0)")
    echo "repetition $r: without ${without[-1]} req/s, with exporter + 10 scrapes/s ${with[-1]} req/s" >&2
done

# Scrape speed: a finished run serving its final counts for a while.
timeout 120 "$BIN" run "$OUT/campaign.json" --out "$OUT/linger" --quiet --no-history --metrics-port 0 \
    --metrics-linger 60 >"$OUT/linger.txt" 2>"$OUT/linger.err" &
PIDS+=($!)
for ((i = 0; i < 3000; ++i)); do [[ -f $OUT/linger/summary.json ]] && break; sleep 0.05; done
URL=$(grep -o 'http://[^ ]*/metrics' "$OUT/linger.err")
BYTES=$(curl -s "$URL" | wc -c)
hey -c 4 -n 5000 "$URL" >"$OUT/hey-scrape.txt"
SCRAPES=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/hey-scrape.txt")
P50=$(awk '/50% in/ {printf "%.2f", $3 * 1000}' "$OUT/hey-scrape.txt")
P99=$(awk '/99% in/ {printf "%.2f", $3 * 1000}' "$OUT/hey-scrape.txt")
STATUS=$(awk '/\[200\]/ {print $2}' "$OUT/hey-scrape.txt")

{
    echo "## Prometheus exporter ($(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "Command: \`bash bench/exporter-overhead.sh\` (REQUESTS=$REQUESTS, CONCURRENCY=$CONCURRENCY, REPEAT=$REPEAT)"
    echo
    echo "| run | without exporter (req/s) | with exporter, scraped 10/s (req/s) |"
    echo "|---|---|---|"
    for ((r = 0; r < REPEAT; ++r)); do echo "| $((r + 1)) | ${without[r]} | ${with[r]} |"; done
    echo
    echo "Scrapes (hey -c 4 -n 5000, exposition of 2 targets, $BYTES bytes): $SCRAPES/s, p50 $P50 ms, p99 $P99 ms, $STATUS of 5000 answered 200."
} | tee "$OUT/summary.md"
