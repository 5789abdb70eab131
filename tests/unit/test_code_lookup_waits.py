"""Booking-code and resume-code lookups on one terminal, over a real database: wrong codes are
counted (a right one does not reset the count), each wait is at most 30 s, and the count is
forgiven after a quiet spell."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.bookings import LookupStatus
from kiosk.core.progress import ProgressService
from kiosk.core.resume_codes import MAX_WAIT_S, RestoreStatus, format_code, generate_code
from kiosk.storage.database import Storage
from kiosk.sync.client import LookupAnswer
from tests.unit.bookings.helpers import TUESDAY, at, booking_site

STEPS = ("what-is", "open-app", "need", "done")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def code_from(body: str, length: int = 8) -> str:
    """A well-formed code starting with ``body`` (its check symbol made to fit)."""
    feed = iter(body)
    return generate_code(lambda _alphabet: next(feed), length=length)


def unknown_booking_code(taken: str) -> str:
    """A well-formed booking code that is not ``taken``."""
    return code_from("ACDEF" if not taken.startswith("ACDEF") else "GHJKM", length=6)


def test_booking_codes_a_right_code_does_not_reset_the_count(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        booked = service.book("tablet-1", at(TUESDAY, "10:00"), 30, "Anna")
        assert booked.booking is not None
        own = booked.booking.code
        wrong = unknown_booking_code(own)
        waits = []
        for _ in range(3):
            waits.append(service.find(wrong).wait_s)
            clock.advance(seconds=waits[-1])
        assert waits == [0.0, 0.0, 15.0]
        # The guesser's own booking: found, and the count stays.
        assert service.find(own).status is LookupStatus.FOUND
        after = service.find(wrong)
        assert after.status is LookupStatus.UNKNOWN
        assert after.wait_s == MAX_WAIT_S  # not 0.0: guessing does not start afresh


def test_booking_code_waits_never_exceed_30_seconds(data_dir: Path) -> None:
    with booking_site(data_dir) as (service, clock, _storage):
        wrong = unknown_booking_code("")
        waits = []
        for _ in range(40):
            lookup = service.find(wrong)
            assert lookup.status is LookupStatus.UNKNOWN
            waits.append(lookup.wait_s)
            clock.advance(seconds=lookup.wait_s)
        assert max(waits) == 30.0  # before: 60, 120, 240 and then 300 s for everyone here
        assert waits[-1] == 30.0
        # A quiet half hour forgives the count (the decay over time is kept).
        clock.advance(seconds=30 * 60)
        assert [service.find(wrong).wait_s for _ in range(2)] == [0.0, 0.0]


@pytest.fixture
def storage(data_dir: Path) -> Iterator[Storage]:
    opened = Storage.open(data_dir)
    yield opened
    opened.close()


def test_resume_codes_a_right_code_does_not_reset_the_count_and_waits_are_capped(
    storage: Storage,
) -> None:
    clock = Clock()
    owner = ProgressService(storage.progress, storage.settings, clock=clock)
    owner.start_course("video-calls", 1, STEPS)
    own = owner.take_resume_code().code
    owner.forget()
    guesser = ProgressService(storage.progress, storage.settings, clock=clock)
    wrong = format_code(code_from("ACDEFGH"))
    assert wrong.replace("-", "") != own
    waits = []
    for _ in range(12):
        result = guesser.restore(wrong)
        assert result.status is RestoreStatus.UNKNOWN
        waits.append(result.retry_after_s)
        clock.advance(result.retry_after_s)
    assert waits[:4] == [0.0, 0.0, 15.0, 30.0]
    assert max(waits) == 30.0
    assert guesser.restore(format_code(own)).restored
    guesser.forget()
    assert guesser.restore(wrong).retry_after_s == 30.0


def test_a_hubs_long_wait_is_shown_as_at_most_30_seconds(storage: Storage) -> None:
    service = ProgressService(storage.progress, storage.settings, clock=Clock())
    answer = LookupAnswer("throttled", retry_after_s=3599.0)
    result = service.restore_from_hub("ACDEFGHX", answer)
    assert result.status is RestoreStatus.THROTTLED
    assert result.retry_after_s == 30.0
