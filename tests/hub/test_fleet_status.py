"""Terminal health on the hub: POST /v1/health kept as each terminal's latest report, the flags
of `kiosk hub status` (a pure function of what is stored and an injected time), and the command
itself against a real PostgreSQL and a real hub."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from kiosk.cli import main as kiosk_main
from kiosk.hub.fleet_models import HealthReport
from kiosk.hub.fleet_status import Limits, TerminalHealth, flags
from tests.hub.servers import add_site, enrol, threaded_hub

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
GIB = 1024**3


def report(**changes: Any) -> dict[str, Any]:
    """A health report as a terminal sends it, every field present."""
    return {
        "app_version": "0.9.0",
        "reported_at": "2026-12-07T10:00:00+00:00",
        "last_sync": "2026-12-07T09:59:30+00:00",
        "outbox_backlog": 3,
        "database": "ok",
        "database_checked_at": "2026-12-07T09:30:00+00:00",
        "last_backup": None,
        "disk_free_bytes": 40 * GIB,
        "disk_total_bytes": 100 * GIB,
        "courses": [{"course_id": "video-calls", "id": 17, "version": 4}],
        "courses_problem": "",
        "config_version": 3,
        "config_problem": "",
        "printer": "ready",
        "last_crash": None,
        "last_error": None,
    } | changes


def terminal(**fields: Any) -> TerminalHealth:
    """A terminal heard from a minute before NOW, with a healthy report unless changed."""
    values: dict[str, Any] = {
        "name": "vhs-1",
        "site": "vhs",
        "revoked": False,
        "last_seen": NOW - timedelta(minutes=1),
        "version": "0.9.0",
        "rows_received": 0,
        "backlog": 0,
        "backlog_at": None,
        "received_at": NOW,
        "report": report(),
    }
    return TerminalHealth(**(values | fields))


@pytest.fixture
def vhs(hub_database: str, tmp_path: Path) -> tuple[str, str]:
    """The database and the token of terminal vhs-1 of site vhs."""
    add_site(hub_database, "vhs", tmp_path)
    return hub_database, enrol(hub_database, "vhs", "vhs-1")


def kept(database: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(database) as conn:
        return conn.execute(
            "SELECT t.name, h.report, h.received_at, t.version, t.backlog, t.last_seen "
            "FROM terminal_health h JOIN terminals t ON t.id = h.terminal_id"
        ).fetchall()


# --- POST /v1/health --------------------------------------------------------------------------


def test_a_health_report_is_kept_as_the_terminal_s_latest(vhs: tuple[str, str]) -> None:
    database, token = vhs
    with threaded_hub(database) as url, httpx.Client(base_url=url, timeout=10) as client:
        auth = {"Authorization": f"Bearer {token}"}
        first = client.post("/v1/health", json=report(), headers=auth)
        assert (first.status_code, first.content) == (204, b"")
        second = client.post(
            "/v1/health", json=report(outbox_backlog=1500, app_version="0.9.1"), headers=auth
        )
        assert second.status_code == 204
    [(name, stored, received_at, version, backlog, last_seen)] = kept(database)
    assert name == "vhs-1"
    assert stored == report(outbox_backlog=1500, app_version="0.9.1")
    assert (version, backlog) == ("0.9.1", 1500)  # also what `kiosk hub status` shows
    now = datetime.now(UTC)
    assert now - timedelta(minutes=1) < received_at <= now
    assert now - timedelta(minutes=1) < last_seen <= now


@pytest.mark.parametrize(
    "body",
    [
        report(battery="low"),  # an unknown key
        report(courses_problem="x" * 501),
        report(config_problem="a\x00b"),
        report(last_error="e" * 501),
        report(courses=[{"course_id": "../etc", "id": 1, "version": 1}]),
        report(database="broken"),
        report(printer="on fire"),
        report(reported_at="2026-12-07T10:00:00"),  # no offset
        report(disk_free_bytes=-1),
        report(outbox_backlog="3"),
        report(app_version="0.9 beta"),
        {key: value for key, value in report().items() if key != "last_crash"},
    ],
    ids=[
        "unknown-key",
        "long-problem",
        "nul",
        "long-error",
        "course-id",
        "database",
        "printer",
        "naive-time",
        "negative",
        "text-number",
        "version",
        "missing-field",
    ],
)
def test_a_bad_health_report_is_refused_and_nothing_is_kept(
    vhs: tuple[str, str], body: dict[str, Any]
) -> None:
    database, token = vhs
    with threaded_hub(database) as url:
        answer = httpx.post(
            f"{url}/v1/health", json=body, headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid"
    assert kept(database) == []
    with psycopg.connect(database) as conn:
        assert conn.execute("SELECT last_seen FROM terminals").fetchall() == [(None,)]


def test_the_longest_texts_are_taken_and_a_report_needs_a_token(vhs: tuple[str, str]) -> None:
    database, token = vhs
    longest = report(courses_problem="c" * 500, config_problem="k" * 500, last_error="e" * 500)
    with threaded_hub(database) as url:
        assert httpx.post(f"{url}/v1/health", json=longest).status_code == 401
        assert kept(database) == []
        answer = httpx.post(
            f"{url}/v1/health", json=longest, headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 204
    assert kept(database)[0][1] == longest


# --- the flags --------------------------------------------------------------------------------


def test_a_terminal_is_silent_after_ten_minutes_or_the_time_given() -> None:
    assert flags(terminal(), NOW) == ()
    assert flags(terminal(last_seen=NOW - timedelta(minutes=10)), NOW) == ()
    assert flags(terminal(last_seen=NOW - timedelta(minutes=10, seconds=1)), NOW) == ("silent",)
    assert flags(terminal(last_seen=None, report=None), NOW) == ("silent",)  # never heard from
    thirty = Limits(silent_after=timedelta(minutes=30))
    assert flags(terminal(last_seen=NOW - timedelta(minutes=29)), NOW, thirty) == ()
    assert flags(terminal(last_seen=NOW - timedelta(minutes=31)), NOW, thirty) == ("silent",)


def test_a_backlog_over_a_thousand_rows_or_the_number_given_is_flagged() -> None:
    assert flags(terminal(backlog=1000), NOW) == ()
    assert flags(terminal(backlog=1001), NOW) == ("backlog",)
    assert flags(terminal(backlog=1001), NOW, Limits(backlog_over=5000)) == ()
    assert flags(terminal(backlog=6), NOW, Limits(backlog_over=5)) == ("backlog",)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"database": "damaged"}, ("database",)),
        ({"database": "unknown"}, ()),
        ({"disk_free_bytes": 2 * GIB}, ("disk",)),  # 2 % of 100 GiB
        ({"disk_free_bytes": GIB // 2, "disk_total_bytes": 2 * GIB}, ("disk",)),  # under 1 GiB
        ({"disk_free_bytes": 6 * GIB}, ()),
        ({"config_problem": "version 4: site.toml:12: …"}, ("config",)),
        ({"courses_problem": "video-calls v5 (id 18): hash mismatch"}, ("courses",)),
        ({"last_crash": (NOW - timedelta(hours=23)).isoformat()}, ("crashed",)),
        ({"last_crash": (NOW - timedelta(hours=25)).isoformat()}, ()),
        ({"printer": "error", "last_error": "a recovered error"}, ()),
    ],
)
def test_what_a_report_says_raises_its_flag(
    changes: dict[str, Any], expected: tuple[str, ...]
) -> None:
    assert flags(terminal(report=report(**changes)), NOW) == expected


def test_a_revoked_terminal_is_never_flagged_and_flags_keep_their_order() -> None:
    bad = report(
        database="damaged",
        disk_free_bytes=0,
        config_problem="c",
        courses_problem="k",
        last_crash=NOW.isoformat(),
    )
    assert flags(terminal(last_seen=None, backlog=10**6, report=bad), NOW) == (
        "silent",
        "backlog",
        "database",
        "disk",
        "config",
        "courses",
        "crashed",
    )
    assert flags(terminal(revoked=True, last_seen=None, backlog=10**6, report=bad), NOW) == ()


# --- kiosk hub status -------------------------------------------------------------------------


def status(
    capsys: pytest.CaptureFixture[str], database: str, *options: str
) -> tuple[int, str, list[str]]:
    code = kiosk_main(["hub", "status", "--database", database, *options])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def test_status_json_lists_every_health_field_per_terminal(
    vhs: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, token = vhs
    add_site(database, "library", tmp_path)
    enrol(database, "library", "lib-1")
    sent = report(courses_problem="video-calls v5 (id 18): hash mismatch")
    with threaded_hub(database) as url:
        posted = httpx.post(
            f"{url}/v1/health", json=sent, headers={"Authorization": f"Bearer {token}"}
        )
        assert posted.status_code == 204

    code, out, err = status(capsys, database, "--json")
    assert code == 1  # lib-1 never called; vhs-1 refused a course
    shown = {item["terminal"]: item for item in json.loads(out)}
    vhs_1, lib_1 = shown["vhs-1"], shown["lib-1"]
    assert set(vhs_1) >= {
        "terminal", "site", "revoked", "last_seen", "version", "backlog", "flags", "health"
    }  # fmt: skip
    assert set(vhs_1["health"]) == {*HealthReport.model_fields, "received_at"}
    assert {k: v for k, v in vhs_1["health"].items() if k != "received_at"} == sent
    assert datetime.fromisoformat(vhs_1["health"]["received_at"]).tzinfo is not None
    assert (vhs_1["flags"], vhs_1["version"], vhs_1["backlog"]) == (["courses"], "0.9.0", 3)
    assert (lib_1["flags"], lib_1["health"]) == (["silent"], None)
    assert err == [
        "hub status: not heard from for over 10 min: lib-1",
        "hub status: course package refused: vhs-1",
    ]

    code, out, _err = status(capsys, database)
    table = out.splitlines()
    assert table[0].split()[:2] == ["terminal", "site"]
    assert "vhs-1: courses: video-calls v5 (id 18): hash mismatch" in table
    assert next(line for line in table if line.startswith("lib-1")).endswith("silent")


def test_status_exits_0_when_no_terminal_is_flagged_and_takes_its_limits(
    vhs: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, _token = vhs
    enrol(database, "vhs", "vhs-old")
    with psycopg.connect(database) as conn:
        conn.execute(
            "UPDATE terminals SET last_seen = now() - interval '20 minutes', backlog = 1500 "
            "WHERE name = 'vhs-1'"
        )
        conn.execute("UPDATE terminals SET revoked_at = now() WHERE name = 'vhs-old'")

    code, _out, err = status(capsys, database)
    assert code == 1
    assert err == [
        "hub status: not heard from for over 10 min: vhs-1",
        "hub status: more than 1000 rows waiting in the outbox: vhs-1",
    ]
    code, _out, err = status(capsys, database, "--silent-after", "30", "--backlog-over", "2000")
    assert (code, err) == (0, [])  # the revoked terminal, never heard from, is not flagged
    code, _out, err = status(capsys, database, "--silent-after", "15", "--backlog-over", "2000")
    assert (code, err) == (1, ["hub status: not heard from for over 15 min: vhs-1"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--silent-after", "0"), "hub status: the silent time must be above 0"),
        (("--backlog-over", "-1"), "hub status: --backlog-over: give 0 or more rows"),
        (
            ("--silent-after", "5", "--stale-after", "1"),
            "hub status: give --silent-after or --stale-after, not both",
        ),
    ],
)
def test_status_refuses_limits_it_cannot_use(
    hub_database: str, capsys: pytest.CaptureFixture[str], options: tuple[str, ...], message: str
) -> None:
    code, out, err = status(capsys, hub_database, *options)
    assert (code, out, err) == (2, "", [message])
