"""Statistics at scale: a busy year (one million usage events) exported for the city.

Target: the whole export (roll-up, every table, suppression, CSV + JSON + DCAT-AP.de written)
within 2× a single plain SQL ``GROUP BY`` over the same rows, measured in the same run.
`python -m tests.bench.stats`.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.core.stats import DatasetInfo, UsageStatistics
from kiosk.core.stats.demo import synthetic_events
from kiosk.storage.database import Storage
from tests.bench.figures import Figure, Info, Ratio, report

EVENTS = 1_000_000
FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)
ZONE = ZoneInfo("Europe/Berlin")
COURSES = ["tablet-first-steps", "video-calls", "safe-passwords", "phishing-fake-shops"]
KINDS = ["tablet", "smartphone", "vr-headset", "e-reader", "smart-speaker", "robot-vacuum"]
INFO = DatasetInfo("Bench", "Bench", "", "16053000", "")
EXPORT_TARGET = 2.0  # measured 0.94-1.17 (idle, both cores busy, one core shared)

PLAIN_GROUP_BY = (
    "SELECT substr(hour, 1, 10), kind, language, course_id, device_kind, format, duration, "
    "count(*) FROM usage_events GROUP BY 1, 2, 3, 4, 5, 6, 7"
)


def _fill(storage: Storage) -> int:
    rows = synthetic_events(
        LAST, (LAST - FIRST).days + 1, courses=COURSES, device_kinds=KINDS, sessions_per_day=1000
    )
    return storage.usage.add_events(itertools.islice(rows, EVENTS))


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-stats-") as tmp:
        root = Path(tmp)
        storage = Storage.open(root / "data")
        try:
            count = _fill(storage)
            if count < EVENTS * 0.95:
                raise RuntimeError(f"only {count} events generated")
            conn = storage.usage._db.conn
            conn.execute(PLAIN_GROUP_BY).fetchall()  # warm the page cache for both
            started = time.perf_counter()
            conn.execute(PLAIN_GROUP_BY).fetchall()
            baseline_s = time.perf_counter() - started
            stats = UsageStatistics(
                storage.usage,
                ZONE,
                k=5,
                retention_days=3650,
                info=INFO,
                clock=lambda: datetime(2027, 1, 2, 12, tzinfo=UTC),
            )
            out = root / "out"
            out.mkdir()
            started = time.perf_counter()
            stats.export(stats.span(FIRST, LAST, "month"), out)
            export_s = time.perf_counter() - started
        finally:
            storage.close()
    return [
        Info("stats_events", count, "events"),
        Ratio(
            "stats_export",
            export_s,
            baseline_s,
            "s",
            EXPORT_TARGET,
            "one plain GROUP BY over the same rows",
        ),
    ]


if __name__ == "__main__":
    report(run)
