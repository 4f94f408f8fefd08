#!/usr/bin/env bash
# Benchmark of the campaign engine (`relaybench run`) as a load generator.
#
#   bash bench/engine-throughput.sh [RELAYBENCH_BINARY] [RESULTS_DIR]
#
# RELAYBENCH_BINARY defaults to build/default/src/relaybench, RESULTS_DIR to
# bench/results/engine-<timestamp>/ (gitignored). All traffic goes to 127.0.0.1. The whole run takes
# about 2.5 minutes (plus at most IDLE_WAIT seconds of waiting for a quiet machine) and the runs stop at
# TIME_BUDGET seconds (default 420): a run that cannot start in time is skipped and marked so, and
# every process gets a timeout within the budget, so the script ends within about 7.5 minutes.
# Environment: LOAD_CONCURRENCY (default "50 200"), LOAD_REQUESTS (N per non-streamed run, default
# 20000), SIM_THREADS (threads of the non-streamed simulator, default 1), STREAM_CONCURRENCY (default
# "10 25 50 100 250 500 1000 1500 2000"), STREAM_SIM_THREADS (default 2), IDLE_WAIT (default 60 s),
# TIME_BUDGET. An empty list skips that part.
#
# Measures
#   1. non-streamed requests/s, closed loop: `relaybench run` with LOAD_CONCURRENCY workers and
#      LOAD_REQUESTS requests, and `hey -c C -n N` with the very same body, against (a) a zero-delay
#      simulator (`relaybench serve-mock`, a separate process) and (b) nginx returning a static
#      chat.completion of the simulator's size (1 worker, like the simulator's 1 thread); for each
#      client its wall time, CPU time (/usr/bin/time), CPU per request, and relaybench's summary.json;
#   2. timing under many concurrent streams: a simulator with ttft 500 ms, tpot 20 ms, 50 tokens
#      (a stream lasts 500 + 49 * 20 = 1,480 ms), `relaybench run` closed loop at each concurrency C
#      with 2*C requests; the TTFT and latency errors from requests.csv, the inter-token gap error from
#      summary.json, relaybench's CPU (per request and per SSE token event), peak RSS and per-thread
#      CPU; then, on a fresh simulator, h2load with the same C and 2*C requests, whose request times
#      show the simulator's own lateness on this machine without relaybench.
# Prints a Markdown summary at the end (also written to RESULTS_DIR/summary.md).
set -euo pipefail

SCRIPT_START=$SECONDS
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:-build/default/src/relaybench}
OUT=${2:-$HERE/results/engine-$(date +%Y%m%d-%H%M%S)}
LOAD_CONCURRENCY=${LOAD_CONCURRENCY-"50 200"}
LOAD_REQUESTS=${LOAD_REQUESTS:-20000}
SIM_THREADS=${SIM_THREADS:-1}
STREAM_CONCURRENCY=${STREAM_CONCURRENCY-"10 25 50 100 250 500 1000 1500 2000"}
STREAM_SIM_THREADS=${STREAM_SIM_THREADS:-2}
TIME_BUDGET=${TIME_BUDGET:-420}
COMMAND_LINE="bash bench/engine-throughput.sh${1:+ $1}${2:+ $2}"
STREAM_TTFT_MS=500
STREAM_TPOT_MS=20
STREAM_TOKENS=50
STREAM_EXPECTED_MS=$((STREAM_TTFT_MS + (STREAM_TOKENS - 1) * STREAM_TPOT_MS)) # 1,480 ms

die() { echo "engine-throughput: $*" >&2; exit 1; }

[[ -x $BIN ]] || die "relaybench binary not found or not executable: $BIN (build it: cmake --build build/default)"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
for tool in hey h2load nginx curl python3 timeout pgrep awk /usr/bin/time; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
done

# C streams need C sockets in relaybench, in the simulator and in h2load (the limit is per process).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
max_c=0
for c in $STREAM_CONCURRENCY $LOAD_CONCURRENCY; do ((c > max_c)) && max_c=$c; done
(($(ulimit -n) >= max_c + 256)) || die "open-file limit $(ulimit -n) is too low for $max_c connections"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMPD=$(mktemp -d /tmp/engine-throughput.XXXXXX)
# Run a private copy: a rebuild of build/default during the run must not swap the binary under us.
BIN_ORIGINAL=$BIN
BIN=$TMPD/relaybench
cp "$BIN_ORIGINAL" "$BIN"
CLK_TCK=$(getconf CLK_TCK)
PHASES=$OUT/phases.jsonl
: >"$PHASES"

SIM_PID=""
NGINX_PID=""
SAMPLER_PID=""
cleanup() {
    local pid
    for pid in "$SAMPLER_PID" "$SIM_PID" "$NGINX_PID"; do
        if [[ -n $pid ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for pid in "$SAMPLER_PID" "$SIM_PID" "$NGINX_PID"; do
        if [[ -n $pid ]]; then wait "$pid" 2>/dev/null || true; fi
    done
    rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
elapsed() { echo $((SECONDS - SCRIPT_START)); }
# Seconds a run may still take (at most $1): what is left of TIME_BUDGET, 0 when it is spent.
run_timeout() {
    local left=$((TIME_BUDGET - $(elapsed)))
    ((left < 0)) && left=0
    echo $((left < $1 ? left : $1))
}

# ---------------------------------------------------------------------------------------------
# Other work on the machine (a compile, a test run) distorts every figure below. Before each run,
# wait for a second in which the machine is < 25% busy (of one core); all these waits together are
# bounded by IDLE_WAIT seconds, after which runs go ahead regardless. The summary shows, per run,
# how much CPU the rest of the machine used meanwhile.
machine_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
IDLE_BUDGET=${IDLE_WAIT:-60}
IDLE_WAITED=0
wait_idle() {
    local b0 b1 busy_pct
    while :; do
        b0=$(machine_busy_ticks)
        sleep 1
        b1=$(machine_busy_ticks)
        busy_pct=$(((b1 - b0) * 100 / CLK_TCK))
        ((busy_pct < 25)) && return 0
        if ((IDLE_WAITED >= IDLE_BUDGET)); then
            log "machine busy (${busy_pct}% of one core); idle-wait budget spent, running anyway"
            return 0
        fi
        ((IDLE_WAITED % 10 == 0)) && log "waiting for the machine to be idle (${busy_pct}% of one core busy)"
        IDLE_WAITED=$((IDLE_WAITED + 1))
    done
}
wait_idle
idle_note="load average $(cut -d' ' -f1-3 /proc/loadavg) at start; per-run idle waits bounded by ${IDLE_BUDGET} s in all"

# ---------------------------------------------------------------------------------------------
# Environment record
GIT_DIR_ROOT="$HERE/.."
{
    echo "date: $(date -Iseconds)"
    echo "command: $COMMAND_LINE"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cores: $(nproc)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    # shellcheck disable=SC1091
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME") (debian_version $(cat /etc/debian_version 2>/dev/null || echo '?'))"
    echo "kernel: $(uname -r)"
    echo "binary: $BIN_ORIGINAL (modified $(stat -c %y "$BIN_ORIGINAL"), sha256 $(sha256sum "$BIN" | cut -c1-16))"
    echo "git: $(git -C "$GIT_DIR_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$GIT_DIR_ROOT" diff --quiet HEAD -- src/core src/cli 2>/dev/null || echo ' (src/core or src/cli modified in the working tree)')"
    echo "qt: $(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null || echo '?')"
    echo "hey: $(dpkg-query -W -f='${Version}' hey 2>/dev/null || echo '?')"
    echo "h2load: $(h2load --version | head -1)"
    echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //')"
    echo "ulimit -n: $(ulimit -n)"
    echo "load requests: $LOAD_REQUESTS"
    echo "sim threads: $SIM_THREADS"
    echo "stream sim threads: $STREAM_SIM_THREADS"
    echo "stream expected ms: $STREAM_EXPECTED_MS"
    echo "idle check: $idle_note"
} >"$OUT/env.txt"

# ---------------------------------------------------------------------------------------------
# Inputs
cat >"$OUT/profile-fast.json" <<'EOF'
{"name":"bench-fast","headers_ms":0,"ttft_ms":0,"tpot_ms":0,"completion_tokens":16}
EOF
cat >"$OUT/profile-stream.json" <<EOF
{"name":"bench-stream","headers_ms":0,"ttft_ms":$STREAM_TTFT_MS,"tpot_ms":$STREAM_TPOT_MS,"completion_tokens":$STREAM_TOKENS}
EOF
PROMPT="Say hello to the benchmark."
# Byte for byte the bodies relaybench sends (keys in Qt's order, its default temperature), for hey and h2load.
printf '{"max_tokens":16,"messages":[{"content":"%s","role":"user"}],"model":"sim-model","stream":false,"temperature":0.7}' \
    "$PROMPT" >"$OUT/body.json"
printf '{"max_tokens":%d,"messages":[{"content":"%s","role":"user"}],"model":"sim-model","stream":true,"stream_options":{"include_usage":true},"temperature":0.7}' \
    "$STREAM_TOKENS" "$PROMPT" >"$OUT/body-stream.json"

# campaign FILE BASE_URL CONCURRENCY REQUESTS STREAM
campaign() {
    local file=$1 base=$2 c=$3 n=$4 stream=$5
    cat >"$file" <<EOF
{ "name": "engine-bench",
  "targets": [ { "name": "server", "base_url": "$base/v1", "model": "sim-model" } ],
  "load": { "mode": "closed", "concurrency": $c, "requests": $n },
  "request": { "stream": $stream, "include_usage": true, "max_tokens": $([[ $stream == true ]] && echo "$STREAM_TOKENS" || echo 16),
               "prompts": ["$PROMPT"] },
  "timeouts": { "total_s": 30, "stall_s": 0 } }
EOF
}

# ---------------------------------------------------------------------------------------------
# Helpers

# Sum of utime + stime (clock ticks) of the given processes, all threads included.
cpu_ticks() {
    local total=0 pid fields
    for pid in "$@"; do
        fields=$(sed 's/^.*) //' "/proc/$pid/stat")
        total=$((total + $(awk '{print $12 + $13}' <<<"$fields")))
    done
    echo "$total"
}
vm_hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Per-thread CPU of a running process, sampled every 0.25 s until it exits and appended to FILE: a line
# "# EPOCH" per sample, then "tid<TAB>name<TAB>nanoseconds" per thread. The CPU time is the scheduler's
# (/proc/PID/task/TID/schedstat, first field): on this kernel the utime + stime of a thread's own
# /proc/PID/task/TID/stat fall far behind for threads that run in short bursts (lanes, Qt's HTTP
# threads), while the process total matches. One awk per sample reads every thread, so sampling costs
# next to nothing even with hundreds of threads. The report keeps each thread's last value: threads
# that end before the process (lanes at shutdown) still count.
sample_threads() {
    local pid=$1 file=$2
    : >"$file"
    while kill -0 "$pid" 2>/dev/null; do
        echo "# $EPOCHREALTIME" >>"$file"
        awk 'FILENAME ~ /\/stat$/ { split(FILENAME, p, "/"); name = $0; sub(/^[^(]*\(/, "", name);
                                     sub(/\) [^)]*$/, "", name); names[p[5]] = name; next }
             { split(FILENAME, p, "/"); ns[p[5]] = $1 }
             END { for (t in ns) printf "%s\t%s\t%.0f\n", t, names[t], ns[t] }' \
            /proc/"$pid"/task/*/stat /proc/"$pid"/task/*/schedstat >>"$file" 2>/dev/null || true
        sleep 0.25
    done
}

# start_sim LABEL PROFILE THREADS: sets SIM_PID, SIM_BASE (http://127.0.0.1:N)
start_sim() {
    local label=$1 profile=$2 threads=$3 line="" i
    "$BIN" serve-mock --host 127.0.0.1 --port 0 --profile "$profile" --threads "$threads" \
        >"$OUT/$label.sim-stdout.txt" 2>"$OUT/$label.sim-stderr.txt" &
    SIM_PID=$!
    for ((i = 0; i < 100; ++i)); do
        line=$(head -1 "$OUT/$label.sim-stdout.txt" 2>/dev/null || true)
        [[ -n $line ]] && break
        kill -0 "$SIM_PID" 2>/dev/null || die "simulator exited at start; see $OUT/$label.sim-stderr.txt"
        sleep 0.05
    done
    [[ $line =~ (http://127\.0\.0\.1:[0-9]+)/v1 ]] || die "simulator did not announce its URL: '$line'"
    SIM_BASE=${BASH_REMATCH[1]}
}
stop_sim() {
    local i
    kill -TERM "$SIM_PID"
    for ((i = 0; i < 100; ++i)); do
        kill -0 "$SIM_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SIM_PID" 2>/dev/null; then
        log "simulator $SIM_PID did not stop on SIGTERM within 10 s; killing it"
        kill -KILL "$SIM_PID" 2>/dev/null || true
    fi
    wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=""
}
sim_stats() { curl -s --max-time 5 "$SIM_BASE/sim/stats"; }

# record KEY=VALUE... as one JSON object in phases.jsonl (values are numbers unless quoted with s:)
record() {
    python3 - "$PHASES" "$@" <<'EOF'
import json, sys
out, items = sys.argv[1], sys.argv[2:]
obj = {}
for item in items:
    key, _, value = item.partition("=")
    if value.startswith("s:"):
        obj[key] = value[2:]
    else:
        try:
            obj[key] = json.loads(value)
        except ValueError:
            obj[key] = value
with open(out, "a") as f:
    f.write(json.dumps(obj) + "\n")
EOF
}

# run_relaybench LABEL CAMPAIGN MAX_SECONDS: runs `relaybench run` under /usr/bin/time (LABEL.time:
# wall, user, sys, max RSS), its results in LABEL.out/, stdout and stderr in LABEL.txt, per-thread
# CPU in LABEL.threads.tsv; sets RC (124: killed by the timeout).
run_relaybench() {
    local label=$1 campaign_file=$2 limit=$3 tpid rpid="" i
    RC=0
    echo "$EPOCHREALTIME" >"$OUT/$label.start"
    timeout -k 5 "$limit" /usr/bin/time -f '%e %U %S %M' -o "$OUT/$label.time" \
        "$BIN" run "$campaign_file" --out "$OUT/$label.out" --quiet >"$OUT/$label.txt" 2>&1 &
    tpid=$!
    for ((i = 0; i < 200; ++i)); do # timeout -> time -> relaybench
        rpid=$(pgrep -P "$(pgrep -P "$tpid" | head -1)" 2>/dev/null | head -1 || true)
        [[ -n $rpid ]] && break
        sleep 0.01
    done
    if [[ -n $rpid ]]; then
        sample_threads "$rpid" "$OUT/$label.threads.tsv" &
        SAMPLER_PID=$!
    fi
    wait "$tpid" || RC=$?
    if [[ -n $SAMPLER_PID ]]; then
        wait "$SAMPLER_PID" 2>/dev/null || true
        SAMPLER_PID=""
    fi
    ((RC == 0)) || log "relaybench run exited with status $RC (see $OUT/$label.txt)"
}

# ---------------------------------------------------------------------------------------------
# The static peer's answer: a real simulator answer of median size, served verbatim by nginx.
log "probing the simulator's non-streamed answer"
start_sim probe "$OUT/profile-fast.json" 1
for i in $(seq 1 21); do
    curl -s --max-time 5 -X POST -H 'Content-Type: application/json' --data-binary @"$OUT/body.json" \
        "$SIM_BASE/v1/chat/completions" >"$TMPD/answer-$i.json"
done
# The fixed cost of a relaybench run (start-up, one request, reports, shutdown), three times: the
# report subtracts the median from the stream runs' CPU, where it is not negligible.
for i in 1 2 3; do
    label=baseline-$i
    campaign "$OUT/$label.campaign.json" "$SIM_BASE" 1 1 false
    run_relaybench "$label" "$OUT/$label.campaign.json" 30
    record kind=s:baseline client=s:relaybench server=s:sim concurrency=1 requests=1 label=s:"$label" rc="$RC"
done
stop_sim
MEDIAN_ANSWER=$(for f in "$TMPD"/answer-*.json; do echo "$(stat -c %s "$f") $f"; done | sort -n | sed -n 11p | cut -d' ' -f2)
cp "$MEDIAN_ANSWER" "$OUT/nginx-answer.json"
grep -q "[\$'\\\\]" "$OUT/nginx-answer.json" && die "answer contains characters nginx would interpret (\$ ' \\)"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["object"] == "chat.completion"' \
    "$OUT/nginx-answer.json" || die "probe answer is not a chat.completion"

NGINX_PORT=$(free_port)
mkdir -p "$TMPD/nginx/logs"
cat >"$OUT/nginx.conf" <<EOF
# Static peer for the non-streamed runs (generated by bench/engine-throughput.sh).
# One worker, as the simulator has one thread: each server gets at most one of the two cores.
worker_processes 1;
daemon off;
pid $TMPD/nginx/nginx.pid;
error_log $TMPD/nginx/logs/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    # The simulator never closes a keep-alive connection; nginx's default closes one every 1,000 requests.
    keepalive_requests 1000000;
    client_body_temp_path $TMPD/nginx/client_body;
    proxy_temp_path $TMPD/nginx/proxy;
    fastcgi_temp_path $TMPD/nginx/fastcgi;
    uwsgi_temp_path $TMPD/nginx/uwsgi;
    scgi_temp_path $TMPD/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            default_type application/json;
            return 200 '$(cat "$OUT/nginx-answer.json")';
        }
    }
}
EOF
start_nginx() {
    local i
    nginx -p "$TMPD/nginx" -c "$OUT/nginx.conf" >"$OUT/nginx-stdout.txt" 2>&1 &
    NGINX_PID=$!
    for ((i = 0; i < 100; ++i)); do
        curl -s -o /dev/null --max-time 1 -X POST -d '{}' "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" && break
        kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited at start; see $OUT/nginx-stdout.txt"
        sleep 0.05
    done
    curl -s -o "$TMPD/nginx-check.json" -X POST -H 'Content-Type: application/json' \
        --data-binary @"$OUT/body.json" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
    cmp -s "$TMPD/nginx-check.json" "$OUT/nginx-answer.json" || die "nginx does not answer the expected body"
}
nginx_pids() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID"); } # master and its worker

# ---------------------------------------------------------------------------------------------
# 1. Non-streamed requests/s: relaybench and hey, same concurrency, same N, same servers.
if [[ -n ${LOAD_CONCURRENCY// /} ]]; then
    log "nginx peer on 127.0.0.1:$NGINX_PORT, answer $(stat -c %s "$OUT/nginx-answer.json") bytes"
    start_nginx
fi
for c in $LOAD_CONCURRENCY; do
    for server in sim nginx; do
        for client in relaybench hey; do
            label=load-c$c-$server-$client
            wait_idle
            limit=$(run_timeout 90)
            if ((limit < 10)); then
                log "$label: skipped, time budget spent"
                record kind=s:load client=s:"$client" server=s:"$server" concurrency="$c" requests="$LOAD_REQUESTS" \
                    label=s:"$label" skipped=true
                continue
            fi
            log "$label: $LOAD_REQUESTS requests, $c at a time"
            if [[ $server == nginx ]]; then
                read -ra pids <<<"$(nginx_pids)"
                base="http://127.0.0.1:$NGINX_PORT"
            else
                start_sim "$label" "$OUT/profile-fast.json" "$SIM_THREADS"
                pids=("$SIM_PID")
                base=$SIM_BASE
            fi
            busy0=$(machine_busy_ticks)
            cpu0=$(cpu_ticks "${pids[@]}")
            t0=$(now)
            RC=0
            if [[ $client == relaybench ]]; then
                campaign "$OUT/$label.campaign.json" "$base" "$c" "$LOAD_REQUESTS" false
                run_relaybench "$label" "$OUT/$label.campaign.json" "$limit"
            else
                timeout -k 5 "$limit" /usr/bin/time -f '%e %U %S %M' -o "$OUT/$label.time" \
                    hey -c "$c" -n "$LOAD_REQUESTS" -m POST -T application/json -D "$OUT/body.json" \
                    "$base/v1/chat/completions" >"$OUT/$label.txt" 2>&1 || RC=$?
                ((RC == 0)) || log "hey exited with status $RC (see $OUT/$label.txt)"
            fi
            t1=$(now)
            cpu1=$(cpu_ticks "${pids[@]}")
            busy1=$(machine_busy_ticks)
            hwm=0
            if [[ $server == sim ]]; then
                hwm=$(vm_hwm_kb "$SIM_PID")
                sim_stats >"$OUT/$label.sim-stats.json" || true
                stop_sim
            fi
            record kind=s:load client=s:"$client" server=s:"$server" concurrency="$c" requests="$LOAD_REQUESTS" \
                label=s:"$label" rc="$RC" wall_s="$(calc "$t1 - $t0")" server_cpu_s="$(calc "($cpu1 - $cpu0) / $CLK_TCK")" \
                server_hwm_kb="$hwm" machine_cpu_s="$(calc "($busy1 - $busy0) / $CLK_TCK")" clk_tck="$CLK_TCK"
        done
    done
done
if [[ -n $NGINX_PID ]]; then
    kill -TERM "$NGINX_PID"
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
fi

# ---------------------------------------------------------------------------------------------
# 2. Concurrent streams with exact timing: relaybench, then h2load (the simulator alone), at each C.
for c in $STREAM_CONCURRENCY; do
    n=$((2 * c))
    for client in relaybench h2load; do
        label=stream-c$c-$client
        wait_idle
        limit=$(run_timeout 60)
        if ((limit < 8)); then
            log "$label: skipped, time budget spent"
            record kind=s:stream client=s:"$client" concurrency="$c" requests="$n" label=s:"$label" skipped=true
            continue
        fi
        log "$label: $n streamed requests, $c at a time"
        start_sim "$label" "$OUT/profile-stream.json" "$STREAM_SIM_THREADS"
        busy0=$(machine_busy_ticks)
        cpu0=$(cpu_ticks "$SIM_PID")
        t0=$(now)
        RC=0
        if [[ $client == relaybench ]]; then
            campaign "$OUT/$label.campaign.json" "$SIM_BASE" "$c" "$n" true
            run_relaybench "$label" "$OUT/$label.campaign.json" "$limit"
        else
            timeout -k 5 "$limit" /usr/bin/time -f '%e %U %S %M' -o "$OUT/$label.time" \
                h2load --h1 -c "$c" -n "$n" -m 1 -d "$OUT/body-stream.json" -H 'Content-Type: application/json' \
                --log-file="$OUT/$label.h2load-log.tsv" "$SIM_BASE/v1/chat/completions" \
                >"$OUT/$label.txt" 2>&1 || RC=$?
            ((RC == 0)) || log "h2load exited with status $RC (see $OUT/$label.txt)"
        fi
        t1=$(now)
        cpu1=$(cpu_ticks "$SIM_PID")
        busy1=$(machine_busy_ticks)
        hwm=$(vm_hwm_kb "$SIM_PID")
        sim_stats >"$OUT/$label.sim-stats.json" || true
        stop_sim
        record kind=s:stream client=s:"$client" concurrency="$c" requests="$n" label=s:"$label" rc="$RC" \
            wall_s="$(calc "$t1 - $t0")" server_cpu_s="$(calc "($cpu1 - $cpu0) / $CLK_TCK")" server_hwm_kb="$hwm" \
            machine_cpu_s="$(calc "($busy1 - $busy0) / $CLK_TCK")" clk_tck="$CLK_TCK" \
            expected_ms="$STREAM_EXPECTED_MS" ttft_ms="$STREAM_TTFT_MS" tpot_ms="$STREAM_TPOT_MS" tokens="$STREAM_TOKENS"
    done
done

# ---------------------------------------------------------------------------------------------
{
    echo "idle waits: ${IDLE_WAITED} s"
    echo "script time: $(elapsed) s"
} >>"$OUT/env.txt"
log "raw results in $OUT"
python3 "$HERE/engine-report.py" "$OUT" | tee "$OUT/summary.md"
