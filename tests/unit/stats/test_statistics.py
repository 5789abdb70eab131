"""Usage statistics over a real database: events, roll-up, retention, export files, privacy."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from kiosk.core.bookings import BookingService
from kiosk.core.stats import DatasetInfo, EventKind, UsageEvents, UsageStatistics
from kiosk.storage.database import Storage
from tests.unit.bookings.helpers import TABLET, TABLET_2, TUESDAY, VR, Clock, at, calendar
from tests.unit.test_config import run_cli

BERLIN = ZoneInfo("Europe/Berlin")
INFO = DatasetInfo(
    site_name="ProbierLaden Jena",
    publisher="Stadt Jena",
    publisher_uri="https://example.org/jena",
    municipality_key="16053000",
    publish_url="https://opendata.example.org/probierladen/",
)
K = 5


def statistics(storage: Storage, clock: Clock) -> UsageStatistics:
    return UsageStatistics(storage.usage, BERLIN, k=K, retention_days=90, info=INFO, clock=clock)


def test_events_are_hours_and_closed_values_only(data_dir: Path) -> None:
    clock = Clock(datetime(2026, 12, 1, 10, 47, 13, tzinfo=BERLIN))
    with Storage.open(data_dir) as storage:
        events = UsageEvents(storage.usage, BERLIN, clock)
        events.session_started("fa")
        events.session_ended(7 * 60)
        events.course_started("video-calls", "fa")
        events.booking(EventKind.BOOKING_CHECKED_IN, "tablet")
        rows = storage.usage._db.execute(
            "SELECT hour, kind, language, course_id, device_kind, format, duration "
            "FROM usage_events ORDER BY id"
        ).fetchall()
    assert rows == [
        ("2026-12-01T10", "session_started", "fa", "", "", "", ""),
        ("2026-12-01T10", "session_ended", "", "", "", "", "5_15_min"),
        ("2026-12-01T10", "course_started", "fa", "video-calls", "", "self_learning", ""),
        ("2026-12-01T10", "booking_checked_in", "", "", "tablet", "device_trial", ""),
    ]


def test_retention_deletes_raw_events_and_keeps_the_counts(data_dir: Path) -> None:
    clock = Clock(datetime(2026, 1, 10, 12, tzinfo=BERLIN))
    with Storage.open(data_dir) as storage:
        events = UsageEvents(storage.usage, BERLIN, clock)
        for _ in range(7):
            events.session_started("de")
        clock.advance(days=50)
        for _ in range(6):
            events.session_started("uk")
        stats = statistics(storage, clock)
        clock.advance(days=45)  # the January events are now 95 days old
        deleted = stats.upkeep()
        assert deleted == 7
        raw = storage.usage._db.execute("SELECT count(*) FROM usage_events").fetchone()[0]
        assert raw == 6

        def per_month() -> dict[tuple[str, str], int]:
            rows = storage.usage.counts(
                "2026-01-01",
                "2026-03-31",
                kinds=("session_started",),
                period="month",
                dimension="language",
            )
            return {(row.period, row.category): row.count for row in rows}

        assert per_month() == {("2026-01-01", "de"): 7, ("2026-03-01", "uk"): 6}
        clock.advance(days=60)
        assert stats.upkeep() == 6
        assert per_month() == {("2026-01-01", "de"): 7, ("2026-03-01", "uk"): 6}  # counts stay
        report = stats.report(stats.span(date(2026, 1, 1), date(2026, 3, 31), "month"))
        _spec, table = next(t for t in report.tables if t[0].name == "sessions_by_language")
        assert table.columns == ("de", "uk") and table.rows[0] == "2026-01-01"
        assert table.value(0, 0) == 7 and table.value(2, 1) == 6


def _busy_site(storage: Storage, clock: Clock) -> None:
    events = UsageEvents(storage.usage, BERLIN, clock)
    for language, count in (("de", 30), ("uk", 9), ("fa", 2), ("ar", 3)):
        for _ in range(count):
            events.session_started(language)
    for _ in range(6):
        events.consultation()
    events.course_started("video-calls", "de")


def test_the_export_has_no_small_counts_and_valid_metadata(data_dir: Path, tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 12, 1, 11, tzinfo=BERLIN))
    with Storage.open(data_dir) as storage:
        _busy_site(storage, clock)
        clock.advance(days=32)  # December is over: its days may be published
        stats = statistics(storage, clock)
        folder = stats.export(stats.span(date(2026, 11, 30), date(2026, 12, 2), "day"), tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [
        "dcat-ap-de.ttl",
        "usage-statistics.csv",
        "usage-statistics.json",
    ]
    rows = list(csv.DictReader(io.StringIO((folder / "usage-statistics.csv").read_text())))
    assert rows and all(r["count"] == "" or not 0 < int(r["count"]) < K for r in rows)
    by_language = {
        (r["period_start"], r["category"]): r["count"]
        for r in rows
        if r["table"] == "sessions_by_language"
    }
    assert by_language[("2026-12-01", "de")] == "30"
    assert by_language[("2026-12-01", "fa")] == "" and by_language[("2026-12-01", "ar")] == ""
    assert by_language[("2026-11-30", "de")] == "0"  # a quiet day is published as zero
    document = json.loads((folder / "usage-statistics.json").read_text())
    assert document["suppression"]["k"] == K
    graph = Graph().parse(folder / "dcat-ap-de.ttl", format="turtle")
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    distributions = set(graph.objects(dataset, DCAT.distribution))
    base = INFO.publish_url
    assert distributions == {
        URIRef(base + "usage-statistics.csv"),
        URIRef(base + "usage-statistics.json"),
    }
    assert (
        dataset,
        DCTERMS.license,
        URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
    ) in graph
    assert [str(r) for r in graph.objects(dataset, DCAT.temporalResolution)] == ["P1D"]
    (temporal,) = graph.objects(dataset, DCTERMS.temporal)
    assert str(next(graph.objects(temporal, DCAT.startDate))) == "2026-11-30"
    assert {str(t) for t in graph.objects(dataset, DCTERMS.title)} >= {
        "ProbierLaden Jena: Nutzungsstatistik"
    }


def test_canary_names_reach_no_export_and_no_log(
    data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    canary = "Quirinus-Zabelsky"
    caplog.set_level(logging.DEBUG)
    clock = Clock(at(TUESDAY, "09:00"))
    with Storage.open(data_dir) as storage:
        events = UsageEvents(storage.usage, BERLIN, clock)
        service = BookingService(
            storage.bookings,
            [TABLET, TABLET_2, VR],
            calendar(),
            storage.settings,
            clock=clock,
            usage=events,
        )
        made = [
            service.book("tablet-2", at(TUESDAY, f"{h}:00"), 15, f"{canary} {h}")
            for h in (10, 11, 12)
        ]
        assert all(outcome.ok for outcome in made)
        clock.now = at(TUESDAY, "09:55")
        service.check_in(made[0].booking.code)  # type: ignore[union-attr]
        clock.now = at(TUESDAY, "12:30")
        service.release_no_shows()
        service.cancel(made[2].booking.id)  # type: ignore[union-attr]
        clock.advance(days=31)
        stats = statistics(storage, clock)
        folder = stats.export(stats.span(TUESDAY, TUESDAY, "day"), tmp_path)
    for path in folder.iterdir():
        assert canary not in path.read_text(encoding="utf-8"), path.name
    assert canary not in caplog.text
    for log_file in data_dir.rglob("*.log*"):
        assert canary not in log_file.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-13-01", "2026-12-01", "dates are YYYY-MM-DD"),
        ("", "2026-12-01", "dates are YYYY-MM-DD"),
        ("2026-12-05", "2026-12-01", "is after --to"),
    ],
)
def test_cli_refuses_bad_periods(
    data_dir: Path, tmp_path: Path, first: str, last: str, message: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli(
        "stats", "export", "--from", first, "--to", last, "--out", str(out), data_dir=data_dir
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


def test_cli_refuses_an_unwritable_folder(data_dir: Path, tmp_path: Path) -> None:
    for out in (Path("/proc"), tmp_path / "missing"):
        args = ("--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out))
        result = run_cli("stats", "export", *args, data_dir=data_dir)
        assert result.returncode == 2, result.stderr
        assert "nothing written" in result.stderr and "Traceback" not in result.stderr
    assert not list(Path("/proc").glob("probierladen-usage-*"))


def test_cli_export_writes_the_folder(data_dir: Path, tmp_path: Path) -> None:
    with Storage.open(data_dir) as storage:
        _busy_site(storage, Clock(datetime(2026, 11, 3, 10, tzinfo=UTC)))
    args = ("--from", "2026-11-01", "--to", "2026-11-30", "--out", str(tmp_path))
    result = run_cli("stats", "export", *args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip())
    assert folder.parent == tmp_path and (folder / "usage-statistics.csv").exists()


def test_events_that_arrive_late_for_their_day_are_counted_once(data_dir: Path) -> None:
    clock = Clock(datetime(2026, 12, 10, 12, tzinfo=BERLIN))
    with Storage.open(data_dir) as storage:
        stats = statistics(storage, clock)
        UsageEvents(storage.usage, BERLIN, clock).session_started("de")
        stats.upkeep()
        # Demo data written after the roll-up, for days long past.
        storage.usage.add_events([("2026-12-01T10", "session_started", "uk", "", "", "", "")] * 5)
        for _ in range(2):  # a second count and upkeep must not count anything twice
            rows = storage.usage.counts(
                "2026-12-01",
                "2026-12-31",
                kinds=("session_started",),
                period="month",
                dimension="language",
            )
            assert {row.category: row.count for row in rows} == {"de": 1, "uk": 5}
            stats.upkeep()


def test_demo_data_fills_a_database_that_exports(data_dir: Path, tmp_path: Path) -> None:
    result = run_cli("demo-data", "--days", "30", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    with Storage.open(data_dir) as storage:
        kinds = dict(
            storage.usage._db.execute(
                "SELECT kind, count(*) FROM usage_events GROUP BY kind"
            ).fetchall()
        )
        bookings = storage.bookings.between(0, 2**40)
    assert kinds["session_started"] > 100 and kinds["course_started"] > 10
    assert {"booking_created", "booking_checked_in", "consultation"} <= set(kinds)
    assert bookings and all(b.name and b.name.startswith("Demo") for b in bookings)
    bad = run_cli("demo-data", "--days", "0", data_dir=data_dir)
    assert bad.returncode == 2 and "--days" in bad.stderr
