#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with an unlocked GNOME Keyring as the Secret Service, so
# that keychain tests use a real system keychain and never the user's. Exit 77 (skipped) when one cannot
# be started here.
# Usage: with-secret-service.sh COMMAND [ARGS...]
set -euo pipefail
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is not installed (Debian packages dbus, gnome-keyring)" >&2
        exit 77
    fi
done
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run" XDG_CONFIG_HOME="$home/config"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
# Inside the session: start the keyring and create a throwaway login keyring in $HOME, then the test.
exec dbus-run-session -- bash -c '
    if ! printf "relaybench-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>"$HOME/keyring.log"; then
        echo "SKIP: gnome-keyring-daemon did not start:" >&2; cat "$HOME/keyring.log" >&2; exit 77
    fi
    RELAYBENCH_SECRET_SERVICE=1 "$@"
' with-secret-service "$@"
