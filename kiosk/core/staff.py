"""What staff mode needs from the terminal, expressed without Qt or SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.core.bookings import BookingRequest
    from kiosk.core.bookings import HubAnswer as BookingAnswer
    from kiosk.core.progress import HubAnswer
    from kiosk.core.staff_auth import StaffGate
    from kiosk.core.stats import UsageStatistics


@dataclass(frozen=True)
class StaffOverview:
    """The terminal's health at a glance, for the staff home screen."""

    site_name: str
    version: str
    data_dir: str
    database_ready: bool
    database_recovered: bool = False
    last_backup: datetime | None = None
    # The staff log, newest first: (when, kind, detail); kiosk.core.staff_log says it in words.
    events: tuple[tuple[datetime, str, str], ...] = field(default_factory=tuple)
    # The hub: standalone, starting, online, offline, refused (token revoked) or stopped.
    hub_state: str = "standalone"
    hub_backlog: int = 0
    hub_last_ok: datetime | None = None
    # Delivered by the hub: (course id, version) of each installed course package, the site
    # config's version in use, why the last config sent was not taken and which course
    # packages were refused ("" = none).
    hub_courses: tuple[tuple[str, int], ...] = ()
    hub_config_version: int | None = None
    hub_config_problem: str = ""
    hub_courses_problem: str = ""


class StaffDesk(Protocol):
    """The services behind staff mode; the composition root provides the real one."""

    data_dir: Path
    """The terminal's data directory (exports go to its ``exports`` folder by default)."""

    statistics: UsageStatistics | None
    """The usage statistics, once the database is open."""

    def gate(self) -> StaffGate | None:
        """The PIN check, or None while the database is still opening."""

    def overview(self) -> StaffOverview:
        """Current health figures."""

    def lookup_code(self, code: str) -> HubAnswer | None:
        """Ask the hub for a resume code taken at another terminal; blocking, so never on the
        UI thread. None when the terminal stands alone or the hub cannot be reached."""

    def book_at_hub(self, request: BookingRequest) -> BookingAnswer:
        """Ask the hub for a booking checked here; blocking (at most [hub] timeout_s), so never
        on the UI thread. None when there is no answer to go by, or no hub."""

    def changed(self) -> None:
        """A booking, check-in or device state changed here: send it to the hub now."""

    def course_updates(self) -> list[Path]:
        """Course package folders the hub delivered (checked and installed here); each replaces
        the shipped package of the same folder name. Empty on a terminal standing alone."""

    def shared_kept(self) -> int:
        """How many bookings and device states the sync has taken from the hub so far: when
        it grows, screens showing bookings draw them again."""

    def backup_now(self) -> datetime:
        """Make a database backup now; returns when it was made."""

    def record(self, kind: str) -> None:
        """Add an entry to the staff log (what happened, never who)."""
