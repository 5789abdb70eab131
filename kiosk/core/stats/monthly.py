"""The published figures: one protected table per calendar month, and what an export takes.

Every table of TABLES counts one kind of event per day and, for most tables, per value of one
dimension. Each calendar month is one protected table (its days × the values, with day and month
totals; kiosk.core.stats.joint's audited suppression), kept once published (FrozenMonths). An
export of whole days or months (kiosk.core.stats.periods) takes its rows from those tables:
a day's row, or a month's totals line. So a day or a month has the same figures in every export,
and no export's difference with another gives a hidden count away.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from kiosk.core.stats.joint import protect_audited
from kiosk.core.stats.periods import PERIODS, Span, days_of, months_between
from kiosk.core.stats.suppression import ProtectedTable


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    kinds: tuple[str, ...]
    dimension: str = ""  # '' = one column, "all"


TABLES = (
    TableSpec("visitor_sessions", "Visitor sessions started", ("session_started",)),
    TableSpec(
        "sessions_by_language", "Sessions by starting language", ("session_started",), "language"
    ),
    TableSpec("session_length", "Sessions by length", ("session_ended",), "duration"),
    TableSpec("languages_chosen", "Language changes by language", ("language_chosen",), "language"),
    TableSpec("course_participants", "Courses started", ("course_started",), "course_id"),
    TableSpec("courses_completed", "Courses completed", ("course_completed",), "course_id"),
    TableSpec("quiz_attempts", "Quiz answers checked", ("quiz_attempted",), "course_id"),
    TableSpec("resume_codes_used", "Resume codes used", ("resume_code_used",)),
    TableSpec(
        "bookings_by_device_kind",
        "Bookings made by device kind",
        ("booking_created",),
        "device_kind",
    ),
    TableSpec(
        "booking_outcomes",
        "Booking outcomes (checked in, no-show, cancelled)",
        ("booking_checked_in", "booking_no_show", "booking_cancelled"),
        "kind",
    ),
    TableSpec(
        "device_trials_by_device_kind",
        "Device trials by device kind",
        ("booking_checked_in",),
        "device_kind",
    ),
    TableSpec("consultations", "Personal consultations", ("consultation",)),
    TableSpec(
        "services_by_format",
        "Services by format",
        ("course_started", "booking_checked_in", "consultation"),
        "format",
    ),
)


class CountSource(Protocol):
    """Where the counts come from (kiosk.storage's UsageRepository)."""

    def counts(
        self,
        first_day: str,
        last_day: str,
        *,
        kinds: tuple[str, ...],
        period: str,
        dimension: str = "",
    ) -> Sequence[_Row]: ...


class _Row(Protocol):
    @property
    def period(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def count(self) -> int: ...


@dataclass(frozen=True)
class PublishedTable:
    """What an export publishes of one table: a value per period and category (None when
    suppressed) and each period's total; no totals across periods."""

    rows: tuple[str, ...]  # the first day of each period, YYYY-MM-DD
    columns: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    totals: tuple[int | None, ...]

    def value(self, row: int, column: int) -> int | None:
        """The published count; ``column == len(columns)`` is the period's total."""
        if column == len(self.columns):
            return self.totals[row]
        return self.cells[row][column]


@dataclass(frozen=True)
class Report:
    first: date
    last: date
    period: str
    k: int
    tables: tuple[tuple[TableSpec, PublishedTable], ...]


class FrozenMonths(Protocol):
    """Month tables already published, kept so that every later export shows them unchanged."""

    def frozen_month(self, table: str, month: str) -> str | None: ...
    def freeze_month(self, table: str, month: str, body: str) -> None: ...


def table_json(table: ProtectedTable) -> str:
    return json.dumps(
        {
            "rows": table.rows,
            "columns": table.columns,
            "grid": table.grid,
            "hidden": sorted(table.hidden),
        },
        separators=(",", ":"),
    )


def table_from_json(text: str) -> ProtectedTable:
    data = json.loads(text)
    return ProtectedTable(
        rows=tuple(data["rows"]),
        columns=tuple(data["columns"]),
        grid=tuple(tuple(line) for line in data["grid"]),
        hidden=frozenset((int(r), int(c)) for r, c in data["hidden"]),
    )


def month_counts(
    source: CountSource, spec: TableSpec, month: date
) -> tuple[list[str], list[str], list[list[int]]]:
    """The month's days, the table's categories that month, and the counts per day and
    category (the raw material of the month's protected table)."""
    days = [day.isoformat() for day in days_of(month)]
    rows = source.counts(
        days[0], days[-1], kinds=spec.kinds, period="day", dimension=spec.dimension
    )
    columns = sorted({row.category for row in rows}) if spec.dimension else ["all"]
    grid = [[0] * len(columns) for _ in days]
    index = {day: number for number, day in enumerate(days)}
    for row in rows:
        grid[index[row.period]][columns.index(row.category) if spec.dimension else 0] += row.count
    return days, columns, grid


def month_table(
    source: CountSource, spec: TableSpec, month: date, k: int, frozen: FrozenMonths | None
) -> ProtectedTable:
    """The month's protected table: as published before if it was, else made (and kept)."""
    key = month.isoformat()
    if frozen is not None:
        kept = frozen.frozen_month(spec.name, key)
        if kept is not None:
            return table_from_json(kept)
    table = protect_audited(*month_counts(source, spec, month), k)
    if frozen is not None:
        frozen.freeze_month(spec.name, key, table_json(table))
    return table


MonthTable = Callable[[TableSpec, date], ProtectedTable]
"""The protected table of a table spec for the month starting on the given day."""


def publish(spec: TableSpec, span: Span, month_of: MonthTable) -> PublishedTable:
    """The published rows of ``span`` (days or months), every value from its month's table."""
    months = [(month, month_of(spec, month)) for month in months_between(span.first, span.last)]
    if spec.dimension:
        columns = tuple(sorted({column for _month, table in months for column in table.columns}))
    else:
        columns = ("all",)
    rows: list[str] = []
    cells: list[tuple[int | None, ...]] = []
    totals: list[int | None] = []
    for month, table in months:
        position = {column: number for number, column in enumerate(table.columns)}
        n_days, n_cols = len(table.rows), len(table.columns)
        if span.period == "month":
            picked = [(month.isoformat(), n_days)]  # the month's totals line
        else:
            picked = [
                (day, number)
                for number, day in enumerate(table.rows)
                if span.first.isoformat() <= day <= span.last.isoformat()
            ]
        for label, line in picked:
            rows.append(label)
            # A category the month never saw is a true zero there.
            cells.append(
                tuple(
                    table.value(line, position[column]) if column in position else 0
                    for column in columns
                )
            )
            totals.append(table.value(line, n_cols))
    return PublishedTable(tuple(rows), columns, tuple(cells), tuple(totals))


def build_report(
    source: CountSource,
    span: Span,
    k: int,
    frozen: FrozenMonths | None = None,
) -> Report:
    """Every table of TABLES for the whole periods of ``span``, protected per month with ``k``."""
    if span.period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")

    def month_of(spec: TableSpec, month: date) -> ProtectedTable:
        return month_table(source, spec, month, k, frozen)

    return report_from(span, k, month_of)


def report_from(span: Span, k: int, month_of: MonthTable) -> Report:
    tables = tuple((spec, publish(spec, span, month_of)) for spec in TABLES)
    return Report(span.first, span.last, span.period, k, tables)
