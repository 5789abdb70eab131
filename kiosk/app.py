"""Composition root: builds config, storage, services and the main window, and wires them."""

from __future__ import annotations

import gc
import linecache
import logging
import os
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

import kiosk
from kiosk import resources
from kiosk.config import SiteConfig
from kiosk.core.i18n import Language, Translator
from kiosk.core.session import TEXT_SCALES, SessionService
from kiosk.logs import open_log_file
from kiosk.speech import SpeechBackend
from kiosk.terminal import TerminalDesk, make_booking_service, make_usage
from kiosk.ui import theme
from kiosk.ui.shell.main_window import MainWindow
from kiosk.ui.shell.screens import Timing
from kiosk.ui.shell.staff_exit import StaffExit
from kiosk.ui.shell.watchdog import WatchdogPinger

# The database and the services over it load when it opens, after the first frame (see
# build_app): the storage layer with sqlite-utils ~55 ms, bookings, progress and statistics
# ~18 ms together, and the staff PIN gate with OpenSSL's scrypt ~5 ms. kiosk.terminal, which
# holds the staff desk and the services, imports them only where they are made.

log = logging.getLogger(__name__)
BACKUP_CHECK_MS = 60 * 60 * 1000  # hourly look whether the daily backup is due
NO_SHOW_CHECK_MS = 30 * 1000
# The event loop ended to take a new site config into use (see run_kiosk).
RELOAD_EXIT_CODE = 75
# Said by Qt's offscreen platform (self-test, screenshots) for every new top-level window; it
# means nothing for the kiosk and would bury real warnings.
HARMLESS_QT_MESSAGES = frozenset({"This plugin does not support propagateSizeHints()"})
_IMPORTED_AT = time.perf_counter()


def process_age_ms() -> float:
    """Milliseconds since this process started (Linux: from /proc; else since kiosk import)."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started_ticks = int(stat[19])  # field 22 of /proc/[pid]/stat, counted after the name
        uptime_s = float(Path("/proc/uptime").read_text().split()[0])
        return (uptime_s - started_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000


@dataclass(frozen=True)
class KioskApp:
    """Everything `build_app` made, for the CLI, the self-test and the tests."""

    qt: QApplication
    window: MainWindow
    translator: Translator
    sessions: SessionService
    desk: TerminalDesk
    config: SiteConfig
    ready: Callable[[], bool]


def ensure_qt_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once per process)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(argv if argv is not None else sys.argv[:1])


def build_app(
    config: SiteConfig,
    data_dir: Path,
    *,
    kiosk_mode: bool = False,
    timing: Timing | None = None,
    language: str | None = None,
    open_storage_now: bool = False,
    on_ready: Callable[[], None] | None = None,
    apply_config: Callable[[], None] | None = None,
    speech_backend: Callable[[], SpeechBackend | None] | None = None,
) -> KioskApp:
    """Build the whole kiosk; the database opens right after the first frame (or now, if asked).

    ``on_ready`` is called once the database and the services over it are there.
    ``apply_config`` is called at an idle moment when the hub delivered a site config that
    differs from ``config`` (`run_kiosk` ends the event loop then, and builds the kiosk anew);
    without it such a config waits for the next start. ``speech_backend`` opens the speech
    engine on the first use of reading aloud (default: espeak-ng on the sound device).
    """
    qt = ensure_qt_app()
    qt.setApplicationName("Probierladen Kiosk")
    qt.setApplicationVersion(kiosk.__version__)
    qt.setDesktopFileName("probierladen-kiosk")  # Wayland app id: packaging/linux's .desktop file
    families = theme.register_fonts(resources.FONTS)
    qt.setFont(theme.app_font(families))
    # A new kiosk starts at the usual size and colours, whatever a kiosk built before in this
    # process left on screen (the theme keeps them for the next restyle).
    theme.apply(qt, TEXT_SCALES[0], high_contrast=False)

    translator = Translator(
        resources.TRANSLATIONS, config.languages.enabled, config.languages.default
    )
    if language:
        translator.set_language(language)
    sessions = SessionService(config.languages.default)
    desk = TerminalDesk(config, data_dir)
    logo_path = config.resolve(config.site.logo) if config.site.logo else resources.LOGO
    window = MainWindow(
        config=config,
        translator=translator,
        sessions=sessions,
        desk=desk,
        timing=timing or Timing.from_config(config),
        logo=QIcon(str(logo_path)),
        kiosk_mode=kiosk_mode,
        speech_backend=speech_backend,
    )
    StaffExit(window, sessions)  # nothing staff opened outlives staff mode
    _install_excepthook(window, desk)
    opened: list[bool] = []

    def open_storage() -> None:
        forget_module_sources()  # the window's modules
        desk.open_storage()
        forget_module_sources()  # the storage layer's: sqlite-utils and what it imports
        if desk.storage is not None:
            desk.storage.session_state.wipe_all()  # leftovers of a session cut off by power loss
            sessions.attach_store(desk.storage.session_state)
            # Loaded with the database, after the first frame (see the note on top).
            from kiosk.core.progress import ProgressService

            desk.start_sync()
            if config.joined_hub:
                watch_fleet()
            progress = ProgressService(
                desk.storage.progress,
                desk.storage.settings,
                code_valid_days=config.learning.resume_code_days,
                ask_hub=desk.hub is not None,
            )
            desk.progress = progress
            sessions.on_wipe(progress.forget)
            window.attach_progress(progress)
            usage, desk.statistics = make_usage(config, desk.storage)
            desk.usage = usage
            sessions.on_begin(lambda session: usage.session_started(session.language))
            sessions.on_end(lambda ended: usage.session_ended(ended.duration_s))

            def count_language(language: Language) -> None:
                if sessions.current is not None:
                    usage.language_chosen(language.code)

            translator.on_change(count_language)
            desk.bookings = make_booking_service(config, desk.storage, usage)
            window.attach_bookings(desk.bookings)
            window.attach_usage(usage)
            desk.hourly_upkeep()
            backup_timer.start()
            no_show_timer.start()
        opened.append(True)
        if on_ready is not None:
            on_ready()

    def watch_fleet() -> None:
        # Loaded with the database, after the first frame, on a terminal joined to a hub only.
        from kiosk.ui.shell.fleet_watch import FleetWatch

        desk.mark_running()
        FleetWatch(
            window,
            sessions,
            desk,
            apply_config=apply_config,
        ).start()

    backup_timer = QTimer(window)
    backup_timer.setInterval(BACKUP_CHECK_MS)
    backup_timer.timeout.connect(desk.hourly_upkeep)
    # No-shows are released by the kiosk itself, twice a minute (and before every booking).
    no_show_timer = QTimer(window)
    no_show_timer.setInterval(NO_SHOW_CHECK_MS)
    no_show_timer.timeout.connect(desk.release_no_shows)
    after_first_frame(window, window.watch_input)
    after_first_frame(window, window.access.build_speech)
    if config.power.night != "off":
        after_first_frame(window, lambda: _watch_nights(window, sessions, config))
    if open_storage_now:
        open_storage()
    else:
        # One more turn of the event loop, so whoever waits for the first frame goes first.
        after_first_frame(window, lambda: QTimer.singleShot(0, open_storage))
    return KioskApp(qt, window, translator, sessions, desk, config, ready=lambda: bool(opened))


def _watch_nights(window: MainWindow, sessions: SessionService, config: SiteConfig) -> None:
    # Loaded after the first frame and only where night mode is on: its schedule needs the
    # booking rules' calendar.
    from kiosk.ui.shell.night import watch_nights

    watch_nights(window, sessions, config)


class _FirstFrame(QObject):
    """Calls back once, on the event-loop turn after the watched widget first painted."""

    def __init__(self, watched: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(watched)
        self._callback = callback
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def after_first_frame(window: MainWindow, callback: Callable[[], None]) -> None:
    """Run `callback` once the first screen has been painted (the kiosk is interactive)."""
    _FirstFrame(window.screen_widget(window.current_screen), callback)


def forget_module_sources() -> None:
    """Drop the source text of the modules imported so far. PySide6's import hook reads the
    source of every module imported after it (inspect.getsource: does the module use PySide6's
    feature switches?) and Python's line cache keeps that text, some 4 MiB by the time the
    database is open, at the start-up's peak memory. A traceback reads its lines again from the
    files when it needs them."""
    linecache.clearcache()


def settle_heap() -> None:
    """Take what start-up built (modules, widgets, courses, services) out of the garbage
    collector's way. A full collection walks every object it tracks while no other thread runs,
    the screen included: ~13 ms over the kiosk's start-up heap here, longer on a slow terminal.
    Frozen, those objects are skipped, and a full collection walks only what was made since."""
    forget_module_sources()  # the services' modules
    gc.collect()
    gc.freeze()


def route_qt_messages_to_log() -> None:
    """Qt's own warnings go to the kiosk log instead of the terminal (not used under tests,
    where pytest-qt captures them to fail tests on warnings)."""
    qt_log = logging.getLogger("kiosk.qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        level = levels.get(kind, logging.WARNING)
        if message in HARMLESS_QT_MESSAGES:
            level = logging.DEBUG
        qt_log.log(level, "%s", message)

    qInstallMessageHandler(handler)


def _install_excepthook(window: MainWindow, desk: TerminalDesk) -> None:
    """An exception in a slot is logged and the visitor lands somewhere safe — no dead window."""

    def hook(
        kind: type[BaseException], error: BaseException, tb: types.TracebackType | None
    ) -> None:
        log.error("unexpected error, returning to a safe screen", exc_info=(kind, error, tb))
        desk.error_recovered()
        try:
            window.recover_from_error()
        except Exception:
            log.exception("recovery after an error failed")

    sys.excepthook = hook


def run_kiosk(
    config: SiteConfig,
    data_dir: Path,
    *,
    kiosk_mode: bool = False,
    language: str | None = None,
    exit_when_ready: bool = False,
    config_in_use: Callable[[], SiteConfig] | None = None,
) -> int:
    """Start the kiosk and run until staff quit it (or, for benchmarks, until it is ready).

    A new site config from the hub is taken into use at an idle moment by building the kiosk
    anew in the same process, with the config ``config_in_use`` gives then.
    """
    route_qt_messages_to_log()
    # Fed from the event loop for the whole process, across rebuilds for a new site config.
    watchdog = WatchdogPinger(ensure_qt_app())
    previous: MainWindow | None = None
    while True:
        app = build_app(
            config,
            data_dir,
            kiosk_mode=kiosk_mode,
            language=language,
            on_ready=settle_heap,
            apply_config=None if config_in_use is None else _end_for_new_config,
        )
        app.window.show_for_mode()
        if previous is not None:
            # The new kiosk is shown first, where the old one was: no blank moment between.
            if not kiosk_mode:
                app.window.move(previous.pos())
            previous.hide()
            previous.deleteLater()
        log.info(
            "kiosk %s started (%s)", kiosk.__version__, "kiosk mode" if kiosk_mode else "window"
        )
        _when_shown(app, data_dir, exit_when_ready=exit_when_ready, first=previous is None)
        after_first_frame(app.window, watchdog.ready)
        watchdog.start()
        code = app.qt.exec()
        app.desk.stop_sync()
        if app.desk.storage is not None:
            app.desk.storage.close()
        if code != RELOAD_EXIT_CODE or config_in_use is None:
            app.desk.mark_stopped()
            watchdog.stopping()
            return code
        config, language, previous = config_in_use(), None, app.window


def _end_for_new_config() -> None:
    QCoreApplication.exit(RELOAD_EXIT_CODE)


def _when_shown(app: KioskApp, data_dir: Path, *, exit_when_ready: bool, first: bool) -> None:
    def first_frame_done() -> None:
        if first:
            # Printed once the attract screen is shown and the event loop runs: interactive.
            print(f"ready startup_ms={process_age_ms():.0f}", flush=True)
        try:
            open_log_file(data_dir)
        except OSError:
            log.exception("the log file could not be opened")
        if exit_when_ready:

            def quit_once_ready() -> None:
                if app.ready():
                    app.window.quit_when_asked_by_command()

            poll = QTimer(app.window)
            poll.timeout.connect(quit_once_ready)
            poll.start(5)

    after_first_frame(app.window, first_frame_done)
