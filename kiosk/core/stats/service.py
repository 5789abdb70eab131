"""The statistics desk: upkeep (roll-up and retention), the protected report and its export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from kiosk.core.stats.monthly import CountSource, FrozenMonths, Report, build_report
from kiosk.core.stats.periods import Span, publishable
from kiosk.core.stats.report import DatasetInfo, write_export


class UsageStore(CountSource, FrozenMonths, Protocol):
    """kiosk.storage's UsageRepository: counts, the months published, and upkeep."""

    def roll_up(self) -> None: ...
    def delete_before(self, day: str) -> int: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Dashboard:
    """What staff see at a glance; raw counts (staff may see small numbers on site)."""

    days: tuple[tuple[date, int], ...]  # visitor sessions per day
    top_courses: tuple[tuple[str, int], ...]
    bookings_by_kind: tuple[tuple[str, int], ...]
    languages: tuple[tuple[str, int], ...]
    consultations_today: int


class UsageStatistics:
    """Keeps the usage counts tidy and turns them into the published report."""

    def __init__(
        self,
        store: UsageStore,
        zone: ZoneInfo,
        *,
        k: int,
        retention_days: int,
        info: DatasetInfo,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._zone = zone
        self.k = k
        self.retention_days = retention_days
        self.info = info
        self._clock = clock

    def today(self) -> date:
        return self._clock().astimezone(self._zone).date()

    def upkeep(self) -> int:
        """Count raw events into the daily counts, then delete those past the retention period."""
        self._store.roll_up()
        cutoff = self.today() - timedelta(days=self.retention_days)
        return self._store.delete_before(cutoff.isoformat())

    def span(self, first: date, last: date, period: str = "month") -> Span:
        """The whole periods an export of [first, last] publishes (months widened to whole
        months); PeriodError when none can be published yet (kiosk.core.stats.periods)."""
        return publishable(first, last, period, self.today())

    def report(self, span: Span) -> Report:
        self._store.roll_up()
        return build_report(self._store, span, self.k, frozen=self._store)

    def export(
        self,
        span: Span,
        out: Path,
        *,
        progress: Callable[[float], None] = lambda _done: None,
    ) -> Path:
        """Write the protected report of ``span`` into a new folder under ``out``."""
        return write_export(self.report(span), self.info, out, progress)

    def dashboard(self, days: int = 14) -> Dashboard:
        last = self.today()
        first = last - timedelta(days=days - 1)
        span = (first.isoformat(), last.isoformat())

        def counts(kinds: tuple[str, ...], dimension: str = "") -> Sequence[tuple[str, int]]:
            rows = self._store.counts(*span, kinds=kinds, period="day", dimension=dimension)
            totals: dict[str, int] = {}
            for row in rows:
                key = row.period if not dimension else row.category
                totals[key] = totals.get(key, 0) + row.count
            return sorted(totals.items(), key=lambda item: (-item[1], item[0]))

        per_day = dict(counts(("session_started",)))
        today_consultations = self._store.counts(
            last.isoformat(), last.isoformat(), kinds=("consultation",), period="day"
        )
        return Dashboard(
            days=tuple(
                (first + timedelta(days=n), per_day.get((first + timedelta(days=n)).isoformat(), 0))
                for n in range(days)
            ),
            top_courses=tuple(counts(("course_started",), "course_id"))[:5],
            bookings_by_kind=tuple(counts(("booking_created",), "device_kind")),
            languages=tuple(counts(("session_started",), "language")),
            consultations_today=sum(row.count for row in today_consultations),
        )
