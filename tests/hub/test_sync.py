"""Terminals and the hub: the outbox drains, progress goes both ways, offline loses nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

import kiosk
from kiosk.config import load_config
from kiosk.core.progress import ProgressService
from kiosk.core.resume_codes import RestoreStatus, format_code
from kiosk.storage.database import Storage
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import HubClient, HubUnreachableError, hub_settings
from kiosk.sync.worker import Syncer
from tests.hub.servers import Terminal, add_site, make_terminal, threaded_hub

EVENT = ("2026-12-01T10", "session_started", "de", "", "", "", "")


def hub_events(url: str) -> tuple[int, int]:
    """(rows, distinct ids) of usage events at the hub."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*), count(DISTINCT id) FROM usage_events").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def sync_once(terminal: Terminal) -> None:
    settings = hub_settings(load_config(terminal.config))
    with SyncStore.open(terminal.data_dir) as store, HubClient(settings) as client:
        Syncer(store, client).round()


def progress_service(terminal: Terminal, storage: Storage, **options: object) -> ProgressService:
    return ProgressService(storage.progress, storage.settings, **options)  # type: ignore[arg-type]


def test_the_outbox_drains_in_batches_and_each_event_arrives_once(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        with Storage.open(terminal.data_dir, outbox=True) as storage:
            storage.usage.add_events([EVENT] * 1234)
        settings = hub_settings(load_config(terminal.config))
        with SyncStore.open(terminal.data_dir) as store, HubClient(settings) as client:
            report = Syncer(store, client, batch_rows=100).round()
            assert (report.pushed, store.outbox.backlog().rows) == (1234, 0)
            # Pushed again (say the answer was lost): nothing new at the hub.
            assert Syncer(store, client).round().pushed == 0
        assert hub_events(hub_database) == (1234, 1234)


def test_a_resume_code_taken_on_a_travels_to_b_and_progress_comes_back(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    add_site(hub_database, "library", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "library", "library-1")
        with Storage.open(a.data_dir, outbox=True) as storage:
            visitor = progress_service(a, storage)
            visitor.start_course("video-calls", 1, ["s1", "s2", "s3"])
            visitor.visit_step("video-calls", "s2")
            visitor.record_quiz("video-calls", "s2", True)
            code = visitor.take_resume_code()
        sync_once(a)

        with Storage.open(b.data_dir, outbox=True) as storage:
            there = progress_service(b, storage, ask_hub=True)
            asked = there.restore(format_code(code.compact).lower())
            assert asked.status is RestoreStatus.ELSEWHERE
            assert there.throttle.wait_s() == 0  # asking the hub is not a wrong guess
            with HubClient(hub_settings(load_config(b.config))) as client:
                answer = client.lookup(asked.compact)
            result = there.restore_from_hub(asked.compact, answer)
            assert result.status is RestoreStatus.RESTORED
            (course,) = result.courses
            assert (course.current_step, dict(course.quiz_results)) == ("s2", {"s2": True})
            there.visit_step("video-calls", "s3")
            there.complete("video-calls")
        sync_once(b)
        sync_once(a)  # A pulls what B did with the record it holds

        with Storage.open(a.data_dir) as storage:
            back = progress_service(a, storage).restore(code.code)
            assert back.status is RestoreStatus.RESTORED
            (course,) = back.courses
            assert course.completed and course.current_step == "s3"


def test_an_unknown_code_counts_as_a_guess_only_when_the_hub_says_so(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        with Storage.open(terminal.data_dir, outbox=True) as storage:
            service = progress_service(terminal, storage, ask_hub=True)
            for attempt in range(3):
                asked = service.restore("K7PM-R3XJ")
                assert asked.status is RestoreStatus.ELSEWHERE
                # Offline: the visitor is told, and it is not counted as a guess.
                assert service.restore_from_hub(asked.compact, None).status is (
                    RestoreStatus.UNREACHABLE
                )
                assert service.throttle.wait_s() == 0, attempt
            with HubClient(hub_settings(load_config(terminal.config))) as client:
                answers = [client.lookup("K7PMR3XJ") for _ in range(3)]
            results = [service.restore_from_hub("K7PMR3XJ", answer) for answer in answers]
            assert [r.status for r in results] == [RestoreStatus.UNKNOWN] * 3
            assert service.throttle.wait_s() > 0  # the third unknown code makes the next wait


def test_offline_the_outbox_keeps_every_row_until_the_hub_is_back(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, "http://127.0.0.1:9/", "vhs", "vhs-1")
    with Storage.open(terminal.data_dir, outbox=True) as storage:
        storage.usage.add_events([EVENT] * 10)
    settings = hub_settings(load_config(terminal.config))
    with SyncStore.open(terminal.data_dir) as store, HubClient(settings) as client:
        with pytest.raises(HubUnreachableError):
            Syncer(store, client).round()
        assert store.outbox.backlog().rows == 10
    with threaded_hub(hub_database) as hub:
        config = terminal.config.read_text().replace("http://127.0.0.1:9/", hub)
        terminal.config.write_text(config)
        sync_once(terminal)
    assert hub_events(hub_database) == (10, 10)


@pytest.mark.slow
def test_a_terminal_killed_during_a_push_resumes_without_duplicates(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    total = 20_000
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        with Storage.open(terminal.data_dir, outbox=True) as storage:
            storage.usage.add_events([EVENT] * total)
        command = [
            sys.executable,
            "-m",
            "kiosk",
            "sync",
            "--once",
            "--config",
            str(terminal.config),
            "--data-dir",
            str(terminal.data_dir),
        ]
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while hub_events(hub_database)[0] < total // 4 and time.monotonic() < deadline:
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        arrived = hub_events(hub_database)[0]
        assert 0 < arrived < total, "the kill did not fall during the push"
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert "0 rows waiting" in done.stdout
    assert hub_events(hub_database) == (total, total)


def test_pulled_changes_never_overwrite_newer_progress_here(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        start = datetime(2026, 12, 1, 9, tzinfo=UTC)
        clock = [start]
        with Storage.open(a.data_dir, outbox=True) as storage:
            service = progress_service(a, storage, clock=lambda: clock[0])
            service.start_course("video-calls", 1, ["s1", "s2", "s3"])
            code = service.take_resume_code()
        sync_once(a)
        with Storage.open(b.data_dir, outbox=True) as storage:
            there = progress_service(b, storage, ask_hub=True, clock=lambda: clock[0])
            with HubClient(hub_settings(load_config(b.config))) as client:
                answer = client.lookup(code.compact)
            assert there.restore_from_hub(code.compact, answer).restored
            clock[0] = start + timedelta(minutes=30)
            there.visit_step("video-calls", "s3")  # newer, on B
        with Storage.open(a.data_dir, outbox=True) as storage:
            clock[0] = start + timedelta(minutes=10)
            again = progress_service(a, storage, clock=lambda: clock[0])
            assert again.restore(code.code).restored
            again.visit_step("video-calls", "s2")  # older, on A
        sync_once(b)
        sync_once(a)  # A pushes its older change, then pulls B's newer one
        sync_once(b)
        for terminal in (a, b):
            with Storage.open(terminal.data_dir) as storage:
                restored = progress_service(terminal, storage).restore(code.code)
                assert restored.courses[0].current_step == "s3", terminal.name


def test_a_terminal_with_nothing_to_send_still_tells_the_hub_its_version_and_backlog(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        sync_once(terminal)  # an empty outbox: only the pull talks to the hub
    with psycopg.connect(hub_database) as conn:
        row = conn.execute(
            "SELECT version, backlog, last_seen IS NOT NULL FROM terminals WHERE name = 'vhs-1'"
        ).fetchone()
    assert row == (kiosk.__version__, 0, True)
