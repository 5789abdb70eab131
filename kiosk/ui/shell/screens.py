"""The kiosk's screens by name, which belong to visitors or to staff, and the shell's timings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kiosk.config import SiteConfig


class Screen(Enum):
    """Every screen of the kiosk, by name."""

    ATTRACT = "attract"
    HOME = "home"
    LEARN = "learn"
    LESSON = "lesson"
    RESUME_CARD = "resume_card"
    RESUME_ENTRY = "resume_entry"
    TRY_DEVICE = "try_device"
    STAFF_LOGIN = "staff_login"
    STAFF_HOME = "staff_home"
    STAFF_BOOKINGS = "staff_bookings"
    STAFF_STATS = "staff_stats"


VISITOR_SCREENS = frozenset(
    {
        Screen.HOME,
        Screen.LEARN,
        Screen.LESSON,
        Screen.RESUME_CARD,
        Screen.RESUME_ENTRY,
        Screen.TRY_DEVICE,
    }
)
STAFF_SCREENS = frozenset({Screen.STAFF_HOME, Screen.STAFF_BOOKINGS, Screen.STAFF_STATS})


@dataclass(frozen=True)
class Timing:
    """Every duration of the shell in milliseconds; tests inject tiny ones."""

    visitor_idle_ms: int
    staff_idle_ms: int
    warning_ms: int
    notice_ms: int
    greeting_ms: int = 2500
    long_press_ms: int = 3000
    lesson_idle_ms: int | None = None  # None: a lesson waits as long as any visitor screen
    speech_hint_ms: int = 0  # how often the attract screen says how to start speech mode; 0 never

    @classmethod
    def from_config(cls, config: SiteConfig) -> Timing:
        return cls(
            visitor_idle_ms=config.session.idle_timeout_s * 1000,
            staff_idle_ms=config.staff.idle_timeout_s * 1000,
            warning_ms=config.session.warning_s * 1000,
            notice_ms=config.session.notice_s * 1000,
            long_press_ms=round(config.staff.long_press_s * 1000),
            lesson_idle_ms=config.session.lesson_idle_timeout_s * 1000,
            speech_hint_ms=config.session.speech_hint_s * 1000,
        )
