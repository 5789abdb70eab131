"""The terminal's services over its database: the staff desk behind staff mode (PIN gate,
health figures, backups, the sync with a hub) and the booking and usage services.

No Qt here: the commands use these too. The database, the services over it and the HTTP client
load when they are first needed, after the kiosk's first frame (see the note on top of
kiosk.app); here they are named for the type checker only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import kiosk
from kiosk.config import SiteConfig
from kiosk.core.staff import StaffOverview
from kiosk.storage import StorageError

if TYPE_CHECKING:
    from kiosk.core.bookings import BookingRequest, BookingService, HubAnswer
    from kiosk.core.progress import ProgressService
    from kiosk.core.staff_auth import StaffGate
    from kiosk.core.stats import UsageEvents, UsageStatistics
    from kiosk.fleet.courses import CourseStore
    from kiosk.fleet.site_config import ConfigStore
    from kiosk.storage.database import Storage
    from kiosk.sync.client import HubSettings, LookupAnswer
    from kiosk.sync.worker import SyncThread

log = logging.getLogger(__name__)
# Exists while the kiosk runs (touched every minute); found at start, the last run crashed.
RUNNING_MARKER = "kiosk.running"
KEY_LAST_CRASH = "health.last_crash"


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
        # Course packages and site configs delivered by the hub (a terminal joined to one).
        self.courses: CourseStore | None = None
        self.configs: ConfigStore | None = None
        # What the screen knows for the health report the sync thread sends: replaced whole
        # on the UI thread, read whole by the sync thread.
        self.facts: dict[str, str | None] = {
            "printer": "unknown",
            "last_crash": None,
            "last_error": None,
        }

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
        self._gate = StaffGate(
            self.storage.settings,
            fallback_hash=self.config.staff.pin_hash,
            events=self.storage.staff_events.add,
        )

    def gate(self) -> StaffGate | None:
        return self._gate

    def start_sync(self) -> None:
        """Join the hub: the sync thread pushes the outbox and pulls changes from now on.

        Without a readable token the outbox still fills (nothing is lost) and staff see why.
        """
        if not self.config.joined_hub or self.storage is None:
            return  # a terminal standing alone never loads the HTTP client
        # The HTTP client (~50 ms to import) loads here, after the first frame (note on top).
        from kiosk.fleet.courses import CourseStore
        from kiosk.fleet.site_config import ConfigStore
        from kiosk.sync.client import HubSettingsError, hub_settings
        from kiosk.sync.worker import SyncThread

        # Courses installed before stay offered even when the hub cannot be joined now.
        self.courses = CourseStore(self.data_dir / "fleet" / "courses")
        self.configs = ConfigStore(self.data_dir / "fleet" / "config")
        try:
            self.hub = hub_settings(self.config)
        except HubSettingsError as error:
            log.error("not syncing with the hub: %s", error)
            return
        self.sync = SyncThread(
            self.data_dir,
            self.hub,
            courses=self.courses,
            configs=self.configs,
            local_config=self.config,
            health_source=lambda: dict(self.facts),
        )
        self.sync.start()

    def config_waiting(self) -> bool:
        """A site config from the hub was checked and waits for an idle moment."""
        return self.configs is not None and self.configs.pending() is not None

    def take_waiting_config(self) -> bool:
        """Take the waiting site config into use; True when the kiosk must be built anew with
        it, False when it is the config the kiosk already runs with (say, the site's first
        version on a terminal set up with the same file) or it cannot be used after all."""
        if self.configs is None or self.configs.apply_pending() is None:
            return False
        config, problem = self.configs.effective(self.config)
        if problem:
            log.error("the site config from the hub cannot be used: %s", problem)
            return False
        return config != self.config

    def course_updates(self) -> list[Path]:
        """The course folders the hub delivered and this terminal checked and installed; each
        replaces the shipped package of its name."""
        return [] if self.courses is None else self.courses.folders()

    def prune_courses(self, keep: list[Path]) -> None:
        """Delete installed course versions no longer in use (none of ``keep``)."""
        if self.courses is not None:
            try:
                self.courses.prune(keep)
            except OSError:
                log.exception("old course versions could not be deleted")

    def mark_running(self) -> None:
        """Note that the kiosk runs; a note left by the last run means it crashed (power cut,
        killed, a fault in Qt): that time goes into the health report."""
        marker = self.data_dir / RUNNING_MARKER
        try:
            if marker.exists():
                crashed = datetime.fromtimestamp(marker.stat().st_mtime, UTC)
                self._remember_crash(crashed.isoformat(timespec="seconds"))
            marker.touch()
        except OSError:
            log.exception("the kiosk's running note could not be written")
        if self.storage is not None and self.facts["last_crash"] is None:
            self.facts = {**self.facts, "last_crash": self.storage.settings.get(KEY_LAST_CRASH)}

    def _remember_crash(self, when: str) -> None:
        log.warning("the kiosk did not shut down cleanly last time (last seen running %s)", when)
        self.facts = {**self.facts, "last_crash": when}
        if self.storage is not None:
            try:
                self.storage.settings.set(KEY_LAST_CRASH, when)
            except StorageError:
                log.exception("the crash could not be noted in the database")

    def heartbeat(self, printer: str) -> None:
        """Every minute from the screen: still running, and the printer's state."""
        self.facts = {**self.facts, "printer": printer}
        try:
            (self.data_dir / RUNNING_MARKER).touch()
        except OSError:
            log.exception("the kiosk's running note could not be touched")

    def error_recovered(self) -> None:
        """An unexpected error was logged and the screen recovered: for the health report."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.facts = {**self.facts, "last_error": now}

    def mark_stopped(self) -> None:
        """A clean end: no crash to report at the next start."""
        try:
            (self.data_dir / RUNNING_MARKER).unlink(missing_ok=True)
        except OSError:
            log.exception("the kiosk's running note could not be removed")

    def stop_sync(self) -> None:
        if self.sync is not None:
            self.sync.stop()
            self.sync = None

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
        # Loaded with the storage, after the first frame (note on top).
        from kiosk.storage.backup import newest_taken_at
        from kiosk.storage.database import BACKUP_DIR_NAME

        last_backup = newest_taken_at(self.data_dir / BACKUP_DIR_NAME)
        return StaffOverview(
            site_name=self.config.site.name,
            version=kiosk.__version__,
            data_dir=str(self.data_dir),
            database_ready=True,
            database_recovered=storage.report.recovered,
            last_backup=last_backup,
            events=tuple((e.at, e.kind, e.detail) for e in storage.staff_events.recent(20)),
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
            **self._fleet_overview(),
        }

    def _fleet_overview(self) -> dict[str, Any]:
        """The course versions and the site config the hub delivered, and what was refused."""
        if self.courses is None or self.configs is None:
            return {}
        applied = self.configs.applied()
        return {
            "hub_courses": tuple(
                (course.course_id, course.version)
                for course in sorted(self.courses.installed().values(), key=lambda c: c.course_id)
            ),
            "hub_config_version": None if applied is None else applied[0],
            "hub_config_problem": self.configs.problem(),
            "hub_courses_problem": self.courses.problem(),
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
    config: SiteConfig,
    storage: Storage,
    usage: UsageEvents | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
) -> BookingService:
    """The bookings of this site over the open database; on a terminal joined to a hub they
    are the site's, shared through the hub (kept here by the sync thread). ``clock``: another
    time than now (demo data and screenshots of a given moment)."""
    # Loaded with the database, after the first frame (see the note on top of kiosk.app).
    from kiosk.core.bookings import (
        BookingService,
        device_policies,
        site_calendar,
        visitor_limits,
    )
    from kiosk.core.resume_codes import utc_now

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
        limits=visitor_limits(config),
        clock=clock or utc_now,
    )


def make_usage(config: SiteConfig, storage: Storage) -> tuple[UsageEvents, UsageStatistics]:
    """Where usage events go, and the statistics made from them."""
    # Loaded with the database, after the first frame (see the note on top of kiosk.app).
    from kiosk.core.stats import UsageEvents, UsageStatistics, dataset_info

    zone = ZoneInfo(config.site.timezone)
    events = UsageEvents(storage.usage, zone, errors=(StorageError,))
    statistics = UsageStatistics(
        storage.usage,
        zone,
        k=config.stats.k,
        retention_days=config.stats.retention_days,
        info=dataset_info(config),
    )
    return events, statistics


def site_config_in_use(local: SiteConfig, data_dir: Path) -> SiteConfig:
    """The config this terminal runs with: on a terminal joined to a hub, the last good site
    config the hub delivered (a waiting one is taken into use now) with this terminal's own
    [hub] section and staff PIN; else, or when that config cannot be used, its own file."""
    if not local.joined_hub:
        return local
    from kiosk.fleet.site_config import ConfigStore

    store = ConfigStore(data_dir / "fleet" / "config")
    try:
        version = store.apply_pending()
    except OSError:
        log.exception("the site config from the hub could not be taken into use")
        version = None
    if version is not None:
        log.info("site config version %d from the hub taken into use", version)
    config, problem = store.effective(local)
    if problem:
        log.error("the site config from the hub cannot be used; the terminal's own is: %s", problem)
    return config


def reread_config(local: SiteConfig) -> SiteConfig:
    """The terminal's own config file as it is now (an administrator may have changed it);
    the one read at start if it no longer loads."""
    from kiosk.config import ConfigError, load_config

    if local.source is None:
        return local
    try:
        return load_config(local.source)
    except (ConfigError, OSError) as error:
        log.error(
            "the terminal's config file no longer loads; keeping the one read at start: %s", error
        )
        return local
