"""Staff find bookings by part of a first name, part of the code, a device or a time, and by
what needs their attention (waiting for approval, today's no-shows, conflicts, blocks).

For the visitor who lost the code: a typed name, a few remembered symbols of the code or "the
tablet at two" find the booking. Names are compared without case and accents ("anna" finds
"Änna", "jurgen" finds "Jürgen", "strasse" finds "Straße"): a visitor spells their name to staff
who may not type the accent, and the desk's keyboard may have none. Several words must each
match something ("anna tablet"). A time ("14", "14:00", "14.30") finds the bookings running
then. Reading a year of one site's bookings is a few thousand rows at most: they are matched
here, not in SQL, so both stores (SQLite, PostgreSQL) answer alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from enum import Enum

from kiosk.core.bookings.records import Booking, BookingKind, BookingStatus
from kiosk.core.bookings.rules import DevicePolicy

# By default from today on, a year ahead; a name or a code also from a week back (the visitor
# who asks what they booked last week, or lost the slip after the visit).
AHEAD = timedelta(days=365)
BACK = timedelta(days=7)
# A piece of a code found alone: two symbols would match a good share of all codes.
_CODE_PIECE_MIN = 3
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?:\s*(?:uhr|h))?")
_CODE_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")


class SearchFilter(Enum):
    """What staff look for besides text: bookings that need something from them."""

    WAITING = "waiting"  # waiting for approval
    NO_SHOW_TODAY = "no_show_today"  # released today: the visitor may still turn up
    CONFLICT = "conflict"  # the hub gave the time to another booking: move or cancel it
    BLOCKED = "blocked"  # staff hold the device (a workshop)


def folded(text: str) -> str:
    """``text`` as the search compares it: without case, accents and compatibility forms
    ("Änna" → "anna", "ＡＮＮＡ" → "anna", "Straße" → "strasse"; other scripts keep their
    letters and lose only their marks)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFKC", bare).split())


def time_of(text: str) -> time | None:
    """The time ``text`` says ("14", "14:00", "14.30", "9 Uhr"), or None."""
    match = _TIME.fullmatch(text.strip().casefold())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def _filter_holds(only: SearchFilter, booking: Booking, today: date) -> bool:
    if only is SearchFilter.WAITING:
        return booking.status is BookingStatus.PENDING
    if only is SearchFilter.NO_SHOW_TODAY:
        return booking.status is BookingStatus.NO_SHOW and booking.start.date() == today
    if only is SearchFilter.CONFLICT:
        return booking.status is BookingStatus.CONFLICT
    return booking.kind is BookingKind.BLOCKED and booking.active


class BookingSearch:
    """Finds bookings in the days the store is asked for (``read(first, last)``)."""

    def __init__(
        self,
        read: Callable[[date, date], list[Booking]],
        devices: Iterable[DevicePolicy],
        today: Callable[[], date],
    ) -> None:
        self._read = read
        self._devices = {device.id: device for device in devices}
        self._today = today

    def search(
        self,
        text: str = "",
        *,
        only: SearchFilter | None = None,
        first: date | None = None,
        last: date | None = None,
        names: Mapping[str, str] | None = None,
    ) -> list[Booking]:
        """Bookings matching every word of ``text`` and the filter ``only``, sorted by start.

        The default span is today to a year ahead, and a week back for bookings found by name
        or code; ``first``/``last`` set it. ``names`` adds device names to match (a device's
        name in the language staff read), besides its id and its configured names.
        """
        today = self._today()
        words = folded(text).split()
        default_first = first is None
        low = first if first is not None else today - (BACK if words else timedelta(0))
        high = last if last is not None else today + AHEAD
        if high < low:
            return []
        found = []
        for booking in self._read(low, high):
            if only is not None and not _filter_holds(only, booking, today):
                continue
            if not words:
                found.append(booking)
                continue
            by_who = self._names_it(booking, text, words)
            # Before today only a name or a code finds it (a time or a device would list last
            # week's whole day).
            if by_who or (
                (not default_first or booking.start.date() >= today)
                and self._matches(booking, words, names or {})
            ):
                found.append(booking)
        return sorted(found, key=lambda booking: (booking.start, booking.device_id, booking.id))

    def _names_it(self, booking: Booking, text: str, words: list[str]) -> bool:
        """The whole text is part of the booking's code, or each word is part of its name or
        code."""
        piece = _CODE_SEPARATORS.sub("", text).upper()
        if len(piece) >= _CODE_PIECE_MIN and piece in booking.code:
            return True
        return all(self._who(booking, word) for word in words)

    def _who(self, booking: Booking, word: str) -> bool:
        if booking.name is not None and word in folded(booking.name):
            return True
        piece = _CODE_SEPARATORS.sub("", word).upper()
        return len(piece) >= _CODE_PIECE_MIN and piece in booking.code

    def _matches(self, booking: Booking, words: list[str], names: Mapping[str, str]) -> bool:
        """Each word matches the name, the code, the device, the reason or the time."""
        return all(self._word_matches(booking, word, names) for word in words)

    def _word_matches(self, booking: Booking, word: str, names: Mapping[str, str]) -> bool:
        if self._who(booking, word):
            return True
        if word in folded(booking.device_id) or any(
            word in folded(name) for name in self._device_names(booking.device_id, names)
        ):
            return True
        if booking.reason is not None and word in folded(booking.reason):
            return True
        moment = time_of(word)
        return moment is not None and _runs_at(booking, moment)

    def _device_names(self, device_id: str, names: Mapping[str, str]) -> list[str]:
        device = self._devices.get(device_id)
        known = [] if device is None else [device.name, *device.names.values()]
        if device_id in names:
            known.append(names[device_id])
        return known


def _runs_at(booking: Booking, moment: time) -> bool:
    """The booking runs at ``moment`` on its day (from its start, up to but not at its end)."""
    at = datetime.combine(booking.start.date(), moment, booking.start.tzinfo)
    return booking.start <= at < booking.end
