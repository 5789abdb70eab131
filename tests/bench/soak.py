"""Soak: a thousand visitor sessions through the real window, and the memory they leave behind.

Each session starts from the attract screen in a language, opens "Learn something", a course
at its second step, goes to "Try a device", types a name (on a free time's confirm page, or in
the booking-code field when no time is free) and ends, which wipes it. The event loop runs
between sessions, deferred deletes included, as on a terminal. The resident set size after a
warm-up of 50 sessions is the baseline; the figure is the size after all of them. A leak of a
few kilobytes per session shows as a ratio above 1.05; `python -m tests.bench.soak` reports it.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk import resources
from kiosk.app import KioskApp, build_app, route_qt_messages_to_log
from kiosk.config import load_config
from kiosk.core.session import EndReason
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.shell.screens import Screen, Timing
from tests.bench.figures import Figure, Info, Ratio, report

SESSIONS = 1000
WARM_UP = 50
RSS_TARGET = 1.05
LANGUAGES = ("de", "en", "ar", "uk", "de-x-ls", "ru", "tr", "fa")
NAMES = ("Anna", "Kim", "Juergen", "Olena", "Maryam", "Ayse")  # QTest types ASCII only
# Nothing fires on its own while the sessions run.
QUIET = Timing(
    visitor_idle_ms=600_000,
    staff_idle_ms=600_000,
    warning_ms=30_000,
    notice_ms=100,
    greeting_ms=100_000,
    long_press_ms=3000,
)


def rss_bytes() -> int:
    """The process's resident set size now (Linux: /proc; elsewhere the peak, from resource)."""
    try:
        resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
        return resident_pages * resource.getpagesize()
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def settle() -> None:
    """Let the event loop turn, deleting what was handed to deleteLater."""
    for _ in range(2):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


def start_kiosk(home: Path) -> KioskApp:
    app = build_app(load_config(resources.DEMO_CONFIG), home, timing=QUIET, open_storage_now=True)
    app.window.resize(1280, 800)
    app.window.show()
    settle()
    return app


def name_field(booking: BookingScreen) -> QLineEdit:
    """Where this visitor types a name: a free time's confirm page, else the code lookup."""
    slots = booking.list_page.visible_slots()
    if not slots and booking.list_page.day_buttons:
        next(iter(booking.list_page.day_buttons.values())).click()
        slots = booking.list_page.visible_slots()
    if slots:
        booking.open_slot(slots[0])
        return booking.confirm_page.name
    booking.open_lookup()
    field = booking.lookup_page.findChild(QLineEdit)
    assert field is not None
    return field


def one_session(app: KioskApp, number: int) -> None:
    """One visitor, from the attract screen to the wipe."""
    window = app.window
    assert window.current_screen is Screen.ATTRACT
    window.attract.start_requested.emit(LANGUAGES[number % len(LANGUAGES)])
    window.show_screen(Screen.LEARN)
    courses = list(window.catalogue)
    course = courses[number % len(courses)]
    window.open_course(course.id, course.steps[min(1, len(course.steps) - 1)].id)
    window.open_booking("")
    booking = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(booking, BookingScreen)
    field = name_field(booking)
    QTest.keyClicks(field, NAMES[number % len(NAMES)])
    assert field.text()
    window.end_session(EndReason.ENDED_BY_VISITOR)
    assert field.text() == ""
    settle()


def run_sessions(app: KioskApp, count: int, first: int = 0) -> None:
    for number in range(first, first + count):
        one_session(app, number)


def run(sessions: int = SESSIONS, warm_up: int = WARM_UP) -> list[Figure]:
    route_qt_messages_to_log()
    with tempfile.TemporaryDirectory() as home:
        app = start_kiosk(Path(home))
        run_sessions(app, warm_up)
        warm = rss_bytes()
        started = time.perf_counter()
        run_sessions(app, sessions - warm_up, warm_up)
        seconds = time.perf_counter() - started
        end = rss_bytes()
        app.window.close()
        if app.desk.storage is not None:
            app.desk.storage.close()
    mb = 1024 * 1024
    return [
        Ratio(
            "soak_rss_growth",
            end / mb,
            warm / mb,
            "MB",
            RSS_TARGET,
            f"RSS after {warm_up} warm-up sessions; figure after {sessions}",
        ),
        Info("soak_session_ms", seconds * 1000 / (sessions - warm_up), "ms"),
    ]


if __name__ == "__main__":
    report(run)
