"""The sync's fleet step: take the courses and config the hub offers, and report health.

Once per sync round (after the pull) the terminal asks the hub what its site is offered
(GET /v1/fleet). A course package that differs from the installed one is fetched and handed to
the CourseStore, which checks it and keeps the old version when it is refused; a course no
longer offered goes back to the folder the terminal ships. A site config of a version not seen
yet is fetched and handed to the ConfigStore (pending, or refused with its lines). Whenever the
installed courses or the pending config change, `on_fleet_change` tells the UI, which switches
at its next idle moment. At most once a minute the health report goes to the hub.

One course's failure never stops the others: it is logged, reported in the health report, and
tried again in a later round (unless the package itself was refused: that one is not fetched
again until the hub offers another).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config import SiteConfig
from kiosk.core.courses.model import ID_PATTERN
from kiosk.fleet.courses import CourseOffer, CourseStore, InstallRefused
from kiosk.fleet.health import SyncFacts, gather
from kiosk.fleet.site_config import ConfigStore
from kiosk.sync.client import (
    ARCHIVE_MAX_BYTES,
    HubClient,
    HubNotOfferedError,
    HubRefusedBatchError,
    HubUnreachableError,
)

log = logging.getLogger("kiosk.sync")

HEALTH_INTERVAL_S = 60.0
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class FleetOffer:
    """What the hub offers the site: its config's (version, sha256), if any, and the courses."""

    config: tuple[int, str] | None
    courses: tuple[CourseOffer, ...]
    mentioned: frozenset[str]  # course ids named, also by an entry that could not be read


@dataclass(frozen=True)
class FleetReport:
    """What one fleet step did."""

    installed: int = 0
    removed: int = 0
    config: str = ""  # "pending", "refused" or "" (nothing new)
    health_posted: bool = False


class FleetSync:
    """The fleet step of one terminal's sync, over the sync thread's client and store."""

    def __init__(
        self,
        client: HubClient,
        store: SyncFacts,
        data_dir: Path,
        *,
        courses: CourseStore | None = None,
        configs: ConfigStore | None = None,
        local_config: SiteConfig | None = None,
        health_source: Callable[[], Mapping[str, Any]] = dict,
        on_fleet_change: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self._store = store
        self._data_dir = data_dir
        self._courses = courses
        self._configs = configs
        self._local = local_config
        self._health_source = health_source
        self._on_change = on_fleet_change
        self._clock = clock
        self._now = now
        self._health_at: float | None = None

    def round(self) -> FleetReport:
        """Take what the hub offers, then post health if a minute has passed. Raises
        HubUnreachableError or HubRefusedTerminalError like any sync call."""
        answer = self._client.fleet()
        offer = read_offer(answer) if answer is not None else None
        installed = removed = 0
        config = ""
        if offer is not None and self._courses is not None:
            installed, removed = self._take_courses(self._courses, offer)
        if offer is not None and self._configs is not None and self._local is not None:
            config = self._take_config(self._configs, self._local, offer)
        changed = bool(installed or removed or config)
        if installed or removed or config == "pending":
            self._on_change()
        # What changed is reported at once: `kiosk hub status` shows the new versions (or why a
        # delivery was refused) without waiting for the minute to pass.
        return FleetReport(installed, removed, config, self.post_health(force=changed))

    def _take_courses(self, store: CourseStore, offer: FleetOffer) -> tuple[int, int]:
        store.forget_refusals(offer.courses)
        current = store.installed()
        installed = removed = 0
        for course in offer.courses:
            have = current.get(course.course_id)
            if have is not None and (have.id, have.sha256) == (course.id, course.sha256):
                continue
            if store.refused(course):
                continue
            if course.size > ARCHIVE_MAX_BYTES:
                store.refuse(course, f"{course.size} bytes is more than a package may have")
                continue
            try:
                store.install(course, self._client.course_archive(course.id))
            except HubNotOfferedError:
                log.info("course %s was withdrawn meanwhile", course.describe())
                continue
            except InstallRefused as error:
                log.error("course %s refused: %s", course.describe(), error)
                continue
            except (OSError, HubUnreachableError, HubRefusedBatchError) as error:
                log.warning("course %s not installed now: %s", course.describe(), error)
                if not isinstance(error, OSError):
                    store.refuse(course, "could not be fetched", final=False)
                continue
            installed += 1
        for course_id in sorted(set(current) - offer.mentioned):
            if store.remove(course_id):
                removed += 1
        return installed, removed

    def _take_config(self, configs: ConfigStore, local: SiteConfig, offer: FleetOffer) -> str:
        if offer.config is None or configs.knows(*offer.config):
            return ""
        answer = self._client.site_config()
        if answer is None:
            return ""
        version, sha256, body = (
            _int(answer.get("version")),
            answer.get("sha256"),
            answer.get("body"),
        )
        if version is None or not (isinstance(sha256, str) and isinstance(body, str)):
            log.warning("the hub's site config cannot be read; left for the next round")
            return ""
        if configs.knows(version, sha256):
            return ""
        return "refused" if configs.offer(version, sha256, body, local) else "pending"

    def post_health(self, *, force: bool = False) -> bool:
        """Post the health report unless one went out less than a minute ago."""
        moment = self._clock()
        recent = self._health_at is not None and moment - self._health_at < HEALTH_INTERVAL_S
        if recent and not force:
            return False
        facts = self._facts()
        report = gather(
            self._data_dir,
            self._store,
            self._courses,
            self._configs,
            printer=str(facts.get("printer", "unknown")),
            last_crash=facts.get("last_crash"),
            last_error=facts.get("last_error"),
            now=self._now(),
        )
        try:
            posted = self._client.report_health(report.to_json())
        except HubRefusedBatchError as error:  # a report this hub cannot take; not again soon
            log.error("the hub refused the health report: %s", error)
            posted = False
        self._health_at = moment
        return posted

    def _facts(self) -> Mapping[str, Any]:
        """What the UI knows (printer, last crash, last error); nothing if asking fails."""
        try:
            facts = self._health_source()
        except Exception:  # the UI's fault must not stop the sync
            log.exception("the UI's health facts could not be read")
            return {}
        return facts if isinstance(facts, Mapping) else {}


def read_offer(answer: Mapping[str, Any]) -> FleetOffer:
    """The hub's GET /v1/fleet answer; entries that cannot be read are left out (and logged)."""
    config = None
    raw_config = answer.get("config")
    if isinstance(raw_config, Mapping):
        version, sha256 = _int(raw_config.get("version")), raw_config.get("sha256")
        if version is not None and isinstance(sha256, str) and _SHA256.fullmatch(sha256):
            config = (version, sha256)
        else:
            log.warning("the hub's config entry cannot be read; left out")
    courses: list[CourseOffer] = []
    mentioned: set[str] = set()
    raw_courses = answer.get("courses")
    for entry in raw_courses if isinstance(raw_courses, list) else ():
        course = _course(entry)
        if isinstance(entry, Mapping) and isinstance(entry.get("course_id"), str):
            mentioned.add(entry["course_id"])
        if course is None or any(c.course_id == course.course_id for c in courses):
            log.warning("a course entry of the hub's offer cannot be read; left out")
            continue
        courses.append(course)
    return FleetOffer(config, tuple(courses), frozenset(mentioned))


def _course(entry: object) -> CourseOffer | None:
    if not isinstance(entry, Mapping):
        return None
    number, course_id = _int(entry.get("id")), entry.get("course_id")
    version, sha256, size = (
        _int(entry.get("version")),
        entry.get("sha256"),
        _int(entry.get("size"), 0),
    )
    if number is None or version is None or size is None:
        return None
    if not (isinstance(course_id, str) and ID_PATTERN.fullmatch(course_id)):
        return None
    if not (isinstance(sha256, str) and _SHA256.fullmatch(sha256)):
        return None
    return CourseOffer(number, course_id, version, sha256, size)


def _int(value: object, minimum: int = 1) -> int | None:
    """A JSON integer (not a boolean) of at least ``minimum``, else None."""
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        return None
    return value
