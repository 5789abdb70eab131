#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the kiosk needs beyond its Python virtualenv.
#
#   packaging/system-deps.sh run              what a real window needs (Qt's xcb platform plugin)
#                                             and reading aloud (espeak-ng)
#   packaging/system-deps.sh test             that plus what the tests use (Xvfb, msgfmt, zbar,
#                                             appstreamcli, PostgreSQL, Chromium)
#   packaging/system-deps.sh installer        what `make installer` needs to build a complete bundle
#   packaging/system-deps.sh installer-test   that plus what tests/packaging/test_installer.py uses
#   packaging/system-deps.sh hub              what a hub server and `make hub-demo` need
#                                             (PostgreSQL)
#
# Only missing packages are installed (apt-get, as root or via passwordless sudo); when all are
# present it prints nothing. When it cannot install, it says what is missing and how to install
# it, then fails for `test` (the tests would fail anyway) and only warns for `run`.
# KIOSK_SKIP_SYSTEM_DEPS=1 skips the check (e.g. on a non-Debian system set up by hand).
set -euo pipefail

usage() {
    echo "usage: $0 run|test|installer|installer-test|hub" >&2
    exit 2
}

[[ $# -eq 1 ]] || usage
mode=$1

# Each entry is one needed package; "a|b" means either name counts (Debian 13 / Ubuntu 24.04
# renamed some libraries with a t64 suffix), and the first one apt knows is the one installed.
#
# The run list is what the Qt libraries in the PySide6 wheel link against for the xcb platform
# plugin, its GL integrations, QtGui, QtWidgets, QtSvg and QtDBus (checked with ldd).
run_packages=(
    libx11-6 libx11-xcb1 libxcb1
    libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
    libxcb-xfixes0 libxcb-xkb1
    libxkbcommon0 libxkbcommon-x11-0
    libegl1 libgl1
    libfontconfig1 libfreetype6
    "libglib2.0-0t64|libglib2.0-0"
    libdbus-1-3
    # Reading aloud: the kiosk drives libespeak-ng through ctypes (voices for all its languages
    # in espeak-ng-data, a dependency); the tests render every language into WAV files with it.
    espeak-ng libespeak-ng1
)
# xvfb + xauth: a test runs the app on a real X server (xvfb-run); gettext: msgfmt --check on
# the catalogues; zbar: a standard QR decoder reads back the QR codes the kiosk shows;
# appstream: appstreamcli validates the AppStream metadata of the Linux session kit;
# systemd + shellcheck: systemd-analyze verify and ShellCheck check the hub's kit (packaging/hub).
# postgresql: the hub tests start a throwaway PostgreSQL cluster (kiosk.hub.devcluster).
# openssl: a test makes a city-internal certificate authority for a hub behind TLS.
# chromium + chromium-driver: the staff web desk is tested in a real headless browser through
# Selenium; the distribution's browser and driver, so that no test ever downloads one.
test_packages=(
    xvfb xauth
    gettext
    "libzbar0t64|libzbar0"
    appstream
    systemd shellcheck
    postgresql
    openssl
    chromium chromium-driver
)

# The hub keeps the city's data in PostgreSQL; Debian's meta package pulls the supported
# major version (15 on Debian 12).
hub_packages=(postgresql)

# PyInstaller copies the system libraries the Qt plugins link against into the bundle, so the
# build machine needs the run packages, plus binutils (PyInstaller's objcopy/objdump on Linux).
# make and python3-venv are what the Makefile itself runs (a fresh Debian 12 has neither); the
# guide has them installed first, since `make` creates .venv before it calls this script.
installer_packages=(binutils make python3-venv)
# postgresql: the frozen terminal syncs with a hub over a throwaway cluster.
# strace: the test watches which Qt translations and Babel locales the frozen kiosk opens.
# ShellCheck, desktop-file-utils, appstream and systemd (systemd-analyze) validate the session kit.
# cage (and the Xwayland it insists on) with the Wayland client libraries Qt's wayland plugin
# loads from the system: the test runs the frozen kiosk in cage on a headless output.
installer_test_packages=(
    strace shellcheck desktop-file-utils appstream systemd
    cage xwayland libwayland-client0 libwayland-cursor0 libwayland-egl1
    postgresql
)

case $mode in
    run) needed=("${run_packages[@]}") ;;
    test) needed=("${run_packages[@]}" "${test_packages[@]}") ;;
    installer) needed=("${run_packages[@]}" "${installer_packages[@]}") ;;
    installer-test)
        needed=("${run_packages[@]}" "${installer_packages[@]}" "${installer_test_packages[@]}")
        ;;
    hub) needed=("${hub_packages[@]}") ;;
    *) usage ;;
esac

say() { echo "system-deps: $*" >&2; }

# Ends the script when the packages cannot be installed: fatal for tests, a warning for run.
give_up() {
    local missing_text=$1 command_text=$2 label=${3:-missing system packages}
    say "$label: $missing_text"
    if [[ -n $command_text ]]; then
        say "install them with:"
        say "  $command_text"
    fi
    if [[ $mode != run ]]; then
        say "the $mode step needs them; stopping."
        exit 1
    fi
    say "warning: the kiosk window may not open without them; starting anyway."
    exit 0
}

# Escape hatch for machines whose equivalents were installed some other way.
if [[ -n ${KIOSK_SKIP_SYSTEM_DEPS:-} ]]; then exit 0; fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    needed_text=${needed[*]}
    say "not a Debian/Ubuntu system (no dpkg-query): cannot check or install system packages."
    say "install your distribution's equivalents of these Debian packages, then set"
    say "KIOSK_SKIP_SYSTEM_DEPS=1 to skip this check:"
    give_up "${needed_text//|/ or }" "" "needed system packages"
fi

# One dpkg-query call for every name: "<package> <status>" for each package dpkg knows.
all_names=()
for entry in "${needed[@]}"; do
    IFS='|' read -r -a alternatives <<<"$entry"
    all_names+=("${alternatives[@]}")
done
declare -A installed=()
while read -r name _ _ status; do
    if [[ $status == installed ]]; then installed[$name]=1; fi
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${all_names[@]}" 2>/dev/null || true)

missing=()
for entry in "${needed[@]}"; do
    IFS='|' read -r -a alternatives <<<"$entry"
    found=
    for name in "${alternatives[@]}"; do
        if [[ -n ${installed[$name]:-} ]]; then found=1; fi
    done
    if [[ -z $found ]]; then missing+=("$entry"); fi
done

if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi

# The name the package lists offer for an entry ("a|b" -> a or b), else the entry as it is.
resolve() {
    local entry=$1 name candidate
    IFS='|' read -r -a alternatives <<<"$entry"
    for name in "${alternatives[@]}"; do
        candidate=$(apt-cache policy "$name" 2>/dev/null | awk '/Candidate:/ {print $2}')
        if [[ $candidate =~ ^[0-9] ]]; then
            echo "$name"
            return
        fi
    done
    echo "$entry"
}

missing_text=${missing[*]}
missing_text=${missing_text//|/ or }

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root=(sudo -n)
else
    resolved=()
    for entry in "${missing[@]}"; do resolved+=("$(resolve "$entry")"); done
    command_text="sudo apt-get update && sudo apt-get install -y --no-install-recommends"
    command_text+=" ${resolved[*]}"
    give_up "$missing_text" "${command_text//|/ or }"
fi

export DEBIAN_FRONTEND=noninteractive
apt_options=(-q -o DPkg::Lock::Timeout=120)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

say "installing missing system packages: $missing_text"
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" update \
    >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    say "apt-get update failed."
fi

resolved=()
for entry in "${missing[@]}"; do resolved+=("$(resolve "$entry")"); done
command_text="apt-get install -y --no-install-recommends ${resolved[*]}"
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" install -y \
    --no-install-recommends "${resolved[@]}" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    [[ $(id -u) -eq 0 ]] || command_text="sudo $command_text"
    give_up "$missing_text" "${command_text//|/ or }"
fi
say "installed: ${resolved[*]}"
