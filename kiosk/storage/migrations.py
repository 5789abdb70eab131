"""The versioned schema: one decorated function per change, applied in the order written.

To change the schema, append a new function decorated with ``@MIGRATIONS()``. Never edit,
rename or reorder one that has shipped: its name is what marks it as applied in existing
databases (table ``_sqlite_migrations``, set "kiosk").
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.storage.connection import translated_errors

MIGRATIONS = Migrations("kiosk")


@MIGRATIONS()
def m001_settings_sessions_staff_events(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """
    )
    # Everything a visitor session stores; wiped when the session ends.
    db.execute(
        """
        CREATE TABLE session_state (
            session_id TEXT,
            key TEXT,
            value TEXT,
            PRIMARY KEY (session_id, key)
        )
        """
    )
    # A log for staff ("database_restored", "staff_login", …); never personal data.
    db.execute(
        """
        CREATE TABLE staff_events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        )
        """
    )


@MIGRATIONS()
def m002_learning_progress(db: Database) -> None:
    # Anonymous learning progress. A progress record has a random id that only the session's
    # memory and (if the visitor took one) a resume code point to; nothing here names a person.
    # Ids, codes and UTC timestamps are global, so terminals can later sync into one store.
    db.execute(
        """
        CREATE TABLE progress (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    # One row per course a record has started, at the course version it was last seen in.
    db.execute(
        """
        CREATE TABLE course_progress (
            progress_id TEXT NOT NULL REFERENCES progress (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            course_version INTEGER NOT NULL,
            current_step TEXT NOT NULL,
            completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (progress_id, course_id)
        )
        """
    )
    # The steps seen. A quiz keeps only whether it was answered right (1) or wrong (0), never
    # the option chosen; NULL for steps that are not quizzes or were not answered.
    db.execute(
        """
        CREATE TABLE step_progress (
            progress_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            quiz_correct INTEGER CHECK (quiz_correct IN (0, 1)),
            PRIMARY KEY (progress_id, course_id, step_id),
            FOREIGN KEY (progress_id, course_id)
                REFERENCES course_progress (progress_id, course_id) ON DELETE CASCADE
        )
        """
    )
    # Resume codes in compact form ("K7PMR3XJ"); the code itself is the key, with no terminal
    # prefix, so a central store can take codes from every terminal. One code per record.
    db.execute(
        """
        CREATE TABLE resume_codes (
            code TEXT PRIMARY KEY CHECK (length(code) = 8),
            progress_id TEXT NOT NULL UNIQUE REFERENCES progress (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX resume_codes_by_expiry ON resume_codes (expires_at)")


_ACTIVE = "('pending', 'confirmed', 'checked_in')"


@MIGRATIONS()
def m003_bookings(db: Database) -> None:
    # Device-trial bookings. Times are Unix seconds (UTC); a booking blocks its device from
    # start_ts until block_until_ts (its end plus the device's turnaround buffer). The name is
    # the only personal datum and is set to NULL a few days after the slot.
    db.execute(
        f"""
        CREATE TABLE bookings (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
            device_id TEXT NOT NULL,
            device_kind TEXT NOT NULL,
            start_ts INTEGER NOT NULL,
            end_ts INTEGER NOT NULL,
            block_until_ts INTEGER NOT NULL,
            name TEXT,
            status TEXT NOT NULL
                CHECK (status IN {_ACTIVE[:-1]}, 'cancelled', 'no_show')),
            walk_in INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0, 1)),
            created_ts INTEGER NOT NULL,
            updated_ts INTEGER NOT NULL,
            CHECK (start_ts < end_ts AND end_ts <= block_until_ts)
        )
        """
    )
    db.execute("CREATE INDEX bookings_by_device ON bookings (device_id, start_ts)")
    db.execute("CREATE INDEX bookings_by_start ON bookings (start_ts)")
    # Bookings that may still turn into no-shows: the release check runs twice a minute.
    db.execute(
        "CREATE INDEX bookings_waiting ON bookings (start_ts) "
        "WHERE status IN ('pending', 'confirmed')"
    )
    # No double booking, whatever the caller checked before: two active bookings of one device
    # never have overlapping blocks. The trigger runs inside the inserting transaction.
    overlap = """
        SELECT RAISE(ABORT, 'booking overlaps another booking of the device')
        FROM bookings AS other
        WHERE other.device_id = NEW.device_id
          AND other.status IN ('pending', 'confirmed', 'checked_in')
          AND other.start_ts < NEW.block_until_ts
          AND NEW.start_ts < other.block_until_ts
    """
    db.execute(
        f"""
        CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
        WHEN NEW.status IN {_ACTIVE}
        BEGIN {overlap}; END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER bookings_no_overlap_update
        BEFORE UPDATE OF device_id, start_ts, end_ts, block_until_ts, status ON bookings
        WHEN NEW.status IN {_ACTIVE}
        BEGIN {overlap} AND other.id != NEW.id; END
        """
    )
    # What staff set: available, needs_wiping, broken, in_repair (no row = available).
    db.execute(
        """
        CREATE TABLE device_status (
            device_id TEXT PRIMARY KEY,
            status TEXT NOT NULL
                CHECK (status IN ('available', 'needs_wiping', 'broken', 'in_repair')),
            changed_ts INTEGER NOT NULL
        )
        """
    )


@MIGRATIONS()
def m004_usage_statistics(db: Database) -> None:
    # Anonymous usage events: the hour (site time, 'YYYY-MM-DDTHH'), a kind and values from
    # closed vocabularies. No visitor or session id, no free text. Deleted after the retention
    # period; usage_daily keeps the counts per day.
    db.execute(
        """
        CREATE TABLE usage_events (
            id INTEGER PRIMARY KEY,
            hour TEXT NOT NULL CHECK (length(hour) = 13),
            kind TEXT NOT NULL,
            language TEXT NOT NULL DEFAULT '',
            course_id TEXT NOT NULL DEFAULT '',
            device_kind TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT '',
            duration TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX usage_events_by_hour ON usage_events (hour)")
    db.execute(
        """
        CREATE TABLE usage_daily (
            day TEXT NOT NULL,
            kind TEXT NOT NULL,
            language TEXT NOT NULL,
            course_id TEXT NOT NULL,
            device_kind TEXT NOT NULL,
            format TEXT NOT NULL,
            duration TEXT NOT NULL,
            count INTEGER NOT NULL CHECK (count >= 0),
            PRIMARY KEY (day, kind, language, course_id, device_kind, format, duration)
        ) WITHOUT ROWID
        """
    )


@MIGRATIONS()
def m005_outbox(db: Database) -> None:
    # What must reach the hub, written in the same transaction as the change it reports
    # (kiosk.storage.outbox_repo). Empty on a terminal that stands alone.
    db.execute(
        """
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('usage_event', 'progress')),
            subject TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX outbox_by_subject ON outbox (kind, subject) WHERE subject != ''")
    # Rows the hub refused as malformed (a fault, not an outage): kept out of the queue.
    db.execute(
        """
        CREATE TABLE outbox_rejected (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            reason TEXT NOT NULL,
            rejected_at TEXT NOT NULL
        )
        """
    )


@MIGRATIONS()
def m006_published_months(db: Database) -> None:
    # The protected table of each statistics table and calendar month, kept from its first
    # export on, so that every later export publishes the month unchanged (kiosk.core.stats).
    db.execute(
        """
        CREATE TABLE published_months (
            table_name TEXT NOT NULL,
            month TEXT NOT NULL CHECK (length(month) = 10),
            body TEXT NOT NULL,
            published_at TEXT NOT NULL,
            PRIMARY KEY (table_name, month)
        ) WITHOUT ROWID
        """
    )


@MIGRATIONS()
def m007_resume_code_pool(db: Database) -> None:
    # Resume codes the hub reserved for this terminal (kiosk.sync tops it up): a code taken here
    # while the pool has one is unique in the whole city.
    db.execute(
        """
        CREATE TABLE resume_code_pool (
            code TEXT PRIMARY KEY CHECK (length(code) = 8),
            reserved_at TEXT NOT NULL
        ) WITHOUT ROWID
        """
    )


# A booking holds its device while it is in one of these (provisional: booked on a terminal
# joined to a hub while the hub could not be asked). A conflict, like a cancelled booking,
# holds nothing: the hub gave its time to another booking.
_HOLDING = "('pending', 'confirmed', 'checked_in', 'provisional')"


@MIGRATIONS()
def m008_shared_bookings(db: Database) -> None:
    # Bookings are shared by the terminals of a site through the hub: each has a uid that is the
    # same everywhere (existing ones get a random one), a mark that staff moved it, and two new
    # statuses. SQLite cannot change a CHECK in place, so the table is rebuilt in this
    # migration's transaction, ids kept. Nothing refers to bookings or outbox by foreign key, so
    # dropping the old tables deletes nothing elsewhere (checked at the end all the same).
    db.execute(
        """
        CREATE TABLE bookings_rebuilt (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16))))
                CHECK (length(uid) = 32),
            code TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
            device_id TEXT NOT NULL,
            device_kind TEXT NOT NULL,
            start_ts INTEGER NOT NULL,
            end_ts INTEGER NOT NULL,
            block_until_ts INTEGER NOT NULL,
            name TEXT,
            status TEXT NOT NULL CHECK (status IN (
                'pending', 'confirmed', 'checked_in', 'provisional',
                'conflict', 'cancelled', 'no_show'
            )),
            walk_in INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0, 1)),
            moved INTEGER NOT NULL DEFAULT 0 CHECK (moved IN (0, 1)),
            created_ts INTEGER NOT NULL,
            updated_ts INTEGER NOT NULL,
            CHECK (start_ts < end_ts AND end_ts <= block_until_ts)
        )
        """
    )
    columns = (
        "id, code, device_id, device_kind, start_ts, end_ts, block_until_ts, name, status, "
        "walk_in, created_ts, updated_ts"
    )
    db.execute(
        f"INSERT INTO bookings_rebuilt (uid, {columns}) "  # noqa: S608 - constant columns
        f"SELECT lower(hex(randomblob(16))), {columns} FROM bookings ORDER BY id"
    )
    db.execute("DROP TABLE bookings")  # its indexes and triggers go with it
    db.execute("ALTER TABLE bookings_rebuilt RENAME TO bookings")
    db.execute("CREATE INDEX bookings_by_device ON bookings (device_id, start_ts)")
    db.execute("CREATE INDEX bookings_by_start ON bookings (start_ts)")
    # Bookings that may still turn into no-shows: the release check runs twice a minute.
    db.execute(
        "CREATE INDEX bookings_waiting ON bookings (start_ts) "
        "WHERE status IN ('pending', 'confirmed', 'provisional')"
    )
    # No double booking, whatever the caller checked before: two bookings of one device that
    # hold it never have overlapping blocks. The triggers run inside the writing transaction.
    # Turning a booking into a conflict (or cancelling it) is never refused: it frees its time.
    overlap = """
        SELECT RAISE(ABORT, 'booking overlaps another booking of the device')
        FROM bookings AS other
        WHERE other.device_id = NEW.device_id
          AND other.status IN ('pending', 'confirmed', 'checked_in', 'provisional')
          AND other.start_ts < NEW.block_until_ts
          AND NEW.start_ts < other.block_until_ts
    """
    db.execute(
        f"""
        CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
        WHEN NEW.status IN {_HOLDING}
        BEGIN {overlap}; END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER bookings_no_overlap_update
        BEFORE UPDATE OF device_id, start_ts, end_ts, block_until_ts, status ON bookings
        WHEN NEW.status IN {_HOLDING}
        BEGIN {overlap} AND other.id != NEW.id; END
        """
    )
    # The outbox takes the booking changes a joined terminal makes (kiosk.storage.bookings_repo);
    # rebuilt for its kind CHECK, the queue's order (seq) kept.
    db.execute(
        """
        CREATE TABLE outbox_rebuilt (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('usage_event', 'progress', 'booking')),
            subject TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        "INSERT INTO outbox_rebuilt (seq, id, kind, subject, body, created_at) "
        "SELECT seq, id, kind, subject, body, created_at FROM outbox ORDER BY seq"
    )
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_rebuilt RENAME TO outbox")
    db.execute("CREATE INDEX outbox_by_subject ON outbox (kind, subject) WHERE subject != ''")
    problems = db.execute("PRAGMA foreign_key_check").fetchall()
    if problems:  # pragma: no cover - nothing refers to these tables
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:3]}")


@MIGRATIONS()
def m009_blocks(db: Database) -> None:
    # A booking is a visitor's ("visit") or a block staff hold a device with ("blocked", for a
    # workshop, say) with its reason. A block holds its time like any booking (the overlap
    # triggers see no difference) but is never released as a no-show: nobody checks it in.
    db.execute(
        "ALTER TABLE bookings ADD COLUMN kind TEXT NOT NULL DEFAULT 'visit' "
        "CHECK (kind IN ('visit', 'blocked'))"
    )
    db.execute(
        "ALTER TABLE bookings ADD COLUMN reason TEXT CHECK (reason IS NULL OR length(reason) <= 60)"
    )
    db.execute("DROP INDEX bookings_waiting")
    db.execute(
        "CREATE INDEX bookings_waiting ON bookings (start_ts) "
        "WHERE status IN ('pending', 'confirmed', 'provisional') AND kind = 'visit'"
    )


@MIGRATIONS()
def m010_date_exceptions(db: Database) -> None:
    # Days that differ from the site config, kept by staff (kiosk.core.bookings.exceptions):
    # closed all day, or open only opens-closes (minutes from midnight, 1440 = 24:00). One row
    # per day; a removed one stays, marked, so the removal reaches the site's other terminals.
    db.execute(
        """
        CREATE TABLE date_exceptions (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL UNIQUE
                CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            closed INTEGER NOT NULL CHECK (closed IN (0, 1)),
            opens_minute INTEGER CHECK (opens_minute BETWEEN 0 AND 1439),
            closes_minute INTEGER CHECK (closes_minute BETWEEN 1 AND 1440),
            note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
            removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
            changed_ts INTEGER NOT NULL,
            CHECK (closed = 1 OR (opens_minute IS NOT NULL AND closes_minute IS NOT NULL
                AND opens_minute < closes_minute))
        )
        """
    )


def apply_migrations(db: Database) -> list[str]:
    """Apply pending migrations (each in its own transaction); returns the names applied."""
    with translated_errors():
        pending = [migration.name for migration in MIGRATIONS.pending(db)]
        if pending:
            MIGRATIONS.apply(db)
    return pending
