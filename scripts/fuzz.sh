#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, address + undefined sanitizers, a build folder of their own) and
# runs each for a bounded time. See docs/hardening.md.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; TARGETs default to all (sse_parser chat_response campaign_file
# price_catalog litellm_import sim_profile csv_writer). Environment: FUZZ_BUILD_DIR (default build/fuzz),
# CLANG_VERSION (default 14), FUZZ_JOBS (build jobs, default 2).
# Each target starts from its seed corpus (tests/fuzz/corpus/TARGET) and the kept crash inputs
# (tests/fuzz/regressions/TARGET); what it finds goes to FUZZ_BUILD_DIR/corpus/TARGET, crashes to
# FUZZ_BUILD_DIR/artifacts/TARGET/. Exit code 1 when any target crashed: fix the bug, then copy the input
# into tests/fuzz/regressions/TARGET/ so that tst_fuzzreplay runs it in every build.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(sse_parser chat_response campaign_file price_catalog litellm_import sim_profile csv_writer)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build/fuzz}
CLANG_VERSION=${CLANG_VERSION:-14}

command -v "clang++-$CLANG_VERSION" >/dev/null || { echo "fuzz: clang++-$CLANG_VERSION not found (apt install clang-$CLANG_VERSION)" >&2; exit 2; }

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER="clang-$CLANG_VERSION" -DCMAKE_CXX_COMPILER="clang++-$CLANG_VERSION" \
    -DRELAYBENCH_FUZZ=ON -DRELAYBENCH_BUILD_GUI=OFF -DRELAYBENCH_WERROR=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    $(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache) >/dev/null
cmake --build "$BUILD" -j "${FUZZ_JOBS:-2}" --target $(printf 'fuzz_%s ' "${TARGETS[@]}")

failed=()
for target in "${TARGETS[@]}"; do
    corpus=$BUILD/corpus/$target
    artifacts=$BUILD/artifacts/$target
    mkdir -p "$corpus" "$artifacts" "$ROOT/tests/fuzz/regressions/$target"
    echo "== fuzz_$target for $SECONDS_PER_TARGET s"
    # -timeout: one input taking longer than 10 s is a hang, kept like a crash. -rss_limit_mb: a parser that
    # grows without bound is a bug here (the caps exist to prevent it).
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$BUILD/tests/fuzz/fuzz_$target" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "$corpus" "$ROOT/tests/fuzz/corpus/$target" "$ROOT/tests/fuzz/regressions/$target" \
        >"$BUILD/fuzz_$target.log" 2>&1; then
        failed+=("$target")
        echo "fuzz_$target FAILED: see $BUILD/fuzz_$target.log; inputs in $artifacts/"
        tail -n 30 "$BUILD/fuzz_$target.log"
    else
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$BUILD/fuzz_$target.log" | tr '\n' ' '
        echo
    fi
done
((${#failed[@]} == 0)) || { echo "fuzz: crashed: ${failed[*]}" >&2; exit 1; }
echo "fuzz: ${#TARGETS[@]} targets, $SECONDS_PER_TARGET s each: no crash"
