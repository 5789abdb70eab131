"""What the hub keeps and for how long: expired progress and old throttle counts go."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from kiosk.hub import service
from kiosk.hub.models import ProgressChange, PushBatch
from tests.hub.servers import add_site, enrol

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def change(progress_id: str, code: str, expires_at: datetime) -> ProgressChange:
    return ProgressChange(
        id=uuid.uuid4(),
        progress_id=progress_id,
        code=code,
        created_at=NOW - timedelta(days=1),
        expires_at=expires_at,
        updated_at=NOW - timedelta(days=1),
        courses=[],
    )


def test_expired_progress_and_old_throttle_counts_are_purged(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    token = enrol(hub_database, "vhs", "vhs-1")
    with psycopg.connect(hub_database) as conn:
        terminal = service.authenticate(conn, token)
        assert terminal is not None
        batch = PushBatch(
            site="vhs",
            progress=[
                change("a" * 32, "K7PMR3XJ", NOW + timedelta(hours=1)),
                change("b" * 32, "ACDEFGH3", NOW + timedelta(days=100)),
            ],
        )
        assert service.push(conn, terminal, batch, now=NOW).progress_new == 2
        assert service.lookup(conn, terminal, "ACDEFGHJ", now=NOW).status == "unknown"
        records, counts = service.purge(conn, now=NOW + timedelta(hours=4))
        assert (records, counts) == (1, 2)  # one record; the terminal's and the prefix's count
        left = [row[0] for row in conn.execute("SELECT id FROM progress")]
        assert left == ["b" * 32]
        # A code that ran out is gone for every terminal, not only where it was taken.
        assert service.lookup(conn, terminal, "K7PMR3XJ").status == "unknown"
