"""Opening SQLite connections with the kiosk's pragmas, health checks and error translation."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlite_utils import Database

from kiosk.storage.errors import StorageError, StorageFullError, StorageReadOnlyError

BUSY_TIMEOUT_MS = 5000

# Errors that mean "the bytes on disk are not a sound database", as opposed to a locked,
# missing or unwritable file, which must never make us move the database aside.
_CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

# Subclasses that point at a bug or a constraint the caller handles, not at the disk.
_CALLER_ERRORS = (
    sqlite3.IntegrityError,
    sqlite3.ProgrammingError,
    sqlite3.InterfaceError,
    sqlite3.DataError,
    sqlite3.NotSupportedError,
)


def primary_error_code(error: sqlite3.Error) -> int | None:
    """The primary SQLite result code (extended codes keep it in their low byte)."""
    code: int | None = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_corruption(error: sqlite3.Error) -> bool:
    return primary_error_code(error) in _CORRUPTION_CODES


def storage_error_from_sqlite(error: sqlite3.Error) -> StorageError | None:
    """The StorageError to raise for ``error``, or None if it should propagate unchanged."""
    code = primary_error_code(error)
    if code == sqlite3.SQLITE_FULL:
        return StorageFullError(str(error))
    if code == sqlite3.SQLITE_READONLY:
        return StorageReadOnlyError(str(error))
    if isinstance(error, _CALLER_ERRORS):
        return None
    return StorageError(str(error))


def storage_error_from_os(error: OSError) -> StorageError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFullError(str(error))
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageReadOnlyError(str(error))
    return StorageError(str(error))


@contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise disk-level SQLite and file-system failures as StorageError subclasses."""
    try:
        yield
    except sqlite3.Error as error:
        translated = storage_error_from_sqlite(error)
        if translated is None:
            raise
        raise translated from error
    except OSError as error:
        raise storage_error_from_os(error) from error


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction: committed (durable, given synchronous=FULL) on exit, else rolled back.

    It takes the write lock at once (BEGIN IMMEDIATE). A terminal joined to a hub has a second
    connection writing (the sync thread); in WAL mode a transaction that read first and writes
    later fails at once ("database is locked") if the other connection wrote in between, while
    one that asks for the lock first waits for it with the busy timeout. Nested inside an open
    transaction it is a savepoint of that one.
    """
    if db.conn.in_transaction:
        # translated_errors() sits outside atomic() so a failing RELEASE is translated as well.
        with translated_errors(), db.atomic():
            yield db
        return
    with immediate_transaction(db):
        yield db


@contextmanager
def immediate_transaction(db: Database) -> Iterator[Database]:
    """A write transaction that takes the write lock at once (BEGIN IMMEDIATE).

    For check-then-write work such as a booking: no other connection can commit between the
    check and the write, and waiting for the lock uses the busy timeout instead of failing.
    """
    with translated_errors():
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise


def connect(path: Path) -> Database:
    """The read-write connection the app uses, with every pragma the kiosk relies on."""
    with translated_errors():
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            # Plugins are off: a stray sqlite-utils plugin in the environment must not change
            # how the kiosk's connection behaves.
            db = Database(conn, execute_plugins=False)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.enable_wal()
            # FULL makes every commit survive power loss, not only an application crash.
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            # Deleted data (a purged name) is overwritten, not left in free space.
            db.execute("PRAGMA secure_delete = ON")
        except BaseException:
            conn.close()
            raise
    return db


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file: used to examine databases we may move aside."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def check_problems(conn: sqlite3.Connection, pragma: str = "quick_check") -> list[str]:
    """The rows of quick_check/integrity_check that are not "ok" (empty when healthy)."""
    rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    return [] if rows == ["ok"] else rows


def diagnose(path: Path) -> str | None:
    """Why the database at ``path`` is unusable, or None if quick_check passes.

    A read-only connection keeps the evidence intact: a read-write one could checkpoint a
    leftover WAL into a damaged file on close. Failures other than corruption (locked,
    unreadable) raise StorageError instead, because moving a healthy database aside would lose it.
    """
    try:
        with closing(connect_read_only(path)) as conn:
            problems = check_problems(conn)
    except sqlite3.Error as error:
        if is_corruption(error):
            return getattr(error, "sqlite_errorname", None) or "corrupt"
        translated = storage_error_from_sqlite(error)
        raise (translated or StorageError(str(error))) from error
    if problems:
        return f"quick_check reported {len(problems)} problem(s)"
    return None
