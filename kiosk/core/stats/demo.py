"""Synthetic usage for demos, staff training and benchmarks (``kiosk demo-data --days N``).

The numbers follow a plausible week of a walk-in digital-help shop: closed on Sunday and Monday,
busier in the afternoon, mostly German with Ukrainian, Arabic, Russian, Turkish, Persian and
English speakers, courses started more often than finished. A fixed seed gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from kiosk.core.stats.events import EventKind, Format, duration_bucket

LANGUAGE_WEIGHTS = {
    "de": 50,
    "de-x-ls": 6,
    "uk": 12,
    "ar": 9,
    "ru": 7,
    "tr": 5,
    "fa": 5,
    "en": 6,
}
OPEN_HOURS = (10, 11, 12, 14, 15, 16, 17)

EventRow = tuple[str, str, str, str, str, str, str]


def synthetic_events(
    last_day: date,
    days: int,
    *,
    courses: Sequence[str],
    device_kinds: Sequence[str],
    sessions_per_day: int = 40,
    seed: int = 2026,
) -> Iterator[EventRow]:
    """Events for the ``days`` days up to ``last_day``: (hour, kind, language, course_id,
    device_kind, format, duration) — the rows kiosk.storage's add_events takes."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo figures, not secrets
    languages = list(LANGUAGE_WEIGHTS)
    weights = list(LANGUAGE_WEIGHTS.values())
    for offset in range(days - 1, -1, -1):
        day = last_day - timedelta(days=offset)
        if day.weekday() in (0, 6):  # closed on Monday and Sunday
            continue
        busy = 1.3 if day.weekday() == 3 else 1.0  # Thursday: long opening
        for _ in range(rng.randint(sessions_per_day // 2, int(sessions_per_day * busy))):
            hour = f"{day.isoformat()}T{rng.choice(OPEN_HOURS):02d}"
            language = rng.choices(languages, weights)[0]
            yield (hour, EventKind.SESSION_STARTED.value, language, "", "", "", "")
            yield (hour, EventKind.LANGUAGE_CHOSEN.value, language, "", "", "", "")
            minutes = rng.expovariate(1 / 9)
            if courses and rng.random() < 0.55:
                course = rng.choice(courses)
                yield (
                    hour,
                    EventKind.COURSE_STARTED.value,
                    language,
                    course,
                    "",
                    Format.SELF_LEARNING.value,
                    "",
                )
                for _ in range(rng.randint(0, 3)):
                    yield (hour, EventKind.QUIZ_ATTEMPTED.value, "", course, "", "", "")
                if rng.random() < 0.45:
                    yield (hour, EventKind.COURSE_COMPLETED.value, language, course, "", "", "")
                if rng.random() < 0.15:
                    yield (hour, EventKind.RESUME_CODE_USED.value, "", "", "", "", "")
            if device_kinds and rng.random() < 0.25:
                kind = rng.choice(device_kinds)
                yield (hour, EventKind.BOOKING_CREATED.value, "", "", kind, "", "")
                outcome = rng.random()
                if outcome < 0.75:
                    trial = Format.DEVICE_TRIAL.value
                    yield (hour, EventKind.BOOKING_CHECKED_IN.value, "", "", kind, trial, "")
                elif outcome < 0.9:
                    yield (hour, EventKind.BOOKING_NO_SHOW.value, "", "", kind, "", "")
                else:
                    yield (hour, EventKind.BOOKING_CANCELLED.value, "", "", kind, "", "")
            yield (
                hour,
                EventKind.SESSION_ENDED.value,
                "",
                "",
                "",
                "",
                duration_bucket(minutes * 60),
            )
        for _ in range(rng.randint(2, 9)):
            hour = f"{day.isoformat()}T{rng.choice(OPEN_HOURS):02d}"
            consultation = Format.CONSULTATION.value
            yield (hour, EventKind.CONSULTATION.value, "", "", "", consultation, "")
