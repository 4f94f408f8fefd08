#!/usr/bin/env bash
# Checks the RelayBench simulator's HTTP behaviour with curl, a client nobody here wrote: status codes, headers,
# SSE framing, connection reuse, API keys and forced faults (including the curl exit codes they cause).
#
# Usage: check-curl.sh RELAYBENCH_BINARY
# Prints one line per check and "N passed, M failed"; exits 1 on any failure.
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
for tool in curl python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: '$tool' not found; check-curl.sh needs curl and python3 (to parse JSON)." >&2
        exit 1
    fi
done

# shellcheck source-path=SCRIPTDIR source=simserver-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/simserver-lib.sh"
sim_setup curl

# Fixed, fast timing and no random faults: only the faults forced with X-Sim-Fault may happen.
cat >"$work/curl-check.json" <<'EOF'
{"name":"curl-check","ttft_ms":5,"tpot_ms":1,"completion_tokens":{"median":12,"p99":20},"headers_ms":1}
EOF

passed=0
failed=0
ok() {
    passed=$((passed + 1))
    echo "ok   $1"
}
fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
}


# start_server NAME ARGS...: a simulator on a free port; sets server_pid and server_url.
start_server() {
    sim_start "$@" || { fail "start $1 server" "$sim_error"; return 1; }
}

# stop_server NAME PID: SIGTERM, then the server must exit by itself with code 0 within 10 s.
stop_server() {
    if sim_stop "$1" "$2"; then
        ok "$1 server stops on SIGTERM with exit code 0"
    else
        fail "$1 server stops on SIGTERM" "$sim_error"
    fi
}

# call NAME [CURL ARGS...]: one curl run. Headers go to $work/NAME.headers, the body to $work/NAME.body,
# curl's -v trace and errors to $work/NAME.trace. Sets http_code and curl_rc; never fails the script.
# --max-time keeps a broken server from hanging the test; --noproxy keeps a proxy setting out of the way.
http_code=
curl_rc=
call() {
    local name=$1
    shift
    http_code=$(curl -sS --noproxy '*' --max-time 20 -D "$work/$name.headers" -o "$work/$name.body" \
        -w '%{http_code}' "$@" 2>"$work/$name.trace") && curl_rc=0 || curl_rc=$?
}

# header NAME FIELD: the value of a response header (last response in the file), without the CR.
header() {
    { grep -i "^$2:" "$work/$1.headers" || true; } | tail -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'
}

# py NAME SCRIPT: runs a python3 check on $work/NAME.body (as sys.argv[1]); prints what it reports on failure.
# The script exits with a message (sys.exit("...")) when the body is wrong.
py() {
    python3 -c "$2" "$work/$1.body" 2>&1
}

json=(-H 'Content-Type: application/json')
chat='{"model":"sim-model","messages":[{"role":"user","content":"Say something short about latency."}]'
plain_body="$chat,\"max_tokens\":8}"
stream_body="$chat,\"max_tokens\":8,\"stream\":true}"
usage_body="$chat,\"max_tokens\":8,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"

# The SSE checks shared by the streamed requests: every non-empty line is "data: ...", events are separated by
# blank lines, and the stream ends with "data: [DONE]".
sse_framing='
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
lines = [line for line in text.split("\n") if line.strip()]
if not lines:
    sys.exit("empty body")
bad = [line for line in lines if not line.startswith("data: ")]
if bad:
    sys.exit("line not starting with \"data: \": %r" % bad[0][:120])
if lines[-1] != "data: [DONE]":
    sys.exit("last line is %r, expected \"data: [DONE]\"" % lines[-1][:120])
if not text.endswith("\n\n"):
    sys.exit("the stream does not end with a blank line after the last event")
for line in lines[:-1]:
    json.loads(line[6:])
'

########## fault-free server

if start_server fixed --profile "$work/curl-check.json"; then
    base=$server_url

    # Non-streamed answer: 200, JSON content type, a chat.completion body.
    call plain "${json[@]}" -d "$plain_body" "$base/chat/completions"
    type=$(header plain Content-Type)
    if [[ $curl_rc -ne 0 || $http_code != 200 ]]; then
        fail "non-streamed POST" "curl exit $curl_rc, HTTP $http_code, $(cat "$work/plain.trace")"
    elif [[ $type != application/json* ]]; then
        fail "non-streamed POST" "Content-Type is '$type', expected application/json"
    elif msg=$(py plain 'import json, sys
body = json.load(open(sys.argv[1]))
if body.get("object") != "chat.completion":
    sys.exit("object is %r" % body.get("object"))
if not body["choices"][0]["message"]["content"]:
    sys.exit("empty message.content")'); then
        ok "non-streamed POST: 200, application/json, object chat.completion"
    else
        fail "non-streamed POST" "body: $msg"
    fi

    # Streamed answer without usage: SSE content type, chunked framing, data: lines, [DONE] at the end.
    call stream -N "${json[@]}" -d "$stream_body" "$base/chat/completions"
    type=$(header stream Content-Type)
    encoding=$(header stream Transfer-Encoding)
    if [[ $curl_rc -ne 0 || $http_code != 200 ]]; then
        fail "streamed POST" "curl exit $curl_rc, HTTP $http_code, $(cat "$work/stream.trace")"
    elif [[ $type != text/event-stream* ]]; then
        fail "streamed POST" "Content-Type is '$type', expected text/event-stream"
    elif [[ ${encoding,,} != chunked ]]; then
        fail "streamed POST" "Transfer-Encoding is '$encoding', expected chunked"
    elif ! msg=$(py stream "$sse_framing"); then
        fail "streamed POST" "$msg"
    elif grep -q '"usage":{' "$work/stream.body"; then
        fail "streamed POST" "a usage object appeared although stream_options.include_usage was not set"
    else
        ok "streamed POST: text/event-stream, chunked, data: lines, ends with data: [DONE]"
    fi

    # include_usage: the usage chunk ("choices":[]) is the last event before [DONE].
    call usage -N "${json[@]}" -d "$usage_body" "$base/chat/completions"
    if [[ $curl_rc -ne 0 || $http_code != 200 ]]; then
        fail "streamed POST with include_usage" "curl exit $curl_rc, HTTP $http_code"
    elif ! msg=$(py usage "$sse_framing"); then
        fail "streamed POST with include_usage" "$msg"
    elif ! grep -q '"choices":\[\]' "$work/usage.body"; then
        fail "streamed POST with include_usage" 'no event with "choices":[] in the body'
    elif msg=$(py usage 'import json, sys
lines = [l for l in open(sys.argv[1]).read().split("\n") if l.startswith("data: ")]
last = json.loads(lines[-2][6:])
if last.get("choices") != [] or not isinstance(last.get("usage"), dict):
    sys.exit("the event before [DONE] is not the usage chunk: %s" % lines[-2][:200])
usage = last["usage"]
if usage["total_tokens"] != usage["prompt_tokens"] + usage["completion_tokens"]:
    sys.exit("total_tokens is not prompt + completion: %r" % usage)'); then
        ok 'streamed POST with include_usage: a "choices":[] usage chunk right before [DONE]'
    else
        fail "streamed POST with include_usage" "$msg"
    fi

    # Keep-alive: a streamed then a plain request in one curl run must share one TCP connection, which also
    # shows the chunked stream was terminated properly (curl reuses only a cleanly finished connection).
    curl -sS -v --noproxy '*' --max-time 20 -o /dev/null "${json[@]}" -d "$stream_body" "$base/chat/completions" \
        --next -o /dev/null "${json[@]}" -d "$plain_body" "$base/chat/completions" \
        >/dev/null 2>"$work/keepalive.trace" && curl_rc=0 || curl_rc=$?
    connects=$(grep -c '^\* Connected to' "$work/keepalive.trace" || true)
    if [[ $curl_rc -ne 0 ]]; then
        fail "keep-alive" "curl exit $curl_rc: $(grep '^curl:' "$work/keepalive.trace")"
    elif ! grep -q 'Re-using existing' "$work/keepalive.trace"; then
        fail "keep-alive" "curl did not re-use the connection for the second request ($connects connects)"
    elif [[ $connects -ne 1 ]]; then
        fail "keep-alive" "expected 1 TCP connection for 2 requests, curl made $connects"
    else
        ok "keep-alive: streamed + plain request on one connection (curl: Re-using existing connection)"
    fi

    # Invalid JSON: 400 with an OpenAI-style {"error": {"message": ...}} body.
    call badjson "${json[@]}" -d '{"model": "sim-model", "messages": [' "$base/chat/completions"
    if [[ $http_code != 400 ]]; then
        fail "invalid JSON body" "HTTP $http_code (curl exit $curl_rc), expected 400"
    elif msg=$(py badjson 'import json, sys
error = json.load(open(sys.argv[1])).get("error")
if not isinstance(error, dict) or not isinstance(error.get("message"), str) or not error["message"]:
    sys.exit("no error.message string in the body")'); then
        ok 'invalid JSON body: 400 with {"error": {"message": ...}}'
    else
        fail "invalid JSON body" "$msg: $(cat "$work/badjson.body")"
    fi

    # GET /v1/models: 200 and a list of model objects.
    call models "$base/models"
    if [[ $http_code != 200 ]]; then
        fail "GET /v1/models" "HTTP $http_code (curl exit $curl_rc), expected 200"
    elif msg=$(py models 'import json, sys
body = json.load(open(sys.argv[1]))
if body.get("object") != "list" or not body.get("data") or any(m.get("object") != "model" for m in body["data"]):
    sys.exit("not a list of model objects")'); then
        ok "GET /v1/models: 200, a list of model objects"
    else
        fail "GET /v1/models" "$msg: $(cat "$work/models.body")"
    fi

    # Unknown path: 404.
    call unknown "$base/no-such-endpoint"
    if [[ $http_code == 404 ]]; then
        ok "unknown path: 404"
    else
        fail "unknown path" "HTTP $http_code (curl exit $curl_rc), expected 404"
    fi

    # Forced 429: clients need Retry-After to back off.
    call ratelimited "${json[@]}" -H 'X-Sim-Fault: rate_limited' -d "$plain_body" "$base/chat/completions"
    retry_after=$(header ratelimited Retry-After)
    if [[ $http_code != 429 ]]; then
        fail "X-Sim-Fault: rate_limited" "HTTP $http_code (curl exit $curl_rc), expected 429"
    elif [[ ! $retry_after =~ ^[0-9]+$ ]]; then
        fail "X-Sim-Fault: rate_limited" "Retry-After header is '$retry_after', expected whole seconds"
    else
        ok "X-Sim-Fault: rate_limited: 429 with Retry-After: $retry_after"
    fi

    # Forced reset: the server closes with RST, which curl reports as exit 56 (CURLE_RECV_ERROR).
    call reset "${json[@]}" -H 'X-Sim-Fault: reset' -d "$plain_body" "$base/chat/completions"
    if [[ $curl_rc -eq 56 ]]; then
        ok "X-Sim-Fault: reset: curl exit 56 ($(grep -o 'Recv failure.*' "$work/reset.trace" || true))"
    else
        fail "X-Sim-Fault: reset" "curl exit $curl_rc (HTTP $http_code), expected 56: $(cat "$work/reset.trace")"
    fi

    # Forced stream cut: the connection closes (FIN) before the terminating zero-size chunk, which curl reports
    # as exit 18 (CURLE_PARTIAL_FILE) after some events have arrived.
    call streamcut -N "${json[@]}" -H 'X-Sim-Fault: stream_cut' -d "$stream_body" "$base/chat/completions"
    if [[ $curl_rc -ne 18 ]]; then
        fail "X-Sim-Fault: stream_cut" "curl exit $curl_rc (HTTP $http_code), expected 18: $(cat "$work/streamcut.trace")"
    elif [[ $http_code != 200 ]] || ! grep -q '^data: {' "$work/streamcut.body"; then
        fail "X-Sim-Fault: stream_cut" "expected HTTP 200 and some events before the cut, got HTTP $http_code"
    elif grep -q '^data: \[DONE\]' "$work/streamcut.body"; then
        fail "X-Sim-Fault: stream_cut" "the cut stream still carries data: [DONE]"
    else
        ok "X-Sim-Fault: stream_cut: HTTP 200, some events, then curl exit 18 (partial transfer)"
    fi

    # Forced error event: a well-framed stream (curl exit 0) whose last event is {"error": ...}, no [DONE].
    call errorevent -N "${json[@]}" -H 'X-Sim-Fault: error_event' -d "$stream_body" "$base/chat/completions"
    if [[ $curl_rc -ne 0 || $http_code != 200 ]]; then
        fail "X-Sim-Fault: error_event" "curl exit $curl_rc, HTTP $http_code, expected a complete 200 stream"
    elif msg=$(py errorevent 'import json, sys
lines = [l for l in open(sys.argv[1]).read().split("\n") if l.strip()]
last = json.loads(lines[-1][6:]) if lines[-1].startswith("data: {") else None
if not last or not isinstance(last.get("error"), dict) or not last["error"].get("message"):
    sys.exit("the last event is not {\"error\": {\"message\": ...}}: %r" % lines[-1][:200])'); then
        ok 'X-Sim-Fault: error_event: a complete stream ending with a data: {"error": ...} event'
    else
        fail "X-Sim-Fault: error_event" "$msg"
    fi

    stop_server fixed "$server_pid"
fi

########## server with --api-key

key=sk-curl-right-4d1e8a
wrong=sk-curl-WRONG-93b7c5
if start_server apikey --profile "$work/curl-check.json" --api-key "$key"; then
    base=$server_url

    call nokey "${json[@]}" -d "$plain_body" "$base/chat/completions"
    if [[ $http_code == 401 ]]; then
        ok "--api-key: no Authorization header: 401"
    else
        fail "--api-key: no Authorization header" "HTTP $http_code (curl exit $curl_rc), expected 401"
    fi

    # The 401 must not echo the presented key back, not even its tail (OpenAI shows "sk-...c5"; we show none).
    call wrongkey "${json[@]}" -H "Authorization: Bearer $wrong" -d "$plain_body" "$base/chat/completions"
    if [[ $http_code != 401 ]]; then
        fail "--api-key: wrong key" "HTTP $http_code (curl exit $curl_rc), expected 401"
    elif grep -q -e "$wrong" -e "${wrong: -6}" "$work/wrongkey.headers" "$work/wrongkey.body"; then
        fail "--api-key: wrong key" "the response echoes the key that was sent: $(cat "$work/wrongkey.body")"
    else
        ok "--api-key: wrong key: 401, the key sent is not echoed"
    fi

    call rightkey "${json[@]}" -H "Authorization: Bearer $key" -d "$plain_body" "$base/chat/completions"
    if [[ $http_code == 200 ]]; then
        ok "--api-key: right key: 200"
    else
        fail "--api-key: right key" "HTTP $http_code (curl exit $curl_rc), expected 200: $(cat "$work/rightkey.body")"
    fi

    stop_server apikey "$server_pid"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
