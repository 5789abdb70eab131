"""Terminals take what the hub delivers and report their health, against a real PostgreSQL and
a real hub over HTTP: a published course reaches both terminals of a site, a package altered at
the hub or a config that is not good never replaces the last good one, a rollback takes the
terminals back, and health reaches the hub at most once a minute."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

import kiosk
from kiosk.config import SiteConfig, load_config
from kiosk.core.courses import load_packages
from kiosk.fleet.courses import CourseStore
from kiosk.fleet.site_config import ConfigStore
from kiosk.hub import fleet as hub_fleet
from kiosk.hub import fleet_status
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import HubClient, hub_settings
from kiosk.sync.fleet import HEALTH_INTERVAL_S, FleetSync
from kiosk.sync.worker import Syncer, SyncThread
from tests.hub.servers import REPO, Terminal, add_site, make_terminal, threaded_hub


def course_version(tmp_path: Path, version: int) -> Path:
    """The shipped video-calls course as its author's version ``version`` (its English text
    says which)."""
    folder = tmp_path / f"v{version}" / "video-calls"
    shutil.copytree(REPO / "courses" / "video-calls", folder)
    manifest = folder / "course.toml"
    manifest.write_text(
        re.sub(
            r"(?m)^version = \d+$",
            f"version = {version}",
            manifest.read_text(encoding="utf-8"),
            count=1,
        ),
        encoding="utf-8",
    )
    text = folder / "content" / "en.md"
    english = text.read_text(encoding="utf-8")
    assert "Almost all devices" in english
    text.write_text(english.replace("Almost all devices", f"(v{version}) Almost all devices", 1))
    return folder


def publish(database: str, folder: Path, sites: list[str] | None = None) -> int:
    with psycopg.connect(database) as conn:
        (published,) = hub_fleet.publish(conn, [folder], sites)
    return published.publication.id


@dataclass
class FleetTerminal:
    """A terminal with its fleet stores, synced by hand with a clock the test moves."""

    terminal: Terminal
    local: SiteConfig
    courses: CourseStore
    configs: ConfigStore
    changes: list[str] = field(default_factory=list)
    seconds: float = 1000.0

    def english_text(self) -> str:
        """The English text of the installed video-calls course, which the catalogue loads
        without a problem."""
        catalogue = load_packages(self.courses.folders())
        (course,) = catalogue.courses
        assert catalogue.problems == ()
        return (course.folder / "content" / "en.md").read_text(encoding="utf-8")


def fleet_terminal(tmp_path: Path, database: str, hub: str, name: str) -> FleetTerminal:
    terminal = make_terminal(tmp_path, database, hub, "vhs", name)
    fleet = terminal.data_dir / "fleet"
    return FleetTerminal(
        terminal,
        load_config(terminal.config),
        CourseStore(fleet / "courses"),
        ConfigStore(fleet / "config"),
    )


@contextmanager
def syncing(box: FleetTerminal) -> Iterator[Syncer]:
    """A Syncer with the fleet step over one connection, as the sync thread has it."""
    settings = hub_settings(box.local)
    data_dir = box.terminal.data_dir
    with SyncStore.open(data_dir) as store, HubClient(settings) as client:
        fleet = FleetSync(
            client,
            store,
            data_dir,
            courses=box.courses,
            configs=box.configs,
            local_config=box.local,
            health_source=lambda: {"printer": "ready"},
            on_fleet_change=lambda: box.changes.append("changed"),
            clock=lambda: box.seconds,
        )
        yield Syncer(store, client, fleet=fleet)


def sync(box: FleetTerminal) -> None:
    with syncing(box) as syncer:
        syncer.round()


def health_at_hub(database: str, name: str) -> tuple[Any, dict[str, Any]] | None:
    """(received_at, report) of the terminal's latest health report at the hub."""
    with psycopg.connect(database) as conn:
        row = conn.execute(
            "SELECT h.received_at, h.report FROM terminal_health h "
            "JOIN terminals t ON t.id = h.terminal_id WHERE t.name = %s",
            [name],
        ).fetchone()
    if row is None:
        return None
    report = row[1] if isinstance(row[1], dict) else json.loads(row[1])
    return row[0], report


def test_a_published_course_reaches_both_terminals_of_the_site(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        b = fleet_terminal(tmp_path, hub_database, hub, "vhs-2")
        number = publish(hub_database, course_version(tmp_path, 2))
        for box in (a, b):
            sync(box)
            installed = box.courses.installed()["video-calls"]
            assert (installed.id, installed.version) == (number, 2)
            assert "(v2) Almost all devices" in box.english_text()
            assert box.changes == ["changed"]
            sync(box)  # nothing new: nothing fetched, nothing switched
            assert box.changes == ["changed"]
            assert box.courses.installed()["video-calls"] == installed
            (_received, report) = health_at_hub(hub_database, box.terminal.name) or (None, {})
            assert report["courses"] == [{"course_id": "video-calls", "id": number, "version": 2}]
            assert (report["courses_problem"], report["printer"]) == ("", "ready")
            assert report["app_version"] == kiosk.__version__


def test_an_archive_altered_at_the_hub_is_refused_and_the_old_version_stays(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        box = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        first = publish(hub_database, course_version(tmp_path, 2))
        sync(box)
        second = publish(hub_database, course_version(tmp_path, 3))
        with psycopg.connect(hub_database) as conn:
            (archive,) = conn.execute(
                "SELECT archive FROM course_packages WHERE id = %s", [second]
            ).fetchone() or (b"",)
            altered = bytes(archive[:-1]) + bytes([archive[-1] ^ 1])
            conn.execute("UPDATE course_packages SET archive = %s WHERE id = %s", [altered, second])
        box.seconds += HEALTH_INTERVAL_S
        sync(box)
        installed = box.courses.installed()["video-calls"]
        assert (installed.id, installed.version) == (first, 2)
        assert "(v2) Almost all devices" in box.english_text()
        assert box.changes == ["changed"]  # only the first install
        problem = f"video-calls v3 (id {second}): hash mismatch"
        assert box.courses.problem() == problem
        (_received, report) = health_at_hub(hub_database, "vhs-1") or (None, {})
        assert report["courses_problem"] == problem
        assert report["courses"] == [{"course_id": "video-calls", "id": first, "version": 2}]


def test_a_rollback_takes_the_terminal_back_and_then_to_its_own_courses(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        box = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        first = publish(hub_database, course_version(tmp_path, 2))
        second = publish(hub_database, course_version(tmp_path, 3))
        sync(box)
        assert box.courses.installed()["video-calls"].id == second
        old_folder = box.courses.installed()["video-calls"].folder
        with psycopg.connect(hub_database) as conn:
            hub_fleet.rollback(conn, str(second))
        sync(box)
        back = box.courses.installed()["video-calls"]
        assert (back.id, back.version) == (first, 2)
        assert "(v2) Almost all devices" in box.english_text()
        assert old_folder.is_dir()  # a visitor in version 3 finishes it; pruned later
        with psycopg.connect(hub_database) as conn:
            hub_fleet.rollback(conn, "video-calls")
        sync(box)
        assert box.courses.installed() == {}
        assert box.courses.folders() == []  # the terminal shows the course it ships
        assert box.changes == ["changed"] * 3
        assert box.courses.prune() != [] and list(box.courses.root.iterdir()) == [
            box.courses.root / "index.json"
        ]


GOOD_CONFIG = '[site]\nname = "Stadtbibliothek"\n\n[session]\nidle_timeout_s = 120\n'


def push_raw_config(database: str, site: str, body: str) -> int:
    """A config stored at the hub without `kiosk hub config push`'s checks (a hand edit, or a
    newer hub that knows keys this terminal does not)."""
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    with psycopg.connect(database) as conn:
        row = conn.execute(
            "SELECT max(version) FROM site_configs WHERE site = %s", [site]
        ).fetchone()
        version = int(row[0] if row and row[0] else 0) + 1
        conn.execute(
            "INSERT INTO site_configs (site, version, body, sha256) VALUES (%s, %s, %s, %s)",
            [site, version, body, digest],
        )
    return version


def test_a_bad_config_at_the_hub_never_replaces_the_last_good_one(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)  # version 1, the demo site's config
    with threaded_hub(hub_database) as hub:
        box = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        good = push_raw_config(hub_database, "vhs", GOOD_CONFIG)
        sync(box)
        assert box.configs.pending() == (good, box.configs.root / f"site-{good}.toml")
        assert box.changes == ["changed"]
        assert box.configs.apply_pending() == good
        hub_section = push_raw_config(
            hub_database,
            "vhs",
            '[site]\nname = "Elsewhere"\n\n[hub]\nurl = "https://hub.example.org/"\nsite = "x"\n',
        )
        box.seconds += HEALTH_INTERVAL_S
        sync(box)
        (_received, report) = health_at_hub(hub_database, "vhs-1") or (None, {})
        expected = f"version {hub_section}: site.toml:4: hub: belongs to each terminal's own config"
        assert report["config_problem"].startswith(expected)
        assert report["config_version"] == good
        wrong_value = push_raw_config(hub_database, "vhs", "[session]\nidle_timeout_s = 5\n")
        box.seconds += HEALTH_INTERVAL_S
        sync(box)
        assert box.configs.pending() is None
        assert box.configs.applied() == (good, hashlib.sha256(GOOD_CONFIG.encode()).hexdigest())
        config, problem = box.configs.effective(box.local)
        assert (problem, config.site.name, config.session.idle_timeout_s) == (
            "",
            "Stadtbibliothek",
            120,
        )
        assert config.hub == box.local.hub
        assert sorted(box.configs.refused()) == [hub_section, wrong_value]
        (_received, report) = health_at_hub(hub_database, "vhs-1") or (None, {})
        assert report["config_problem"] == (
            f"version {wrong_value}: site.toml:2: session.idle_timeout_s: "
            "must be at least 15; got 5"
        )
        assert box.changes == ["changed"]  # refused configs never reach the UI


def test_health_reaches_the_hub_at_most_once_a_minute(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        box = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        with syncing(box) as syncer:
            syncer.round()
            first = health_at_hub(hub_database, "vhs-1")
            assert first is not None
            box.seconds += HEALTH_INTERVAL_S - 1
            syncer.round()
            assert health_at_hub(hub_database, "vhs-1") == first
            box.seconds += 1
            syncer.round()
            second = health_at_hub(hub_database, "vhs-1")
        assert second is not None and second[0] > first[0]
        report = second[1]
        assert report["database"] == "ok" and report["outbox_backlog"] == 0
        assert report["last_sync"] is not None and report["disk_total_bytes"] > 0
        with psycopg.connect(hub_database) as conn:
            (version,) = conn.execute(
                "SELECT version FROM terminals WHERE name = 'vhs-1'"
            ).fetchone() or ("",)
        assert version == kiosk.__version__


def test_the_sync_thread_takes_a_published_course_and_tells_the_ui(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        box = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        changed = threading.Event()
        worker = SyncThread(
            box.terminal.data_dir,
            hub_settings(box.local),
            courses=box.courses,
            configs=box.configs,
            local_config=box.local,
            health_source=lambda: {"printer": "none", "last_error": "2026-12-07T09:00:00+00:00"},
            on_fleet_change=changed.set,
        )
        worker.start()
        try:
            # The demo config (version 1) arrives first: one change.
            assert changed.wait(20)
            changed.clear()
            number = publish(hub_database, course_version(tmp_path, 2))
            assert changed.wait(20)
            assert worker.status().fleet_changes == 2
            assert box.courses.installed()["video-calls"].id == number
        finally:
            worker.stop()
        (_received, report) = health_at_hub(hub_database, "vhs-1") or (None, {})
        assert (report["printer"], report["last_error"]) == ("none", "2026-12-07T09:00:00+00:00")


@pytest.mark.parametrize("stores", ["none", "courses only"])
def test_a_sync_thread_without_the_config_store_leaves_configs_alone(
    hub_database: str, tmp_path: Path, stores: str
) -> None:
    """Existing callers (kiosk sync) keep working: no stores, no fleet step."""
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        box = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        publish(hub_database, course_version(tmp_path, 2))
        settings = hub_settings(box.local)
        with SyncStore.open(box.terminal.data_dir) as store, HubClient(settings) as client:
            fleet = None
            if stores == "courses only":
                fleet = FleetSync(client, store, box.terminal.data_dir, courses=box.courses)
            Syncer(store, client, fleet=fleet).round()
        assert not box.configs.root.exists()
        assert (box.courses.installed() != {}) == (stores == "courses only")
        assert (health_at_hub(hub_database, "vhs-1") is None) == (stores == "none")


def test_a_delivery_is_reported_at_once_not_after_the_minute(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        box = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        with syncing(box) as syncer:
            syncer.round()
            first = health_at_hub(hub_database, "vhs-1")
            assert first is not None and first[1]["courses"] == []
            publish(hub_database, course_version(tmp_path, 2))
            box.seconds += 5  # well within the minute
            syncer.round()
            second = health_at_hub(hub_database, "vhs-1")
            assert second is not None and second[0] > first[0]
            assert [(c["course_id"], c["version"]) for c in second[1]["courses"]] == [
                ("video-calls", 2)
            ]
            box.seconds += 5  # nothing new: no report before the minute is over
            syncer.round()
            assert health_at_hub(hub_database, "vhs-1") == second


def test_a_terminal_that_stopped_is_flagged_silent_once_its_time_has_passed(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        box = fleet_terminal(tmp_path, hub_database, hub, "vhs-1")
        with syncing(box) as syncer:
            syncer.round()  # the terminal syncs, reports its health, then is switched off
    with psycopg.connect(hub_database) as conn:
        [terminal] = fleet_status.terminals(conn)
    seen = terminal.last_seen
    assert seen is not None and terminal.report is not None
    assert fleet_status.flags(terminal, seen + timedelta(minutes=10)) == ()
    assert fleet_status.flags(terminal, seen + timedelta(minutes=10, seconds=1)) == ("silent",)
    later = fleet_status.Limits(silent_after=timedelta(hours=26))
    assert fleet_status.flags(terminal, seen + timedelta(hours=25), later) == ()
