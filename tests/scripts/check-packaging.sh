#!/usr/bin/env bash
# Validates the desktop file and AppStream metainfo with the freedesktop tools, builds the .deb with
# CPack from the given build directory, and checks what it installs.
# Usage: check-packaging.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
passed=0
failed=0
check() { # check NAME COMMAND...: runs the command, counts and prints the result
    local name=$1
    shift
    if "$@" >/tmp/relaybench-pkg-check.$$ 2>&1; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        sed 's/^/    /' /tmp/relaybench-pkg-check.$$
        failed=$((failed + 1))
    fi
}
trap 'rm -f /tmp/relaybench-pkg-check.$$; rm -rf "$out"' EXIT
out=$(mktemp -d)

check "desktop-file-validate" desktop-file-validate "$src/packaging/io.github.relaybench.RelayBench.desktop"
check "appstreamcli validate" appstreamcli validate --no-net "$src/packaging/io.github.relaybench.RelayBench.metainfo.xml"
check "cpack -G DEB" cpack -G DEB -B "$out" --config "$build/CPackConfig.cmake"
deb=$(ls "$out"/relaybench_*_amd64.deb 2>/dev/null | head -n 1)
contents=$(dpkg-deb -c "$deb" 2>/dev/null | awk '{print $6}' || true)
for file in ./usr/bin/relaybench \
    ./usr/share/applications/io.github.relaybench.RelayBench.desktop \
    ./usr/share/metainfo/io.github.relaybench.RelayBench.metainfo.xml \
    ./usr/share/icons/hicolor/scalable/apps/io.github.relaybench.RelayBench.svg; do
    check "deb installs $file" grep -qx "$file" <<<"$contents"
done
check "deb depends on Qt 6 core" bash -c "dpkg-deb -f '$deb' Depends | grep -q libqt6core6"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
