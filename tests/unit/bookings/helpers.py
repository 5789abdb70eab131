"""A small bookable site for the booking tests: a real database in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.core.bookings import BookingService, DevicePolicy, SiteCalendar
from kiosk.storage.database import Storage

BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday 1 December 2026; the site opens 10-13 and 14-18 on Tuesdays.
TUESDAY = date(2026, 12, 1)
HOURS = {
    "mon": "",
    "tue": "10:00-13:00, 14:00-18:00",
    "wed": "10:00-18:00",
    "thu": "10:00-19:00",
    "fri": "10:00-16:00",
    "sat": "10:00-13:00",
    "sun": "",
}
TABLET = DevicePolicy(
    id="tablet-1",
    kind="tablet",
    name="Tablet",
    min_minutes=30,
    max_minutes=60,
    step_minutes=15,
    buffer_minutes=15,
    lead_minutes=30,
    advance_days=14,
    blackouts=("2026-12-02 10:00-12:00", "2026-12-09"),
)
TABLET_2 = DevicePolicy(id="tablet-2", kind="tablet", name="iPad", buffer_minutes=0)
VR = DevicePolicy(id="vr-1", kind="vr-headset", name="VR", approval=True, min_minutes=30)


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=BERLIN)


def calendar() -> SiteCalendar:
    return SiteCalendar(
        zone=BERLIN,
        hours=HOURS,
        closures=("2026-12-24..2026-12-26", "2026-12-31"),
        holiday=lambda day: "Neujahr" if (day.month, day.day) == (1, 1) else None,
    )


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@contextmanager
def booking_site(
    data_dir: Path, now: datetime | None = None, **options: int
) -> Iterator[tuple[BookingService, Clock, Storage]]:
    clock = Clock(now or at(TUESDAY, "09:00"))
    storage = Storage.open(data_dir)
    try:
        service = BookingService(
            storage.bookings,
            [TABLET, TABLET_2, VR],
            calendar(),
            storage.settings,
            clock=clock,
            **options,
        )
        yield service, clock, storage
    finally:
        storage.close()
