"""The desk's city figures (kiosk.hub.desk.figures) against a real PostgreSQL: the charts show
exactly what the export publishes (suppressed counts as gaps), right to left mirrored, and the
zip holds the files `kiosk hub stats export` writes."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import date
from pathlib import Path

import psycopg
import pytest

from kiosk.cli import main as kiosk_main
from kiosk.core.stats.periods import month_end
from kiosk.hub.desk.figures import (
    FiguresError,
    export_zip,
    last_month,
    month_figures,
    number,
    parse_month,
)
from tests.hub.servers import add_site, enrol

SITE = "probierladen"
OTHER = "bibliothek"


def add_events(url: str, site: str, rows: list[tuple[str, str, str, str]]) -> None:
    """Events as the site's terminal pushed them: (hour, kind, language, course id)."""
    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT id FROM terminals WHERE site = %s", [site]).fetchone()
        assert found is not None
        for hour, kind, language, course in rows:
            conn.execute(
                "INSERT INTO usage_events (id, site, terminal_id, hour, kind, language, "
                "course_id) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [uuid.uuid4(), site, found[0], hour, kind, language, course],
            )


@pytest.fixture
def month(hub_database: str, tmp_path: Path) -> date:
    """Last month at two sites: six German sessions a day at the first site, two Arabic ones
    on the 20th (a small count), video-call courses started; a few sessions at the other."""
    first = last_month(date.today())
    for site in (SITE, OTHER):
        add_site(hub_database, site, tmp_path)
        enrol(hub_database, site, f"{site}-1")
    rows = []
    for day in range(1, 16):
        stamp = f"{first.replace(day=day).isoformat()}T10"
        rows += [(stamp, "session_started", "de", "")] * 6
        rows += [(stamp, "course_started", "de", "video-calls")] * 5
    rows += [(f"{first.replace(day=20).isoformat()}T11", "session_started", "ar", "")] * 2
    add_events(hub_database, SITE, rows)
    add_events(hub_database, OTHER, [(f"{first.isoformat()}T09", "session_started", "de", "")] * 7)
    return first


def exported(database_url: str, tmp_path: Path, first: date, period: str) -> Path:
    """The folder the CLI writes for the site and the month."""
    out = tmp_path / f"cli-{period}"
    out.mkdir()
    argv = ["hub", "stats", "export", "--database", database_url, "--site", SITE]
    argv += ["--from", first.isoformat(), "--to", month_end(first).isoformat()]
    assert kiosk_main([*argv, "--period", period, "--out", str(out)]) == 0
    (folder,) = out.iterdir()
    return folder


def published(folder: Path, table: str) -> dict[tuple[str, str], int | None]:
    """(period start, category) → the published count (None: suppressed) of one table."""
    text = (folder / "usage-statistics.csv").read_text(encoding="utf-8")
    return {
        (row["period_start"], row["category"]): None
        if row["suppressed"] == "1"
        else int(row["count"])
        for row in csv.DictReader(io.StringIO(text))
        if row["table"] == table
    }


def test_the_charts_show_what_the_export_publishes_with_gaps_for_suppressed_counts(
    hub_database: str, month: date, tmp_path: Path
) -> None:
    with psycopg.connect(hub_database) as conn:
        figures = month_figures(conn, month, SITE, date.today(), "en", rtl=False)
    daily, courses, languages = figures.charts
    assert (daily.table, courses.table, languages.table) == (
        "visitor_sessions",
        "course_participants",
        "sessions_by_language",
    )
    days = exported(hub_database, tmp_path, month, "day")
    per_day = published(days, "visitor_sessions")
    assert len(daily.bars) == len(per_day) == (month_end(month) - month).days + 1
    assert [bar.value for bar in daily.bars] == [
        per_day[(month.replace(day=n).isoformat(), "all")] for n in range(1, len(daily.bars) + 1)
    ]
    assert daily.bars[19].value is None and daily.suppressed  # the two sessions on the 20th
    assert daily.bars[19].height == 0 and daily.bars[19].text == "\u2013"
    assert daily.bars[25].value == 0  # nobody came: published as zero
    assert daily.bars[0].label == "1" and daily.bars[0].x < daily.bars[1].x

    months = exported(hub_database, tmp_path, month, "month")
    assert [(bar.label, bar.value) for bar in courses.bars] == [
        (
            "Video calls",
            published(months, "course_participants")[(month.isoformat(), "video-calls")],
        )
    ]
    by_language = published(months, "sessions_by_language")
    assert {bar.label: bar.value for bar in languages.bars} == {
        "Deutsch": by_language[(month.isoformat(), "de")],
        "العربية": by_language[(month.isoformat(), "ar")],
    }
    assert by_language[(month.isoformat(), "ar")] is None


def test_right_to_left_the_days_run_from_the_right_and_bars_grow_leftwards(
    hub_database: str, month: date
) -> None:
    with psycopg.connect(hub_database) as conn:
        ltr = month_figures(conn, month, SITE, date.today(), "ar", rtl=False)
        rtl = month_figures(conn, month, SITE, date.today(), "ar", rtl=True)
    assert rtl.charts[0].bars[0].x > rtl.charts[0].bars[1].x
    assert rtl.charts[0].bars[0].x == pytest.approx(ltr.charts[0].bars[-1].x)
    course_ltr, course_rtl = ltr.charts[1].bars[0], rtl.charts[1].bars[0]
    assert course_rtl.x + course_rtl.width == pytest.approx(ltr.charts[1].width - course_ltr.x)
    assert course_rtl.label_x > course_rtl.x and course_ltr.label_x < course_ltr.x
    assert (ltr.charts[1].anchor, rtl.charts[1].anchor) == ("end", "start")
    with psycopg.connect(hub_database) as conn:
        persian = month_figures(conn, month, SITE, date.today(), "fa", rtl=True)
    assert persian.charts[0].bars[0].label == "۱"  # the day of the month in Persian digits


def test_a_month_that_is_not_over_is_refused(hub_database: str, month: date) -> None:
    this_month = date.today().replace(day=1)
    with psycopg.connect(hub_database) as conn, pytest.raises(FiguresError) as refused:
        month_figures(conn, this_month, SITE, date.today(), "de", rtl=False)
    assert refused.value.reason == "incomplete"
    with psycopg.connect(hub_database) as conn:
        assert conn.execute("SELECT count(*) FROM published_months").fetchone() == (0,)


def test_the_zip_holds_the_folder_the_command_writes(
    hub_database: str, month: date, tmp_path: Path
) -> None:
    with psycopg.connect(hub_database) as conn:
        name, body = export_zip(
            conn, month, month_end(month), period="day", site=SITE, today=date.today()
        )
    folder = exported(hub_database, tmp_path, month, "day")
    assert name == f"{folder.name}.zip"
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{folder.name}/{path.name}" for path in folder.iterdir())
        for path in folder.iterdir():
            if path.suffix in (".csv", ".json"):
                assert archive.read(f"{folder.name}/{path.name}") == path.read_bytes()
    with psycopg.connect(hub_database) as conn, pytest.raises(FiguresError):
        export_zip(conn, month, month_end(month), period="week", site=SITE)


def test_months_and_numbers_are_read_and_written_per_language() -> None:
    assert parse_month("2026-11") == date(2026, 11, 1)
    assert [parse_month(t) for t in ("2026-13", "2026-1", "11-2026", "", "2026-1a")] == [None] * 5
    assert last_month(date(2027, 1, 15)) == date(2026, 12, 1)
    assert number(12345, "de") == "12.345"
    assert number(12345, "fa") == "۱۲,۳۴۵"  # as the terminals write it
    assert number(None, "en") == "\u2013"
