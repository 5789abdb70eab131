"""The hub's kit (packaging/hub) and its chapter in the administrator guide.

The systemd units pass `systemd-analyze verify` and keep their sandbox; backup.sh passes
ShellCheck and is run against a real PostgreSQL cluster (kiosk.hub.devcluster): its dumps read
back and restore as the guide says, old dumps go and recent ones stay, a retention beyond the
name purge window is refused, and a failed or stopped run leaves no partial file and deletes
nothing. The guide's chapter "Network of terminals" shows every `kiosk hub` verb and
`kiosk sync`, and the kit, the guide and the hub agree on address and body limit.

systemd, ShellCheck and PostgreSQL come from packaging/system-deps.sh test; as in
test_installer.py, a missing tool is a failure, not a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from kiosk.cli import main as kiosk_main
from kiosk.config.reference import declared_keys
from kiosk.hub.devcluster import DevCluster, free_port

REPO = Path(__file__).resolve().parents[2]
KIT = REPO / "packaging" / "hub"
GUIDE = REPO / "packaging" / "README.md"
BACKUP = KIT / "backup.sh"
HUB_UNIT = "probierladen-hub.service"
BACKUP_UNIT = "probierladen-hub-backup.service"
TIMER = "probierladen-hub-backup.timer"
# Where the units expect the program and the script on the hub machine.
INSTALLED_KIOSK = "/opt/probierladen-hub/venv/bin/kiosk"
INSTALLED_BACKUP = "/opt/probierladen-hub/backup.sh"
LISTEN = "127.0.0.1:8470"
# Every `kiosk hub` verb the guide must show, with its sub-verb where it has one.
HUB_VERBS = (
    "init-db",
    "serve",
    "enrol",
    "revoke",
    "config push",
    "courses publish",
    "courses list",
    "courses rollback",
    "status",
    "stats export",
)
DAY = 24 * 3600


def tool(name: str) -> str:
    """A command-line tool the test needs; packaging/system-deps.sh test installs them all."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (packaging/system-deps.sh test)")
    return found


def unit_lines(name: str) -> list[tuple[str, str]]:
    """(key, value) of every setting of a unit file, in order (keys may repeat)."""
    pairs = []
    for line in (KIT / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            pairs.append((key, value))
    return pairs


def setting(name: str, key: str) -> list[str]:
    return [value for found, value in unit_lines(name) if found == key]


# --- systemd units ----------------------------------------------------------------------------


@pytest.fixture
def staged_units(tmp_path: Path) -> Path:
    """The three units in a folder, the hub's program and the backup script replaced by stubs
    (systemd-analyze checks that they exist and are executable)."""
    stubs = {INSTALLED_KIOSK: tmp_path / "kiosk", INSTALLED_BACKUP: tmp_path / "backup.sh"}
    for stub in stubs.values():
        stub.write_text("#!/bin/sh\n")
        stub.chmod(0o755)
    folder = tmp_path / "units"
    folder.mkdir()
    for name in (HUB_UNIT, BACKUP_UNIT, TIMER):
        text = (KIT / name).read_text(encoding="utf-8")
        for installed, stub in stubs.items():
            text = text.replace(installed, str(stub))
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_units_verify(staged_units: Path) -> None:
    """No unknown key, bad value or missing unit: systemd-analyze prints nothing at all."""
    units = [staged_units / name for name in (HUB_UNIT, BACKUP_UNIT, TIMER)]
    result = subprocess.run(
        [tool("systemd-analyze"), "verify", *units], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "" and result.stdout.strip() == "", result.stderr


def test_hub_unit_runs_the_hub_as_its_own_user_from_the_venv() -> None:
    assert setting(HUB_UNIT, "User") == ["probierladen-hub"]
    assert setting(HUB_UNIT, "Group") == ["probierladen-hub"]
    assert setting(HUB_UNIT, "EnvironmentFile") == ["/etc/probierladen-hub/hub.env"]
    assert setting(HUB_UNIT, "ExecStartPre") == [f"{INSTALLED_KIOSK} hub init-db"]
    assert setting(HUB_UNIT, "ExecStart") == [f"{INSTALLED_KIOSK} hub serve --listen {LISTEN}"]
    assert setting(HUB_UNIT, "Restart") == ["always"]
    assert setting(HUB_UNIT, "StartLimitIntervalSec") == ["0"]
    after = " ".join(setting(HUB_UNIT, "After")).split()
    assert {"postgresql.service", "network-online.target"} <= set(after)
    # The password is in the environment file only, never in the unit or a command line.
    assert not any("postgresql://" in value for _key, value in unit_lines(HUB_UNIT))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("CapabilityBoundingSet", ""),
        ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
        ("SystemCallFilter", "@system-service"),
        ("MemoryDenyWriteExecute", "yes"),
        ("RestrictNamespaces", "yes"),
    ],
)
def test_hub_unit_sandbox(key: str, value: str) -> None:
    assert value in setting(HUB_UNIT, key)


@pytest.mark.parametrize(("unit", "limit"), [(HUB_UNIT, 2.0), (BACKUP_UNIT, 2.5)])
def test_sandbox_exposure_stays_low(staged_units: Path, unit: str, limit: float) -> None:
    """systemd's own rating of the sandbox (0 = fully locked down, 10 = none): today 1.2 for
    the hub and 1.9 for the backup; loosening a setting by mistake shows here."""
    result = subprocess.run(
        [tool("systemd-analyze"), "security", "--offline=true", "--no-pager", staged_units / unit],
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match, result.stdout + result.stderr
    assert float(match.group(1)) <= limit, result.stdout


def test_backup_runs_daily_as_root_without_capabilities() -> None:
    assert setting(BACKUP_UNIT, "Type") == ["oneshot"]
    assert setting(BACKUP_UNIT, "ExecStart") == [INSTALLED_BACKUP]
    assert setting(BACKUP_UNIT, "EnvironmentFile") == ["/etc/probierladen-hub/hub.env"]
    assert setting(BACKUP_UNIT, "User") == []  # root owns the backup folder, nobody else
    assert setting(BACKUP_UNIT, "CapabilityBoundingSet") == [""]
    assert setting(BACKUP_UNIT, "ReadWritePaths") == ["/var/backups"]
    assert setting(TIMER, "OnCalendar") == ["*-*-* 03:30:00"]
    assert setting(TIMER, "Persistent") == ["true"]
    assert setting(TIMER, "WantedBy") == ["timers.target"]


# --- backup.sh: lint and options --------------------------------------------------------------


def test_backup_script_passes_shellcheck() -> None:
    syntax = subprocess.run(["bash", "-n", BACKUP], capture_output=True, text=True, check=False)
    assert syntax.returncode == 0, syntax.stderr
    lint = subprocess.run([tool("shellcheck"), BACKUP], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout
    assert os.access(BACKUP, os.X_OK)


def run_backup(home: Path, *arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """backup.sh with a bare environment (no inherited KEEP_DAYS or PG* variables)."""
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8", **variables}
    return subprocess.run(
        [str(BACKUP), *arguments], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_backup_help(tmp_path: Path) -> None:
    result = run_backup(tmp_path, "--help")
    assert result.returncode == 0
    for word in ("KIOSK_HUB_DATABASE", "BACKUP_DIR", "KEEP_DAYS", "purge_days"):
        assert word in result.stdout
    unknown = run_backup(tmp_path, "--keep-days")
    assert unknown.returncode == 2
    assert "unknown argument --keep-days" in unknown.stderr


def test_backup_script_cap_is_the_longest_name_purge_window() -> None:
    """backup.sh refuses a retention above the longest [bookings] purge_days a site may set."""
    (purge_days,) = [key for key in declared_keys() if key.path == "bookings.purge_days"]
    script = BACKUP.read_text(encoding="utf-8")
    assert f"MAX_KEEP_DAYS={purge_days.maximum} " in script
    assert "keep_days=${KEEP_DAYS:-7}" in script
    assert "backup_dir=${BACKUP_DIR:-/var/backups/probierladen-hub}" in script
    example = (KIT / "hub.env.example").read_text(encoding="utf-8")
    assert "#KEEP_DAYS=7\n" in example
    assert "#BACKUP_DIR=/var/backups/probierladen-hub\n" in example


# --- backup.sh against PostgreSQL -------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[DevCluster]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (trust authentication) for this module."""
    made = DevCluster.create()
    try:
        yield made
    finally:
        made.destroy()


@pytest.fixture
def database(cluster: DevCluster) -> str:
    """A new database with a table and one row; returns its URL."""
    url = cluster.create_database(f"kit_{uuid.uuid4().hex[:12]}")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE terminals (name text PRIMARY KEY, site text NOT NULL)")
        conn.execute("INSERT INTO terminals VALUES ('vhs-1', 'vhs-probierladen')")
    return url


def dumps(folder: Path) -> list[Path]:
    return sorted(folder.glob("hub-*.dump"))


def age(path: Path, days: float) -> None:
    moment = time.time() - days * DAY
    os.utime(path, (moment, moment))


def test_backup_writes_a_private_dump_that_restores(
    cluster: DevCluster, database: str, tmp_path: Path
) -> None:
    """A custom-format dump in a 0700 folder; it restores with the guide's pg_restore options
    into a database owned by the hub's role."""
    folder = tmp_path / "backups"
    result = run_backup(tmp_path, KIOSK_HUB_DATABASE=database, BACKUP_DIR=str(folder))
    assert result.returncode == 0, result.stderr
    (dump,) = dumps(folder)
    assert re.fullmatch(r"hub-\d{8}-\d{6}\.dump", dump.name)
    assert f"wrote {dump}" in result.stdout
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert sorted(folder.iterdir()) == [dump]
    listing = subprocess.run(
        [tool("pg_restore"), "--list", dump], capture_output=True, text=True, check=False
    )
    assert listing.returncode == 0, listing.stderr
    assert re.search(r"TABLE public terminals", listing.stdout), listing.stdout

    owner = f"kit_owner_{uuid.uuid4().hex[:8]}"
    target = f"kit_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN")
        conn.execute(f"CREATE DATABASE {target} OWNER {owner}")
    with dump.open("rb") as stdin:
        restore = subprocess.run(
            [
                tool("pg_restore"),
                f"--dbname={cluster.url(target)}",
                "--no-owner",
                f"--role={owner}",
                "--single-transaction",
            ],
            stdin=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
    assert restore.returncode == 0, restore.stderr
    with psycopg.connect(cluster.url(target)) as conn:
        assert conn.execute("SELECT name, site FROM terminals").fetchall() == [
            ("vhs-1", "vhs-probierladen")
        ]
        (table_owner,) = conn.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'terminals'"
        ).fetchone() or ("",)
    assert table_owner == owner


def test_backup_deletes_dumps_older_than_keep_days_only(database: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    old, recent = folder / "hub-20200101-033000.dump", folder / "hub-20200103-033000.dump"
    other = folder / "notes.txt"  # not a dump: never touched
    for path, days in ((old, 3), (recent, 1), (other, 30)):
        path.write_bytes(b"PGDMP")
        age(path, days)
    result = run_backup(
        tmp_path, KIOSK_HUB_DATABASE=database, BACKUP_DIR=str(folder), KEEP_DAYS="2"
    )
    assert result.returncode == 0, result.stderr
    assert not old.exists()
    assert recent.exists() and other.exists()
    assert f"deleted {old} (older than 2 days)" in result.stdout
    assert len(dumps(folder)) == 2  # the new one and the recent one


@pytest.mark.parametrize("keep_days", ["91", "365"])
def test_retention_beyond_the_name_purge_window_is_refused(
    database: str, tmp_path: Path, keep_days: str
) -> None:
    folder = tmp_path / "backups"
    result = run_backup(
        tmp_path, KIOSK_HUB_DATABASE=database, BACKUP_DIR=str(folder), KEEP_DAYS=keep_days
    )
    assert result.returncode != 0
    message = " ".join(result.stderr.split())
    assert f"KEEP_DAYS={keep_days} is more than 90" in message
    assert "purge_days" in message and "names" in message.lower()
    assert not folder.exists()  # refused before anything was made


@pytest.mark.parametrize("keep_days", ["0", "seven", "-1", "1.5"])
def test_keep_days_must_be_a_positive_whole_number(tmp_path: Path, keep_days: str) -> None:
    result = run_backup(
        tmp_path, KIOSK_HUB_DATABASE="postgresql://x@127.0.0.1/x", KEEP_DAYS=keep_days
    )
    assert result.returncode != 0
    assert "KEEP_DAYS must be a whole number of days, at least 1" in result.stderr


def test_backup_needs_the_database_address(tmp_path: Path) -> None:
    result = run_backup(tmp_path, BACKUP_DIR=str(tmp_path / "backups"))
    assert result.returncode != 0
    assert "KIOSK_HUB_DATABASE is not set" in result.stderr


def test_unreachable_database_leaves_no_file_and_deletes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / "hub-20200101-033000.dump"
    old.write_bytes(b"PGDMP")
    age(old, 30)
    nowhere = f"postgresql://postgres@127.0.0.1:{free_port()}/hub"
    result = run_backup(tmp_path, KIOSK_HUB_DATABASE=nowhere, BACKUP_DIR=str(folder), KEEP_DAYS="2")
    assert result.returncode != 0
    assert "pg_dump failed" in result.stderr
    assert sorted(folder.iterdir()) == [old]  # no partial file, and the last backup kept


def fake_pg_dump(folder: Path, body: str) -> Path:
    """A pg_dump first on PATH that runs `body` (bash) before or instead of the real one."""
    folder.mkdir()
    fake = folder / "pg_dump"
    fake.write_text(f"#!/usr/bin/env bash\n{body}\n")
    fake.chmod(0o755)
    return folder


def test_password_goes_to_a_private_file_never_to_the_command_line(
    cluster: DevCluster, database: str, tmp_path: Path
) -> None:
    """The password (with characters .pgpass and URLs must escape) reaches libpq through a
    temporary password file; pg_dump's arguments, which `ps` shows, carry the URL without it."""
    password = "p:a\\ss%w@rd/é"  # noqa: S105 - a test password for a throwaway cluster
    record = tmp_path / "record"
    real = tool("pg_dump")
    bin_dir = fake_pg_dump(
        tmp_path / "bin",
        f'printf "%s\\n" "$@" >"{record}.argv"\n'
        f'cp -- "$PGPASSFILE" "{record}.passfile"\n'
        f'printf "%s" "$PGPASSFILE" >"{record}.path"\n'
        f'exec {real} "$@"',
    )
    database_name = database.rsplit("/", 1)[1]
    url = (
        f"postgresql://postgres:{urllib.parse.quote(password, safe='')}"
        f"@127.0.0.1:{cluster.port}/{database_name}"
    )
    result = subprocess.run(
        [str(BACKUP)],
        env={
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "HOME": str(tmp_path),
            "KIOSK_HUB_DATABASE": url,
            "BACKUP_DIR": str(tmp_path / "backups"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    argv = Path(f"{record}.argv").read_text(encoding="utf-8")
    assert f"--dbname=postgresql://postgres@127.0.0.1:{cluster.port}/{database_name}" in argv
    assert "p:a" not in argv and "w@rd" not in argv and "%40" not in argv
    assert Path(f"{record}.passfile").read_text(encoding="utf-8") == "*:*:*:*:p\\:a\\\\ss%w@rd/é\n"
    assert not Path(Path(f"{record}.path").read_text(encoding="utf-8")).exists()
    assert len(dumps(tmp_path / "backups")) == 1


def test_a_stopped_backup_leaves_no_partial_file(tmp_path: Path) -> None:
    """systemd stops a run with SIGTERM to all its processes: the half-written dump goes."""
    started = tmp_path / "started"
    bin_dir = fake_pg_dump(
        tmp_path / "bin",
        'for arg; do [[ $arg == --file=* ]] && printf PGDMP >"${arg#--file=}"; done\n'
        f'touch "{started}"\nsleep 60',
    )
    folder = tmp_path / "backups"
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "KIOSK_HUB_DATABASE": "postgresql://postgres@127.0.0.1/hub",
        "BACKUP_DIR": str(folder),
    }
    with subprocess.Popen(
        [str(BACKUP)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as run:
        try:
            deadline = time.monotonic() + 30
            while not started.exists():
                assert run.poll() is None, run.communicate()
                assert time.monotonic() < deadline, "the fake pg_dump never started"
                time.sleep(0.05)
            assert next(path.name for path in folder.iterdir()).endswith(".dump.partial")
            os.killpg(run.pid, signal.SIGTERM)
            _out, err = run.communicate(timeout=30)
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 143, err
    assert list(folder.iterdir()) == []


# --- reverse proxy examples -------------------------------------------------------------------


def test_proxies_pass_to_the_hub_with_its_body_limit() -> None:
    """nginx and Caddy forward to the address the unit's hub listens on, and refuse the bodies
    the hub refuses (kiosk.hub.api.MAX_BODY_BYTES)."""
    from kiosk.commands.hub import DEFAULT_LISTEN
    from kiosk.hub.api import MAX_BODY_BYTES

    assert DEFAULT_LISTEN == LISTEN
    nginx = (KIT / "nginx-hub.conf").read_text(encoding="utf-8")
    assert re.findall(r"proxy_pass (\S+);", nginx) == [f"http://{LISTEN}"] * 2
    assert "location = /health" in nginx
    (size,) = re.findall(r"client_max_body_size (\d+)m;", nginx)
    assert int(size) * 1024 * 1024 == MAX_BODY_BYTES
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "Host"):
        assert f"proxy_set_header {header} " in nginx
    assert "listen 443 ssl;" in nginx
    assert re.search(r"ssl_protocols TLSv1\.2 TLSv1\.3;", nginx)
    caddy = (KIT / "Caddyfile.example").read_text(encoding="utf-8")
    assert f"reverse_proxy {LISTEN}" in caddy
    (caddy_size,) = re.findall(r"max_size (\d+)MiB", caddy)
    assert int(caddy_size) * 1024 * 1024 == MAX_BODY_BYTES


# --- the guide --------------------------------------------------------------------------------


def chapter() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("\n## Network of terminals\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_guide_chapter_is_listed_in_the_contents() -> None:
    contents = GUIDE.read_text(encoding="utf-8").split("\n\n## ", 1)[0]
    assert "[Network of terminals](#network-of-terminals)" in contents


def test_guide_chapter_shows_every_hub_verb_and_sync() -> None:
    text = chapter()
    for verb in HUB_VERBS:
        assert f"kiosk hub {verb}" in text, f"the chapter never shows kiosk hub {verb}"
    assert "kiosk sync" in text
    assert "sync --once" in text and "sync --status" in text
    assert "make hub-demo" in text


def test_guide_chapter_commands_exist(capsys: pytest.CaptureFixture[str]) -> None:
    """Every `kiosk hub …` the chapter shows is a command of the CLI (its --help works)."""
    shown = set(re.findall(r"kiosk hub ([a-z-]+)(?: (push|export)\b)?", chapter()))
    assert {verb for verb, _sub in shown} >= {verb.split()[0] for verb in HUB_VERBS}
    for verb, sub in sorted(shown):
        with pytest.raises(SystemExit) as done:
            kiosk_main(["hub", verb, *([sub] if sub else []), "--help"])
        assert done.value.code == 0, (verb, sub, capsys.readouterr().err)
    with pytest.raises(SystemExit) as done:
        kiosk_main(["sync", "--help"])
    assert done.value.code == 0
    help_text = capsys.readouterr().out
    assert "--once" in help_text and "--status" in help_text


def test_guide_chapter_matches_the_kit() -> None:
    """Paths, names and limits the chapter tells administrators are the kit's."""
    text = chapter()
    for fact in (
        LISTEN,
        "/etc/probierladen-hub/hub.env",
        "/opt/probierladen-hub/venv",
        "/opt/probierladen-hub/backup.sh",
        "/var/backups/probierladen-hub",
        "probierladen-hub-backup.timer",
        "KEEP_DAYS",
        "pg_restore",
        "KIOSK_HUB_DATABASE",
        "/etc/probierladen-kiosk/hub-token",
        "0600",
        "Capacity",
        "hub_events_per_s",
    ):
        assert fact in text, fact
    for name in (HUB_UNIT, BACKUP_UNIT, TIMER, "backup.sh", "hub.env.example", "nginx-hub.conf"):
        assert (KIT / name).is_file(), name
        assert name in text, name
