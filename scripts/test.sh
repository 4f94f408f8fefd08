#!/usr/bin/env bash
# Builds RelayBench with warnings as errors and runs the whole test suite, installing what is missing.
# Then checks the formatting and runs the suite again under AddressSanitizer + UBSan.
# Usage: scripts/test.sh [--quick]   (--quick: skip the sanitizer pass)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

quick=0
[ "${1:-}" = "--quick" ] && quick=1

ensure_packages "${RELAYBENCH_BUILD_PACKAGES[@]}" curl clang-format desktop-file-utils appstream dpkg-dev dbus gnome-keyring prometheus
# The wire tests run the official OpenAI Node SDK; Node may already come from outside Debian.
ensure_command node nodejs
ensure_command npm npm
if [ ! -d tests/sdk/node_modules/openai ]; then
    say "Installing the OpenAI Node SDK for the wire tests (npm ci in tests/sdk)"
    (cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error)
fi

say "Checking formatting (.clang-format)"
bash scripts/check-format.sh

say "Configuring and building (preset ci: RelWithDebInfo, warnings are errors)"
cmake --preset ci >/dev/null
cmake --build --preset ci
say "Running the tests"
ctest --preset ci

if [ "$quick" -eq 0 ]; then
    say "Configuring and building (preset asan: AddressSanitizer + UndefinedBehaviorSanitizer)"
    cmake --preset asan -DRELAYBENCH_WERROR=ON >/dev/null
    cmake --build --preset asan
    say "Running the tests under the sanitizers"
    ctest --preset asan

    # Every libFuzzer target for a short while (clang, its own build folder): docs/hardening.md.
    ensure_packages clang-14
    say "Fuzzing each parser for 12 s (scripts/fuzz.sh)"
    FUZZ_BUILD_DIR=build/fuzz bash scripts/fuzz.sh 12
fi
