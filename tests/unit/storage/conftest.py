"""Fixtures for storage tests: a controllable clock and a helper to open the data dir."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.storage.database import Storage


class FakeClock:
    """A clock the test moves by hand, so backup ages and event times are predictable."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 30, 0))


@pytest.fixture
def open_storage(data_dir: Path, clock: FakeClock) -> Iterator[Callable[..., Storage]]:
    """Opens Storage on the test's data dir with the fake clock; closes whatever it opened."""
    opened: list[Storage] = []

    def _open(**kwargs: object) -> Storage:
        kwargs.setdefault("now", clock)
        storage = Storage.open(data_dir, **kwargs)  # type: ignore[arg-type]
        opened.append(storage)
        return storage

    yield _open
    for storage in opened:
        storage.close()


def read_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Read from a database file with a plain read-only connection, independent of Storage."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
