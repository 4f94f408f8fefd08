# Shared helpers for the scripts in this folder. Source it; do not run it.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Packages every build needs (Debian 12 names).
RELAYBENCH_BUILD_PACKAGES=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-base-dev-tools qt6-charts-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-svg-dev libqt6svg6 libgl-dev qt6-gtk-platformtheme qtkeychain-qt6-dev libqt6sql6-sqlite libsqlite3-dev)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_packages PKG...: installs, with apt-get, only the packages that are not installed yet.
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    say "Installing missing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# ensure_command CMD PKG: installs PKG when CMD is not on the PATH (Node may come from elsewhere than Debian).
ensure_command() {
    if ! command -v "$1" >/dev/null 2>&1; then
        ensure_packages "$2"
    fi
}

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }
