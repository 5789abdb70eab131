"""The staff desk's day: check-in (and a no-show restored), device states and wiping, the name
purge and booking lists."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.core.bookings.ledger import BookingLedger, timestamp
from kiosk.core.bookings.records import (
    CHECK_IN_EARLY,
    CODE_LENGTH,
    Booking,
    BookingKind,
    BookingStatus,
    CheckIn,
    CheckInStatus,
    DeviceStatus,
)
from kiosk.core.resume_codes import normalise_code
from kiosk.core.stats.events import EventKind

# A check-in of a booking in one of these states changes nothing; it only says why.
_CHECK_IN_REFUSALS = {
    BookingStatus.CHECKED_IN: CheckInStatus.ALREADY,
    BookingStatus.PENDING: CheckInStatus.PENDING,
    BookingStatus.CANCELLED: CheckInStatus.CANCELLED,
    BookingStatus.NO_SHOW: CheckInStatus.NO_SHOW,
    BookingStatus.CONFLICT: CheckInStatus.CONFLICT,
}


class StaffDay:
    """What staff do with the day's bookings and devices (names are kept ``purge_days``)."""

    def __init__(self, ledger: BookingLedger, *, purge_days: int) -> None:
        self._ledger = ledger
        self._purge_days = purge_days

    def check_in(self, text: str) -> CheckIn:
        """Staff check a visitor in by the typed or scanned code."""
        ledger = self._ledger
        code = normalise_code(text, CODE_LENGTH)
        if code is None:
            return CheckIn(CheckInStatus.MALFORMED)
        ledger.release_no_shows()
        row = ledger.store.by_code(code)
        if row is None or row.kind == BookingKind.BLOCKED.value:  # nobody checks a block in
            return CheckIn(CheckInStatus.UNKNOWN)
        booking = ledger.booking(row)
        if booking.status in _CHECK_IN_REFUSALS:
            return CheckIn(_CHECK_IN_REFUSALS[booking.status], booking)
        now = ledger.now()
        if not (booking.start - CHECK_IN_EARLY <= now < booking.end):
            return CheckIn(CheckInStatus.NOT_NOW, booking)
        if not ledger.store.set_status(
            booking.id,
            BookingStatus.CHECKED_IN.value,
            ledger.stamp(),
            # Booked here while the hub could not be asked: the visitor is here now.
            expected=[BookingStatus.CONFIRMED.value, BookingStatus.PROVISIONAL.value],
        ):
            return CheckIn(CheckInStatus.UNKNOWN)
        ledger.count(EventKind.BOOKING_CHECKED_IN, booking.device_kind)
        # In use now: after it, the device must be wiped before the next visitor books it.
        if ledger.status_of(booking.device_id) is DeviceStatus.AVAILABLE:
            self.set_device_status(booking.device_id, DeviceStatus.NEEDS_WIPING)
        return CheckIn(CheckInStatus.CHECKED_IN, ledger.reload(booking))

    def restore_no_show(self, booking_id: int) -> bool:
        """A visitor released as a no-show is at the desk after all: checked in, if the slot
        has not ended and none of its time was given to another booking meanwhile (the store
        refuses that overlap); False, and nothing changes, if not.

        The no-show stays counted (usage events name no booking, so it cannot be taken back);
        the check-in is counted too: the visitor tried the device.
        """
        ledger = self._ledger
        row = ledger.store.by_id(booking_id)
        if row is None:
            return False
        booking = ledger.booking(row)
        if booking.status is not BookingStatus.NO_SHOW or booking.end <= ledger.now():
            return False
        if not ledger.status_of(booking.device_id).lendable:
            return False
        if not ledger.store.set_status(
            booking.id,
            BookingStatus.CHECKED_IN.value,
            ledger.stamp(),
            # The hub may not have released it yet when this change reaches it: checked in
            # there too, as a check-in would be.
            expected=[
                BookingStatus.NO_SHOW.value,
                BookingStatus.CONFIRMED.value,
                BookingStatus.PROVISIONAL.value,
            ],
        ):
            return False
        ledger.count(EventKind.BOOKING_CHECKED_IN, booking.device_kind)
        if ledger.status_of(booking.device_id) is DeviceStatus.AVAILABLE:
            self.set_device_status(booking.device_id, DeviceStatus.NEEDS_WIPING)
        return True

    def set_device_status(self, device_id: str, status: DeviceStatus) -> list[Booking]:
        """Change a device's status; returns its upcoming active bookings (to call visitors)."""
        if self._ledger.device(device_id) is None:
            raise KeyError(device_id)
        self._ledger.store.set_device_status(device_id, status.value, self._ledger.stamp())
        return self.upcoming(device_id)

    def mark_wiped(self, device_id: str) -> None:
        """The previous visitor's data is removed: the device can be offered again."""
        if self._ledger.status_of(device_id) is DeviceStatus.NEEDS_WIPING:
            self.set_device_status(device_id, DeviceStatus.AVAILABLE)

    def upcoming(self, device_id: str) -> list[Booking]:
        """The device's active bookings that have not ended yet."""
        now = self._ledger.clock()
        rows = self._ledger.store.between(
            timestamp(now),
            timestamp(now + timedelta(days=366)),
            device_id=device_id,
            active_only=True,
        )
        return [self._ledger.booking(row) for row in rows if row.end_ts > timestamp(now)]

    def purge_names(self) -> int:
        """Delete the names of bookings whose slot ended ``purge_days`` ago or earlier."""
        cutoff = self._ledger.clock() - timedelta(days=self._purge_days)
        return self._ledger.store.purge_names(timestamp(cutoff))

    def bookings_between(self, first: date, last: date) -> list[Booking]:
        """Every booking (any status) starting on a day from ``first`` to ``last``."""
        zone = self._ledger.calendar.zone
        start = datetime(first.year, first.month, first.day, tzinfo=zone)
        end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
        rows = self._ledger.store.between(timestamp(start), timestamp(end))
        return [
            self._ledger.booking(row)
            for row in rows
            if timestamp(start) <= row.start_ts < timestamp(end)
        ]
