"""A walk through every screen of the real app: the self-test and the screenshot renderer."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QImageReader
from PySide6.QtWidgets import QApplication

from kiosk import resources
from kiosk.app import KioskApp, build_app, process_age_ms, route_qt_messages_to_log
from kiosk.config import SiteConfig
from kiosk.core.i18n import catalogue_path
from kiosk.core.session import EndReason
from kiosk.storage.database import BACKUP_DIR_NAME
from kiosk.terminal import make_booking_service
from kiosk.ui.bookings.screen import BookingScreen
from kiosk.ui.shell.screens import Screen, Timing

REQUIRED_FAMILIES = ("Noto Sans", "Noto Sans Arabic UI")


def _settle(app: KioskApp) -> None:
    for _ in range(3):
        app.qt.processEvents()


def tour_stops(app: KioskApp) -> list[tuple[str, Callable[[], None]]]:
    """Every screen and state worth seeing, each with how to get there from the previous one."""
    window = app.window

    def staff_home() -> None:
        window.staff_login.authenticated.emit()  # as if the right PIN was typed

    def first_course() -> str:
        """The first course written in the language shown (else the first course at all)."""
        courses = list(window.catalogue)
        if not courses:
            raise RuntimeError("no course package could be loaded")
        shown = app.translator.current.code
        return next((c.id for c in courses if shown in c.languages), courses[0].id)

    def lesson_quiz() -> None:
        lesson = window.lesson
        while lesson.current_step_id() is not None and not lesson.check.isVisible():
            lesson.go_next()
        if lesson.current_step_id() is None:
            raise RuntimeError("the course has no quiz")
        lesson.choose_option(0)
        lesson.check.click()

    def resume_entry_wrong() -> None:
        window.show_screen(Screen.RESUME_ENTRY)
        entry = window.screen_widget(Screen.RESUME_ENTRY)
        field = getattr(entry, "field", None)
        if field is not None:
            field.setText("K7PM-R3X")  # one character short: the screen says what is wrong
            entry.submit()  # type: ignore[attr-defined]

    def idle_warning() -> None:
        window.show_screen(Screen.HOME)
        window.overlay.start(27)

    def lesson_end() -> None:
        while not window.lesson.at_end:
            window.lesson.go_next()

    def booking_screen() -> BookingScreen:
        screen = window.screen_widget(Screen.TRY_DEVICE)
        if not isinstance(screen, BookingScreen):
            raise RuntimeError("the booking screen is missing")
        return screen

    def booking_confirm() -> None:
        """The next free time of the first device, with a name typed in."""
        service = window.bookings
        if service is None:
            raise RuntimeError("bookings are not available (database not open)")
        window.show_screen(Screen.TRY_DEVICE)
        for device in service.visitor_devices():
            slots = service.next_free(device, service.now(), 1)
            if slots:
                booking_screen().open_slot(slots[0])
                booking_screen().confirm_page.name.setText("Anna")
                return
        raise RuntimeError("no device has a free time in its booking window")

    def booking_done() -> None:
        booking_screen().confirm_page.confirm()

    return [
        ("attract", lambda: None),
        ("home", lambda: window.start_session("")),
        ("learn", lambda: window.show_screen(Screen.LEARN)),
        ("lesson", lambda: window.open_course(first_course())),
        ("lesson_quiz", lesson_quiz),
        ("lesson_end", lesson_end),
        ("resume_card", lambda: window.show_screen(Screen.RESUME_CARD)),
        ("resume_entry", resume_entry_wrong),
        ("try_device", lambda: window.show_screen(Screen.TRY_DEVICE)),
        ("booking_confirm", booking_confirm),
        ("booking_done", booking_done),
        ("booking_lookup", lambda: booking_screen().open_lookup()),
        ("idle_warning", idle_warning),
        ("attract_after_wipe", lambda: window.end_session(EndReason.IDLE)),
        ("staff_login", window.open_staff_login),
        ("staff_home", staff_home),
        ("staff_bookings", lambda: window.show_screen(Screen.STAFF_BOOKINGS)),
        ("staff_stats", lambda: window.show_screen(Screen.STAFF_STATS)),
    ]


@contextmanager
def _data_dir(given: Path | None) -> Iterator[Path]:
    if given is not None:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="kiosk-selftest-") as tmp:
        yield Path(tmp)


def _quiet_timing(config: SiteConfig) -> Timing:
    # Long timers: nothing may fire on its own while the tour moves between screens.
    base = Timing.from_config(config)
    return Timing(
        visitor_idle_ms=3_600_000,
        staff_idle_ms=3_600_000,
        warning_ms=base.warning_ms,
        notice_ms=3_600_000,
        greeting_ms=3_600_000,
        long_press_ms=base.long_press_ms,
    )


# What course packages and device photos may use (kiosk/core/courses/image_limits.py).
PICTURE_FORMATS = ("png", "jpeg", "gif", "svg")


def selftest(config: SiteConfig, data_dir: Path | None) -> int:
    """Build the real app, check what it needs was found, visit every screen; 0 when all is well."""
    failures: list[str] = []
    route_qt_messages_to_log()
    with _data_dir(data_dir) as directory:
        app = build_app(config, directory, timing=_quiet_timing(config), open_storage_now=True)
        app.window.resize(1280, 800)
        app.window.show()
        _settle(app)
        print(f"startup_ms={process_age_ms():.0f}")
        print(f"platform={QApplication.platformName()}")
        families = set(QFontDatabase.families())
        missing_fonts = [f for f in REQUIRED_FAMILIES if f not in families]
        failures += [f"font {family!r} not found" for family in missing_fonts]
        print(f"fonts={'ok' if not missing_fonts else 'MISSING ' + ', '.join(missing_fonts)}")
        # Course pictures and device photos are read through Qt's image-format plugins.
        formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
        missing_formats = [kind for kind in PICTURE_FORMATS if kind not in formats]
        failures += [f"image format {kind!r} cannot be read" for kind in missing_formats]
        print(f"images={'ok' if not missing_formats else 'MISSING ' + ', '.join(missing_formats)}")
        missing_mo = [
            code
            for code in config.languages.enabled
            if code != "en" and not catalogue_path(resources.TRANSLATIONS, code).exists()
        ]
        failures += [f"catalogue {code} not found" for code in missing_mo]
        print(f"catalogues={'ok' if not missing_mo else 'MISSING ' + ', '.join(missing_mo)}")
        catalogue = app.window.catalogue
        if not len(catalogue):
            failures.append("no course package could be loaded")
        print(f"courses={len(catalogue)} {'ok' if len(catalogue) else 'NONE'}")
        storage = app.desk.storage
        database_ok = storage is not None and storage.integrity_ok()
        if not database_ok:
            failures.append(f"database not usable ({app.desk.failure or 'integrity check'})")
        print(f"database={'ok' if database_ok else 'FAILED'}")
        for name, go in tour_stops(app):
            started = time.perf_counter()
            try:
                go()
                _settle(app)
                image = app.window.grab()
                ok = not image.isNull() and image.width() > 0
            except Exception as error:  # noqa: BLE001 - the self-test reports, it does not crash
                ok = False
                failures.append(f"screen {name}: {type(error).__name__}: {error}")
            elapsed = (time.perf_counter() - started) * 1000
            print(f"screen={name} {'ok' if ok else 'FAILED'} ms={elapsed:.1f}")
            if not ok and not any(f.startswith(f"screen {name}") for f in failures):
                failures.append(f"screen {name} rendered nothing")
        if storage is not None:
            storage.close()
        app.window.close()
    for failure in failures:
        print(f"selftest: {failure}", file=sys.stderr)
    print("selftest: ok" if not failures else "selftest: FAILED")
    return 0 if not failures else 1


@contextmanager
def _copied_data_dir(given: Path | None) -> Iterator[Path]:
    """A data folder to render from: a copy of ``given`` (the tour books, starts sessions and
    writes backups, and the given folder must stay as it was), else an empty one."""
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as tmp:
        copy = Path(tmp) / "data"
        if given is not None:
            shutil.copytree(given, copy, ignore=shutil.ignore_patterns(BACKUP_DIR_NAME))
        yield copy


def stop_clock(app: KioskApp, at: datetime) -> None:
    """From now on the bookings see ``at`` as the current time: free slots, the desk's day and
    its now line, the no-shows released by then."""
    storage = app.desk.storage
    if storage is None:
        raise RuntimeError("bookings are not available (database not open)")
    service = make_booking_service(app.config, storage, app.desk.usage, clock=lambda: at)
    app.desk.bookings = service
    app.window.attach_bookings(service)
    app.desk.release_no_shows()


def screenshots(
    config: SiteConfig,
    out: Path,
    languages: list[str],
    size: tuple[int, int],
    *,
    data_dir: Path | None = None,
    at: datetime | None = None,
) -> int:
    """Render every screen in every given language to out/<lang>/<nn>-<screen>.png, from a copy
    of ``data_dir`` (else no data) and as at the moment ``at`` (else now)."""
    written = 0
    route_qt_messages_to_log()
    with _copied_data_dir(data_dir) as directory:
        app = build_app(config, directory, timing=_quiet_timing(config), open_storage_now=True)
        if at is not None:
            stop_clock(app, at)
        app.window.resize(*size)
        app.window.show()
        for code in languages:
            folder = out / code
            folder.mkdir(parents=True, exist_ok=True)
            app.window.leave_staff_mode()
            for number, (name, go) in enumerate(tour_stops(app), start=1):
                go()
                app.window.set_language(code)  # a step may start or end a session
                _settle(app)
                path = folder / f"{number:02d}-{name}.png"
                if not app.window.grab().save(str(path)):
                    print(f"screenshots: cannot write {path}", file=sys.stderr)
                    return 1
                written += 1
        if app.desk.storage is not None:
            app.desk.storage.close()
        app.window.close()
    print(f"{written} screenshots in {out}")
    return 0
