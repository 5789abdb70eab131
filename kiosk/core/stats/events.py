"""Usage events: what happened at the kiosk, counted, never who did it.

An event is a kind, the hour it happened in (site time, minutes and seconds dropped) and a few
values from closed vocabularies: a language code, a course id, a device kind, a format, a
duration bucket. There is no visitor id, no session id, no free text and no exact time, so
events cannot be chained into one person's visit. Recording never stops the kiosk: a storage
failure is logged and the visitor goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Protocol
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)


class EventKind(Enum):
    SESSION_STARTED = "session_started"
    SESSION_ENDED = "session_ended"  # with its duration bucket
    LANGUAGE_CHOSEN = "language_chosen"
    COURSE_STARTED = "course_started"
    COURSE_COMPLETED = "course_completed"
    QUIZ_ATTEMPTED = "quiz_attempted"
    RESUME_CODE_USED = "resume_code_used"
    BOOKING_CREATED = "booking_created"
    BOOKING_CHECKED_IN = "booking_checked_in"
    BOOKING_NO_SHOW = "booking_no_show"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_EDITED = "booking_edited"  # staff changed its time or device; the code stays
    CONSULTATION = "consultation"  # counted by staff with one touch


class Format(Enum):
    """How a visitor was served, as the city reports it."""

    SELF_LEARNING = "self_learning"  # a course at the kiosk
    DEVICE_TRIAL = "device_trial"  # a booked or walk-in device trial
    CONSULTATION = "consultation"  # personal help from staff


# Session lengths are kept only as one of these buckets (upper bounds in minutes).
DURATION_BUCKETS = ((1, "under_1_min"), (5, "1_5_min"), (15, "5_15_min"), (30, "15_30_min"))
LONGEST_BUCKET = "over_30_min"


def duration_bucket(seconds: float) -> str:
    for limit, name in DURATION_BUCKETS:
        if seconds < limit * 60:
            return name
    return LONGEST_BUCKET


class EventStore(Protocol):
    def add_event(
        self,
        hour: str,
        kind: str,
        *,
        language: str = "",
        course_id: str = "",
        device_kind: str = "",
        format: str = "",
        duration: str = "",
    ) -> None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class UsageEvents:
    """Records usage events for the statistics; every method is safe to call from the UI."""

    def __init__(
        self,
        store: EventStore,
        zone: ZoneInfo,
        clock: Callable[[], datetime] = utc_now,
        errors: tuple[type[Exception], ...] = (),
    ) -> None:
        self._store = store
        self._zone = zone
        self._clock = clock
        self._errors = errors

    def hour(self) -> str:
        """The current hour in site time, e.g. '2026-12-01T10'."""
        return self._clock().astimezone(self._zone).strftime("%Y-%m-%dT%H")

    def record(self, kind: EventKind, **values: str) -> None:
        try:
            self._store.add_event(self.hour(), kind.value, **values)
        except self._errors:
            log.exception("usage event %s could not be stored", kind.value)

    def session_started(self, language: str) -> None:
        self.record(EventKind.SESSION_STARTED, language=language)

    def session_ended(self, seconds: float) -> None:
        self.record(EventKind.SESSION_ENDED, duration=duration_bucket(seconds))

    def language_chosen(self, language: str) -> None:
        self.record(EventKind.LANGUAGE_CHOSEN, language=language)

    def course_started(self, course_id: str, language: str) -> None:
        self.record(
            EventKind.COURSE_STARTED,
            course_id=course_id,
            language=language,
            format=Format.SELF_LEARNING.value,
        )

    def course_completed(self, course_id: str, language: str) -> None:
        self.record(EventKind.COURSE_COMPLETED, course_id=course_id, language=language)

    def quiz_attempted(self, course_id: str) -> None:
        self.record(EventKind.QUIZ_ATTEMPTED, course_id=course_id)

    def resume_code_used(self) -> None:
        self.record(EventKind.RESUME_CODE_USED)

    def booking(self, kind: EventKind, device_kind: str) -> None:
        """A booking was created, checked in, released as no-show, cancelled or edited."""
        trial = Format.DEVICE_TRIAL.value if kind is EventKind.BOOKING_CHECKED_IN else ""
        self.record(kind, device_kind=device_kind, format=trial)

    def consultation(self) -> None:
        self.record(EventKind.CONSULTATION, format=Format.CONSULTATION.value)
