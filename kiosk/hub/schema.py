"""The hub's schema: numbered SQL files in kiosk/hub/migrations, applied in order, each once."""

from __future__ import annotations

from importlib import resources

import psycopg

MIGRATIONS_PACKAGE = "kiosk.hub.migrations"
# Any fixed number: init-db run twice at once (two hub instances starting) takes turns.
_LOCK_KEY = 7_246_001


def migration_files() -> list[tuple[str, str]]:
    """(name, SQL) of every migration, in the order of their numbers."""
    folder = resources.files(MIGRATIONS_PACKAGE)
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))
    return [(name, folder.joinpath(name).read_text(encoding="utf-8")) for name in names]


def apply_migrations(url: str) -> list[str]:
    """Apply the migrations the database lacks, each in its own transaction; returns their names."""
    applied: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for name, sql in migration_files():
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
                done = conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE name = %s", [name]
                ).fetchone()
                if done:
                    continue
                conn.execute(sql.encode())
                conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", [name])
                applied.append(name)
    return applied


def pending_migrations(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    """Names of migrations not yet applied (all of them on an empty database)."""
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    done: set[str] = set()
    if exists and exists[0]:
        done = {str(row[0]) for row in conn.execute("SELECT name FROM schema_migrations")}
    return [name for name, _sql in migration_files() if name not in done]
