"""A booking's round trip through the hub: what a terminal waits for before it says "booked".

Target: p99 of POST /v1/bookings (the terminal's request over a kept-alive connection on
loopback, decided by the site's rules and stored durably by the hub) within 3× the p99 of a
bare ``INSERT … COMMIT`` of a booking row into the same table through the same connection pool,
the two taken in turn in the same run; p50 is reported beside it. The hub runs in this process
with uvicorn, over a pool of connections to a throwaway PostgreSQL (fsync on) opened as
`kiosk hub serve` opens it, and the site has a year of bookings behind it (every lookup goes
through the indexes a real site needs). `python -m tests.bench.hub_bookings`.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from psycopg_pool import ConnectionPool

from kiosk.core.resume_codes import ALPHABET
from kiosk.hub import admin
from kiosk.hub.api import create_app
from kiosk.hub.devcluster import DevCluster, free_port
from kiosk.hub.schema import apply_migrations
from tests.bench.figures import Figure, Info, Ratio, report
from tests.hub.booking_slots import ask, open_slots
from tests.hub.servers import enrol, site_config_text

BOOKINGS = 1000
WARM_UP = 50
TARGET = 3.0
TABLETS = 12  # a large site: the demo site's devices and a dozen tablets booked 60 days ahead
HISTORY_DAYS = 365
SITE = "bench"
Pool = ConnectionPool[psycopg.Connection[tuple[Any, ...]]]
BASELINE_INSERT = (
    "INSERT INTO bookings (uid, site, code, device_id, device_kind, start_ts, end_ts, "
    "block_until_ts, name, status, walk_in, moved, origin, created_ts, updated_ts, change_seq) "
    "VALUES (%s, 'bench', %s, 'baseline-1', 'tablet', %s, %s, %s, 'Alex', 'confirmed', false, "
    "false, NULL, %s, %s, 0)"
)


def _config() -> str:
    tablets = "".join(
        f'\n[[devices]]\nid = "tablet-b{n}"\nkind = "tablet"\nname = "Tablet {n}"\n'
        "min_minutes = 15\nmax_minutes = 60\nbuffer_minutes = 10\nadvance_days = 60\n"
        for n in range(TABLETS)
    )
    return site_config_text() + tablets


def _code(number: int) -> str:
    """A booking code no other booking of the bench has (the number in the code's alphabet)."""
    symbols = []
    for _ in range(6):
        number, digit = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[digit])
    return "".join(symbols)


def _history(url: str, devices: list[str]) -> int:
    """A year of past bookings of the site, six a day per tablet, written with COPY."""
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    choose = random.Random(14).choice
    rows = 0
    with (
        psycopg.connect(url) as conn,
        # No names: a year ago, they have long been purged.
        conn.cursor().copy(
            "COPY bookings (uid, site, code, device_id, device_kind, start_ts, end_ts, "
            "block_until_ts, status, created_ts, updated_ts, change_seq) FROM STDIN"
        ) as copy,
    ):
        for day in range(1, HISTORY_DAYS + 1):
            for device in devices:
                for slot in range(6):
                    start = int((today - timedelta(days=day, minutes=-80 * slot)).timestamp())
                    status = choose(("checked_in", "checked_in", "no_show", "cancelled"))
                    rows += 1
                    code = _code(10**6 + rows)
                    times = (start, start + 1800, start + 2400)
                    row = (uuid.uuid4().hex, SITE, code, device, "tablet", *times, status)
                    copy.write_row((*row, start, start, 0))
    return rows


@contextmanager
def _hub(pool: Pool) -> Iterator[str]:
    """The hub's app served by uvicorn in a thread, as `kiosk hub serve` serves it."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(pool), host="127.0.0.1", port=port, log_level="warning", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the hub did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _insert_ms(pool: Pool, n: int) -> float:
    """One booking row inserted and committed through the pool, as bare SQL."""
    start = 4_000_000_000 + n * 3600
    values = [uuid.uuid4().hex, _code(n), start, start + 1800, start + 2400, start, start]
    started = time.perf_counter()
    with pool.connection() as conn:
        conn.execute(BASELINE_INSERT, values)
    return (time.perf_counter() - started) * 1000


def _booking_ms(client: httpx.Client, body: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = client.post("/v1/bookings", json=body)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"the hub refused a booking: {response.status_code} {response.text}")
    return elapsed


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def run() -> list[Figure]:
    config = _config()
    tablets = [f"tablet-b{n}" for n in range(TABLETS)]
    slots = open_slots(BOOKINGS + WARM_UP, devices=tablets, minutes=15, config_text=config)
    with (
        tempfile.TemporaryDirectory(prefix="kiosk-bench-booking-") as tmp,
        DevCluster.create() as pg,
    ):
        url = pg.create_database("bench")
        apply_migrations(url)
        config_file = Path(tmp) / "bench.toml"
        config_file.write_text(config, encoding="utf-8")
        with psycopg.connect(url) as conn:
            admin.push_config(conn, SITE, config_file)
        token = enrol(url, SITE, "bench-1")
        history = _history(url, tablets)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE bookings")
        with (
            ConnectionPool(
                url, min_size=1, max_size=8, timeout=10, check=ConnectionPool.check_connection
            ) as pool,
            _hub(pool) as hub_url,
            httpx.Client(
                base_url=hub_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
            ) as client,
        ):
            hub_ms, insert_ms = [], []
            for n, slot in enumerate(slots):  # in turn, so a busy moment slows both alike
                booked = _booking_ms(client, ask(slot))
                inserted = _insert_ms(pool, n)
                if n >= WARM_UP:
                    hub_ms.append(booked)
                    insert_ms.append(inserted)
    hub_p50, base_p50 = statistics.median(hub_ms), statistics.median(insert_ms)
    what = f"INSERT + COMMIT of a booking row through the same pool, {BOOKINGS:,} in turn"
    return [
        Ratio("hub_booking_p99", _p99(hub_ms), _p99(insert_ms), "ms", TARGET, what),
        Info("hub_booking_p50", hub_p50, "ms"),
        Info("hub_booking_p50_baseline", base_p50, "ms"),
        Info("hub_booking_p50_ratio", hub_p50 / base_p50, "x"),
        Info("hub_booking_history_rows", history, "bookings"),
    ]


if __name__ == "__main__":
    report(run)
