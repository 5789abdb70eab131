"""Resume codes unique in the whole city: terminals take new codes from a reserve the hub keeps
for each of them, so two terminals never print the same code."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from kiosk.config import load_config
from kiosk.core.progress import ProgressService
from kiosk.core.resume_codes import normalise_code
from kiosk.hub import service
from kiosk.hub.models import ProgressChange, PushBatch
from kiosk.storage.database import Storage
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import HubClient, hub_settings
from kiosk.sync.worker import POOL_SIZE, Syncer
from tests.hub.servers import add_site, enrol, make_terminal, threaded_hub

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)


def reserved(url: str) -> dict[str, str]:
    """Code → terminal name, of every code held in reserve."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT r.code, t.name FROM reserved_codes r JOIN terminals t ON t.id = r.terminal_id"
        ).fetchall()
    return {str(code): str(name) for code, name in rows}


def change(progress_id: str, code: str) -> ProgressChange:
    return ProgressChange(
        id=uuid.uuid4(),
        progress_id=progress_id,
        code=code,
        created_at=NOW,
        expires_at=NOW + timedelta(days=180),
        updated_at=NOW,
        courses=[],
    )


def test_reserved_codes_are_unique_valid_and_limited(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    tokens = [enrol(hub_database, "vhs", name) for name in ("vhs-1", "vhs-2")]
    with psycopg.connect(hub_database) as conn:
        one, two = (service.authenticate(conn, token) for token in tokens)
        assert one is not None and two is not None
        service.push(conn, one, PushBatch(site="vhs", progress=[change("a" * 32, "K7PMR3XJ")]))
        first = service.reserve_codes(conn, one, 30)
        more = service.reserve_codes(conn, one, 30)  # at most 50 held at once
        other = service.reserve_codes(conn, two, 30)
    assert (len(first), len(more), len(other)) == (30, 20, 30)
    everything = [*first, *more, *other]
    assert len(set(everything)) == len(everything) and "K7PMR3XJ" not in everything
    assert all(normalise_code(code) == code for code in everything)  # the check symbol holds


def test_a_code_held_by_one_terminal_cannot_be_claimed_by_another(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    tokens = [enrol(hub_database, "vhs", name) for name in ("vhs-1", "vhs-2")]
    with psycopg.connect(hub_database) as conn:
        one, two = (service.authenticate(conn, token) for token in tokens)
        assert one is not None and two is not None
        (code,) = service.reserve_codes(conn, one, 1)
        stolen = service.push(conn, two, PushBatch(site="vhs", progress=[change("b" * 32, code)]))
        assert [r.reason for r in stolen.rejected] == ["code_taken"]
        used = service.push(conn, one, PushBatch(site="vhs", progress=[change("c" * 32, code)]))
        assert used.progress_new == 1 and not used.rejected
    assert code not in reserved(hub_database)  # the reserve gave it up to its record


def test_a_joined_terminal_prints_codes_from_its_reserve(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        settings = hub_settings(load_config(terminal.config))
        with SyncStore.open(terminal.data_dir) as store, HubClient(settings) as client:
            Syncer(store, client).round()
            assert store.progress.pool_size() == POOL_SIZE
        held = reserved(hub_database)
        assert len(held) == POOL_SIZE and set(held.values()) == {"vhs-1"}
        with Storage.open(terminal.data_dir, outbox=True) as storage:
            visitor = ProgressService(storage.progress, storage.settings)
            visitor.start_course("video-calls", 1, ["s1", "s2"])
            code = visitor.take_resume_code()
            assert code.compact in held
            assert storage.progress.pool_size() == POOL_SIZE - 1
        with SyncStore.open(terminal.data_dir) as store, HubClient(settings) as client:
            report = Syncer(store, client).round()
            assert report.pushed >= 1
        assert code.compact not in reserved(hub_database)


def test_a_terminal_standing_alone_draws_its_codes_at_random(data_dir: Path) -> None:
    with Storage.open(data_dir) as storage:
        visitor = ProgressService(storage.progress, storage.settings)
        visitor.start_course("video-calls", 1, ["s1"])
        code = visitor.take_resume_code()
        assert normalise_code(code.compact) == code.compact
        assert storage.progress.pool_size() == 0
