#!/usr/bin/env bash
# Installs the Probierladen Kiosk bundle on a Linux terminal as a locked kiosk session:
# the program under /opt/probierladen-kiosk, a dedicated unprivileged user, the site config in
# /etc/probierladen-kiosk, the data folder /var/lib/probierladen-kiosk and a systemd service that
# runs the kiosk inside the cage Wayland kiosk compositor on the first console.
#
#   sudo ./install.sh [--bundle DIR] [--now] [--no-enable] [--no-verify]   install or update
#   sudo ./install.sh --uninstall [--purge]     remove (--purge: config, data and user too)
#
# Works offline: everything comes from the bundle next to this script. Running it again updates
# the program and keeps the site config and the data. See README.md ("Install on Linux").
#
# Before anything else it checks every file of the unpacked archive against the archive's
# SHA256SUMS (a file changed or added after the build is refused); --no-verify skips that, for a
# bundle built on this machine. The installation keeps a copy of this script as
# /usr/local/sbin/probierladen-kiosk-uninstall, which removes the kiosk (it takes --purge too).
#
# --root DIR installs into DIR instead of / (for staging an image, and for the tests).
set -euo pipefail

NAME=probierladen-kiosk
KIOSK_USER=probierladen-kiosk
PREFIX=/opt/probierladen-kiosk
CONFIG_DIR=/etc/probierladen-kiosk
DATA_DIR=/var/lib/probierladen-kiosk
SERVICE=$NAME.service
# The kept copy of this script; called by this name it uninstalls.
UNINSTALLER=/usr/local/sbin/$NAME-uninstall
# The launcher the unit starts (cage with the site's keyboard layout), kept in the program folder.
SESSION=$NAME-session
# AppStream metadata for the menu entry (its name is the reverse-DNS component id).
METAINFO=de.probierladen.kiosk.metainfo.xml
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

say() { echo "install.sh: $*"; }
die() {
    echo "install.sh: error: $*" >&2
    exit 1
}
usage() {
    sed -n '7,8p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
    echo "(as $NAME-uninstall: [--purge])" >&2
    exit 2
}

arguments=("$@")
bundle='' root='' action=install enable=1 now='' purge='' verify=1
if [[ ${0##*/} == "${UNINSTALLER##*/}" ]]; then action=uninstall; fi
while [[ $# -gt 0 ]]; do
    case $1 in
        --bundle) bundle=${2:?--bundle needs a folder}; shift ;;
        --root) root=${2:?--root needs a folder}; shift ;;
        --now) now=1 ;;
        --no-enable) enable= ;;
        --uninstall) action=uninstall ;;
        --purge) purge=1 ;;
        --no-verify) verify= ;;
        -h | --help) usage ;;
        *) echo "install.sh: unknown option $1" >&2; usage ;;
    esac
    shift
done

[[ $(id -u) -eq 0 ]] || die "run as root: sudo $0 ${arguments[*]}"
[[ -z $purge || $action == uninstall ]] || die "--purge goes with --uninstall"
if [[ -n $root ]]; then
    root=$(cd "$root" && pwd)
    systemctl_=(systemctl --root="$root")
else
    systemctl_=(systemctl)
fi
# systemd is running (not a chroot or an image being staged): units can be reloaded and started.
systemd_live() { [[ -z $root && -d /run/systemd/system ]]; }

# uid:gid of the kiosk user, read from the target's own passwd file (it may be a staged root).
owner() {
    awk -F: -v user="$KIOSK_USER" '$1 == user { print $3 ":" $4 }' "$root/etc/passwd"
}

# Removes a folder of the kiosk's own; refuses anything but an absolute path below /.
remove_tree() {
    [[ $1 == /?* ]] || die "refusing to remove '$1'"
    rm -rf -- "$root$1"
}

# Removes the kiosk in the order that leaves nothing half-working: the session first (stopped,
# disabled, its unit gone, the console's login prompt back), then the files, then — with --purge
# only — the site config, the data folder (visitors' names, backups, log) and the user. Without
# --purge config and data stay for a later installation, and so does the user owning the data.
uninstall() {
    local wants=$root/etc/systemd/system/graphical.target.wants/$SERVICE
    if systemd_live; then
        systemctl disable --now "$SERVICE" 2>/dev/null || true
    elif [[ -e $root/etc/systemd/system/$SERVICE ]]; then
        "${systemctl_[@]}" disable "$SERVICE" 2>/dev/null || true
    fi
    rm -f "$wants" "$root/etc/systemd/system/$SERVICE" "$root/etc/pam.d/$NAME" \
        "$root/usr/share/applications/$NAME.desktop" "$root/usr/share/metainfo/$METAINFO" \
        "$root/usr/share/icons/hicolor/scalable/apps/$NAME.svg" \
        "$root/usr/local/sbin/$NAME-admin"
    if systemd_live; then
        systemctl daemon-reload
        systemctl start getty@tty1.service 2>/dev/null || true
    fi
    remove_tree "$PREFIX"
    remove_tree "$PREFIX.new"
    remove_tree "$PREFIX.old"
    if [[ -n $purge ]]; then
        remove_tree "$CONFIG_DIR"
        remove_tree "$DATA_DIR"
        if [[ -n $(owner) ]]; then
            userdel ${root:+--root "$root"} "$KIOSK_USER"
        fi
        say "removed the kiosk, its config, its data and the user $KIOSK_USER"
    else
        say "removed the kiosk; kept $CONFIG_DIR, $DATA_DIR and the user $KIOSK_USER" \
            "(--purge removes them)"
    fi
    # Last, as this may be the very file running (bash keeps reading it from the open file).
    rm -f "$root$UNINSTALLER"
}

# Checks every file of the unpacked archive against its SHA256SUMS before anything runs as
# root: a file changed, missing or added since the build is refused, and nothing is written.
# (It catches a damaged copy or a file changed on the stick; against a forged archive, compare
# the archive's published checksum before unpacking, as the guide says.)
verify_archive() {
    local top=$here/.. manifest listed present
    manifest=$top/SHA256SUMS
    if [[ -n $bundle && $(cd "$bundle" && pwd) != "$(cd "$top/$NAME" 2>/dev/null && pwd)" ]]; then
        die "--bundle $bundle is not the bundle of this archive, so its checksums cannot be \
checked; pass --no-verify as well to install it unchecked"
    fi
    [[ -f $manifest ]] || die "$manifest is missing, so the files cannot be checked: use the \
complete archive, or pass --no-verify for a bundle you built yourself"
    if ! (cd "$top" && sha256sum --check --quiet --strict SHA256SUMS >&2); then
        die "files of this archive do not match their checksums (listed above): nothing was \
installed. Copy the archive again and compare it with the published checksum"
    fi
    listed=$(sed -E 's/^[0-9a-f]{64}  //' "$manifest" | LC_ALL=C sort)
    present=$(cd "$top" && find . ! -type d ! -path ./SHA256SUMS -printf '%P\n' | LC_ALL=C sort)
    if [[ $listed != "$present" ]]; then
        die "the archive holds files its checksums do not list: nothing was installed. $(
            comm -13 <(echo "$listed") <(echo "$present") | head -n 5 | tr '\n' ' ')"
    fi
    say "checked every file of the archive against SHA256SUMS"
}

find_bundle() {
    local candidate
    for candidate in ${bundle:+"$bundle"} "$here/../$NAME" "$here/../../dist/$NAME"; do
        if [[ -x $candidate/kiosk ]]; then
            (cd "$candidate" && pwd)
            return
        fi
    done
    die "no kiosk bundle found next to this script; pass --bundle DIR (the folder with 'kiosk')"
}

install() {
    local source version demo config pam_dir logo group
    if [[ $verify ]]; then verify_archive; fi
    source=$(find_bundle)
    version=$("$source/kiosk" --version) || die "$source/kiosk does not start on this machine"
    say "installing $version from $source"
    if [[ $enable && ! -x $root/usr/bin/cage ]]; then
        die "cage is not installed (Debian/Ubuntu: apt-get install cage, offline from the \
installation media); or pass --no-enable to install without the kiosk session"
    fi

    if [[ $enable && ! -x $root/usr/bin/Xwayland ]]; then
        say "warning: Xwayland is not installed; cage 0.1.4 (Debian 12) refuses to start without"
        say "         it (apt-get install xwayland)"
    fi

    # Qt's Wayland platform plugin uses the system's Wayland client libraries (a bundle must not
    # carry its own: they have to match the compositor's). cage brings most, not all of them.
    if [[ $enable && -z $root ]]; then
        local plugin missing
        plugin=$(find "$source" -path '*/platforms/libqwayland.so' -print -quit)
        missing=
        if [[ -n $plugin ]]; then
            missing=$(ldd "$plugin" 2>/dev/null | awk '/not found/ { print $1 }' | tr '\n' ' ')
        fi
        if [[ -n $missing ]]; then
            die "the kiosk session needs these libraries: $missing(Debian/Ubuntu: apt-get \
install libwayland-client0 libwayland-cursor0 libwayland-egl1)"
        fi
    fi

    # The user the kiosk runs as: no password, no login shell, home = the data folder.
    if [[ -z $(owner) ]]; then
        useradd ${root:+--root "$root"} --system --user-group --home-dir "$DATA_DIR" \
            --no-create-home --shell /usr/sbin/nologin --comment "Probierladen Kiosk" \
            "$KIOSK_USER"
        say "created the user $KIOSK_USER"
    fi
    group=$(owner)
    group=${group#*:}

    # Reading aloud: espeak-ng plays through PipeWire or PulseAudio when the session has one, else
    # straight to ALSA. logind hands the sound devices to the active session on the seat; the
    # audio group keeps them the kiosk's when there is no such handover (no sound server, or
    # another session on the console). Every run: an older installation gets it too.
    if grep -q '^audio:' "$root/etc/group"; then
        usermod ${root:+--root "$root"} --append --groups audio "$KIOSK_USER"
    fi
    if [[ -z $root ]] && ! ldconfig -p 2>/dev/null | grep -q 'libespeak-ng\.so\.1'; then
        say "warning: espeak-ng is not installed: the kiosk works but cannot read aloud"
        say "         (Debian/Ubuntu: apt-get install espeak-ng libespeak-ng1)"
    fi

    # The program: copied beside the old one, then swapped in, so a failed copy changes nothing.
    mkdir -p "$root$(dirname "$PREFIX")"
    rm -rf "$root$PREFIX.new"
    cp -a "$source" "$root$PREFIX.new"
    if [[ -f $here/../README.md ]]; then
        cp "$here/../README.md" "$root$PREFIX.new/README.md"
    fi
    cp "$here/$SESSION" "$root$PREFIX.new/$SESSION"
    chmod 0755 "$root$PREFIX.new/$SESSION"
    chown -R 0:0 "$root$PREFIX.new"
    chmod -R go-w "$root$PREFIX.new"
    if systemd_live && systemctl is-active --quiet "$SERVICE"; then
        systemctl stop "$SERVICE"
        now=1 # it was running: start the new version below
    fi
    rm -rf "$root$PREFIX.old"
    if [[ -e $root$PREFIX ]]; then mv "$root$PREFIX" "$root$PREFIX.old"; fi
    mv "$root$PREFIX.new" "$root$PREFIX"
    rm -rf "$root$PREFIX.old"

    # The site config: the demo site as a start, without the demo's staff PIN (set one with
    # `probierladen-kiosk-admin set-pin`). An existing config keeps its content. It may hold the
    # PIN's hash, and the folder the hub token: root writes them, the kiosk's group reads them,
    # nobody else (0640 and 0750, also on an update of an older installation).
    config=$root$CONFIG_DIR/site.toml
    mkdir -p "$root$CONFIG_DIR"
    chown "0:$group" "$root$CONFIG_DIR"
    chmod 0750 "$root$CONFIG_DIR"
    if [[ ! -e $config ]]; then
        demo=$(find "$root$PREFIX" -path '*/kiosk/demo_site.toml' -print -quit)
        [[ -n $demo ]] || die "the bundle has no kiosk/demo_site.toml"
        sed -e "s/^# Demo PIN .*/# No PIN here: set it on the terminal with 'sudo $NAME-admin set-pin'./" \
            -e 's/^pin_hash = .*/pin_hash = ""/' "$demo" >"$config.new"
        chown "0:$group" "$config.new"
        chmod 0640 "$config.new"
        mv "$config.new" "$config"
        say "wrote $CONFIG_DIR/site.toml from the demo site: edit it for this site"
    else
        chown "0:$group" "$config"
        chmod 0640 "$config"
        say "kept $CONFIG_DIR/site.toml"
    fi

    # The data folder: database, backups, log. Only the kiosk user may read it (visitor names).
    mkdir -p "$root$DATA_DIR"
    chown "$(owner)" "$root$DATA_DIR"
    chmod 0750 "$root$DATA_DIR"

    # The session: systemd unit, its PAM stack, a menu entry with its AppStream metadata (what
    # software centres show), and the admin's command.
    pam_dir=$root/etc/pam.d
    mkdir -p "$root/etc/systemd/system" "$pam_dir" "$root/usr/share/applications" \
        "$root/usr/share/metainfo" "$root/usr/share/icons/hicolor/scalable/apps" \
        "$root/usr/local/sbin"
    cp "$here/$SERVICE" "$root/etc/systemd/system/$SERVICE"
    cp "$here/$NAME.pam" "$pam_dir/$NAME"
    cp "$here/$NAME.desktop" "$root/usr/share/applications/$NAME.desktop"
    cp "$here/$METAINFO" "$root/usr/share/metainfo/$METAINFO"
    logo=$(find "$root$PREFIX" -path '*/assets/images/logo.svg' -print -quit)
    if [[ -n $logo ]]; then
        cp "$logo" "$root/usr/share/icons/hicolor/scalable/apps/$NAME.svg"
    fi
    cp "$here/$NAME-admin" "$root/usr/local/sbin/$NAME-admin"
    cp "$here/install.sh" "$root$UNINSTALLER"
    chmod 0755 "$root$UNINSTALLER"
    chmod 0644 "$root/etc/systemd/system/$SERVICE" "$pam_dir/$NAME" \
        "$root/usr/share/applications/$NAME.desktop" "$root/usr/share/metainfo/$METAINFO"
    chmod 0755 "$root/usr/local/sbin/$NAME-admin"

    # A config the kiosk cannot use must not reach the screen: check it now.
    if ! "$root$PREFIX/kiosk" check --config "$config" --data-dir "$root$DATA_DIR"; then
        die "$CONFIG_DIR/site.toml has problems (listed above); fix them and run this again"
    fi

    if [[ $enable ]]; then
        if systemd_live; then systemctl daemon-reload; fi
        "${systemctl_[@]}" enable "$SERVICE"
        if [[ -z $root && $(systemctl get-default 2>/dev/null || true) != graphical.target ]]; then
            say "note: the default boot target is not graphical.target; to start the kiosk on"
            say "      boot run: systemctl set-default graphical.target"
        fi
        if [[ $now ]] && systemd_live; then
            systemctl restart "$SERVICE"
            say "started $SERVICE"
        fi
    fi

    say "done. Next steps:"
    say "  1. set the staff PIN:   sudo $NAME-admin set-pin"
    say "  2. edit the site:       sudo nano $CONFIG_DIR/site.toml; sudo $NAME-admin check"
    if [[ $enable ]]; then
        say "  3. start the kiosk:     sudo systemctl start $SERVICE   (or reboot)"
    fi
    say "to remove the kiosk later: sudo $NAME-uninstall (--purge: config, data and user too)"
}

case $action in
    install) install ;;
    uninstall) uninstall ;;
esac
