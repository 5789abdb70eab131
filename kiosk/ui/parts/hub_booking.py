"""Booking through the hub without blocking the screen: ask in the background, settle here.

A terminal joined to a hub checks a booking itself first (`BookingService.request_booking`),
then asks the hub from a worker thread — for up to the hub's timeout, about two seconds —
while the screen says that it is booking, and settles the answer on the UI thread
(`BookingService.settle_booking`): the hub's booking, its refusal with other free times, or
the site's offline policy when no answer came. An answer for someone who has gone meanwhile
(the session was wiped, the desk was left) is never shown; a booking the hub made for them is
still kept here, so staff see it at once, and nothing else is stored for them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from kiosk.core.bookings import (
    BookingRequest,
    BookingService,
    BookOutcome,
    HubAnswer,
    SharedBooking,
)
from kiosk.storage import StorageError
from kiosk.ui.parts.background import run_in_background

log = logging.getLogger(__name__)
# The client gives up after the hub's timeout itself; this margin lets its answer come first.
DEADLINE_GRACE_MS = 250


def _no_answer(_request: BookingRequest) -> HubAnswer:
    return None


def _nothing() -> None:
    return None


def _no_changes() -> int:
    return 0


@dataclass(frozen=True)
class HubLink:
    """What the booking screens use of a terminal joined to a hub."""

    book: Callable[[BookingRequest], HubAnswer] = _no_answer
    """Ask the hub for a booking (blocking: only ever called from a worker thread); None when
    no answer came in time."""
    wake: Callable[[], None] = _nothing
    """A change made here waits in the outbox: send it now, not at the next round."""
    shared_kept: Callable[[], int] = _no_changes
    """How many bookings and device states came from the hub so far: when the number grows,
    what the screens show of the site's bookings may have changed."""
    wait_s: float = 2.0
    """How long a visitor waits for the hub's answer ([hub] timeout_s)."""


class HubBooking:
    """The one booking a page has asked the hub for, if any.

    ``ask`` runs the question in the background and hands the outcome to ``done`` on the UI
    thread; ``drop`` forgets the question (the person who asked has gone).
    """

    def __init__(self, owner: QObject, hub: HubLink | None) -> None:
        self._owner = owner
        self._hub = hub or HubLink()
        self._asked = 0
        self._awaited: int | None = None

    @property
    def waiting(self) -> bool:
        """An answer from the hub is awaited for the person at the screen."""
        return self._awaited is not None

    def ask(
        self,
        service: BookingService,
        request: BookingRequest,
        done: Callable[[BookOutcome | None], None],
    ) -> None:
        """Ask the hub for ``request``; ``done`` gets the settled outcome (None: it could not
        be stored), unless ``drop`` was called before the answer came."""
        self._asked += 1
        number = self._awaited = self._asked
        book = self._hub.book

        def answered(answer: HubAnswer | None) -> None:
            if number != self._awaited:
                self._settle_unseen(service, request, answer)
                return
            self._awaited = None
            try:
                outcome = service.settle_booking(request, answer)
            except StorageError:
                log.exception("the hub's answer to a booking could not be stored")
                done(None)
                return
            self.changed()
            done(outcome)

        def too_late() -> None:
            # The client's timeouts count each step (connecting, every read) on its own: a hub
            # that answers a byte at a time could keep the visitor waiting for minutes. The
            # visitor waits this long in all; a yes that comes later is kept by its uid (the
            # same booking as the provisional one), anything else is forgotten.
            if number == self._awaited:
                log.info("no answer from the hub in time; the offline policy decides")
                answered(None)

        # An exception in the worker (the hub client failed unexpectedly) arrives as None:
        # no answer, so the site's offline policy decides, as for a timeout.
        run_in_background(self._owner, lambda: book(request), answered)
        QTimer.singleShot(round(self._hub.wait_s * 1000) + DEADLINE_GRACE_MS, self._owner, too_late)

    def drop(self) -> None:
        """Whoever asked has gone: their answer must not reach the next person at the screen."""
        self._awaited = None

    def changed(self) -> None:
        """Something was changed here: let the sync send it now."""
        try:
            self._hub.wake()
        except Exception:  # the sync must never take a booking screen down with it
            log.exception("the sync could not be woken")

    @staticmethod
    def _settle_unseen(
        service: BookingService, request: BookingRequest, answer: HubAnswer | None
    ) -> None:
        """An answer nobody waits for any more: the visitor left, or waited longer than the
        hub's timeout and got the offline policy's outcome. A booking the hub made is kept here
        (staff see it; it replaces the provisional one of the same uid, or is released as a
        no-show if its visitor has gone). A refusal or no answer is forgotten: nothing is booked
        for someone who is not there, and a provisional booking stays for the sync to settle."""
        if not isinstance(answer, SharedBooking):
            return
        try:
            service.settle_booking(request, answer)
        except StorageError:
            log.exception("a booking made at the hub could not be kept here")
            return
        log.info("a late booking from the hub is kept here")
