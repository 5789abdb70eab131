"""A site's booking rules on the hub, from the site's newest config, and its booking service.

The hub decides a terminal's booking with the rules the terminal checked it against: the site
config an administrator pushed (`kiosk hub config push`). Parsing a config takes milliseconds
and a busy site asks many times a minute, so parsed rules are kept by the SHA-256 of the
config's text: a booking request learns the newest version's digest with its token (see
kiosk.hub.service.authenticate), and a new version is parsed the first time it is asked for.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from psycopg import Connection

from kiosk.config import ConfigError, parse_config
from kiosk.core.bookings import (
    BookingService,
    DevicePolicy,
    SiteCalendar,
    VisitorLimits,
    device_policies,
    site_calendar,
    visitor_limits,
)
from kiosk.core.resume_codes import utc_now
from kiosk.core.stats.events import EventKind, UsageEvents
from kiosk.hub.bookings import PgBookingStore

log = logging.getLogger("kiosk.hub")
Conn = Connection[tuple[Any, ...]]
# Parsed configs kept: every site's current one and a few older ones, with room to spare.
CACHED_CONFIGS = 64


@dataclass(frozen=True)
class SiteRules:
    """What the hub needs of a site's config to decide its bookings."""

    devices: tuple[DevicePolicy, ...]
    calendar: SiteCalendar
    no_show_minutes: int
    purge_days: int
    name: str = ""  # the site's name as its config says it ([site] name), for people to read
    # How much one visitor may book: the hub holds a terminal's visitor bookings to the
    # per-name limit too, since a visitor can go from one terminal to the next.
    limits: VisitorLimits = field(default_factory=VisitorLimits)

    def device(self, device_id: str) -> DevicePolicy | None:
        return next((device for device in self.devices if device.id == device_id), None)


class SiteRulesCache:
    """Parsed site configs by the SHA-256 of their text; shared by the hub's threads."""

    def __init__(self, size: int = CACHED_CONFIGS) -> None:
        self._size = size
        self._parsed: OrderedDict[str, SiteRules | None] = OrderedDict()
        self._lock = threading.Lock()

    def rules(self, conn: Conn, site: str, digest: str | None = None) -> SiteRules | None:
        """The rules of the site's newest config (``digest``: its SHA-256, when the caller
        knows it); None when the site has none (or one this version of the hub cannot read:
        a newer kiosk pushed it)."""
        if digest is None:
            row = conn.execute(
                "SELECT sha256 FROM site_configs WHERE site = %s ORDER BY version DESC LIMIT 1",
                [site],
            ).fetchone()
            if row is None:
                return None
            digest = str(row[0])
        with self._lock:
            if digest in self._parsed:
                self._parsed.move_to_end(digest)
                return self._parsed[digest]
        body = conn.execute(
            "SELECT body FROM site_configs WHERE site = %s AND sha256 = %s LIMIT 1", [site, digest]
        ).fetchone()
        rules = None if body is None else _parse(str(body[0]), site)
        with self._lock:
            self._parsed[digest] = rules
            while len(self._parsed) > self._size:
                self._parsed.popitem(last=False)
        return rules


def _parse(text: str, site: str) -> SiteRules | None:
    try:
        config = parse_config(text, f"hub:{site}")
    except ConfigError:
        # Checked when it was pushed; a newer kiosk may have pushed what this one cannot read.
        log.warning("the config of site %s cannot be read by this hub; bookings refused", site)
        return None
    return SiteRules(
        devices=tuple(device_policies(config)),
        calendar=site_calendar(config),
        no_show_minutes=config.bookings.no_show_minutes,
        purge_days=config.bookings.purge_days,
        name=config.site.name,
        limits=visitor_limits(config),
    )


class RequestThrottle:
    """The booking service's throttle state for one request, kept in memory.

    The throttle slows visitors who guess booking codes at a terminal; the hub never looks a
    booking up by a code a visitor typed (the terminal does, in its own copy), so there is
    nothing to keep between requests.
    """

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        self._values[key] = value

    def delete(self, key: str) -> None:
        self._values.pop(key, None)


class HubEvents:
    """Usage events the hub records itself, for a site and no terminal (kinds and device kinds
    only, as every usage event): the no-shows it releases once per site, and what staff do at
    the web desk. ``only``: the kinds kept; any other is the terminals' to count.

    Terminals count every other booking event where it happens (a booking made, a check-in, a
    cancellation) and send it. The booking service deciding a terminal's booking would count
    it too; at the hub that one is the terminal's, so that service keeps no-shows only.
    """

    def __init__(self, conn: Conn, site: str, *, only: Collection[str] | None = None) -> None:
        self._conn = conn
        self._site = site
        self._only = None if only is None else frozenset(only)

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
        if self._only is not None and kind not in self._only:
            return
        self._conn.execute(
            "INSERT INTO usage_events (id, site, terminal_id, hour, kind, language, course_id, "
            "device_kind, format, duration) VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, %s, %s)",
            [
                uuid.uuid4(),
                self._site,
                hour,
                kind,
                language,
                course_id,
                device_kind,
                format,
                duration,
            ],
        )


# Usage events the hub counts for a terminal's request: only no-shows, the rest is the terminal's.
NO_SHOWS_ONLY = frozenset({EventKind.BOOKING_NO_SHOW.value})


def booking_service(
    conn: Conn,
    site: str,
    rules: SiteRules,
    *,
    origin: int | None = None,
    clock: Callable[[], datetime] = utc_now,
    counted: Collection[str] | None = NO_SHOWS_ONLY,
) -> tuple[BookingService, PgBookingStore]:
    """The site's booking service over its bookings on the hub, in the caller's transaction
    (``origin``: the terminal whose request it serves), and its store. ``counted``: the usage
    events the hub records itself (HubEvents); None: every one (what staff do at the web desk
    happens at no terminal)."""
    store = PgBookingStore(conn, site, origin=origin)
    service = BookingService(
        store,
        rules.devices,
        rules.calendar,
        RequestThrottle(),
        clock=clock,
        no_show_minutes=rules.no_show_minutes,
        purge_days=rules.purge_days,
        usage=UsageEvents(HubEvents(conn, site, only=counted), rules.calendar.zone, clock),
        limits=rules.limits,
    )
    return service, store
