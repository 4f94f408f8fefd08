# shellcheck shell=bash disable=SC2154  # binary comes from the sourcing script
# Shared by the wire checks (check-curl.sh, ../sdk/run-sdk-check.sh): start `relaybench serve-mock` on a
# free port and stop it the way a user does. Source it after setting `binary`, then call sim_setup.
# Each function returns 1 on failure with the reason in `sim_error`; the caller reports it its own way.

server_pid=
server_url=
server_pids=()
work=

# sim_setup NAME: a temporary folder in `work`, removed on exit together with any server still running.
sim_setup() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/relaybench-$1.XXXXXX")
    trap sim_cleanup EXIT
    # Bash skips the EXIT trap when an untrapped signal kills it; turn signals into an exit so servers still die.
    trap 'exit 130' INT
    trap 'exit 143' TERM HUP
}

sim_cleanup() {
    # Servers still running here means a failure path: stop them hard, nothing is checked any more.
    local pid
    for pid in "${server_pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
sim_error=

# sim_start NAME ARGS...: a simulator on 127.0.0.1, port 0; sets server_pid and server_url from the
# "listening on URL" line it prints first (waits up to 10 s).
sim_start() {
    local name=$1 i
    shift
    "$binary" serve-mock --host 127.0.0.1 --port 0 "$@" >"$work/$name.out" 2>"$work/$name.err" &
    server_pid=$!
    server_pids+=("$server_pid")
    server_url=
    for ((i = 0; i < 100; i++)); do
        server_url=$(sed -n '1s|.*listening on \(http://[^ ]*\).*|\1|p' "$work/$name.out")
        [[ -n $server_url ]] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
        sim_error="no 'listening on' line within 10 s"
    else
        sim_error="it exited before listening"
    fi
    sim_error+="; output: $(cat "$work/$name.out" "$work/$name.err")"
    return 1
}

# sim_forget PID: the server has been reaped; the EXIT trap must not signal that (possibly reused) pid.
sim_forget() {
    local kept=() p
    for p in "${server_pids[@]}"; do
        [[ $p == "$1" ]] || kept+=("$p")
    done
    server_pids=("${kept[@]}")
}

# sim_stop NAME PID: SIGTERM; the server must then exit by itself, with code 0, within 10 s.
sim_stop() {
    local name=$1 pid=$2 i rc
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        sim_error="still running 10 s after SIGTERM"
        return 1 # the EXIT trap kills it
    fi
    if wait "$pid"; then rc=0; else rc=$?; fi
    sim_forget "$pid"
    if [[ $rc -ne 0 ]]; then
        sim_error="exit code $rc after SIGTERM; stderr: $(cat "$work/$name.err")"
        return 1
    fi
}
