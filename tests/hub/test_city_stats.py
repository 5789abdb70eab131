"""City-wide figures from the hub: every site's tables and the city's, suppressed together."""

from __future__ import annotations

import csv
import json
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest

from kiosk.cli import main as kiosk_main
from kiosk.core.stats.joint import determined_cells
from kiosk.core.stats.monthly import TABLES
from kiosk.hub.stats import CITY, export_city, month_joint
from tests.hub.servers import add_site, enrol

SITES = ("bibliothek", "stadtteilzentrum", "vhs")


def add_events(url: str, site: str, rows: list[tuple[str, str, str]]) -> None:
    """Events as a site's terminal would have pushed them: (hour, kind, language)."""
    with psycopg.connect(url) as conn:
        terminal = conn.execute(
            "SELECT id FROM terminals WHERE site = %s LIMIT 1", [site]
        ).fetchone()
        assert terminal is not None
        for hour, kind, language in rows:
            conn.execute(
                "INSERT INTO usage_events (id, site, terminal_id, hour, kind, language) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [uuid.uuid4(), site, terminal[0], hour, kind, language],
            )


@pytest.fixture
def city(hub_database: str, tmp_path: Path) -> str:
    for site in SITES:
        add_site(hub_database, site, tmp_path)
        enrol(hub_database, site, f"{site}-1")
    # November: the vhs and the library are busy; two Arabic sessions happen at the small
    # community centre — a count the city total would give away minus the other two sites.
    busy = [(f"2026-11-{day:02d}T10", "session_started", "de") for day in range(1, 29)]
    add_events(hub_database, "vhs", busy * 2 + [("2026-11-03T11", "session_started", "ar")] * 9)
    add_events(hub_database, "bibliothek", busy + [("2026-11-04T12", "session_started", "ar")] * 6)
    add_events(
        hub_database,
        "stadtteilzentrum",
        [("2026-11-05T15", "session_started", "ar")] * 2
        + [("2026-11-05T15", "session_started", "de")] * 7,
    )
    return hub_database


def test_no_small_count_of_a_site_is_recoverable_from_the_city_table(city: str) -> None:
    with psycopg.connect(city) as conn:
        joints = {spec.name: month_joint(conn, spec, date(2026, 11, 1), 5) for spec in TABLES}
    for name, joint in joints.items():
        assert sorted(joint.sites) == sorted(SITES)
        assert determined_cells(joint) == set(), name
        for table in [joint.city, *joint.sites.values()]:
            for row in range(len(table.rows) + 1):
                for column in range(len(table.columns) + 1):
                    value = table.value(row, column)
                    assert value is None or not 0 < value < 5, name
    joint = joints["sessions_by_language"]
    arabic = joint.city.columns.index("ar")
    month = len(joint.city.rows)  # the month's totals line
    # The centre's 2 Arabic sessions are hidden, and so is something on every line through
    # them: the city's Arabic total, or another site's Arabic count.
    assert joint.sites["stadtteilzentrum"].value(month, arabic) is None
    others = [joint.sites[s].value(month, arabic) for s in ("vhs", "bibliothek")]
    assert joint.city.value(month, arabic) is None or None in others


def test_a_month_once_published_stays_when_late_events_arrive(city: str, tmp_path: Path) -> None:
    """A terminal offline for days sends November's events in December: the November already
    published does not change (else the two exports' difference would give them away)."""
    with psycopg.connect(city) as conn:
        before, _span = export_city(
            conn, date(2026, 11, 1), date(2026, 11, 30), tmp_path, today=date(2026, 12, 2)
        )
    add_events(city, "stadtteilzentrum", [("2026-11-20T10", "session_started", "tr")] * 3)
    with psycopg.connect(city) as conn:
        after, _span = export_city(
            conn, date(2026, 11, 1), date(2026, 11, 30), tmp_path, today=date(2026, 12, 9)
        )
    assert before != after
    assert (before / "usage-statistics.csv").read_bytes() == (
        after / "usage-statistics.csv"
    ).read_bytes()


def test_site_and_city_exports_agree_cell_by_cell(city: str, tmp_path: Path) -> None:
    with psycopg.connect(city) as conn:
        city_folder, _span = export_city(conn, date(2026, 11, 1), date(2026, 11, 30), tmp_path)
        vhs_folder, _span = export_city(
            conn, date(2026, 11, 1), date(2026, 11, 30), tmp_path, site="vhs"
        )
    assert city_folder.name == f"probierladen-usage-{CITY}-2026-11-01_2026-11-30"
    assert vhs_folder.name == "probierladen-usage-vhs-2026-11-01_2026-11-30"
    for folder in (city_folder, vhs_folder):
        assert {path.name for path in folder.iterdir()} == {
            "usage-statistics.csv",
            "usage-statistics.json",
            "dcat-ap-de.ttl",
        }
    rows = {
        folder: list(
            csv.DictReader((folder / "usage-statistics.csv").read_text("utf-8").splitlines())
        )
        for folder in (city_folder, vhs_folder)
    }
    visits = [r for r in rows[city_folder] if r["table"] == "visitor_sessions"]
    assert visits[0]["count"] == str(28 * 3 + 9 + 6 + 9)
    document = json.loads((vhs_folder / "usage-statistics.json").read_text(encoding="utf-8"))
    assert document["suppression"]["k"] == 5
    # Same columns as a terminal's own export, so the portal reads both alike.
    assert list(rows[vhs_folder][0]) == [
        "table",
        "period",
        "period_start",
        "period_end",
        "category",
        "count",
        "suppressed",
    ]


def test_the_command_writes_the_city_export_and_refuses_an_unknown_site(
    city: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    argv = [
        "hub",
        "stats",
        "export",
        "--database",
        city,
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(out),
    ]
    assert kiosk_main(argv) == 0
    assert capsys.readouterr().out.strip().endswith(f"usage-{CITY}-2026-11-01_2026-11-30")
    assert kiosk_main([*argv, "--site", "nowhere"]) == 2
    assert "no site 'nowhere'" in capsys.readouterr().err
    assert sorted(path.name for path in out.iterdir()) == [
        f"probierladen-usage-{CITY}-2026-11-01_2026-11-30"
    ]
