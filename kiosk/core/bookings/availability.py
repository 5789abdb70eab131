"""Which slots visitors can book now, and which rule a slot would break."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.core.bookings.ledger import BookingLedger, timestamp
from kiosk.core.bookings.records import DeviceStatus
from kiosk.core.bookings.rules import (
    Block,
    BookingProblem,
    DevicePolicy,
    Slot,
    free_slots,
    slot_problem,
)


class Availability:
    """Free slots per device, per day and right now, read from the store on every question.

    A device that still needs wiping offers no slot today; no-shows are released first, so
    their slots are free again.
    """

    def __init__(self, ledger: BookingLedger) -> None:
        self._ledger = ledger

    def free_slots(self, device_id: str, day: date, minutes: int | None = None) -> list[Slot]:
        """Slots of ``device_id`` on ``day`` a visitor can book now."""
        ledger = self._ledger
        device = ledger.device(device_id)
        if device is None:
            return []
        status = ledger.status_of(device_id)
        now = ledger.now()
        if not status.lendable or (status is DeviceStatus.NEEDS_WIPING and day <= now.date()):
            return []
        ledger.release_no_shows()
        blocks = ledger.blocks(device_id, day)
        return free_slots(device, ledger.calendar, day, now, blocks, minutes)

    def free_day(self, day: date, kind: str | None = None) -> dict[str, list[Slot]]:
        """Every visitor device (of ``kind``) with its free slots on ``day``."""
        ledger = self._ledger
        ledger.release_no_shows()
        statuses = ledger.statuses()
        now = ledger.now()
        low, high = ledger.day_bounds(day)
        # One read for every device instead of one per device.
        rows = ledger.store.between(timestamp(low), timestamp(high), active_only=True)
        by_device: dict[str, list[Block]] = {}
        for row in rows:
            by_device.setdefault(row.device_id, []).append(ledger.block(row))
        result: dict[str, list[Slot]] = {}
        for device in ledger.visitor_devices(kind):
            if statuses[device.id] is DeviceStatus.NEEDS_WIPING and day <= now.date():
                result[device.id] = []
                continue
            result[device.id] = free_slots(
                device, ledger.calendar, day, now, by_device.get(device.id, [])
            )
        return result

    def free_now(self, within: timedelta = timedelta(minutes=30)) -> list[Slot]:
        """The first free slot of each visitor device starting within ``within`` from now."""
        now = self._ledger.now()
        found = []
        for slots in self.free_day(now.date()).values():
            if slots and slots[0].start <= now + within:
                found.append(slots[0])
        return sorted(found, key=lambda slot: slot.start)

    def next_free(
        self, device: DevicePolicy, after: datetime, count: int = 3, minutes: int | None = None
    ) -> list[Slot]:
        """The next ``count`` free slots of ``device`` from ``after`` on (up to its window), of
        ``minutes`` (or the device's shortest) each."""
        found: list[Slot] = []
        now = self._ledger.now()
        # Never from a day gone by: no slot there is free any more, and a start long past (a
        # request from a terminal whose clock is wrong) would walk every day since.
        day = max(after, now).astimezone(self._ledger.calendar.zone).date()
        last = now.date() + timedelta(days=device.advance_days)
        while day <= last and len(found) < count:
            found.extend(s for s in self.free_slots(device.id, day, minutes) if s.start >= after)
            day += timedelta(days=1)
        return found[:count]

    def check_slot(
        self,
        device_id: str,
        start: datetime,
        minutes: int,
        *,
        staff: bool = False,
        bookings: bool = True,
    ) -> BookingProblem | None:
        """The first rule a booking of this slot would break, or None. ``bookings=False``
        leaves out the other bookings of the device (the store refuses an overlap itself)."""
        ledger = self._ledger
        device = ledger.device(device_id)
        if device is None:
            return BookingProblem.UNKNOWN_DEVICE
        status = ledger.status_of(device_id)
        if not status.lendable:
            return BookingProblem.DEVICE_UNAVAILABLE
        now = ledger.now()
        day = start.astimezone(ledger.calendar.zone).date()
        if not staff and status is DeviceStatus.NEEDS_WIPING and day <= now.date():
            return BookingProblem.NEEDS_WIPING
        end = start + timedelta(minutes=minutes)
        blocks = ledger.blocks(device_id, day) if bookings else []
        return slot_problem(device, ledger.calendar, start, end, now, blocks, staff=staff)
