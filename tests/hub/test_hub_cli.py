"""`kiosk hub …`, `kiosk check` and `kiosk sync` as administrators run them: real processes
against a real PostgreSQL and a real hub, exit codes and what they print.

Exit codes: 0 done, 1 failed (e.g. the database cannot be reached), 2 the request cannot be
carried out as given (one readable line per problem, FILE:LINE first for config files).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest

from kiosk.hub.devcluster import free_port
from kiosk.hub.schema import migration_files
from kiosk.storage.database import Storage
from tests.hub.servers import (
    REPO,
    add_site,
    make_terminal,
    site_config_text,
    threaded_hub,
)

HUB_LOCAL_MESSAGE = "belongs to each terminal's own config, never to the hub; remove it"


def kiosk(
    *args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m kiosk ARGS` with no KIOSK_HUB_DATABASE unless given; never a traceback."""
    environment = {k: v for k, v in os.environ.items() if k != "KIOSK_HUB_DATABASE"}
    environment.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
        check=False,
    )
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
        assert 'File "' not in stream, stream
    return result


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


def push_events(url: str, token: str, site: str, **batch: object) -> httpx.Response:
    event = {"id": str(uuid.uuid4()), "hour": "2026-03-02T10", "kind": "consultation"}
    return httpx.post(
        f"{url}/v1/push",
        headers={"Authorization": f"Bearer {token}"},
        json={"site": site, "events": [event], **batch},
        timeout=10,
    )


def line_of(path: Path, start: str) -> int:
    """The number of the first line of ``path`` that starts with ``start``."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith(start):
            return number
    raise AssertionError(f"{path} has no line starting with {start!r}")


@pytest.fixture
def site_file(tmp_path: Path) -> Path:
    """A good site config (the demo site's, without the staff PIN hash)."""
    path = tmp_path / "vhs.toml"
    path.write_text(site_config_text(), encoding="utf-8")
    return path


@pytest.fixture
def terminal_home(tmp_path: Path) -> Path:
    """KIOSK_HOME for the processes: nothing of the user's is touched."""
    path = tmp_path / "kiosk-home"
    path.mkdir()
    return path


# --- init-db ------------------------------------------------------------------------------


def test_init_db_applies_the_schema_once(empty_database: str) -> None:
    before = kiosk("hub", "status", "--database", empty_database)
    assert before.returncode == 1
    assert lines(before.stderr) == [
        "hub status: the database has no hub schema yet: run kiosk hub init-db"
    ]

    first = kiosk("hub", "init-db", "--database", empty_database)
    assert first.returncode == 0, first.stderr
    names = [name for name, _sql in migration_files()]
    assert lines(first.stdout) == [f"applied {', '.join(names)}"]

    second = kiosk("hub", "init-db", env={"KIOSK_HUB_DATABASE": empty_database})
    assert second.returncode == 0, second.stderr
    assert lines(second.stdout) == ["schema is up to date"]
    with psycopg.connect(empty_database) as conn:
        applied = conn.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
    assert applied == [(name,) for name in names]


# --- enrol and revoke ---------------------------------------------------------------------


def test_the_token_enrol_prints_last_is_the_terminal_s(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    enrolled = kiosk(
        "hub", "enrol", "--site", "vhs", "--terminal", "foyer-1", "--database", hub_database
    )
    assert enrolled.returncode == 0, enrolled.stderr
    token = lines(enrolled.stdout)[-1]
    assert re.fullmatch(r"pkh_[A-Za-z0-9_-]{43}", token), enrolled.stdout
    with threaded_hub(hub_database) as url:
        assert push_events(url, token, "vhs").status_code == 200
        assert push_events(url, token + "x", "vhs").status_code == 401
    # The hub keeps only the token's hash.
    with psycopg.connect(hub_database) as conn:
        [(row,)] = conn.execute("SELECT t::text FROM terminals t").fetchall()
    assert token not in row
    assert token.removeprefix("pkh_") not in row


def test_enrol_for_a_site_the_hub_does_not_know_fails_without_a_token(hub_database: str) -> None:
    result = kiosk(
        "hub", "enrol", "--site", "nowhere", "--terminal", "foyer-1", "--database", hub_database
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert lines(result.stderr) == [
        "hub enrol: no site 'nowhere' on this hub: push its config first (kiosk hub config push)"
    ]


def test_enrolling_a_name_again_ends_the_old_token(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    command = ("hub", "enrol", "--site", "vhs", "--terminal", "foyer-1", "--database")
    old = lines(kiosk(*command, hub_database).stdout)[-1]
    new = lines(kiosk(*command, hub_database).stdout)[-1]
    assert old != new
    with threaded_hub(hub_database) as url:
        assert push_events(url, old, "vhs").status_code == 401
        assert push_events(url, new, "vhs").status_code == 200


def test_revoke(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    token = lines(
        kiosk(
            "hub", "enrol", "--site", "vhs", "--terminal", "foyer-1", "--database", hub_database
        ).stdout
    )[-1]
    unknown = kiosk("hub", "revoke", "--terminal", "ghost", "--database", hub_database)
    assert unknown.returncode == 2
    assert lines(unknown.stderr) == ["hub revoke: no terminal 'ghost' on this hub"]

    revoked = kiosk("hub", "revoke", "--terminal", "foyer-1", "--database", hub_database)
    assert revoked.returncode == 0, revoked.stderr
    assert lines(revoked.stdout) == ["terminal foyer-1: token revoked"]
    again = kiosk("hub", "revoke", "--terminal", "foyer-1", "--database", hub_database)
    assert again.returncode == 2
    assert "already revoked" in again.stderr
    with threaded_hub(hub_database) as url:
        assert push_events(url, token, "vhs").status_code == 401


# --- config push --------------------------------------------------------------------------


def test_config_push_refuses_a_hub_section_at_its_line(hub_database: str, site_file: Path) -> None:
    site_file.write_text(
        site_config_text() + '\n[hub]\nurl = "https://hub.example.org/"\nsite = "vhs"\n',
        encoding="utf-8",
    )
    result = kiosk("hub", "config", "push", "--site", "vhs", site_file, "--database", hub_database)
    assert result.returncode == 2
    assert lines(result.stderr) == [
        f"{site_file}:{line_of(site_file, '[hub]')}: hub: {HUB_LOCAL_MESSAGE}"
    ]
    with psycopg.connect(hub_database) as conn:
        assert conn.execute("SELECT count(*) FROM site_configs").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM sites").fetchone() == (0,)


def test_config_push_refuses_a_staff_pin_hash_at_its_line(
    hub_database: str, tmp_path: Path
) -> None:
    demo = REPO / "kiosk" / "demo_site.toml"
    path = tmp_path / "with-pin.toml"
    path.write_text(demo.read_text(encoding="utf-8"), encoding="utf-8")
    result = kiosk("hub", "config", "push", "--site", "vhs", path, "--database", hub_database)
    assert result.returncode == 2
    assert lines(result.stderr) == [
        f"{path}:{line_of(path, 'pin_hash')}: staff.pin_hash: {HUB_LOCAL_MESSAGE}"
    ]


def test_config_push_refuses_an_invalid_config_with_the_lines_kiosk_check_prints(
    hub_database: str, site_file: Path, terminal_home: Path
) -> None:
    text = site_config_text()
    text = text.replace("idle_timeout_s = 90", 'idle_timeout_s = "x"', 1)
    text = text.replace('default = "de"', 'default = "xx"', 1)
    site_file.write_text(text, encoding="utf-8")

    checked = kiosk("check", "--config", site_file, "--data-dir", terminal_home)
    assert checked.returncode == 2
    problems = lines(checked.stderr)
    assert any(
        p.startswith(f"{site_file}:{line_of(site_file, 'idle_timeout_s')}: session.idle_timeout_s")
        for p in problems
    ), problems
    assert any(
        p.startswith(f"{site_file}:{line_of(site_file, 'default')}: languages.default")
        for p in problems
    ), problems

    pushed = kiosk("hub", "config", "push", "--site", "vhs", site_file, "--database", hub_database)
    assert pushed.returncode == 2
    assert lines(pushed.stderr) == problems
    with psycopg.connect(hub_database) as conn:
        assert conn.execute("SELECT count(*) FROM site_configs").fetchone() == (0,)


def test_config_push_problems_are_file_line_also_for_a_relative_path(
    hub_database: str, site_file: Path, terminal_home: Path
) -> None:
    """Administrators type `kiosk hub config push --site vhs vhs.toml` in the file's folder."""
    site_file.write_text(site_config_text() + '\n[hub]\nsite = "vhs"\n', encoding="utf-8")
    pushed = kiosk(
        "hub",
        "config",
        "push",
        "--site",
        "vhs",
        site_file.name,
        "--database",
        hub_database,
        cwd=site_file.parent,
    )
    assert pushed.returncode == 2
    assert lines(pushed.stderr) == [
        f"{site_file.name}:{line_of(site_file, '[hub]')}: hub: {HUB_LOCAL_MESSAGE}"
    ]

    site_file.write_text(
        site_config_text().replace("idle_timeout_s = 90", 'idle_timeout_s = "x"', 1),
        encoding="utf-8",
    )
    checked = kiosk(
        "check", "--config", site_file.name, "--data-dir", terminal_home, cwd=site_file.parent
    )
    pushed = kiosk(
        "hub",
        "config",
        "push",
        "--site",
        "vhs",
        site_file.name,
        "--database",
        hub_database,
        cwd=site_file.parent,
    )
    assert checked.returncode == pushed.returncode == 2
    assert lines(pushed.stderr) == lines(checked.stderr)


def test_config_push_numbers_versions_and_skips_an_unchanged_file(
    hub_database: str, site_file: Path
) -> None:
    push = ("hub", "config", "push", "--site", "vhs", site_file, "--database", hub_database)
    first = kiosk(*push)
    assert first.returncode == 0, first.stderr
    assert lines(first.stdout) == ["site vhs: config version 1"]
    same = kiosk(*push)
    assert lines(same.stdout) == ["site vhs: config version 1"]

    site_file.write_text(
        site_config_text().replace("idle_timeout_s = 90", "idle_timeout_s = 120", 1),
        encoding="utf-8",
    )
    changed = kiosk(*push)
    assert changed.returncode == 0, changed.stderr
    assert lines(changed.stdout) == ["site vhs: config version 2"]
    with psycopg.connect(hub_database) as conn:
        versions = conn.execute(
            "SELECT version, body FROM site_configs WHERE site = 'vhs' ORDER BY version"
        ).fetchall()
    assert [v for v, _body in versions] == [1, 2]
    assert versions[1][1] == site_file.read_text(encoding="utf-8")

    missing = kiosk(
        "hub",
        "config",
        "push",
        "--site",
        "vhs",
        site_file.parent / "nope.toml",
        "--database",
        hub_database,
    )
    assert missing.returncode == 2
    assert lines(missing.stderr) == [f"{site_file.parent / 'nope.toml'}:1: file: no such file"]


# --- status -------------------------------------------------------------------------------


def test_status_json_shows_what_each_terminal_reported(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    add_site(hub_database, "library", tmp_path)
    enrol = ("hub", "enrol", "--database", hub_database, "--site")
    token = lines(kiosk(*enrol, "vhs", "--terminal", "foyer-1").stdout)[-1]
    kiosk(*enrol, "library", "--terminal", "branch-2")

    before = kiosk("hub", "status", "--json", "--database", hub_database)
    assert before.returncode == 1  # never heard from: silent (tests/hub/test_fleet_status.py)
    assert json.loads(before.stdout) == [
        {
            "terminal": "branch-2",
            "site": "library",
            "revoked": False,
            "last_seen": None,
            "version": "",
            "rows_received": 0,
            "backlog": 0,
            "backlog_reported_at": None,
            "flags": ["silent"],
            "health": None,
        },
        {
            "terminal": "foyer-1",
            "site": "vhs",
            "revoked": False,
            "last_seen": None,
            "version": "",
            "rows_received": 0,
            "backlog": 0,
            "backlog_reported_at": None,
            "flags": ["silent"],
            "health": None,
        },
    ]
    table = kiosk("hub", "status", "--database", hub_database)
    assert "never" in table.stdout

    with threaded_hub(hub_database) as url:
        pushed = push_events(url, token, "vhs", backlog=12, version="1.2.3")
        assert pushed.status_code == 200, pushed.text
    after = {
        t["terminal"]: t
        for t in json.loads(
            kiosk("hub", "status", "--json", env={"KIOSK_HUB_DATABASE": hub_database}).stdout
        )
    }
    foyer = after["foyer-1"]
    assert (foyer["site"], foyer["version"], foyer["rows_received"], foyer["backlog"]) == (
        "vhs",
        "1.2.3",
        1,
        12,
    )
    now = datetime.now(UTC)
    for stamp in (foyer["last_seen"], foyer["backlog_reported_at"]):
        assert now - timedelta(minutes=1) < datetime.fromisoformat(stamp) <= now
    assert after["branch-2"]["last_seen"] is None


# --- the database: not given, not reachable ------------------------------------------------


@pytest.mark.parametrize(
    "verb",
    [
        ("init-db",),
        ("status",),
        ("enrol", "--site", "vhs", "--terminal", "foyer-1"),
        ("revoke", "--terminal", "foyer-1"),
        ("config", "push", "--site", "vhs", "FILE"),
        ("stats", "export", "--from", "2026-01-01", "--to", "2026-01-31", "--out", "DIR"),
    ],
    ids=lambda verb: verb[0],
)
def test_without_a_database_or_with_one_out_of_reach(
    verb: tuple[str, ...], site_file: Path, tmp_path: Path
) -> None:
    args = [site_file if a == "FILE" else tmp_path if a == "DIR" else a for a in verb]
    label = " ".join(verb[:2] if verb[0] in ("config", "stats") else verb[:1])

    not_given = kiosk("hub", *args)
    assert not_given.returncode == 2
    assert lines(not_given.stderr) == [
        f"hub {verb[0]}: give --database URL or set KIOSK_HUB_DATABASE"
    ]

    closed = f"postgresql://hub@127.0.0.1:{free_port()}/hub"
    unreachable = kiosk("hub", *args, "--database", closed)
    assert unreachable.returncode == 1
    [line] = lines(unreachable.stderr)
    assert line.startswith(f"hub {label}: cannot reach the database: "), line
    assert unreachable.stdout == ""


def test_stats_export_to_a_missing_folder_writes_nothing(hub_database: str, tmp_path: Path) -> None:
    missing = tmp_path / "not-there"
    result = kiosk(
        "hub",
        "stats",
        "export",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--out",
        missing,
        "--database",
        hub_database,
    )
    assert result.returncode == 2
    assert lines(result.stderr) == [f"hub stats export: {missing}: no such folder; nothing written"]
    assert not missing.exists()


def test_serve_refuses_a_listen_address_it_cannot_use(hub_database: str) -> None:
    result = kiosk("hub", "serve", "--listen", "8470", "--database", hub_database)
    assert result.returncode == 2
    assert lines(result.stderr) == [
        "hub serve: --listen 8470: expected HOST:PORT, e.g. 127.0.0.1:8470"
    ]


# --- the terminal's side: kiosk check and kiosk sync ---------------------------------------


def test_check_warns_about_an_unreachable_hub_but_passes(
    hub_database: str, tmp_path: Path, terminal_home: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    closed = f"http://127.0.0.1:{free_port()}"
    terminal = make_terminal(tmp_path, hub_database, closed, "vhs", "foyer-1")
    result = kiosk("check", "--config", terminal.config, "--data-dir", terminal.data_dir)
    assert result.returncode == 0, result.stderr
    # The check's verdict comes last, after its line about this terminal's voices.
    speech, verdict = lines(result.stdout)
    assert speech.startswith("Speech: ") and verdict == f"{terminal.config}: ok"
    [warning] = lines(result.stderr)
    assert warning.startswith(f"warning: hub: {closed} is not reachable"), warning

    # The same terminal while its hub answers: no warning.
    with threaded_hub(hub_database) as url:
        terminal.config.write_text(
            terminal.config.read_text(encoding="utf-8").replace(closed, url), encoding="utf-8"
        )
        reachable = kiosk("check", "--config", terminal.config, "--data-dir", terminal.data_dir)
    assert reachable.returncode == 0, reachable.stderr
    assert reachable.stderr == ""


def test_check_warns_about_a_missing_token_file(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(
        tmp_path, hub_database, f"http://127.0.0.1:{free_port()}", "vhs", "foyer-1"
    )
    token_file = terminal.config.parent / "hub-token"
    token_file.unlink()
    result = kiosk("check", "--config", terminal.config, "--data-dir", terminal.data_dir)
    assert result.returncode == 0, result.stderr
    [warning] = lines(result.stderr)
    assert warning.startswith(f"warning: {token_file}: cannot read the hub token"), warning


def test_sync_status_once_and_an_unreachable_hub(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as url:
        terminal = make_terminal(tmp_path, hub_database, url, "vhs", "foyer-1")
        sync = ("sync", "--config", terminal.config, "--data-dir", terminal.data_dir)

        fresh = kiosk(*sync, "--status")
        assert fresh.returncode == 0, fresh.stderr
        assert lines(fresh.stdout) == [
            f"hub: {url} (site vhs)",
            "backlog: 0 rows waiting (oldest -)",
            "last sync: never",
            "cursor: 0",
            "site config: this terminal's own file",
            "courses: those shipped with the kiosk",
        ]

        # The kiosk counts three events while it is joined to the hub: three outbox rows.
        with Storage.open(terminal.data_dir, outbox=True) as storage:
            for kind in ("session_started", "language_chosen", "consultation"):
                storage.usage.add_event("2026-03-02T10", kind, language="uk")
        waiting = kiosk(*sync, "--status")
        assert lines(waiting.stdout)[1].startswith("backlog: 3 rows waiting (oldest 20")

        # The hub is away (a closed port): nothing is lost.
        away = f"http://127.0.0.1:{free_port()}"
        terminal.config.write_text(
            terminal.config.read_text(encoding="utf-8").replace(url, away), encoding="utf-8"
        )
        offline = kiosk(*sync, "--once")
        assert offline.returncode == 1
        [line] = lines(offline.stderr)
        assert line.startswith(f"sync: the hub at {away} is unreachable"), line
        assert line.endswith("the outbox keeps every row until it is back"), line
        assert lines(kiosk(*sync, "--status").stdout)[1].startswith("backlog: 3 rows waiting")

        # Back: the rows go, once.
        terminal.config.write_text(
            terminal.config.read_text(encoding="utf-8").replace(away, url), encoding="utf-8"
        )
        once = kiosk(*sync, "--once")
        assert once.returncode == 0, once.stderr
        assert lines(once.stdout) == ["pushed 3 rows, pulled 0 records; 0 rows waiting"]
        again = kiosk(*sync, "--once")
        assert lines(again.stdout) == ["pushed 0 rows, pulled 0 records; 0 rows waiting"]

    with psycopg.connect(hub_database) as conn:
        stored = conn.execute(
            "SELECT e.kind, e.language, t.name FROM usage_events e "
            "JOIN terminals t ON t.id = e.terminal_id ORDER BY e.kind"
        ).fetchall()
    assert stored == [
        ("consultation", "uk", "foyer-1"),
        ("language_chosen", "uk", "foyer-1"),
        ("session_started", "uk", "foyer-1"),
    ]
    status = lines(kiosk(*sync, "--status").stdout)
    assert status[1] == "backlog: 0 rows waiting (oldest -)"
    assert status[2] != "last sync: never"
