"""The sync thread: pushes the outbox to the hub in bounded batches and pulls what changed.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from kiosk.storage.errors import StorageError
from kiosk.storage.outbox_repo import KIND_PROGRESS, KIND_USAGE_EVENT, OutboxRow
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import (
    HubClient,
    HubRefusedBatchError,
    HubRefusedTerminalError,
    HubSettings,
    HubUnreachableError,
)

log = logging.getLogger("kiosk.sync")

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


@dataclass(frozen=True)
class RoundReport:
    pushed: int
    pulled: int
    set_aside: int


class Syncer:
    """One terminal's sync work over its store and a client; no thread of its own."""

    def __init__(
        self,
        store: SyncStore,
        client: HubClient,
        *,
        batch_rows: int = BATCH_ROWS,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self._store = store
        self._client = client
        self._batch_rows = batch_rows
        self._should_stop = should_stop

    def round(self) -> RoundReport:
        """Push the whole outbox (batch by batch), pull until nothing more changed, and keep
        the pool of reserved resume codes filled."""
        pushed, aside = self.push_all()
        pulled = self.pull()
        self.top_up_codes()
        self._store.settings.set(KEY_LAST_OK, datetime.now(UTC).isoformat(timespec="seconds"))
        return RoundReport(pushed, pulled, aside)

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
        try:
            answer = self._client.push(events, progress, backlog)
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
        merged = 0
        cursor = self._cursor()
        backlog = self._store.outbox.backlog().rows  # what still waits, for the hub's status
        while not self._should_stop():
            answer = self._client.changes(cursor, backlog)
            for record in answer.get("progress", []):
                merged += self._store.progress.merge_snapshot(record)
            cursor = int(answer.get("cursor", cursor))
            self._store.settings.set(KEY_CURSOR, str(cursor))
            if not answer.get("more"):
                break
        return merged

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
    ) -> None:
        self._data_dir = data_dir
        self._settings = settings
        self._batch_rows = batch_rows
        self._backoff = (first_backoff_s, max_backoff_s)
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
                store, client, batch_rows=self._batch_rows, should_stop=self._stop.is_set
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
