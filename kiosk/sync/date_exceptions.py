"""A site's date exceptions on the wire: the hub's records read back into the core's.

As with bookings, a record with a field of the wrong type or out of range is no record at all
(the pull leaves it out and logs it): a day the calendar cannot read would close or open the
site by mistake.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kiosk.core.bookings import NOTE_MAX, SharedDateException
from kiosk.core.hidden_text import hidden_character
from kiosk.sync.bookings import MalformedError

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LATEST_TS = 7_258_118_400  # 2200, as for bookings
_DAY_MINUTES = 24 * 60


def shared_exception(data: object) -> SharedDateException:
    """A DateExceptionRecord of the hub; raises MalformedError."""
    if not isinstance(data, dict):
        raise MalformedError("not an object")
    day = data.get("day")
    if not isinstance(day, str) or not _DAY.fullmatch(day):
        raise MalformedError("day")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise MalformedError("day") from None
    closed, removed = _flag(data, "closed"), _flag(data, "removed")
    opens = _minute(data, "opens_minute", 0, _DAY_MINUTES - 1)
    closes = _minute(data, "closes_minute", 1, _DAY_MINUTES)
    if not closed and (opens is None or closes is None or opens >= closes):
        raise MalformedError("hours")
    note = data.get("note")
    if not isinstance(note, str) or len(note) > NOTE_MAX or hidden_character(note) is not None:
        raise MalformedError("note")
    changed = data.get("changed_ts")
    if isinstance(changed, bool) or not isinstance(changed, int) or not 0 <= changed <= _LATEST_TS:
        raise MalformedError("changed_ts")
    return SharedDateException(
        day=day,
        closed=closed,
        opens_minute=None if closed else opens,
        closes_minute=None if closed else closes,
        note=note,
        removed=removed,
        changed_ts=changed,
    )


def _flag(record: dict[str, Any], key: str) -> bool:
    value = record.get(key)
    if not isinstance(value, bool):
        raise MalformedError(key)
    return value


def _minute(record: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise MalformedError(key)
    return value
