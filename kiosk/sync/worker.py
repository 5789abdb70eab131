"""The sync thread: pushes the outbox to the hub in bounded batches and pulls what changed.

What it pulls is progress the terminal holds, and the site's bookings, device states and date
exceptions as the hub decided them (kept without an outbox row: they came from the hub). It
pushes before it pulls, so a booking made here offline is decided by the hub and comes back
decided in the same round. Given the fleet stores, a round then takes the course packages and
site config the hub delivers and posts the terminal's health (kiosk.sync.fleet).

It never runs on the UI thread and starts only after the first frame. While the hub answers it
syncs every few seconds; when the hub is unreachable the terminal goes on offline and the thread
tries again with exponential back-off (with jitter, so a city's terminals do not all come back
in the same second after an outage). A row leaves the outbox only after the hub confirmed it;
a row sent twice (the terminal died before it noted the answer) is taken once by the hub.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from kiosk.config import SiteConfig
from kiosk.core.bookings import SharedBooking, SharedDeviceStatus
from kiosk.fleet.courses import CourseStore
from kiosk.fleet.site_config import ConfigStore
from kiosk.storage.errors import StorageError
from kiosk.storage.outbox_repo import KIND_BOOKING, KIND_PROGRESS, KIND_USAGE_EVENT, OutboxRow
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.bookings import MalformedError, shared_booking, shared_device
from kiosk.sync.client import (
    HubClient,
    HubRefusedBatchError,
    HubRefusedTerminalError,
    HubSettings,
    HubUnreachableError,
)
from kiosk.sync.date_exceptions import shared_exception
from kiosk.sync.fleet import FleetSync

log = logging.getLogger("kiosk.sync")
_T = TypeVar("_T")

# Rows per request: about 200 KB of JSON, a tenth of what the hub takes in one body.
BATCH_ROWS = 1000
FIRST_BACKOFF_S = 2.0
MAX_BACKOFF_S = 300.0
REFUSED_RETRY_S = 300.0
# Nobody waits for a background push: a busy hub gets time to answer a full batch ([hub]
# timeout_s is what a visitor waits for a code lookup).
PUSH_TIMEOUT_S = 30.0
# Resume codes reserved at the hub for this terminal: refilled to POOL_SIZE once fewer than
# POOL_LOW are left, so a day of visitors taking codes never runs it dry between syncs.
POOL_SIZE = 20
POOL_LOW = 10
KEY_CURSOR = "sync.cursor"
# Its own generator: spreading retries must not disturb anyone else's random sequence.
_JITTER = random.Random()  # noqa: S311 - not for secrets
KEY_LAST_OK = "sync.last_ok"


@dataclass(frozen=True)
class SyncStatus:
    """What staff and `kiosk sync --status` see."""

    state: str  # starting, online, offline, refused, stopped
    backlog: int = 0
    last_ok: datetime | None = None
    detail: str = ""
    # Bookings and device states taken from the hub since the thread started: when it grows,
    # what the screens show of the site's bookings may have changed.
    shared_kept: int = 0
    # Times the installed courses or the pending site config changed (kiosk.sync.fleet): when
    # it grows, the UI switches at its next idle moment.
    fleet_changes: int = 0


@dataclass(frozen=True)
class RoundReport:
    pushed: int
    pulled: int  # records of every kind taken from the hub
    set_aside: int
    shared: int = 0  # of them, bookings and device states


class Syncer:
    """One terminal's sync work over its store and a client; no thread of its own."""

    def __init__(
        self,
        store: SyncStore,
        client: HubClient,
        *,
        batch_rows: int = BATCH_ROWS,
        should_stop: Callable[[], bool] = lambda: False,
        on_shared_kept: Callable[[int], None] = lambda _count: None,
        fleet: FleetSync | None = None,
    ) -> None:
        self._store = store
        self._client = client
        self._batch_rows = batch_rows
        self._should_stop = should_stop
        self._on_shared_kept = on_shared_kept
        self._fleet = fleet

    def round(self) -> RoundReport:
        """Push the whole outbox (batch by batch), pull until nothing more changed, keep the
        pool of reserved resume codes filled, and take what the hub delivers (with a fleet)."""
        pushed, aside = self.push_all()
        progress, shared = self._pull()
        self.top_up_codes()
        self._store.settings.set(KEY_LAST_OK, datetime.now(UTC).isoformat(timespec="seconds"))
        if self._fleet is not None and not self._should_stop():
            self._fleet.round()
        return RoundReport(pushed, progress + shared, aside, shared)

    def push_all(self) -> tuple[int, int]:
        pushed = aside = 0
        backlog = self._store.outbox.backlog().rows  # counted once; told to the hub per batch
        while not self._should_stop():
            rows = self._store.outbox.pending(self._batch_rows)
            if not rows:
                break
            sent, refused = self._push(rows, max(backlog, len(rows)))
            backlog -= sent + refused
            pushed += sent
            aside += refused
        return pushed, aside

    def _push(self, rows: Sequence[OutboxRow], backlog: int) -> tuple[int, int]:
        """Send rows; a batch the hub refuses as malformed is halved until the bad row is
        found and set aside, so one bad row never blocks the queue."""
        events = [row.body for row in rows if row.kind == KIND_USAGE_EVENT]
        progress = [row.body for row in rows if row.kind == KIND_PROGRESS]
        # In outbox order: the hub applies a booking's changes in the order they were made.
        bookings = [row.body for row in rows if row.kind == KIND_BOOKING]
        try:
            answer = self._client.push(events, progress, backlog, bookings)
        except HubRefusedBatchError as error:
            if len(rows) == 1:
                log.error("the hub refused an outbox row (%s); set aside", error)
                self._store.outbox.set_aside(rows[0], str(error)[:200])
                return 0, 1
            half = len(rows) // 2
            first = self._push(rows[:half], backlog)
            second = self._push(rows[half:], backlog)
            return first[0] + second[0], first[1] + second[1]
        for rejected in answer.get("rejected", []):
            # Two terminals drew the same resume code: the first keeps it city-wide; this
            # record stays reachable with it on this terminal.
            log.warning("the hub keeps another record under a resume code (%s)", rejected)
        self._store.outbox.acknowledge([row.seq for row in rows])
        return len(rows), 0

    def pull(self) -> int:
        """Take what changed at the hub; returns how many records were taken."""
        progress, shared = self._pull()
        return progress + shared

    def _pull(self) -> tuple[int, int]:
        """(progress records merged, bookings and device states kept)."""
        merged = kept = 0
        cursor = self._cursor()
        backlog = self._store.outbox.backlog().rows  # what still waits, for the hub's status
        while not self._should_stop():
            answer = self._client.changes(cursor, backlog)
            for record in answer.get("progress", []):
                merged += self._store.progress.merge_snapshot(record)
            bookings, devices = shared_changes(answer)
            if bookings or devices:
                # One transaction: a page's bookings are weighed against each other and the
                # provisional ones here together.
                self._store.bookings.keep_shared(bookings, devices)
                kept += len(bookings) + len(devices)
                self._on_shared_kept(len(bookings) + len(devices))
            exceptions = _readable(answer, "exceptions", shared_exception)
            if exceptions:
                self._store.bookings.keep_shared_exceptions(exceptions)
                kept += len(exceptions)
                self._on_shared_kept(len(exceptions))
            cursor = int(answer.get("cursor", cursor))
            self._store.settings.set(KEY_CURSOR, str(cursor))
            if not answer.get("more"):
                break
        return merged, kept

    def top_up_codes(self) -> int:
        """Ask the hub for codes when the pool runs low; returns how many were added."""
        size = self._store.progress.pool_size()
        if size >= POOL_LOW:
            return 0
        codes = self._client.reserve_codes(POOL_SIZE - size)
        self._store.progress.add_to_pool(codes, datetime.now(UTC))
        return len(codes)

    def _cursor(self) -> int:
        try:
            return int(self._store.settings.get(KEY_CURSOR) or 0)
        except ValueError:
            return 0


def shared_changes(
    answer: Mapping[str, Any],
) -> tuple[list[SharedBooking], list[SharedDeviceStatus]]:
    """The bookings and device states of a changes page. One the terminal cannot read is left
    out (and logged): the rest of the site's bookings still arrive, and the hub sends that one
    again with its next change."""
    bookings = _readable(answer, "bookings", shared_booking)
    return bookings, _readable(answer, "devices", shared_device)


def _readable(answer: Mapping[str, Any], key: str, read: Callable[[object], _T]) -> list[_T]:
    records = answer.get(key, [])
    if not isinstance(records, list):
        log.warning("the hub's %s are not a list; left out", key)
        return []
    readable = []
    for record in records:
        try:
            readable.append(read(record))
        except MalformedError as error:
            log.warning("a record of the hub's %s cannot be read (%s); left out", key, error)
    return readable


class SyncThread:
    """Runs a Syncer every ``interval_s`` in a daemon thread, with back-off when offline."""

    def __init__(
        self,
        data_dir: Path,
        settings: HubSettings,
        *,
        batch_rows: int = BATCH_ROWS,
        first_backoff_s: float = FIRST_BACKOFF_S,
        max_backoff_s: float = MAX_BACKOFF_S,
        courses: CourseStore | None = None,
        configs: ConfigStore | None = None,
        local_config: SiteConfig | None = None,
        health_source: Callable[[], Mapping[str, Any]] | None = None,
        on_fleet_change: Callable[[], None] = lambda: None,
    ) -> None:
        """With ``courses``, ``configs`` (and the terminal's own ``local_config``) or a
        ``health_source`` (the UI's printer state, last crash and last error), each round also
        takes what the hub delivers and posts health (kiosk.sync.fleet); ``on_fleet_change``
        is then called from this thread when the courses or the pending config changed."""
        self._data_dir = data_dir
        self._settings = settings
        self._batch_rows = batch_rows
        self._backoff = (first_backoff_s, max_backoff_s)
        self._fleet_parts = (courses, configs, local_config, health_source)
        self._on_fleet_change = on_fleet_change
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = SyncStatus("starting")
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Sync now rather than after the interval (something new is in the outbox)."""
        self._wake.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def _count_shared(self, count: int) -> None:
        with self._lock:
            self._status = replace(self._status, shared_kept=self._status.shared_kept + count)

    def _fleet_changed(self) -> None:
        with self._lock:
            self._status = replace(self._status, fleet_changes=self._status.fleet_changes + 1)
        self._on_fleet_change()

    def _fleet(self, store: SyncStore, client: HubClient) -> FleetSync | None:
        courses, configs, local_config, health_source = self._fleet_parts
        if courses is None and configs is None and health_source is None:
            return None
        return FleetSync(
            client,
            store,
            self._data_dir,
            courses=courses,
            configs=configs,
            local_config=local_config,
            health_source=health_source or dict,
            on_fleet_change=self._fleet_changed,
        )

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]

    def _run(self) -> None:
        try:
            store = SyncStore.open(self._data_dir)
        except StorageError as error:
            self._set(state="stopped", detail=f"database: {error}")
            log.error("sync stopped: the database cannot be opened (%s)", error)
            return
        failures = 0
        with store, HubClient(self._settings, timeout_s=PUSH_TIMEOUT_S) as client:
            syncer = Syncer(
                store,
                client,
                batch_rows=self._batch_rows,
                should_stop=self._stop.is_set,
                on_shared_kept=self._count_shared,
                fleet=self._fleet(store, client),
            )
            while not self._stop.is_set():
                wait = self._settings.interval_s
                try:
                    syncer.round()
                    failures = 0
                    self._set(state="online", last_ok=datetime.now(UTC), detail="")
                except HubUnreachableError as error:
                    failures += 1
                    wait = backoff_s(failures, *self._backoff)
                    self._set(state="offline", detail=str(error)[:200])
                    log.info("hub unreachable (%s); next try in %.0f s", error, wait)
                except HubRefusedTerminalError as error:
                    wait = REFUSED_RETRY_S
                    self._set(state="refused", detail=str(error)[:200])
                    log.error("the hub refuses this terminal: %s", error)
                except StorageError as error:
                    failures += 1
                    wait = backoff_s(failures, *self._backoff)
                    self._set(state="offline", detail=f"database: {error}")
                    log.warning("sync paused: %s", error)
                with contextlib.suppress(StorageError):
                    self._set(backlog=store.outbox.backlog().rows)
                self._wake.wait(wait)
                self._wake.clear()
        self._set(state="stopped")


def backoff_s(
    failures: int, first_s: float = FIRST_BACKOFF_S, most_s: float = MAX_BACKOFF_S
) -> float:
    """2, 4, 8 … seconds up to five minutes, each somewhere in its upper half (jitter)."""
    ceiling = min(most_s, first_s * 2.0 ** min(failures - 1, 16))
    return ceiling / 2 + _JITTER.uniform(0, ceiling / 2)
