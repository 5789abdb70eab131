"""The hub at scale: 100,000 usage events pushed through its HTTP API by a terminal.

Target: pushing the events through the hub (the terminal's batches of 1,000 over HTTP, each
validated, taken once by its UUID and committed durably) within 3× a plain ``COPY`` of the same
rows into the same table of the same PostgreSQL, measured in the same run. Also reported: the
whole path from a terminal's SQLite outbox (read, send, acknowledge) and the rate it gives, for
the capacity estimate in the administrator guide. `python -m tests.bench.hub`.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg

from kiosk.config import load_config
from kiosk.hub.devcluster import DevCluster
from kiosk.hub.schema import apply_migrations
from kiosk.storage.database import Storage
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import HubClient, hub_settings
from kiosk.sync.worker import BATCH_ROWS, Syncer
from tests.bench.figures import Figure, Info, Ratio, report
from tests.hub.servers import HubProcess, add_site, make_terminal

EVENTS = 100_000
TARGET = 3.0
COURSES = ("video-calls", "safe-passwords", "tablet-first-steps", "phishing-fake-shops")
COLUMNS = ("id", "hour", "kind", "language", "course_id", "device_kind", "format", "duration")


def _events() -> list[dict[str, str]]:
    return [
        {
            "id": str(uuid.uuid4()),
            "hour": f"2026-11-{1 + n % 28:02d}T{9 + n % 9:02d}",
            "kind": "course_started",
            "language": ("de", "en", "ar", "uk")[n % 4],
            "course_id": COURSES[n % len(COURSES)],
            "device_kind": "",
            "format": "self_learning",
            "duration": "",
        }
        for n in range(EVENTS)
    ]


def _count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM usage_events").fetchone()
    return 0 if row is None else int(row[0])


def _copy_s(url: str, events: list[dict[str, str]], terminal_id: int) -> float:
    """A plain COPY of the rows into the hub's table, one transaction; then emptied again."""
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        with conn.cursor().copy(
            "COPY usage_events (id, site, terminal_id, hour, kind, language, course_id, "
            "device_kind, format, duration) FROM STDIN"
        ) as copy:
            for event in events:
                values = [event[column] for column in COLUMNS[1:]]
                copy.write_row((event["id"], "bench", terminal_id, *values))
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("TRUNCATE usage_events")
        conn.commit()
    return elapsed


def _push_s(hub_url: str, token: str, events: list[dict[str, str]]) -> float:
    """The same rows through the hub's API, in the terminal's batch size."""
    with httpx.Client(
        base_url=hub_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        started = time.perf_counter()
        for first in range(0, len(events), BATCH_ROWS):
            batch = events[first : first + BATCH_ROWS]
            response = client.post("/v1/push", json={"site": "bench", "events": batch})
            response.raise_for_status()
        return time.perf_counter() - started


def run() -> list[Figure]:
    events = _events()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-hub-") as tmp, DevCluster.create() as pg:
        root = Path(tmp)
        url = pg.create_database("bench")
        apply_migrations(url)
        add_site(url, "bench", root)
        with HubProcess(url, root / "hub.log") as hub:
            terminal = make_terminal(root, url, hub.url, "bench", "bench-1")
            with psycopg.connect(url) as conn:
                row = conn.execute("SELECT id FROM terminals WHERE name = 'bench-1'").fetchone()
            assert row is not None
            # Warm both paths (connections, caches) with a few rows first.
            _push_s(hub.url, terminal.token, _events()[:1000])
            _copy_s(url, _events()[:1000], int(row[0]))
            with psycopg.connect(url) as conn:
                conn.execute("TRUNCATE usage_events")
            copies, pushes = [], []
            for _round in range(2):  # in turn, so a busy moment slows both alike
                copies.append(_copy_s(url, events, int(row[0])))
                pushes.append(_push_s(hub.url, terminal.token, events))
                if _count(url) != EVENTS:
                    raise RuntimeError("the hub did not take every event once")
                with psycopg.connect(url) as conn:
                    conn.execute("TRUNCATE usage_events")
            # The whole path of a terminal coming back online: its outbox drained.
            with Storage.open(terminal.data_dir, outbox=True) as storage:
                storage.usage.add_events([tuple(e[c] for c in COLUMNS[1:]) for e in events])
            settings = hub_settings(load_config(terminal.config))
            with (
                SyncStore.open(terminal.data_dir) as store,
                HubClient(settings, timeout_s=30) as client,
            ):
                started = time.perf_counter()
                pushed = Syncer(store, client).push_all()[0]
                outbox_s = time.perf_counter() - started
            if pushed != EVENTS or _count(url) != EVENTS:
                raise RuntimeError("the outbox did not drain completely")
    push_s, copy_s = min(pushes), min(copies)
    return [
        Ratio("hub_ingest", push_s, copy_s, "s", TARGET, f"plain COPY of {EVENTS:,} rows"),
        Info("hub_events_per_s", EVENTS / push_s, "events/s"),
        Info("hub_outbox_drain", outbox_s, "s"),
        Info("hub_outbox_events_per_s", EVENTS / outbox_s, "events/s"),
    ]


if __name__ == "__main__":
    report(run)
