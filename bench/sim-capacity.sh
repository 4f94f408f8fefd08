#!/usr/bin/env bash
# Capacity benchmark of the built-in OpenAI-compatible simulator (`relaybench serve-mock`).
#
#   bash bench/sim-capacity.sh [RELAYBENCH_BINARY] [RESULTS_DIR]
#
# RELAYBENCH_BINARY defaults to build/default/src/relaybench, RESULTS_DIR to
# bench/results/<timestamp>/ (gitignored). All traffic goes to 127.0.0.1. The whole run takes about
# 2.5 minutes, plus at most IDLE_WAIT (default 60) seconds of waiting for other processes to go quiet.
# Environment: DURATION (seconds per load run, default 10), LOAD_CONCURRENCY (default "50 200"),
# STREAM_COUNTS (default "1000 2000"), IDLE_WAIT. An empty list skips that part.
#
# Measures
#   a. non-streamed throughput: simulator (zero-delay profile, --threads 2 and 1) and, as the peer,
#      nginx returning a static JSON answer of the same size, both loaded by hey and by wrk with the
#      same options (-c 50 and -c 200);
#   b. concurrent streams: 1,000 and 2,000 streamed requests opened at once by h2load (HTTP/1.1)
#      against a fixed-timing profile (each stream lasts ttft + (tokens - 1) * tpot = 2,080 ms);
# and for every run the server's CPU time (/proc/PID/stat), peak RSS (VmHWM), the load generator's
# CPU time (/usr/bin/time) and the simulator's /sim/stats. Prints a Markdown summary at the end
# (also written to RESULTS_DIR/summary.md).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:-build/default/src/relaybench}
OUT=${2:-$HERE/results/$(date +%Y%m%d-%H%M%S)}
DURATION=${DURATION:-10}
LOAD_CONCURRENCY=${LOAD_CONCURRENCY-"50 200"}
STREAM_COUNTS=${STREAM_COUNTS-"1000 2000"}
WANT_FDS=65536

die() { echo "sim-capacity: $*" >&2; exit 1; }

[[ -x $BIN ]] || die "relaybench binary not found or not executable: $BIN (build it: cmake --build build/default)"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
for tool in hey wrk h2load nginx curl python3 timeout pgrep /usr/bin/time; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
done

# N streams need N sockets in the simulator and as many in h2load (the limit is per process).
ulimit -n "$WANT_FDS" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
max_streams=0
for n in $STREAM_COUNTS; do ((n > max_streams)) && max_streams=$n; done
(($(ulimit -n) >= max_streams + 256)) || die "open-file limit $(ulimit -n) is too low for $max_streams streams"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMPD=$(mktemp -d /tmp/sim-capacity.XXXXXX)
# Run a private copy: a rebuild of build/default during the run must not swap the binary under us.
BIN_ORIGINAL=$BIN
BIN=$TMPD/relaybench
cp "$BIN_ORIGINAL" "$BIN"
CLK_TCK=$(getconf CLK_TCK)
PHASES=$OUT/phases.jsonl
: >"$PHASES"

SIM_PID=""
NGINX_PID=""
POLL_PID=""
cleanup() {
    local pid
    for pid in "$POLL_PID" "$SIM_PID" "$NGINX_PID"; do
        if [[ -n $pid ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for pid in "$POLL_PID" "$SIM_PID" "$NGINX_PID"; do
        if [[ -n $pid ]]; then wait "$pid" 2>/dev/null || true; fi
    done
    rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Other work on the machine (a compile, a test run) distorts every figure below. Before each run,
# wait for a second in which other processes use < 25% of one core; all these waits together are
# bounded by IDLE_WAIT seconds (default 60), after which runs go ahead regardless. The summary
# shows, per run, how much CPU the rest of the machine used meanwhile.
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
            log "machine busy (other processes use ${busy_pct}% of one core); idle-wait budget spent, running anyway"
            return 0
        fi
        ((IDLE_WAITED % 10 == 0)) && log "waiting for the machine to be idle (other processes use ${busy_pct}% of one core)"
        IDLE_WAITED=$((IDLE_WAITED + 1))
    done
}
wait_idle
idle_note="load average $(cut -d' ' -f1-3 /proc/loadavg) at start; per-run idle waits bounded by ${IDLE_BUDGET} s in all"

# ---------------------------------------------------------------------------------------------
# Environment record
{
    echo "date: $(date -Iseconds)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cores: $(nproc)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    # shellcheck disable=SC1091
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME") (debian_version $(cat /etc/debian_version 2>/dev/null || echo '?'))"
    echo "kernel: $(uname -r)"
    echo "binary: $BIN_ORIGINAL (modified $(stat -c %y "$BIN_ORIGINAL"), sha256 $(sha256sum "$BIN" | cut -c1-16))"
    echo "git: $(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$HERE/.." diff --quiet HEAD -- src/core src/cli 2>/dev/null || echo ' (src/core or src/cli modified)')"
    echo "qt: $(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null || echo '?')"
    echo "hey: $(dpkg-query -W -f='${Version}' hey 2>/dev/null || echo '?')"
    echo "wrk: $(wrk --version 2>&1 | head -1 | awk '{print $2}')"
    echo "h2load: $(h2load --version | head -1)"
    echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //')"
    echo "ulimit -n: $(ulimit -n)"
    echo "somaxconn: $(cat /proc/sys/net/core/somaxconn)"
    echo "duration per load run: ${DURATION}s"
    echo "idle check: $idle_note"
} >"$OUT/env.txt"

# ---------------------------------------------------------------------------------------------
# Inputs: profiles and request bodies
cat >"$OUT/profile-fast.json" <<'EOF'
{"name":"bench-fast","ttft_ms":0,"tpot_ms":0,"headers_ms":0,"completion_tokens":16}
EOF
cat >"$OUT/profile-stream.json" <<'EOF'
{"name":"bench-stream","ttft_ms":100,"tpot_ms":20,"headers_ms":0,"completion_tokens":100}
EOF
STREAM_EXPECTED_MS=2080 # ttft 100 + (100 - 1) tokens * tpot 20 ms: the last chunk's time
cat >"$OUT/body.json" <<'EOF'
{"model":"sim-model","messages":[{"role":"user","content":"Say hello to the benchmark."}]}
EOF
cat >"$OUT/body-stream.json" <<'EOF'
{"model":"sim-model","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hello to the benchmark."}]}
EOF

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
# Per-thread CPU of a process: "name<TAB>ticks" per line (the simulator is started fresh for every run).
thread_ticks() {
    local task
    for task in /proc/"$1"/task/*; do
        printf '%s\t%s\n' "$(cat "$task/comm")" "$(sed 's/^.*) //' "$task/stat" | awk '{print $12 + $13}')"
    done
}
vm_hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
# TcpExt ListenOverflows + ListenDrops of this network namespace: connections the kernel refused
# because a listen queue was full.
listen_drops() {
    awk '/^TcpExt:/ { if (!h) { for (i = 2; i <= NF; ++i) n[$i] = i; h = 1 } else print $(n["ListenOverflows"]) + $(n["ListenDrops"]) }' \
        /proc/net/netstat
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
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

# load TOOL CONCURRENCY URL LABEL: runs hey or wrk with the non-streamed body; output in LABEL.txt,
# the tool's own CPU time and RSS in LABEL.time.
load() {
    local tool=$1 c=$2 url=$3 label=$4 rc=0
    case $tool in
    hey)
        timeout $((DURATION + 60)) /usr/bin/time -f '%e %U %S %M' -o "$OUT/$label.time" \
            hey -z "${DURATION}s" -c "$c" -m POST -T application/json -D "$OUT/body.json" "$url" \
            >"$OUT/$label.txt" 2>&1 || rc=$?
        ;;
    wrk)
        timeout $((DURATION + 60)) /usr/bin/time -f '%e %U %S %M' -o "$OUT/$label.time" \
            wrk -t 2 -c "$c" -d "${DURATION}s" --latency -s "$OUT/post.lua" "$url" \
            >"$OUT/$label.txt" 2>&1 || rc=$?
        ;;
    esac
    ((rc == 0)) || log "$tool exited with status $rc (see $OUT/$label.txt)"
}

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

cat >"$OUT/post.lua" <<EOF
-- POST the same body as hey -D body.json
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$(cat "$OUT/body.json")]]
EOF

# ---------------------------------------------------------------------------------------------
# The peer's answer: a real simulator answer of median size, served verbatim by nginx.
log "probing the simulator's non-streamed answer"
start_sim probe "$OUT/profile-fast.json" 1
for i in $(seq 1 21); do
    curl -s --max-time 5 -X POST -H 'Content-Type: application/json' --data-binary @"$OUT/body.json" \
        "$SIM_BASE/v1/chat/completions" >"$TMPD/answer-$i.json"
done
curl -s -D "$OUT/probe.sim-headers.txt" -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data-binary @"$OUT/body.json" "$SIM_BASE/v1/chat/completions"
stop_sim
MEDIAN_ANSWER=$(for f in "$TMPD"/answer-*.json; do echo "$(stat -c %s "$f") $f"; done | sort -n | sed -n 11p | cut -d' ' -f2)
cp "$MEDIAN_ANSWER" "$OUT/nginx-answer.json"
ANSWER_BYTES=$(stat -c %s "$OUT/nginx-answer.json")
grep -q "[\$'\\\\]" "$OUT/nginx-answer.json" && die "answer contains characters nginx would interpret (\$ ' \\)"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$OUT/nginx-answer.json" || die "probe answer is not JSON"

NGINX_PORT=$(free_port)
mkdir -p "$TMPD/nginx/logs"
cat >"$OUT/nginx.conf" <<EOF
# Peer for the non-streamed throughput runs (generated by bench/sim-capacity.sh).
worker_processes 2;
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
    curl -s -D "$OUT/nginx-headers.txt" -o "$TMPD/nginx-check.json" -X POST -H 'Content-Type: application/json' \
        --data-binary @"$OUT/body.json" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
    cmp -s "$TMPD/nginx-check.json" "$OUT/nginx-answer.json" || die "nginx does not answer the expected body"
}
nginx_pids() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID"); } # master and its workers

# ---------------------------------------------------------------------------------------------
# a. Non-streamed throughput
log "nginx peer on 127.0.0.1:$NGINX_PORT, answer $ANSWER_BYTES bytes"
start_nginx

for c in $LOAD_CONCURRENCY; do
    for tool in hey wrk; do
        for server in sim-t2 sim-t1 nginx; do
            label=load-$tool-c$c-$server
            wait_idle
            log "$label"
            if [[ $server == nginx ]]; then
                read -ra pids <<<"$(nginx_pids)"
                url="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
            else
                start_sim "$label" "$OUT/profile-fast.json" "${server#sim-t}"
                pids=("$SIM_PID")
                url="$SIM_BASE/v1/chat/completions"
            fi
            drops0=$(listen_drops)
            busy0=$(machine_busy_ticks)
            cpu0=$(cpu_ticks "${pids[@]}")
            t0=$(now)
            load "$tool" "$c" "$url" "$label"
            t1=$(now)
            cpu1=$(cpu_ticks "${pids[@]}")
            busy1=$(machine_busy_ticks)
            drops1=$(listen_drops)
            hwm=0
            if [[ $server != nginx ]]; then
                hwm=$(vm_hwm_kb "$SIM_PID")
                thread_ticks "$SIM_PID" >"$OUT/$label.sim-threads.tsv"
                sim_stats >"$OUT/$label.sim-stats.json"
                stop_sim
            fi
            record kind=s:load tool=s:"$tool" server=s:"$server" concurrency="$c" label=s:"$label" \
                wall_s="$(calc "$t1 - $t0")" server_cpu_s="$(calc "($cpu1 - $cpu0) / $CLK_TCK")" \
                server_hwm_kb="$hwm" listen_drops=$((drops1 - drops0)) clk_tck="$CLK_TCK" \
                machine_cpu_s="$(calc "($busy1 - $busy0) / $CLK_TCK")"
        done
    done
done
kill -TERM "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=""

# ---------------------------------------------------------------------------------------------
# b. Concurrent streams
for n in $STREAM_COUNTS; do
    label=streams-$n
    wait_idle
    log "$label: $n streamed requests at once"
    start_sim "$label" "$OUT/profile-stream.json" 2
    (
        while :; do
            s=$(curl -s --max-time 1 "$SIM_BASE/sim/stats" || true)
            [[ -n $s ]] && printf '%s %s\n' "$(date +%s.%N)" "$s"
            sleep 0.2
        done
    ) >"$OUT/$label.stats-timeline.txt" &
    POLL_PID=$!
    drops0=$(listen_drops)
    busy0=$(machine_busy_ticks)
    cpu0=$(cpu_ticks "$SIM_PID")
    t0=$(now)
    rc=0
    timeout 90 /usr/bin/time -f '%e %U %S %M' -o "$OUT/$label.time" \
        h2load --h1 -c "$n" -n "$n" -m 1 -d "$OUT/body-stream.json" -H 'Content-Type: application/json' \
        --log-file="$OUT/$label.h2load-log.tsv" "$SIM_BASE/v1/chat/completions" \
        >"$OUT/$label.txt" 2>&1 || rc=$?
    ((rc == 0)) || log "h2load exited with status $rc (see $OUT/$label.txt)"
    t1=$(now)
    cpu1=$(cpu_ticks "$SIM_PID")
    busy1=$(machine_busy_ticks)
    drops1=$(listen_drops)
    hwm=$(vm_hwm_kb "$SIM_PID")
    thread_ticks "$SIM_PID" >"$OUT/$label.sim-threads.tsv"
    sleep 0.3 # one more timeline sample after the end
    kill -TERM "$POLL_PID"
    wait "$POLL_PID" 2>/dev/null || true
    POLL_PID=""
    sim_stats >"$OUT/$label.sim-stats.json"
    stop_sim
    record kind=s:streams tool=s:h2load server=s:sim-t2 concurrency="$n" label=s:"$label" \
        wall_s="$(calc "$t1 - $t0")" server_cpu_s="$(calc "($cpu1 - $cpu0) / $CLK_TCK")" \
        server_hwm_kb="$hwm" listen_drops=$((drops1 - drops0)) clk_tck="$CLK_TCK" \
        machine_cpu_s="$(calc "($busy1 - $busy0) / $CLK_TCK")" expected_ms="$STREAM_EXPECTED_MS"
done

# ---------------------------------------------------------------------------------------------
echo "idle waits: ${IDLE_WAITED} s" >>"$OUT/env.txt"
log "raw results in $OUT"
python3 "$HERE/sim-capacity-report.py" "$OUT" | tee "$OUT/summary.md"
