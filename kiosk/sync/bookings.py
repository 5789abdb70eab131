"""Bookings on the wire: a request as the hub takes it, and the hub's bookings, device states
and refusals read back into the core's records.

What the hub sends is checked field by field before the terminal keeps it: a booking with a
field of the wrong type or out of its vocabulary is no booking at all (the caller treats a
malformed answer as no answer), so a broken proxy or a newer hub can never put a half-read
booking on the staff desk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.bookings import (
    NAME_MAX,
    REASON_MAX,
    BookingKind,
    BookingProblem,
    BookingRequest,
    BookingStatus,
    DeviceStatus,
    HubRefusal,
    SharedBooking,
    SharedDeviceStatus,
    Slot,
)
from kiosk.core.resume_codes import ALPHABET

_UID = re.compile(r"[0-9a-f]{32}")
_CODE = re.compile(f"[{ALPHABET}]{{6}}")
_WORD = re.compile(r"[A-Za-z0-9_.-]{1,64}")
# The hub keeps every status but provisional: that one exists only on a terminal.
_HUB_STATUSES = frozenset(status.value for status in BookingStatus) - {
    BookingStatus.PROVISIONAL.value
}
_DEVICE_STATUSES = frozenset(status.value for status in DeviceStatus)
_KINDS = frozenset(kind.value for kind in BookingKind)
_PROBLEMS = {problem.value: problem for problem in BookingProblem}
# Unix seconds a booking can sensibly have (1970 to 2200): a bound for a value from outside.
_LATEST_TS = 7_258_118_400


class MalformedError(ValueError):
    """A record from the hub that is not what the wire format says."""


def request_body(request: BookingRequest) -> dict[str, Any]:
    """POST /v1/bookings: the booking as checked here, with its uid and code."""
    return {
        "uid": request.uid,
        "code": request.code,
        "device_id": request.device_id,
        "start_ts": int(request.start.timestamp()),
        "minutes": request.minutes,
        "name": request.name,
        "walk_in": request.walk_in,
    }


def shared_booking(data: object) -> SharedBooking:
    """A BookingRecord of the hub; raises MalformedError."""
    record = _object(data)
    name = record.get("name")
    if name is not None and not (isinstance(name, str) and len(name) <= NAME_MAX):
        raise MalformedError("name")
    # A hub from before blocks sends neither: a visit.
    reason = record.get("reason")
    if reason is not None and not (isinstance(reason, str) and len(reason) <= REASON_MAX):
        raise MalformedError("reason")
    booking = SharedBooking(
        uid=_matching(record, "uid", _UID),
        code=_matching(record, "code", _CODE),
        device_id=_matching(record, "device_id", _WORD),
        device_kind=_matching(record, "device_kind", _WORD),
        start_ts=_timestamp(record, "start_ts"),
        end_ts=_timestamp(record, "end_ts"),
        block_until_ts=_timestamp(record, "block_until_ts"),
        name=name,
        status=_one_of(record, "status", _HUB_STATUSES),
        walk_in=_flag(record, "walk_in"),
        moved=_flag(record, "moved"),
        updated_ts=_timestamp(record, "updated_ts"),
        kind=_one_of({"kind": record.get("kind", "visit")}, "kind", _KINDS),
        reason=reason,
    )
    if not booking.start_ts < booking.end_ts <= booking.block_until_ts:
        raise MalformedError("times")
    return booking


def shared_device(data: object) -> SharedDeviceStatus:
    """A DeviceState of the hub; raises MalformedError."""
    record = _object(data)
    return SharedDeviceStatus(
        device_id=_matching(record, "device_id", _WORD),
        status=_one_of(record, "status", _DEVICE_STATUSES),
        changed_ts=_timestamp(record, "changed_ts"),
    )


def refusal(data: object, zone: ZoneInfo) -> HubRefusal:
    """A 409 of POST /v1/bookings: why not, and the free times the hub offers (in ``zone``, the
    site's). A reason this terminal does not know yet reads as "just taken"."""
    record = _object(data)
    if record.get("error") != "refused":
        raise MalformedError("error")
    problem = record.get("problem")
    alternatives = record.get("alternatives", [])
    if not isinstance(alternatives, list):
        raise MalformedError("alternatives")
    slots = []
    for each in alternatives:
        offered = _object(each)
        start, end = _timestamp(offered, "start_ts"), _timestamp(offered, "end_ts")
        if start >= end:
            raise MalformedError("alternative times")
        slots.append(
            Slot(
                _matching(offered, "device_id", _WORD),
                datetime.fromtimestamp(start, zone),
                datetime.fromtimestamp(end, zone),
            )
        )
    found = _PROBLEMS.get(problem) if isinstance(problem, str) else None
    return HubRefusal(found or BookingProblem.OVERLAP, tuple(slots))


def _object(data: object) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise MalformedError("not an object")
    return data


def _matching(record: Mapping[str, Any], key: str, pattern: re.Pattern[str]) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise MalformedError(key)
    return value


def _one_of(record: Mapping[str, Any], key: str, allowed: frozenset[str]) -> str:
    value = record.get(key)
    if value not in allowed:
        raise MalformedError(key)
    return str(value)


def _timestamp(record: Mapping[str, Any], key: str) -> int:
    value = record.get(key)
    # JSON's true is no time (bool is an int in Python), nor is "1765000000".
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _LATEST_TS:
        raise MalformedError(key)
    return value


def _flag(record: Mapping[str, Any], key: str) -> bool:
    value = record.get(key)
    if not isinstance(value, bool):
        raise MalformedError(key)
    return value
