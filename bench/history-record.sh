#!/usr/bin/env bash
# Benchmark of the run history (docs/history.md): does recording a run slow the engine down, does the
# recorder keep up, how big is the database, and how long does reopening the run take.
#
#   bash bench/history-record.sh [RELAYBENCH_BINARY] [HISTORY_BENCH_BINARY] [RESULTS_DIR]
#
# RELAYBENCH_BINARY defaults to build/default/src/relaybench, HISTORY_BENCH_BINARY (bench/history-load.cpp)
# to build/default/bench/relaybench-history-bench, RESULTS_DIR to bench/results/history-<timestamp>/
# (gitignored). Environment: REQUESTS (per run, default 1000000), CONCURRENCY (closed loop, default 50),
# REPS (repetitions, default 3), TIME_BUDGET (seconds, default 3600: no repetition starts after it, and
# every process gets a timeout within it), KEEP_DATABASES (1: keep each repetition's database as
# RESULTS_DIR/history-REP.sqlite, to time loadStoredRun again later; default 0).
#
# Each repetition, on a fresh data folder (--data-dir), runs the same campaign twice against the built-in
# simulator in-process (sim://, the fast profile: zero delays, 16 completion tokens, non-streamed), in
# alternating order so that a drift of the machine's load does not favour one side:
#   - `relaybench run --no-history`, and
#   - `relaybench run` recording into DATA/history.sqlite, with RELAYBENCH_HISTORY_STATS set so that the
#     recorder reports its longest queue (records waiting for the writer thread), its batch count and its
#     slowest batch;
# then times loadStoredRun on the recorded run 3 times (relaybench-history-bench).
# Attempts/s = attempts in summary.json / wall time of the process (start-up and report included); the
# engine's own figure is summary.json's throughput.requests_per_s. Prints a Markdown summary (also in
# RESULTS_DIR/summary.md).
set -euo pipefail

SCRIPT_START=$SECONDS
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:-build/default/src/relaybench}
LOADER=${2:-build/default/bench/relaybench-history-bench}
OUT=${3:-$HERE/results/history-$(date +%Y%m%d-%H%M%S)}
REQUESTS=${REQUESTS:-1000000}
CONCURRENCY=${CONCURRENCY:-50}
REPS=${REPS:-3}
TIME_BUDGET=${TIME_BUDGET:-3600}
KEEP_DATABASES=${KEEP_DATABASES:-0}
COMMAND_LINE="REQUESTS=$REQUESTS CONCURRENCY=$CONCURRENCY REPS=$REPS bash bench/history-record.sh${1:+ $1}${2:+ $2}"

die() { echo "history-record: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
left() { echo $((TIME_BUDGET - (SECONDS - SCRIPT_START))); }

[[ -x $BIN ]] || die "relaybench binary not found: $BIN"
[[ -x $LOADER ]] || die "relaybench-history-bench binary not found: $LOADER"
for tool in python3 timeout /usr/bin/time; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMPD=$(mktemp -d /tmp/history-record.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT
# Private copies: a rebuild during the run must not swap the binaries under us.
cp "$BIN" "$TMPD/relaybench"
cp "$LOADER" "$TMPD/relaybench-history-bench"

cat >"$TMPD/profile-fast.json" <<'EOF'
{"name":"bench-fast","headers_ms":0,"ttft_ms":0,"tpot_ms":0,"completion_tokens":16}
EOF
cat >"$TMPD/campaign.json" <<EOF
{ "name": "history-bench",
  "targets": [ { "name": "sim", "base_url": "sim://profile-fast.json", "model": "sim-model" } ],
  "load": { "mode": "closed", "concurrency": $CONCURRENCY, "requests": $REQUESTS },
  "request": { "stream": false, "max_tokens": 16, "prompts": ["Say hello to the benchmark."] },
  "timeouts": { "total_s": 30, "stall_s": 0 } }
EOF
cp "$TMPD/campaign.json" "$TMPD/profile-fast.json" "$OUT/"

RESULTS=$OUT/results.tsv
printf 'rep\tmode\twall_s\tuser_s\tsys_s\tmax_rss_kb\tattempts\tattempts_per_s\tengine_req_per_s\tmax_queue\tbatches\tlongest_batch_ms\tdb_bytes\tload_ms\n' >"$RESULTS"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
log "load average at start: $LOAD_START; $REQUESTS requests per run, concurrency $CONCURRENCY, $REPS repetitions"

# summary_field FILE EXPR: a value from summary.json.
summary_field() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# one_run REP MODE (history | no-history)
one_run() {
    local rep=$1 mode=$2 data=$TMPD/data-$1 dir=$TMPD/out-$1-$2 limit rc=0
    limit=$(left)
    ((limit > 10)) || { log "rep $rep $mode: time budget spent, skipped"; return 1; }
    local args=(--data-dir "$data" run "$TMPD/campaign.json" --out "$dir" --quiet)
    [[ $mode == no-history ]] && args+=(--no-history)
    log "rep $rep: relaybench ${args[*]}"
    RELAYBENCH_HISTORY_STATS=$TMPD/stats-$rep.jsonl timeout -k 5 "$limit" \
        /usr/bin/time -f '%e %U %S %M' -o "$TMPD/time-$rep-$mode" \
        "$TMPD/relaybench" "${args[@]}" >"$TMPD/stdout-$rep-$mode" 2>"$TMPD/stderr-$rep-$mode" || rc=$?
    cp "$TMPD/stdout-$rep-$mode" "$TMPD/stderr-$rep-$mode" "$OUT/" 2>/dev/null || true
    if ((rc != 0)); then
        log "rep $rep $mode: exit code $rc (124: timeout)"
        return 1
    fi
    cp "$dir/summary.json" "$OUT/summary-$rep-$mode.json"
    local wall user sys rss attempts engine
    read -r wall user sys rss <"$TMPD/time-$rep-$mode"
    attempts=$(summary_field "$dir/summary.json" 'sum(int(t["attempts"]) for t in d["targets"])')
    engine=$(summary_field "$dir/summary.json" 'round(sum(t["throughput"]["requests_per_s"] for t in d["targets"]))')
    local queue=- batches=- longest=- db=- loadms=-
    if [[ $mode == history ]]; then
        local id
        id=$(sed -n 's/^history run id: \([0-9]*\)$/\1/p' "$TMPD/stdout-$rep-$mode")
        [[ -n $id ]] || { log "rep $rep: no history run id in the output"; return 1; }
        read -r queue batches longest < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["run_id"] == int(sys.argv[2]): print(d["max_queue"], d["batches"], d["longest_batch_ms"])' \
            "$TMPD/stats-$rep.jsonl" "$id")
        db=$(du -cb "$data"/history.sqlite* | tail -1 | cut -f1)
        log "rep $rep: loadStoredRun of run $id, 3 times"
        timeout -k 5 "$(left)" "$TMPD/relaybench-history-bench" "$data/history.sqlite" "$id" 3 \
            >"$OUT/load-$rep.jsonl" || { log "rep $rep: loadStoredRun failed"; return 1; }
        loadms=$(python3 -c 'import json, sys; print(" / ".join(str(json.loads(l)["ms"]) for l in open(sys.argv[1])))' \
            "$OUT/load-$rep.jsonl")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$mode" "$wall" "$user" "$sys" "$rss" \
        "$attempts" "$(awk "BEGIN { printf \"%.0f\", $attempts / $wall }")" "$engine" "$queue" "$batches" \
        "$longest" "$db" "$loadms" >>"$RESULTS"
    rm -rf "$dir"
}

for ((rep = 1; rep <= REPS; ++rep)); do
    if ((rep % 2)); then order=(no-history history); else order=(history no-history); fi
    for mode in "${order[@]}"; do one_run "$rep" "$mode" || true; done
    if [[ $KEEP_DATABASES == 1 && -f $TMPD/data-$rep/history.sqlite ]]; then
        # The recorder's connection is closed: the WAL has been checkpointed into the file.
        mv "$TMPD/data-$rep/history.sqlite" "$OUT/history-$rep.sqlite"
    fi
    rm -rf "$TMPD/data-$rep"
done

{
    echo "### Run history, $(date -Iseconds)"
    echo
    echo "\`$COMMAND_LINE\`; $REQUESTS requests per run, closed loop, concurrency $CONCURRENCY, in-process simulator"
    echo "(sim://, zero delays, non-streamed); load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| Rep | Mode | Wall s | CPU user+sys s | Peak RSS MB | Attempts | Attempts/s (wall) | Engine req/s (summary) | Max queue | Batches | Slowest batch ms | DB MB | loadStoredRun ms |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    tail -n +2 "$RESULTS" | while IFS=$'\t' read -r rep mode wall user sys rss attempts aps engine queue batches longest db loadms; do
        cpu=$(awk "BEGIN { printf \"%.1f\", $user + $sys }")
        rssmb=$(awk "BEGIN { printf \"%.0f\", $rss / 1024 }")
        dbmb=$([[ $db == - ]] && echo - || awk "BEGIN { printf \"%.1f\", $db / 1048576 }")
        echo "| $rep | $mode | $wall | $cpu | $rssmb | $attempts | $aps | $engine | $queue | $batches | $longest | $dbmb | $loadms |"
    done
} | tee "$OUT/summary.md"
log "results in $OUT ($((SECONDS - SCRIPT_START)) s)"
