"""The site's bookings and device states as the store keeps them, read in the site's time zone."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from kiosk.core.bookings.records import Booking, BookingKind, BookingStatus, DeviceStatus
from kiosk.core.bookings.rules import Block, DevicePolicy, SiteCalendar
from kiosk.core.bookings.store import BookingRow, BookingStore
from kiosk.core.stats.events import EventKind, UsageEvents

log = logging.getLogger(__name__)


def timestamp(moment: datetime) -> int:
    """A moment as the store keeps it: whole Unix seconds."""
    return int(moment.timestamp())


class BookingLedger:
    """What every booking operation starts from: the time, the devices and their states, the
    stored rows as bookings, and no-shows released before anyone reads a slot or a code."""

    def __init__(
        self,
        store: BookingStore,
        devices: Sequence[DevicePolicy],
        calendar: SiteCalendar,
        clock: Callable[[], datetime],
        *,
        no_show_minutes: int,
        usage: UsageEvents | None,
        count_no_shows: bool = True,
    ) -> None:
        self.store = store
        self.devices = devices
        self.calendar = calendar
        self.clock = clock
        self._by_id = {device.id: device for device in devices}
        self._no_show_minutes = no_show_minutes
        self._usage = usage
        self._count_no_shows = count_no_shows

    # -- time --------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current time in the site's zone."""
        return self.calendar.now(self.clock())

    def stamp(self) -> int:
        """The current time as the store records changes."""
        return timestamp(self.clock())

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The stretch of time whose bookings can matter for the slots of ``day``."""
        start = datetime(day.year, day.month, day.day, tzinfo=self.calendar.zone)
        # a day before and after: buffers reach across midnight in both directions
        return start - timedelta(days=1), start + timedelta(days=2)

    # -- devices -----------------------------------------------------------------------------

    def device(self, device_id: str) -> DevicePolicy | None:
        return self._by_id.get(device_id)

    def statuses(self) -> dict[str, DeviceStatus]:
        stored = self.store.device_statuses()
        return {
            device.id: DeviceStatus(stored.get(device.id, DeviceStatus.AVAILABLE.value))
            for device in self.devices
        }

    def status_of(self, device_id: str) -> DeviceStatus:
        return self.statuses().get(device_id, DeviceStatus.AVAILABLE)

    def visitor_devices(self, kind: str | None = None) -> list[DevicePolicy]:
        """Devices visitors may book (not broken, not in repair), optionally of one kind."""
        statuses = self.statuses()
        return [
            device
            for device in self.devices
            if statuses[device.id].lendable and (kind is None or device.kind == kind)
        ]

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(device.kind for device in self.devices))

    # -- rows --------------------------------------------------------------------------------

    def booking(self, row: BookingRow) -> Booking:
        """A stored row as a booking in the site's time zone."""
        zone = self.calendar.zone
        return Booking(
            id=row.id,
            code=row.code,
            device_id=row.device_id,
            device_kind=row.device_kind,
            start=datetime.fromtimestamp(row.start_ts, zone),
            end=datetime.fromtimestamp(row.end_ts, zone),
            name=row.name,
            status=BookingStatus(row.status),
            walk_in=bool(row.walk_in),
            uid=row.uid,
            moved=bool(row.moved),
            kind=BookingKind(row.kind),
            reason=row.reason,
        )

    def reload(self, booking: Booking) -> Booking:
        """The booking as stored now (itself, should the row be gone)."""
        row = self.store.by_id(booking.id)
        return booking if row is None else self.booking(row)

    def block(self, row: BookingRow) -> Block:
        """How long a stored booking keeps its device from others."""
        zone = self.calendar.zone
        return Block(
            datetime.fromtimestamp(row.start_ts, zone),
            datetime.fromtimestamp(row.end_ts, zone),
            datetime.fromtimestamp(row.block_until_ts, zone),
        )

    def blocks(self, device_id: str, day: date, *, leaving_out: int | None = None) -> list[Block]:
        """The active bookings of one device that can matter for the slots of ``day`` (but
        the booking ``leaving_out``, which is about to move)."""
        low, high = self.day_bounds(day)
        rows = self.store.between(
            timestamp(low), timestamp(high), device_id=device_id, active_only=True
        )
        return [self.block(row) for row in rows if row.id != leaving_out]

    # -- upkeep ------------------------------------------------------------------------------

    def count(self, kind: EventKind, device_kind: str) -> None:
        """One event for the usage statistics (a kind of device, never a booking)."""
        if self._usage is not None:
            self._usage.booking(kind, device_kind)

    def release_no_shows(self) -> list[Booking]:
        """Release bookings not checked in ``no_show_minutes`` after their start."""
        now = self.clock()
        released = self.store.release_no_shows(
            timestamp(now - timedelta(minutes=self._no_show_minutes)), timestamp(now)
        )
        if released:
            log.info("released %d booking(s) not checked in", len(released))
        if self._count_no_shows:
            for row in released:
                self.count(EventKind.BOOKING_NO_SHOW, row.device_kind)
        return [self.booking(row) for row in released]
