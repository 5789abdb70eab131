"""The hub's own work while it serves: no-shows released, names, progress and counts purged.

`kiosk hub serve` runs it in a background thread. No-shows are released for each site twice a
minute, so every terminal of the site shows the device as free within seconds of the release;
the hub releases them once for the whole site and counts each once for the city's statistics
(kiosk.hub.booking_desk). Every hour, the names of bookings whose slot ended [bookings]
purge_days ago go, as on the terminals, with expired progress and old throttle counts. Each
site is kept in its own transaction: one that fails is tried again next time and holds up no
other.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from kiosk.core.resume_codes import utc_now
from kiosk.hub import booking_desk, service
from kiosk.hub.site_rules import SiteRules, SiteRulesCache

log = logging.getLogger("kiosk.hub")
Pool = ConnectionPool[psycopg.Connection[tuple[Any, ...]]]
NO_SHOW_EVERY_S = 30.0
PURGE_EVERY_S = 3600.0


class Upkeep:
    """What the hub does on its own, over its connection pool."""

    def __init__(
        self, pool: Pool, rules: SiteRulesCache, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._pool = pool
        self._rules = rules
        self._clock = clock

    def release_no_shows(self) -> int:
        """Release the no-shows of every site; returns how many."""
        return self._each_site(booking_desk.release_no_shows, "no-show release")

    def purge_names(self) -> int:
        """Delete the names of every site's bookings past its purge_days; returns how many."""
        return self._each_site(booking_desk.purge_names, "name purge")

    def purge_progress(self) -> int:
        """Delete expired progress and old throttle counts; returns the records deleted."""
        with self._pool.connection() as conn:
            records, _counts = service.purge(conn, self._clock())
        return records

    def _each_site(
        self,
        work: Callable[
            [psycopg.Connection[tuple[Any, ...]], str, SiteRules, Callable[[], datetime]], int
        ],
        what: str,
    ) -> int:
        with self._pool.connection() as conn:
            sites = [str(row[0]) for row in conn.execute("SELECT id FROM sites ORDER BY id")]
        done = 0
        for site in sites:
            try:
                with self._pool.connection() as conn:
                    rules = self._rules.rules(conn, site)
                    if rules is not None:  # a site without a config has no bookings
                        done += work(conn, site, rules, self._clock)
            except (psycopg.Error, TimeoutError) as error:
                log.warning("%s skipped for site %s: %s", what, site, type(error).__name__)
        return done

    def run(
        self,
        stop: threading.Event,
        *,
        no_show_every_s: float = NO_SHOW_EVERY_S,
        purge_every_s: float = PURGE_EVERY_S,
    ) -> None:
        """Keep going until ``stop`` is set; a database that is down only delays the work."""
        last_purge = -purge_every_s
        while not stop.is_set():
            try:
                if time.monotonic() - last_purge >= purge_every_s:
                    last_purge = time.monotonic()
                    self._purge()
                released = self.release_no_shows()
                if released:
                    log.info("%d booking(s) not checked in released", released)
            except (psycopg.Error, TimeoutError) as error:
                log.warning("upkeep skipped: %s", type(error).__name__)
            except Exception:
                # A fault of the hub itself: said once per turn, and the thread goes on (left to
                # end, no no-show would be released until the hub is restarted).
                log.exception("upkeep failed")
            stop.wait(no_show_every_s)

    def _purge(self) -> None:
        records = self.purge_progress()
        if records:
            log.info("%d expired progress record(s) deleted", records)
        names = self.purge_names()
        if names:
            log.info("names of %d past booking(s) deleted", names)
