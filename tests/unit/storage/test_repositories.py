"""Settings, session state and the staff log behave as the core expects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pytest

from kiosk.storage.database import Storage
from kiosk.storage.repositories import SettingsRepository, StaffEvent

from .conftest import FakeClock


class SettingsStore(Protocol):
    """The shape the core will declare for settings (kept here so storage never imports core)."""

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...


def test_settings_satisfy_the_core_protocol(open_storage: Callable[..., Storage]) -> None:
    store: SettingsStore = open_storage().settings  # checked by mypy when tests are typed
    assert isinstance(store, SettingsRepository)


def test_settings_get_set_overwrite_delete(open_storage: Callable[..., Storage]) -> None:
    settings = open_storage().settings

    assert settings.get("pin_hash") is None
    settings.set("pin_hash", "scrypt$abc")
    settings.set("pin_failures", "0")
    settings.set("pin_hash", "scrypt$def")
    assert settings.get("pin_hash") == "scrypt$def"
    settings.delete("pin_hash")
    settings.delete("never_set")  # deleting a missing key is not an error
    assert settings.get("pin_hash") is None
    assert settings.get("pin_failures") == "0"


def test_settings_survive_reopening(open_storage: Callable[..., Storage]) -> None:
    first = open_storage()
    first.settings.set("pin_locked_until", "2026-03-02T10:00:00")
    first.close()

    assert open_storage().settings.get("pin_locked_until") == "2026-03-02T10:00:00"


def test_session_state_put_get_overwrite(open_storage: Callable[..., Storage]) -> None:
    sessions = open_storage().session_state

    sessions.put("s1", "lesson", "video-call/3")
    sessions.put("s1", "lesson", "video-call/4")
    sessions.put("s1", "language", "uk")

    assert sessions.get("s1", "lesson") == "video-call/4"
    assert sessions.get("s1", "language") == "uk"
    assert sessions.get("s1", "missing") is None
    assert sessions.get("s2", "lesson") is None


def test_wipe_removes_only_that_session(open_storage: Callable[..., Storage]) -> None:
    sessions = open_storage().session_state
    sessions.put("previous", "name", "Olena")
    sessions.put("previous", "answer", "42")
    sessions.put("current", "name", "Jonas")

    assert sessions.wipe("previous") == 2
    assert sessions.wipe("previous") == 0

    assert sessions.get("previous", "name") is None
    assert sessions.get("previous", "answer") is None
    assert sessions.get("current", "name") == "Jonas"


def test_wipe_all_removes_leftovers_of_every_session(
    open_storage: Callable[..., Storage],
) -> None:
    before_power_cut = open_storage()
    before_power_cut.session_state.put("s1", "name", "Olena")
    before_power_cut.session_state.put("s2", "name", "Jonas")
    before_power_cut.close()

    after_restart = open_storage()

    assert after_restart.session_state.wipe_all() == 2
    assert after_restart.session_state.get("s1", "name") is None
    assert after_restart.session_state.wipe_all() == 0


def test_staff_events_add_returns_increasing_ids_and_recent_is_newest_first(
    open_storage: Callable[..., Storage], clock: FakeClock
) -> None:
    events = open_storage().staff_events
    first = events.add("staff_login")
    clock.advance(minutes=3)
    second = events.add("pin_locked", "3 failed attempts")

    assert second > first
    assert events.recent() == [
        StaffEvent(second, datetime(2026, 3, 2, 9, 33), "pin_locked", "3 failed attempts"),
        StaffEvent(first, datetime(2026, 3, 2, 9, 30), "staff_login", ""),
    ]
    assert [e.id for e in events.recent(limit=1)] == [second]


def test_staff_event_times_keep_their_utc_offset(data_dir: Path) -> None:
    with Storage.open(data_dir) as storage:  # the default clock is local time with offset
        storage.staff_events.add("staff_login")
        [event] = storage.staff_events.recent()
    assert event.at.tzinfo is not None


def test_a_staff_event_needs_a_kind(open_storage: Callable[..., Storage]) -> None:
    events = open_storage().staff_events
    with pytest.raises(ValueError, match="kind"):
        events.add("")
    assert events.recent() == []
