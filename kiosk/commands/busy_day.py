"""A busy day of demo bookings, as it stands at a given moment: for training and screenshots.

`kiosk demo-data --busy-day 2026-12-08T11:00` fills that day through the booking service, the way
the desk would have: a workshop block, most slots of every device booked, and everything before
11:00 already happened (visitors checked in, devices wiped between them, a no-show released).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from kiosk.config import SiteConfig
from kiosk.core.bookings import Booking, BookingService, BookingStatus, DeviceStatus
from kiosk.storage.database import Storage
from kiosk.terminal import make_booking_service

# Invented first names from the languages the kiosk speaks; nobody real.
DEMO_NAMES = (
    "Anna",
    "Mehmet",
    "Olena",
    "Jonas",
    "Fatima",
    "Lukas",
    "Yusuf",
    "Marie",
    "Dmytro",
    "Leyla",
    "Paul",
    "Sara",
    "Reza",
    "Ida",
    "Tamara",
    "Karim",
)
VISIT_MINUTES = 30
# Every third booking of a device leaves a gap after it, as a real day has.
GAP = timedelta(hours=1)
WORKSHOP = "Workshop"
WORKSHOP_HOURS = (time(14, 0), time(16, 0))
# Every seventh visitor whose slot has begun did not come: the desk shows a no-show.
NO_SHOW_EVERY = 7


@dataclass
class MovableClock:
    """The time the booking service sees while the day is played through."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


def parse_moment(text: str, zone: tzinfo) -> datetime | None:
    """'2026-12-08' (the day before it opens) or '2026-12-08T11:00' (site-local unless an
    offset is given); None when it is neither."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if len(text.strip()) == len("2026-12-08"):
        moment = datetime.combine(moment.date(), time(0, 0))
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def seed_busy_day(config: SiteConfig, storage: Storage, moment: datetime) -> int:
    """Book ``moment``'s day full and play it through to ``moment``; how many bookings were made
    (a day the site is closed gets none)."""
    zone = ZoneInfo(config.site.timezone)
    moment = moment.astimezone(zone)
    day = moment.date()
    # Staff make the day's bookings the evening before, so every slot lies ahead.
    clock = MovableClock(datetime.combine(day - timedelta(days=1), time(20, 0), tzinfo=zone))
    service = make_booking_service(config, storage, clock=clock)
    made = _block_workshop(service, day, zone) + _book_the_day(service, day)
    _play_until(service, clock, day, moment)
    return made


def _block_workshop(service: BookingService, day: date, zone: tzinfo) -> int:
    devices = service.visitor_devices()
    if len(devices) < 2:
        return 0
    start, end = (datetime.combine(day, hour, tzinfo=zone) for hour in WORKSHOP_HOURS)
    return len(service.block(devices[1].id, start, end, WORKSHOP).made)


def _book_the_day(service: BookingService, day: date) -> int:
    made = 0
    for device in service.visitor_devices():
        cursor = datetime.min.replace(tzinfo=service.now().tzinfo)
        # Half an hour where the device allows it: a visitor's usual trial.
        minutes = max(device.min_minutes, min(VISIT_MINUTES, device.max_minutes))
        for turn in range(200):  # a day has far fewer slots; the bound only guards the loop
            free = [s for s in service.free_slots(device.id, day, minutes) if s.start >= cursor]
            if not free:
                break
            slot = free[0]
            name = DEMO_NAMES[(made + turn) % len(DEMO_NAMES)]
            made += service.book(device.id, slot.start, slot.minutes, name, by_staff=True).ok
            cursor = slot.end + (GAP if turn % 3 == 2 else timedelta(0))
    return made


def _play_until(service: BookingService, clock: MovableClock, day: date, moment: datetime) -> None:
    """Check in the visitors who came before ``moment`` (wiping the device before each), leave
    every seventh away, then let the service release the no-shows as the kiosk would."""
    begun = [
        b
        for b in service.day(day)
        if b.start <= moment and b.status is BookingStatus.CONFIRMED and not b.blocked
    ]
    for number, booking in enumerate(sorted(begun, key=_start), start=1):
        if number % NO_SHOW_EVERY == 0:
            continue
        clock.now = max(booking.start + timedelta(minutes=2), clock.now)
        if clock.now > moment:
            break
        if service.status_of(booking.device_id) is DeviceStatus.NEEDS_WIPING:
            service.mark_wiped(booking.device_id)
        service.check_in(booking.code)
    clock.now = max(moment, clock.now)
    service.release_no_shows()


def _start(booking: Booking) -> datetime:
    return booking.start
