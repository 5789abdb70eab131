"""Migration m008 on a kiosk database made by the schema before it: every booking, device state
and queued outbox row is kept (ids and queue order too), and the new rules hold afterwards."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.storage.backup import BackupStore
from kiosk.storage.connection import connect
from kiosk.storage.database import Storage
from kiosk.storage.migrations import MIGRATIONS
from tests.unit.storage.bookings import add, database_file, rows, ts
from tests.unit.storage.conftest import FakeClock, read_rows

M008 = "m008_shared_bookings"
CANARY = "Zebulon-Quxwell"
# id, code, device, start, status, name, walk_in (ids with a gap: a deleted row's id stays free)
OLD_BOOKINGS = [
    (1, "K7PMR3", "tablet-1", "10:00", "confirmed", CANARY, 0),
    (2, "ACDEF4", "tablet-1", "10:00", "cancelled", "Ben", 0),
    (5, "HJKMN6", "tablet-2", "11:00", "checked_in", "Cem", 1),
    (6, "PQRTW7", "vr-1", "14:00", "pending", None, 0),
    (9, "XY3469", "tablet-2", "09:00", "no_show", "Dana", 0),
]
OLD_OUTBOX = [
    (3, "11111111-1111-4111-8111-111111111111", "progress", "ab" * 16, '{"a":1}', "2026-12-01"),
    (7, "22222222-2222-4222-8222-222222222222", "usage_event", "", '{"b":2}', "2026-12-01"),
]
_UID = re.compile(r"[0-9a-f]{32}")


def make_old_database(data_dir: Path, clock: FakeClock) -> Path:
    """A kiosk database as the release before m008 left it, with its daily backup."""
    db = connect(database_file(data_dir))
    try:
        MIGRATIONS.apply(db, stop_before=M008)
        with db.conn:
            db.conn.executemany(
                "INSERT INTO bookings (id, code, device_id, device_kind, start_ts, end_ts, "
                "block_until_ts, name, status, walk_in, created_ts, updated_ts) "
                "VALUES (?, ?, ?, 'tablet', ?, ?, ?, ?, ?, ?, 1, 2)",
                [
                    (id_, code, device, ts(start), ts(start) + 1800, ts(start) + 2700, name, st, w)
                    for id_, code, device, start, st, name, w in OLD_BOOKINGS
                ],
            )
            db.conn.execute(
                "INSERT INTO device_status (device_id, status, changed_ts) "
                "VALUES ('tablet-2', 'needs_wiping', 42)"
            )
            db.conn.executemany(
                "INSERT INTO outbox (seq, id, kind, subject, body, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                OLD_OUTBOX,
            )
        backups = BackupStore(data_dir / "backups", keep=7, now=clock)
        return backups.write_from(db.conn)
    finally:
        db.close()


def schema(path: Path) -> list[tuple[object, ...]]:
    return sorted(
        read_rows(path, "SELECT type, name, tbl_name, sql FROM sqlite_master"),
        key=lambda row: (str(row[0]), str(row[1])),
    )


def test_the_old_schema_is_the_one_before_m008(data_dir: Path, clock: FakeClock) -> None:
    make_old_database(data_dir, clock)
    columns = [row[1] for row in read_rows(database_file(data_dir), "PRAGMA table_info(bookings)")]
    assert "uid" not in columns and "moved" not in columns
    applied = [
        row[0] for row in read_rows(database_file(data_dir), "SELECT name FROM _sqlite_migrations")
    ]
    assert M008 not in applied and "m007_resume_code_pool" in applied


def test_every_booking_device_state_and_queued_row_survives_the_upgrade(
    data_dir: Path, clock: FakeClock
) -> None:
    make_old_database(data_dir, clock)

    with Storage.open(data_dir, now=clock) as storage:
        upgraded = {row.id: row for row in rows(storage.bookings)}
        statuses = storage.bookings.device_statuses()

    assert sorted(upgraded) == [row[0] for row in OLD_BOOKINGS]
    for id_, code, device, start, status, name, walk_in in OLD_BOOKINGS:
        row = upgraded[id_]
        assert (row.code, row.device_id, row.start_ts, row.end_ts, row.block_until_ts) == (
            code,
            device,
            ts(start),
            ts(start) + 1800,
            ts(start) + 2700,
        )
        assert (row.status, row.name, row.walk_in, row.moved) == (
            status,
            name,
            bool(walk_in),
            False,
        )
        assert _UID.fullmatch(row.uid), row.uid
    assert len({row.uid for row in upgraded.values()}) == len(OLD_BOOKINGS)
    assert statuses == {"tablet-2": "needs_wiping"}
    path = database_file(data_dir)
    assert read_rows(path, "SELECT created_ts, updated_ts FROM bookings GROUP BY 1, 2") == [(1, 2)]
    assert (
        read_rows(path, "SELECT seq, id, kind, subject, body, created_at FROM outbox ORDER BY seq")
        == OLD_OUTBOX
    )
    applied = [row[0] for row in read_rows(path, "SELECT name FROM _sqlite_migrations")]
    assert M008 in applied


def test_an_upgraded_database_has_the_schema_of_a_new_one(
    tmp_path: Path, data_dir: Path, clock: FakeClock
) -> None:
    make_old_database(data_dir, clock)
    Storage.open(data_dir, now=clock).close()
    fresh = tmp_path / "fresh"
    Storage.open(fresh, now=clock).close()

    assert schema(database_file(data_dir)) == schema(database_file(fresh))
    names = {(row[0], row[1]) for row in schema(database_file(data_dir))}
    assert {
        ("index", "bookings_by_device"),
        ("index", "bookings_by_start"),
        ("index", "bookings_waiting"),
        ("index", "outbox_by_subject"),
        ("trigger", "bookings_no_overlap_insert"),
        ("trigger", "bookings_no_overlap_update"),
    } <= names
    assert not any("rebuilt" in str(row[1]) for row in schema(database_file(data_dir)))


def test_the_upgraded_database_holds_the_new_rules(data_dir: Path, clock: FakeClock) -> None:
    make_old_database(data_dir, clock)

    with Storage.open(data_dir, now=clock) as storage:
        repo = storage.bookings
        db = storage._db
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert storage.integrity_ok()
        # Booking 1 holds tablet-1 from 10:00 to 10:45; a provisional booking holds a device too.
        assert add(repo, "tablet-1", "10:30", status="provisional", n=1).taken
        assert add(repo, "tablet-1", "10:30", status="conflict", n=1).id is not None
        assert add(repo, "tablet-1", "11:00", status="provisional", n=2).id is not None
        assert add(repo, "tablet-1", "11:15", n=3).taken
        for bad in (
            "UPDATE bookings SET status = 'lost' WHERE id = 1",
            "UPDATE bookings SET moved = 2 WHERE id = 1",
            "UPDATE bookings SET uid = (SELECT uid FROM bookings WHERE id = 2) WHERE id = 1",
            "UPDATE bookings SET uid = NULL WHERE id = 1",
            "INSERT INTO outbox (id, kind, body, created_at) VALUES ('x', 'lost', '{}', '')",
        ):
            with pytest.raises(sqlite3.IntegrityError):
                db.execute(bad)
        # A booking written without a uid (by hand, say) still gets one of its own.
        db.execute(
            "INSERT INTO bookings (code, device_id, device_kind, start_ts, end_ts, "
            "block_until_ts, status, created_ts, updated_ts) "
            "VALUES ('CMNPQ3', 'vr-1', 'vr', 1, 2, 2, 'confirmed', 0, 0)"
        )
        db.conn.commit()
        assert _UID.fullmatch(
            db.execute("SELECT uid FROM bookings WHERE code = 'CMNPQ3'").fetchone()[0]
        )


def test_names_are_still_purged_from_backups_made_before_the_upgrade(
    data_dir: Path, clock: FakeClock
) -> None:
    old_backup = make_old_database(data_dir, clock)
    assert CANARY.encode() in old_backup.read_bytes()

    with Storage.open(data_dir, now=clock) as storage:
        new_backup = storage.report.before_update  # the backup before m008 and the ones after
        assert new_backup is not None and CANARY.encode() in new_backup.read_bytes()
        assert storage.bookings.purge_names(ts("12:00")) == 4  # every slot over by noon

    for path in (old_backup, new_backup, *data_dir.glob("kiosk.sqlite3*")):
        assert CANARY.encode() not in path.read_bytes(), path.name
    with closing(sqlite3.connect(old_backup)) as conn:
        assert conn.execute("SELECT count(*) FROM bookings WHERE name IS NULL").fetchone()[0] == 5
