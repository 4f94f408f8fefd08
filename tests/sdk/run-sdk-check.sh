#!/usr/bin/env bash
# Runs check-openai-sdk.mjs (the official OpenAI Node SDK) against the RelayBench simulator:
# once on a fault-free, fast fixed-timing profile, once on the "reasoner" profile with --reasoning.
# Each server must stop with exit code 0 on SIGTERM.
#
# Usage: run-sdk-check.sh RELAYBENCH_BINARY
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 RELAYBENCH_BINARY" >&2
    exit 2
fi
binary=$1
if [[ ! -x $binary ]]; then
    echo "error: $binary is not an executable file" >&2
    exit 1
fi
sdk_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# This check exists to run a real third-party client; skipping it silently would hide that it never ran.
for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: '$tool' not found. The OpenAI SDK check needs Node.js >= 20 with npm." >&2
        exit 1
    fi
done

if [[ ! -d $sdk_dir/node_modules/openai ]]; then
    echo "run-sdk-check: tests/sdk/node_modules/openai is missing, running 'npm ci' (needs the npm registry)" >&2
    (cd "$sdk_dir" && npm ci --no-audit --no-fund) >&2
fi

# shellcheck source-path=SCRIPTDIR source=../scripts/simserver-lib.sh
source "$sdk_dir/../scripts/simserver-lib.sh"
sim_setup sdk

# Fixed, fast timing and no random faults: the checks must be deterministic, only forced faults may fail.
cat >"$work/sdk-check.json" <<'EOF'
{"name":"sdk-check","ttft_ms":5,"tpot_ms":1,"completion_tokens":{"median":12,"p99":20},"headers_ms":1}
EOF


# start_server NAME PROFILE: a simulator on a free port; sets server_pid and server_url.
start_server() {
    sim_start "$1" --profile "$2" || { echo "FAIL $1 server: $sim_error" >&2; return 1; }
}

# stop_server NAME PID: SIGTERM, then the server must exit by itself with code 0 within 10 s.
stop_server() {
    if ! sim_stop "$1" "$2"; then
        echo "FAIL $1 server: $sim_error" >&2
        return 1
    fi
    echo "ok   $1 server stopped cleanly on SIGTERM"
}

failures=0

# run_suite NAME PROFILE [CHECK OPTIONS...]
run_suite() {
    local name=$1 profile=$2
    shift 2
    echo "== $name: $binary serve-mock --profile $profile"
    if ! start_server "$name" "$profile"; then
        failures=$((failures + 1))
        return
    fi
    echo "   $server_url"
    node "$sdk_dir/check-openai-sdk.mjs" "$server_url" "$@" || failures=$((failures + 1))
    stop_server "$name" "$server_pid" || failures=$((failures + 1))
}

run_suite fixed "$work/sdk-check.json"
run_suite reasoner reasoner --reasoning

if [[ $failures -ne 0 ]]; then
    echo "run-sdk-check: $failures suite(s) or server(s) failed" >&2
    exit 1
fi
echo "run-sdk-check: all OpenAI SDK checks passed"
