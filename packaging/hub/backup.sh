#!/usr/bin/env bash
# Backs up the Probierladen hub's PostgreSQL database: one pg_dump (custom format) into the
# backup folder, then deletes the dumps older than the retention. Installed as
# /opt/probierladen-hub/backup.sh and run daily by probierladen-hub-backup.timer.
#
#   KIOSK_HUB_DATABASE=postgresql://… [BACKUP_DIR=DIR] [KEEP_DAYS=N] backup.sh
#
#   KIOSK_HUB_DATABASE  the hub's database URL (the one in /etc/probierladen-hub/hub.env)
#   BACKUP_DIR          where the dumps go (default /var/backups/probierladen-hub, mode 0700)
#   KEEP_DAYS           days a dump is kept (default 7, at most 90; see below)
#
# Dumps are named hub-YYYYMMDD-HHMMSS.dump; restore one with pg_restore (README.md, "Network of
# terminals"). Retention: names visitors give for bookings are deleted from the hub [bookings]
# purge_days after the slot (at most 90 days), but a dump keeps what the database held when it
# was made. Keep KEEP_DAYS at or below the shortest purge_days of your sites.
set -euo pipefail

MAX_KEEP_DAYS=90 # the largest [bookings] purge_days a site may configure

say() { echo "backup.sh: $*"; }
die() {
    echo "backup.sh: error: $*" >&2
    exit 1
}
usage() {
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

case ${1:-} in
    '') ;;
    -h | --help) usage 0 ;;
    *)
        echo "backup.sh: unknown argument $1 (settings come from the environment)" >&2
        usage 2 >&2
        ;;
esac

database=${KIOSK_HUB_DATABASE:-}
backup_dir=${BACKUP_DIR:-/var/backups/probierladen-hub}
keep_days=${KEEP_DAYS:-7}

[[ -n $database ]] || die "KIOSK_HUB_DATABASE is not set (the hub's database URL, as in hub.env)"
if [[ ! $keep_days =~ ^[0-9]{1,6}$ ]] || ((10#$keep_days < 1)); then
    die "KEEP_DAYS must be a whole number of days, at least 1 (it is '$keep_days')"
fi
keep_days=$((10#$keep_days))
if ((keep_days > MAX_KEEP_DAYS)); then
    die "KEEP_DAYS=$keep_days is more than $MAX_KEEP_DAYS. Names that visitors give for \
bookings are deleted from the hub [bookings] purge_days after the slot (at most \
$MAX_KEEP_DAYS days), but a dump keeps every name the database held when it was made: a dump \
kept longer than the purge window keeps names that were meant to be deleted. Set KEEP_DAYS at \
or below the shortest purge_days of your sites (default 7)."
fi
for program in pg_dump pg_restore flock; do
    command -v "$program" >/dev/null || die "$program is not installed (apt-get install \
postgresql-client util-linux)"
done

umask 077
mkdir -p -- "$backup_dir"
chmod 0700 -- "$backup_dir"

# One run at a time (a timer run and a manual one): the second waits for the first.
exec {lock}<"$backup_dir"
flock "$lock"

partial='' passfile=''
cleanup() { rm -f -- "$partial" "$passfile"; }
trap cleanup EXIT
# systemd stops a run with SIGTERM: exit through the EXIT trap, so no partial file remains.
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# A run killed outright (SIGKILL, power loss) can leave a partial dump; none is running now.
find "$backup_dir" -maxdepth 1 -type f -name '.hub-*.dump.partial' -delete

# pg_dump's arguments are visible to every user (ps), so the password must not be among them:
# it goes into a private password file for libpq and the URL without it on the command line.
connection=$database
url_with_password='^(postgres(ql)?://)([^:@/?#]*):([^@/?#]*)@(.*)$'
if [[ $database =~ $url_with_password ]]; then
    connection="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
    encoded=${BASH_REMATCH[4]}
    encoded=${encoded//\\/\\\\}
    password=$(printf '%b' "${encoded//%/\\x}")
    # .pgpass format: ':' and '\' in the password are escaped with '\'.
    password=${password//\\/\\\\}
    password=${password//:/\\:}
    passfile=$(mktemp)
    printf '*:*:*:*:%s\n' "$password" >"$passfile"
    export PGPASSFILE=$passfile
fi
if [[ $connection == *password=* ]]; then
    die "the password in KIOSK_HUB_DATABASE would show on pg_dump's command line: put it in \
the URL's user part (postgresql://user:password@host/db) or in a PGPASSFILE"
fi

stamp=$(date +%Y%m%d-%H%M%S)
final=$backup_dir/hub-$stamp.dump
partial=$backup_dir/.hub-$stamp.dump.partial

# Written under a temporary name and renamed only when complete and readable, so a file named
# hub-*.dump is always a whole dump. --no-password: a timer cannot answer a prompt.
pg_dump --format=custom --no-password --file="$partial" --dbname="$connection" ||
    die "pg_dump failed (messages above); no backup was written, none was deleted"
pg_restore --list "$partial" >/dev/null ||
    die "the new dump cannot be read back (pg_restore --list); it was not kept"
sync -- "$partial"
mv -- "$partial" "$final"
partial=''
sync -- "$backup_dir"
say "wrote $final ($(du -h -- "$final" | cut -f1))"

# Retention by modification time: a dump older than KEEP_DAYS days is deleted. Only after a
# successful dump, so a failing database never costs the last backups.
minutes=$((keep_days * 24 * 60))
while IFS= read -r -d '' old; do
    rm -f -- "$old"
    say "deleted $old (older than $keep_days days)"
done < <(find "$backup_dir" -maxdepth 1 -type f -name 'hub-*.dump' -mmin "+$minutes" -print0)
