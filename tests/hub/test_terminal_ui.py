"""The kiosk joined to a hub, as visitors and staff see it: a code from terminal A continues on
terminal B, a long offline backlog drains while the screen stays responsive, and staff see the
state of the city network."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from pytestqt.qtbot import QtBot

from kiosk.app import settle_heap
from kiosk.config import load_config
from kiosk.core.session import EndReason
from kiosk.storage.database import Storage
from kiosk.ui.shell.screens import Screen
from tests.hub.servers import HubProcess, add_site, make_terminal, threaded_hub
from tests.ui.running_app import shown_kiosk

pytestmark = pytest.mark.gui
COURSE = "video-calls"


def test_a_code_taken_on_terminal_a_continues_on_terminal_b(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    add_site(hub_database, "library", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "library", "library-1")
        with shown_kiosk(qtbot, load_config(a.config), a.data_dir) as kiosk_a:
            window = kiosk_a.window
            window.start_session("de")
            window.open_course(COURSE)
            for _ in range(3):
                qtbot.mouseClick(window.lesson.next, Qt.MouseButton.LeftButton)
            step = window.lesson.current_step_id()
            qtbot.mouseClick(window.lesson.save_place, Qt.MouseButton.LeftButton)
            code = window.screen_widget(Screen.RESUME_CARD).code  # type: ignore[attr-defined]
            assert code is not None
            window.end_session(EndReason.ENDED_BY_VISITOR)
            sync = kiosk_a.desk.sync
            assert sync is not None
            sync.wake()
            qtbot.waitUntil(lambda: sync.status().state == "online", timeout=10_000)
            qtbot.waitUntil(lambda: sync.status().backlog == 0, timeout=10_000)

        with shown_kiosk(qtbot, load_config(b.config), b.data_dir) as kiosk_b:
            window = kiosk_b.window
            window.start_session("ar")
            window.show_screen(Screen.RESUME_ENTRY)
            entry = window.screen_widget(Screen.RESUME_ENTRY)
            qtbot.keyClicks(entry.field, code.code)  # type: ignore[attr-defined]
            qtbot.keyClick(entry.field, Qt.Key.Key_Return)  # type: ignore[attr-defined]
            # Asked in the background: the screen says so and takes no second tap meanwhile.
            assert entry.looking_up  # type: ignore[attr-defined]
            assert not entry.go.isEnabled()  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda: window.current_screen is Screen.LESSON, timeout=10_000)
            assert window.lesson.course is not None and window.lesson.course.id == COURSE
            assert window.lesson.current_step_id() == step


def test_a_code_from_elsewhere_while_the_hub_is_down_gets_a_clear_message(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, "http://127.0.0.1:9/", "vhs", "vhs-1")
    with shown_kiosk(qtbot, load_config(terminal.config), terminal.data_dir) as kiosk:
        window = kiosk.window
        window.start_session("en")
        window.show_screen(Screen.RESUME_ENTRY)
        entry = window.screen_widget(Screen.RESUME_ENTRY)
        qtbot.keyClicks(entry.field, "K7PM-R3XJ")  # type: ignore[attr-defined]
        qtbot.keyClick(entry.field, Qt.Key.Key_Return)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: not entry.looking_up, timeout=10_000)  # type: ignore[attr-defined]
        assert "connection" in entry.message.text()  # type: ignore[attr-defined]
        assert entry.go.isEnabled()  # type: ignore[attr-defined]
        assert window.current_screen is Screen.RESUME_ENTRY
        # The staff overview says the terminal works offline and nothing is lost.
        overview = kiosk.desk.overview()
        assert overview.hub_state in ("starting", "offline")


@pytest.mark.slow
def test_three_days_offline_catch_up_without_stalling_the_screen(
    qtbot: QtBot, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    total = 20_000
    hub = HubProcess(hub_database, tmp_path / "hub.log")  # its address is fixed; not started
    terminal = make_terminal(tmp_path, hub_database, hub.url, "vhs", "vhs-1")
    # Three days of a busy terminal without the network: 20,000 events in the outbox.
    with Storage.open(terminal.data_dir, outbox=True) as storage:
        for day in (1, 2, 3):
            count = total // 3 + (day == 1) * (total % 3)
            storage.usage.add_events(
                [
                    (f"2026-12-0{day}T{10 + n % 8:02d}", "course_started", "de", "c", "", "", "")
                    for n in range(count)
                ]
            )
    gaps: list[int] = []
    clock = QElapsedTimer()
    with shown_kiosk(qtbot, load_config(terminal.config), terminal.data_dir) as kiosk:
        sync = kiosk.desk.sync
        assert sync is not None
        qtbot.waitUntil(lambda: sync.status().state == "offline", timeout=10_000)
        kiosk.window.start_session("de")
        kiosk.window.show_screen(Screen.LEARN)  # a visitor is learning at the terminal
        # As `kiosk run` does once the database is open: the heap built so far is frozen, so a
        # full garbage collection does not walk it. Here that heap is the whole test run's; a
        # collection over it alone stops every thread for 100-200 ms, the screen's included.
        settle_heap()
        with hub, _unfrozen_after():  # the network is back
            ticker = QTimer()
            ticker.setInterval(10)

            def tick() -> None:
                gaps.append(clock.restart())

            ticker.timeout.connect(tick)
            clock.start()
            ticker.start()
            started = time.monotonic()
            sync.wake()  # as the next retry would, only sooner
            # Waiting asks the sync thread (in memory), not the hub's database: a query from
            # the UI thread would be the test's own stall, not the kiosk's.
            qtbot.waitUntil(
                lambda: sync.status().state == "online" and sync.status().backlog == 0,
                timeout=120_000,
            )
            drained_s = time.monotonic() - started
            ticker.stop()
    # The visitor's own session adds a few events of its own on top.
    assert _hub_count(hub_database) >= total
    assert len(gaps) > 20
    # The event loop never stood still for more than 100 ms while the backlog went out.
    assert max(gaps[1:]) < 100, (max(gaps[1:]), drained_s)


@contextmanager
def _unfrozen_after() -> Iterator[None]:
    """Hands the test run's heap back to the collector afterwards (unlike a kiosk, the test
    process goes on to build many more)."""
    try:
        yield
    finally:
        gc.unfreeze()


def _hub_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM usage_events").fetchone()
    return 0 if row is None else int(row[0])
