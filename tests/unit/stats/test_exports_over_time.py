"""No small count can be recovered by comparing exports: whole periods, one table per month.

An attacker keeps every file the city's portal was ever sent and solves the linear system of all
published values of several exports at once (the sums of a day's cells, of a month's days, the
cells themselves). Whatever the ranges and granularities the command line accepts, no hidden
count from 1 to k−1 — a day's cell, a day's total, a month's cell or total — is determined.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.stats import DatasetInfo, PeriodError, UsageStatistics
from kiosk.core.stats.monthly import Report
from kiosk.core.stats.periods import days_of, month_start, publishable
from kiosk.storage.database import Storage
from tests.unit.bookings.helpers import Clock
from tests.unit.test_config import run_cli

BERLIN = ZoneInfo("Europe/Berlin")
INFO = DatasetInfo("Test", "Test", "", "16053000", "")
K = 5
OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
DAYS = [*days_of(OCTOBER), *days_of(NOVEMBER)]
LANGUAGES = ("de", "ar", "uk")

Variable = tuple[str, str]  # (day, category)
Equation = dict[Variable, int]


def fill(storage: Storage, seed: int) -> None:
    """Sparse, small counts: most cells 0 to 6, so many are hidden."""
    chance = random.Random(seed)
    rows = []
    for day in DAYS:
        for language in LANGUAGES:
            for _ in range(chance.choice((0, 0, 1, 2, 3, 5, 6, 9))):
                rows.append((f"{day}T11", "session_started", language, "", "", "", ""))
        for _ in range(chance.choice((0, 1, 2, 7))):
            rows.append((f"{day}T15", "consultation", "", "", "", "consultation", ""))
        # A language seldom heard: its month has a small count of its own.
        if chance.random() < 0.06:
            rows.append((f"{day}T12", "session_started", "fa", "", "", "", ""))
    storage.usage.add_events(rows)


def statistics(storage: Storage) -> UsageStatistics:
    clock = Clock(datetime(2026, 12, 15, 12, tzinfo=UTC))
    return UsageStatistics(storage.usage, BERLIN, k=K, retention_days=3650, info=INFO, clock=clock)


def equations(report: Report, table: str) -> list[tuple[Equation, int]]:
    """Every value the report publishes of ``table``, as an equation over the day cells."""
    spec, published = next(pair for pair in report.tables if pair[0].name == table)
    found = []
    for r, start in enumerate(published.rows):
        days = (
            [start]
            if report.period == "day"
            else [day.isoformat() for day in days_of(date.fromisoformat(start))]
        )
        for c, column in enumerate((*published.columns, None)):
            value = published.value(r, c)
            if value is None:
                continue
            columns = published.columns if column is None else (column,)
            found.append(({(day, col): 1 for day in days for col in columns}, value))
    del spec
    return found


def true_cells(
    storage: Storage, table_kinds: tuple[str, ...], dimension: str
) -> dict[Variable, int]:
    rows = storage.usage.counts(
        DAYS[0].isoformat(),
        DAYS[-1].isoformat(),
        kinds=table_kinds,
        period="day",
        dimension=dimension,
    )
    return {(row.period, row.category if dimension else "all"): row.count for row in rows}


def determined(system: list[Equation], target: Equation) -> bool:
    """Whether ``target`` (a sum of day cells) is fixed by the equations: it lies in the span of
    their left-hand sides (exact, with fractions)."""
    pivots: dict[Variable, dict[Variable, Fraction]] = {}
    for equation in system:
        row = {var: Fraction(coef) for var, coef in equation.items()}
        _reduce(row, pivots)
        if row:
            pivot = min(row)
            scale = row[pivot]
            pivots[pivot] = {var: coef / scale for var, coef in row.items()}
    wanted = {var: Fraction(coef) for var, coef in target.items()}
    _reduce(wanted, pivots)
    return not wanted


def _reduce(
    row: dict[Variable, Fraction], pivots: Mapping[Variable, dict[Variable, Fraction]]
) -> None:
    changed = True
    while changed:
        changed = False
        for var in sorted(row):
            if var in pivots and row.get(var):
                factor = row[var]
                for other, coef in pivots[var].items():
                    value = row.get(other, Fraction(0)) - factor * coef
                    if value:
                        row[other] = value
                    else:
                        row.pop(other, None)
                changed = True
                break


TABLES = {  # the tables this data fills, with their kinds and dimension
    "sessions_by_language": (("session_started",), "language"),
    "visitor_sessions": (("session_started",), ""),
    "consultations": (("consultation",), ""),
    "services_by_format": (("course_started", "booking_checked_in", "consultation"), "format"),
}


def small_secrets(cells: dict[Variable, int], categories: list[str]) -> list[tuple[Equation, int]]:
    """Every cell and sum a table could publish (day cells, day totals, month cells, month
    totals) whose true value is 1 to k−1, as (sum, value)."""
    found = []
    for month in (OCTOBER, NOVEMBER):
        month_days = [day.isoformat() for day in days_of(month)]
        for day in month_days:
            for column in categories:
                found.append({(day, column): 1})
            found.append({(day, column): 1 for column in categories})
        for column in categories:
            found.append({(day, column): 1 for day in month_days})
        found.append({(day, column): 1 for day in month_days for column in categories})
    return [
        (target, value)
        for target in found
        if 0 < (value := sum(cells.get(var, 0) for var in target)) < K
    ]


def attack(storage: Storage, reports: list[Report]) -> list[tuple[str, Equation, int]]:
    """Every small value the published values of all ``reports`` together give away."""
    leaks = []
    for table, (kinds, dimension) in TABLES.items():
        cells = true_cells(storage, kinds, dimension)
        categories = sorted({column for _day, column in cells}) or ["all"]
        system = [equation for report in reports for equation, _value in equations(report, table)]
        for target, value in small_secrets(cells, categories):
            if determined(system, target):
                leaks.append((table, target, value))
    return leaks


SPANS = st.tuples(
    st.integers(0, len(DAYS) - 1), st.integers(0, len(DAYS) - 1), st.sampled_from(("day", "month"))
).map(lambda t: (DAYS[min(t[0], t[1])], DAYS[max(t[0], t[1])], t[2]))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 10**6), spans=st.lists(SPANS, min_size=2, max_size=3))
def test_no_pair_or_triple_of_exports_gives_a_small_count_away(
    tmp_path_factory: pytest.TempPathFactory, seed: int, spans: list[tuple[date, date, str]]
) -> None:
    folder = tmp_path_factory.mktemp("exports")
    with Storage.open(folder) as storage:
        fill(storage, seed)
        stats = statistics(storage)
        reports = [stats.report(stats.span(first, last, period)) for first, last, period in spans]
        assert attack(storage, reports) == []


def test_the_attack_finds_what_ranges_cut_from_months_would_give_away(data_dir: Path) -> None:
    """The attacker is not blind: exports of 1-28 and 1-27 November per month, as they were
    made before whole periods, differ by the 28th's small counts, and it finds them."""
    with Storage.open(data_dir) as storage:
        fill(storage, 7)
        stats = statistics(storage)
        cut = [stats.report(stats.span(NOVEMBER, date(2026, 11, last), "day")) for last in (27, 28)]
        # Days are safe on their own; what the old exports did is sum the days of a cut span.
        sums = []
        for report in cut:
            for equation, value in equations(report, "sessions_by_language"):
                sums.append((equation, value))
        system = [eq for eq, _ in sums]
        cells = true_cells(storage, ("session_started",), "language")
        # A month cut at the 28th, published without suppression of its own: its sums minus
        # the sums cut at the 27th are the 28th's cells.
        for last in (27, 28):
            for language in LANGUAGES:
                days = [d.isoformat() for d in days_of(NOVEMBER) if d.day <= last]
                system.append({(day, language): 1 for day in days})
        day28 = [("2026-11-28", language) for language in LANGUAGES]
        small = [var for var in day28 if 0 < cells.get(var, 0) < K]
        assert small, "the seed gives the 28th small counts"
        assert all(determined(system, {var: 1}) for var in small)


def test_two_exports_that_cut_a_month_differently_publish_the_same(
    data_dir: Path, tmp_path: Path
) -> None:
    """The issue's example: --from 2026-11-01 --to 2026-11-28 and --to 2026-11-27, per month."""
    result = run_cli("demo-data", "--days", "60", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    folders = []
    for last in ("2026-11-28", "2026-11-27"):
        out = tmp_path / last
        out.mkdir()
        args = ("--from", "2026-11-01", "--to", last, "--period", "month", "--out", str(out))
        result = run_cli("stats", "export", *args, data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        assert "whole months: 2026-11-01 to 2026-11-30" in result.stderr
        folders.append(Path(result.stdout.strip()))
    first, second = (folder / "usage-statistics.csv" for folder in folders)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    ("first", "last", "period", "reason"),
    [
        (date(2026, 11, 30), date(2026, 12, 1), "day", "incomplete"),
        (date(2026, 11, 1), date(2026, 11, 30), "week", "weeks"),
        (date(2026, 11, 2), date(2026, 11, 1), "day", "order"),
    ],
)
def test_what_cannot_be_published_is_refused_with_the_reason(
    first: date, last: date, period: str, reason: str
) -> None:
    with pytest.raises(PeriodError) as refused:
        publishable(first, last, period, today=date(2026, 12, 7))
    assert refused.value.reason == reason


def test_a_month_asked_in_part_is_widened_and_a_day_span_is_kept() -> None:
    today = date(2026, 12, 7)
    month = publishable(date(2026, 10, 15), date(2026, 11, 3), "month", today)
    assert (month.first, month.last, month.widened) == (OCTOBER, date(2026, 11, 30), True)
    days = publishable(date(2026, 10, 15), date(2026, 11, 3), "day", today)
    assert (days.first, days.last, days.widened) == (date(2026, 10, 15), date(2026, 11, 3), False)
    assert month_start(date(2026, 11, 30)) == NOVEMBER


def test_the_cli_refuses_weeks_and_open_months_and_writes_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    today = datetime.now(BERLIN).date()
    cases = [
        ("--from", "2026-11-01", "--to", "2026-11-30", "--period", "week"),
        ("--from", (today - timedelta(days=40)).isoformat(), "--to", today.isoformat()),
    ]
    out = tmp_path / "out"
    out.mkdir()
    for args in cases:
        result = run_cli("stats", "export", *args, "--out", str(out), data_dir=data_dir)
        assert result.returncode == 2, result.stderr
        assert "nothing written" in result.stderr and "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


def test_a_published_month_does_not_change_when_events_arrive_late(data_dir: Path) -> None:
    with Storage.open(data_dir) as storage:
        fill(storage, 3)
        stats = statistics(storage)
        span = stats.span(NOVEMBER, date(2026, 11, 30), "day")
        before = stats.report(span)
        # A clock put right, demo data, a restored backup: November gains events later.
        storage.usage.add_events([("2026-11-10T10", "session_started", "ar", "", "", "", "")] * 9)
        assert stats.report(span) == before
        # December, not published before, counts what arrives for it.
        storage.usage.add_events([("2026-12-10T10", "session_started", "ar", "", "", "", "")] * 9)
        stats = UsageStatistics(
            storage.usage,
            BERLIN,
            k=K,
            retention_days=3650,
            info=INFO,
            clock=Clock(datetime(2027, 1, 5, 12, tzinfo=UTC)),
        )
        december = stats.report(stats.span(date(2026, 12, 1), date(2026, 12, 31), "month"))
        _spec, table = next(
            pair for pair in december.tables if pair[0].name == "sessions_by_language"
        )
        assert table.value(0, table.columns.index("ar")) == 9
