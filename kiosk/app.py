"""Composition root: builds config, storage, services and the main window, and wires them."""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
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
from kiosk.core.session import SessionService
from kiosk.core.staff import StaffOverview
from kiosk.logs import open_log_file
from kiosk.storage import StorageError
from kiosk.ui import theme
from kiosk.ui.shell.main_window import MainWindow
from kiosk.ui.shell.screens import Timing

# The database and the services over it load when it opens, after the first frame (see
# build_app): the storage layer with sqlite-utils ~55 ms, bookings, progress and statistics
# ~18 ms together, and the staff PIN gate with OpenSSL's scrypt ~5 ms. Here they are named for
# the type checker only.
if TYPE_CHECKING:
    from kiosk.core.bookings import BookingRequest, BookingService, HubAnswer
    from kiosk.core.progress import ProgressService
    from kiosk.core.staff_auth import StaffGate
    from kiosk.core.stats import UsageEvents, UsageStatistics
    from kiosk.core.stats.events import EventStore
    from kiosk.storage.database import Storage
    from kiosk.sync.client import HubSettings, LookupAnswer
    from kiosk.sync.worker import SyncThread

log = logging.getLogger(__name__)
BACKUP_CHECK_MS = 60 * 60 * 1000  # hourly look whether the daily backup is due
NO_SHOW_CHECK_MS = 30 * 1000
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


class TerminalDesk:
    """The staff desk of this terminal: PIN gate, health figures and backups, over the storage.

    The services arrive when the storage opens, right after the first frame.
    """

    def __init__(self, config: SiteConfig, data_dir: Path) -> None:
        self.config = config
        self.data_dir = data_dir
        self.storage: Storage | None = None
        self.progress: ProgressService | None = None
        self.bookings: BookingService | None = None
        self.usage: UsageEvents | None = None
        self.statistics: UsageStatistics | None = None
        self.failure = ""
        self._gate: StaffGate | None = None
        self.hub: HubSettings | None = None
        self.sync: SyncThread | None = None

    def open_storage(self) -> None:
        """Open (and if needed repair) the database; the kiosk keeps running if this fails."""
        # sqlite-utils, the storage layer and the PIN gate load here, after the first frame
        # (note on top).
        from kiosk.core.staff_auth import StaffGate
        from kiosk.storage.database import Storage

        try:
            self.storage = Storage.open(
                self.data_dir,
                backups_keep=self.config.storage.backups_keep,
                outbox=self.config.joined_hub,
            )
        except (StorageError, OSError) as error:
            self.failure = type(error).__name__
            log.error("database could not be opened: %s", error)
            return
        self._gate = StaffGate(self.storage.settings, fallback_hash=self.config.staff.pin_hash)

    def gate(self) -> StaffGate | None:
        return self._gate

    def start_sync(self) -> None:
        """Join the hub: the sync thread pushes the outbox and pulls changes from now on.

        Without a readable token the outbox still fills (nothing is lost) and staff see why.
        """
        if not self.config.joined_hub or self.storage is None:
            return  # a terminal standing alone never loads the HTTP client
        # The HTTP client (~50 ms to import) loads here, after the first frame (note on top).
        from kiosk.sync.client import HubSettingsError, hub_settings
        from kiosk.sync.worker import SyncThread

        try:
            self.hub = hub_settings(self.config)
        except HubSettingsError as error:
            log.error("not syncing with the hub: %s", error)
            return
        self.sync = SyncThread(self.data_dir, self.hub)
        self.sync.start()

    def stop_sync(self) -> None:
        if self.sync is not None:
            self.sync.stop()

    def lookup_code(self, code: str) -> LookupAnswer | None:
        """Ask the hub for a resume code taken elsewhere (blocking: a background thread's job)."""
        from kiosk.sync.client import (
            HubClient,
            HubRefusedBatchError,
            HubRefusedTerminalError,
            HubUnreachableError,
        )

        if self.hub is None:
            return None
        try:
            with HubClient(self.hub) as client:
                return client.lookup(code)
        except (HubUnreachableError, HubRefusedTerminalError, HubRefusedBatchError) as error:
            log.info("the hub could not be asked for a resume code: %s", type(error).__name__)
            return None

    def book_at_hub(self, request: BookingRequest) -> HubAnswer:
        """Ask the hub for a booking checked here (blocking, at most [hub] timeout_s: a
        background thread's job); None when there is no answer to go by, and on a terminal
        standing alone. The answer goes to `BookingService.settle_booking` on the UI thread."""
        if self.hub is None:
            return None  # a terminal standing alone never loads the HTTP client
        from kiosk.sync.client import ask_to_book

        return ask_to_book(self.hub, request)

    def changed(self) -> None:
        """Something the other terminals of the site should see was changed here (a booking,
        a check-in, a device state): sync now rather than after the interval."""
        if self.sync is not None:
            self.sync.wake()

    def shared_kept(self) -> int:
        """Bookings and device states the sync has taken from the hub so far (0 standing alone)."""
        return 0 if self.sync is None else self.sync.status().shared_kept

    def overview(self) -> StaffOverview:
        storage = self.storage
        if storage is None:
            return StaffOverview(
                self.config.site.name, kiosk.__version__, str(self.data_dir), database_ready=False
            )
        backups = sorted((self.data_dir / "backups").glob("kiosk-*.sqlite3"))
        last_backup = datetime.fromtimestamp(backups[-1].stat().st_mtime) if backups else None
        return StaffOverview(
            site_name=self.config.site.name,
            version=kiosk.__version__,
            data_dir=str(self.data_dir),
            database_ready=True,
            database_recovered=storage.report.recovered,
            last_backup=last_backup,
            events=tuple((event.at, event.kind) for event in storage.staff_events.recent(20)),
            **self._hub_overview(),
        )

    def _hub_overview(self) -> dict[str, Any]:
        if not self.config.joined_hub:
            return {}
        if self.sync is None:
            return {"hub_state": "stopped"}
        status = self.sync.status()
        return {
            "hub_state": status.state,
            "hub_backlog": status.backlog,
            "hub_last_ok": status.last_ok,
        }

    def backup_now(self) -> datetime:
        if self.storage is not None:
            self.storage.backup_now()
        return datetime.now()

    def hourly_upkeep(self) -> None:
        """The daily backup when due, and expired resume codes with their progress gone."""
        if self.storage is None:
            return
        try:
            self.storage.backup_if_due()
            if self.progress is not None:
                self.progress.purge_expired()
            if self.statistics is not None:
                self.statistics.upkeep()
            if self.bookings is not None:
                purged = self.bookings.purge_names()
                if purged:
                    log.info("names of %d past booking(s) deleted", purged)
        except StorageError:
            log.exception("hourly upkeep failed")

    def release_no_shows(self) -> None:
        if self.bookings is None:
            return
        try:
            self.bookings.release_no_shows()
        except StorageError:
            log.exception("releasing no-shows failed")

    def record(self, kind: str) -> None:
        if self.storage is not None:
            self.storage.staff_events.add(kind)


def make_booking_service(
    config: SiteConfig, storage: Storage, usage: UsageEvents | None = None
) -> BookingService:
    """The bookings of this site over the open database; on a terminal joined to a hub they
    are the site's, shared through the hub (kept here by the sync thread)."""
    # Loaded with the database, after the first frame (see the note on top).
    from kiosk.core.bookings import BookingService, device_policies, site_calendar

    return BookingService(
        storage.bookings,
        device_policies(config),
        site_calendar(config),
        storage.settings,
        no_show_minutes=config.bookings.no_show_minutes,
        purge_days=config.bookings.purge_days,
        usage=usage,
        shared=storage.bookings if config.joined_hub else None,
        offline_bookings=config.bookings.offline_bookings,
    )


def make_usage(config: SiteConfig, storage: Storage) -> tuple[UsageEvents, UsageStatistics]:
    """Where usage events go, and the statistics made from them."""
    # Loaded with the database, after the first frame (see the note on top).
    from kiosk.core.stats import UsageEvents, UsageStatistics, dataset_info
    from kiosk.core.stats.events import EventKind

    zone = ZoneInfo(config.site.timezone)
    store: EventStore = storage.usage
    if config.joined_hub:
        store = _LeavingOut(storage.usage, EventKind.BOOKING_NO_SHOW.value)
    events = UsageEvents(store, zone, errors=(StorageError,))
    statistics = UsageStatistics(
        storage.usage,
        zone,
        k=config.stats.k,
        retention_days=config.stats.retention_days,
        info=dataset_info(config),
    )
    return events, statistics


class _LeavingOut:
    """The usage events of a terminal joined to a hub, but one kind: no-shows. The hub releases
    the site's no-shows and counts each once for the whole site; a joined terminal releases
    them as well, for its own screens only, and counts nothing (or a no-show would count once
    per terminal)."""

    def __init__(self, store: EventStore, kind: str) -> None:
        self._store = store
        self._kind = kind

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
    ) -> None:
        if kind == self._kind:
            return
        self._store.add_event(
            hour,
            kind,
            language=language,
            course_id=course_id,
            device_kind=device_kind,
            format=format,
            duration=duration,
        )


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
) -> KioskApp:
    """Build the whole kiosk; the database opens right after the first frame (or now, if asked).

    ``on_ready`` is called once the database and the services over it are there.
    """
    qt = ensure_qt_app()
    qt.setApplicationName("Probierladen Kiosk")
    qt.setApplicationVersion(kiosk.__version__)
    qt.setDesktopFileName("probierladen-kiosk")  # Wayland app id: packaging/linux's .desktop file
    families = theme.register_fonts(resources.FONTS)
    qt.setFont(theme.app_font(families))
    theme.apply(qt)

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
    )
    _install_excepthook(window)
    opened: list[bool] = []

    def open_storage() -> None:
        desk.open_storage()
        if desk.storage is not None:
            desk.storage.session_state.wipe_all()  # leftovers of a session cut off by power loss
            sessions.attach_store(desk.storage.session_state)
            # Loaded with the database, after the first frame (see the note on top).
            from kiosk.core.progress import ProgressService

            desk.start_sync()
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

    backup_timer = QTimer(window)
    backup_timer.setInterval(BACKUP_CHECK_MS)
    backup_timer.timeout.connect(desk.hourly_upkeep)
    # No-shows are released by the kiosk itself, twice a minute (and before every booking).
    no_show_timer = QTimer(window)
    no_show_timer.setInterval(NO_SHOW_CHECK_MS)
    no_show_timer.timeout.connect(desk.release_no_shows)
    after_first_frame(window, window.watch_input)
    if open_storage_now:
        open_storage()
    else:
        # One more turn of the event loop, so whoever waits for the first frame goes first.
        after_first_frame(window, lambda: QTimer.singleShot(0, open_storage))
    return KioskApp(qt, window, translator, sessions, desk, config, ready=lambda: bool(opened))


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


def settle_heap() -> None:
    """Take what start-up built (modules, widgets, courses, services) out of the garbage
    collector's way. A full collection walks every object it tracks while no other thread runs,
    the screen included: ~13 ms over the kiosk's start-up heap here, longer on a slow terminal.
    Frozen, those objects are skipped, and a full collection walks only what was made since."""
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


def _install_excepthook(window: MainWindow) -> None:
    """An exception in a slot is logged and the visitor lands somewhere safe — no dead window."""

    def hook(
        kind: type[BaseException], error: BaseException, tb: types.TracebackType | None
    ) -> None:
        log.error("unexpected error, returning to a safe screen", exc_info=(kind, error, tb))
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
) -> int:
    """Start the kiosk and run until staff quit it (or, for benchmarks, until it is ready)."""
    route_qt_messages_to_log()
    app = build_app(
        config, data_dir, kiosk_mode=kiosk_mode, language=language, on_ready=settle_heap
    )
    app.window.show_for_mode()
    log.info("kiosk %s started (%s)", kiosk.__version__, "kiosk mode" if kiosk_mode else "window")

    def first_frame_done() -> None:
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
    code = app.qt.exec()
    app.desk.stop_sync()
    if app.desk.storage is not None:
        app.desk.storage.close()
    return code
