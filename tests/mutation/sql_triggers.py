"""Mutants of the overlap triggers' SQL (kiosk/storage/migrations.py, m008, which replaced those
of m003), which mutmut cannot reach: each flips one comparison or drops one condition, and the
booking tests must fail.

Run by tests/mutation/run.py in its copy of the tree: ``python -m tests.mutation.sql_triggers``
prints one JSON line per mutant ({"name", "status": "killed"|"survived"}).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

MIGRATIONS = Path("kiosk/storage/migrations.py")
TESTS = [
    "tests/unit/bookings/test_database_refusals.py",
    "tests/unit/bookings/test_service.py",
    "tests/unit/storage/test_bookings_repo.py",
]

# (name, exact text in migrations.py, replacement). Every occurrence is replaced: some texts are
# in m003 too, whose triggers m008 drops, so only m008's text matters.
MUTANTS: list[tuple[str, str, str]] = [
    ("same device: = to !=", "other.device_id = NEW.device_id", "other.device_id != NEW.device_id"),
    ("same device dropped", "WHERE other.device_id = NEW.device_id", "WHERE 1"),
    (
        "active others: IN to NOT IN",
        "AND other.status IN ('pending', 'confirmed', 'checked_in', 'provisional')",
        "AND other.status NOT IN ('pending', 'confirmed', 'checked_in', 'provisional')",
    ),
    (
        "active others: pending left out",
        "AND other.status IN ('pending', 'confirmed', 'checked_in', 'provisional')",
        "AND other.status IN ('confirmed', 'checked_in', 'provisional')",
    ),
    (
        "active others: checked_in left out",
        "AND other.status IN ('pending', 'confirmed', 'checked_in', 'provisional')",
        "AND other.status IN ('pending', 'confirmed', 'provisional')",
    ),
    (
        "active others: provisional left out",
        "AND other.status IN ('pending', 'confirmed', 'checked_in', 'provisional')",
        "AND other.status IN ('pending', 'confirmed', 'checked_in')",
    ),
    (
        "active others dropped",
        "AND other.status IN ('pending', 'confirmed', 'checked_in', 'provisional')",
        "",
    ),
    (
        "other starts before my end: < to <=",
        "AND other.start_ts < NEW.block_until_ts",
        "AND other.start_ts <= NEW.block_until_ts",
    ),
    (
        "other starts before my end: < to >",
        "AND other.start_ts < NEW.block_until_ts",
        "AND other.start_ts > NEW.block_until_ts",
    ),
    ("other starts before my end dropped", "AND other.start_ts < NEW.block_until_ts", ""),
    (
        "I start before its end: < to <=",
        "AND NEW.start_ts < other.block_until_ts",
        "AND NEW.start_ts <= other.block_until_ts",
    ),
    (
        "I start before its end: < to >",
        "AND NEW.start_ts < other.block_until_ts",
        "AND NEW.start_ts > other.block_until_ts",
    ),
    ("I start before its end dropped", "AND NEW.start_ts < other.block_until_ts", ""),
    (
        "block end: block_until_ts to end_ts (buffer ignored)",
        "AND NEW.start_ts < other.block_until_ts",
        "AND NEW.start_ts < other.end_ts",
    ),
    (
        "update: own row not excluded",
        "BEGIN {overlap} AND other.id != NEW.id; END",
        "BEGIN {overlap}; END",
    ),
    ("update: != to =", "AND other.id != NEW.id", "AND other.id = NEW.id"),
    ("update trigger off", "BEGIN {overlap} AND other.id != NEW.id; END", "BEGIN SELECT 1; END"),
    ("insert trigger off", "BEGIN {overlap}; END", "BEGIN SELECT 1; END"),
    (
        "triggers: WHEN active to WHEN inactive",
        "WHEN NEW.status IN {_HOLDING}",
        "WHEN NEW.status NOT IN {_HOLDING}",
    ),
    (
        "triggers: a new provisional booking not checked",
        "_HOLDING = \"('pending', 'confirmed', 'checked_in', 'provisional')\"",
        "_HOLDING = \"('pending', 'confirmed', 'checked_in')\"",
    ),
    (
        "update: status changes not watched",
        "BEFORE UPDATE OF device_id, start_ts, end_ts, block_until_ts, status ON bookings",
        "BEFORE UPDATE OF device_id, start_ts, end_ts, block_until_ts ON bookings",
    ),
    (
        "update: moves not watched",
        "BEFORE UPDATE OF device_id, start_ts, end_ts, block_until_ts, status ON bookings",
        "BEFORE UPDATE OF start_ts, end_ts, block_until_ts, status ON bookings",
    ),
]


def run_one(original: str, old: str, new: str) -> str:
    if old not in original:
        return "not applicable"
    MIGRATIONS.write_text(original.replace(old, new), encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-x", "-q", *TESTS],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    finally:
        MIGRATIONS.write_text(original, encoding="utf-8")
    return "survived" if result.returncode == 0 else "killed"


def main() -> int:
    original = MIGRATIONS.read_text(encoding="utf-8")
    for name, old, new in MUTANTS:
        status = run_one(original, old, new)
        print(json.dumps({"name": f"sql: {name}", "status": status}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
