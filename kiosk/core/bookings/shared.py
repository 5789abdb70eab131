"""Bookings shared by the terminals of a site through the hub (no HTTP here: kiosk.sync).

A terminal joined to a hub checks a booking against the site's rules itself, then asks the hub
(the authority) with a `BookingRequest`: its UUID makes a retry after a lost answer harmless,
and its code is the one the visitor will carry. The hub answers with the booking as it keeps it
(`SharedBooking`), or refuses the time with the next free ones (`HubRefusal`), or does not
answer in time (None): then the site's offline policy decides (`OFFLINE_POLICIES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kiosk.core.bookings.rules import BookingProblem, Slot

# [bookings] offline_bookings: book provisionally on the terminal, or send visitors to the desk.
PROVISIONAL = "provisional"
REFUSE = "refuse"
OFFLINE_POLICIES = (PROVISIONAL, REFUSE)


@dataclass(frozen=True)
class BookingRequest:
    """A booking checked on this terminal, as the hub is asked for it."""

    uid: str  # 32 hex digits (uuid4().hex); the hub takes each once
    code: str  # compact booking code; the hub draws another if a booking of the site has it
    device_id: str
    start: datetime
    minutes: int
    name: str  # cleaned (kiosk.core.bookings.names)
    walk_in: bool = False


@dataclass(frozen=True)
class SharedBooking:
    """A booking as the hub keeps it: the answer to a request, or pulled by every terminal of
    the site. Times are Unix seconds; ``name`` is None once purged."""

    uid: str
    code: str
    device_id: str
    device_kind: str
    start_ts: int
    end_ts: int
    block_until_ts: int
    name: str | None
    status: str  # a BookingStatus value other than provisional
    walk_in: bool
    moved: bool
    updated_ts: int
    kind: str = "visit"  # a BookingKind value; "blocked": staff hold the device
    reason: str | None = None  # a block's reason


@dataclass(frozen=True)
class SharedDeviceStatus:
    """A device state set by staff at any terminal of the site (last change wins)."""

    device_id: str
    status: str  # a DeviceStatus value
    changed_ts: int


@dataclass(frozen=True)
class HubRefusal:
    """The hub refuses the time (taken meanwhile, or against its rules) and offers others."""

    problem: BookingProblem
    alternatives: tuple[Slot, ...] = ()


HubAnswer = SharedBooking | HubRefusal | None  # None: no answer in time


class BookingAuthority(Protocol):
    """The hub, as the booking service asks it (kiosk.sync.client implements it over HTTP)."""

    def book(self, request: BookingRequest) -> HubAnswer: ...


class SharedCopy(Protocol):
    """The terminal's copy of the site's shared bookings (kiosk.storage's BookingRepository)."""

    def keep_shared(
        self, bookings: Sequence[SharedBooking], devices: Sequence[SharedDeviceStatus] = ()
    ) -> None:
        """Store bookings and device states as the hub decided them, without sending them back.
        An active booking here that overlaps one of them (a provisional one the hub has not
        taken yet) becomes a conflict: the hub's booking wins."""
        ...
