"""What the booking service needs from its store (kiosk.storage's BookingRepository)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class BookingRow(Protocol):
    """A booking as the store keeps it (times as Unix seconds)."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def device_id(self) -> str: ...
    @property
    def device_kind(self) -> str: ...
    @property
    def start_ts(self) -> int: ...
    @property
    def end_ts(self) -> int: ...
    @property
    def block_until_ts(self) -> int: ...
    @property
    def name(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def walk_in(self) -> bool: ...
    @property
    def uid(self) -> str: ...
    @property
    def moved(self) -> bool: ...
    @property
    def kind(self) -> str:
        """A BookingKind value: "visit", or "blocked" for a block staff made."""
        ...

    @property
    def reason(self) -> str | None: ...


class AddOutcome(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def taken(self) -> bool: ...
    @property
    def code_in_use(self) -> bool: ...
    @property
    def existing(self) -> bool:
        """A booking with this uid was stored before (a retry): ``id`` is that booking's."""
        ...


class BookingStore(Protocol):
    """Where bookings and device states live (kiosk.storage's BookingRepository)."""

    def add(
        self,
        *,
        uid: str,
        code: str,
        device_id: str,
        device_kind: str,
        start_ts: int,
        end_ts: int,
        block_until_ts: int,
        name: str | None,
        status: str,
        walk_in: bool,
        now_ts: int,
        kind: str = "visit",
        reason: str | None = None,
    ) -> AddOutcome: ...
    def by_code(self, code: str) -> BookingRow | None: ...
    def by_id(self, booking_id: int) -> BookingRow | None: ...
    def by_uid(self, uid: str) -> BookingRow | None: ...
    def between(
        self, start_ts: int, end_ts: int, *, device_id: str | None = None, active_only: bool = False
    ) -> Sequence[BookingRow]: ...
    def set_status(
        self, booking_id: int, status: str, now_ts: int, *, expected: Sequence[str]
    ) -> bool: ...
    def move(self, booking_id: int, device_id: str, block_until_ts: int, now_ts: int) -> bool: ...
    def reschedule(
        self,
        booking_id: int,
        *,
        device_id: str,
        start_ts: int,
        end_ts: int,
        block_until_ts: int,
        status: str,
        now_ts: int,
    ) -> bool:
        """Give a booking another time and device (and status), marked as moved; False if that
        overlaps an active booking there."""
        ...

    def release_no_shows(self, started_before_ts: int, now_ts: int) -> Sequence[BookingRow]: ...
    def purge_names(self, ended_before_ts: int) -> int: ...
    def device_statuses(self) -> dict[str, str]: ...
    def set_device_status(self, device_id: str, status: str, now_ts: int) -> None: ...

    # Date exceptions (kiosk.core.bookings.exceptions), one per day: days are "YYYY-MM-DD".
    def date_exceptions(self, first_day: str, last_day: str) -> Sequence[ExceptionRow]:
        """The exceptions in force on the days ``first_day`` to ``last_day`` (not removed)."""
        ...

    def put_date_exception(
        self,
        *,
        day: str,
        closed: bool,
        opens_minute: int | None,
        closes_minute: int | None,
        note: str,
        now_ts: int,
    ) -> ExceptionRow:
        """Store the day's exception, replacing the one the day had (its id is kept)."""
        ...

    def remove_date_exception(self, exception_id: int, now_ts: int) -> bool:
        """Take the exception back (kept as removed, so the removal can travel); False if
        there is no such exception in force."""
        ...


class ExceptionRow(Protocol):
    """A date exception as the store keeps it (minutes from the day's midnight, 1440 = 24:00)."""

    @property
    def id(self) -> int: ...
    @property
    def day(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    @property
    def opens_minute(self) -> int | None: ...
    @property
    def closes_minute(self) -> int | None: ...
    @property
    def note(self) -> str: ...
