"""The PIN lockout fails closed on a full or read-only database, logs to the staff log, and
raises the cost of old hashes at the next login."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.config import load_config
from kiosk.core import pin_hash as pin_hash_text
from kiosk.core.staff_auth import (
    EVENT_LOCKED,
    EVENT_LOGIN,
    EVENT_NOT_COUNTED,
    EVENT_PIN_WRONG,
    KEY_FAILED_TRIES,
    KEY_LOCKED_UNTIL,
    KEY_PIN_HASH,
    NOT_COUNTED,
    PIN_ERROR_DEMO,
    AttemptResult,
    StaffGate,
    hash_pin,
    validate_new_pin,
    verify_pin,
)
from kiosk.storage import StorageError, StorageFullError
from kiosk.storage.database import Storage
from kiosk.terminal import TerminalDesk

PIN = "2580"
WRONG = "1397"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def encoded() -> str:
    return hash_pin(PIN)


@pytest.fixture
def storage(tmp_path: Path, encoded: str) -> Iterator[Storage]:
    opened = Storage.open(tmp_path / "data")
    opened.settings.set(KEY_PIN_HASH, encoded)
    yield opened
    opened.close()


def gate(storage: Storage, clock: FakeClock | None = None) -> StaffGate:
    return StaffGate(storage.settings, clock=clock or FakeClock(), events=storage.staff_events.add)


def fill_the_disk(storage: Storage) -> None:
    """SQLite's size limit reports SQLITE_FULL as a full disk does; the pages there are filled
    until not even a small settings row fits (a new counter could not be written)."""
    pages = storage._db.execute("PRAGMA page_count").fetchone()[0]
    storage._db.execute(f"PRAGMA max_page_count = {pages}")
    filler = 0
    for size in (4000, 1000, 200, 40, 8, 1):
        while True:
            try:
                storage.settings.set(f"filler.{filler:06d}", "x" * size)
            except StorageFullError:
                break
            filler += 1
    with pytest.raises(StorageFullError):  # the precondition of the tests below
        storage.settings.set(KEY_FAILED_TRIES, "1")


def make_room(storage: Storage) -> None:
    storage._db.execute("PRAGMA max_page_count = 1073741823")


def log_kinds(storage: Storage) -> list[tuple[str, str]]:
    return [(event.kind, event.detail) for event in reversed(storage.staff_events.recent())]


def test_on_a_full_disk_the_right_pin_does_not_log_in(storage: Storage) -> None:
    staff = gate(storage)
    fill_the_disk(storage)
    # Before, wrong PINs raised (uncounted) and the right PIN still logged in.
    assert staff.attempt(WRONG) == NOT_COUNTED
    assert staff.attempt(PIN) == NOT_COUNTED
    assert staff.attempt(PIN).not_counted
    make_room(storage)
    assert staff.attempt(PIN).ok  # once the disk has room, staff come in again


def test_on_a_read_only_database_the_right_pin_does_not_log_in(storage: Storage) -> None:
    staff = gate(storage)
    storage._db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only file
    try:
        assert staff.attempt(PIN) == NOT_COUNTED
        assert staff.attempt(WRONG) == NOT_COUNTED
    finally:
        storage._db.execute("PRAGMA query_only = OFF")
    assert staff.attempt(PIN).ok


class FailingReads:
    """A store that cannot even be read (a locked database past its busy timeout)."""

    def get(self, key: str) -> str | None:
        raise StorageError("database is locked")

    def set(self, key: str, value: str) -> None:
        raise StorageError("database is locked")

    def delete(self, key: str) -> None:
        raise StorageError("database is locked")


def test_an_unreadable_lock_refuses_too(encoded: str) -> None:
    staff = StaffGate(FailingReads(), fallback_hash=encoded)
    assert staff.attempt(PIN) == NOT_COUNTED


def test_a_crash_while_the_pin_is_checked_still_counts_the_try(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count is written before scrypt runs: pulling the plug mid-check leaves it counted."""

    def power_cut(pin: str, encoded: str) -> bool:
        raise KeyboardInterrupt  # the process dies here

    monkeypatch.setattr("kiosk.core.staff_auth.verify_pin", power_cut)
    with pytest.raises(KeyboardInterrupt):
        gate(storage).attempt(WRONG)
    monkeypatch.undo()
    assert storage.settings.get(KEY_FAILED_TRIES) == "1"
    assert gate(storage).tries_left() == 4


def test_logins_wrong_pins_lockouts_and_refusals_are_in_the_staff_log(storage: Storage) -> None:
    clock = FakeClock()
    staff = gate(storage, clock)
    for _ in range(5):
        staff.attempt(WRONG)
    clock.now += 30
    assert staff.attempt(PIN).ok
    fill_the_disk(storage)
    assert staff.attempt(PIN).not_counted
    make_room(storage)
    assert staff.attempt(PIN).ok
    kinds = log_kinds(storage)
    assert kinds[:6] == [
        (EVENT_PIN_WRONG, "1"),
        (EVENT_PIN_WRONG, "2"),
        (EVENT_PIN_WRONG, "3"),
        (EVENT_PIN_WRONG, "4"),
        (EVENT_LOCKED, "30 s, lockout 1"),
        (EVENT_LOGIN, ""),
    ]
    # The refusal is logged as it happens if the log has room, else with the next entry.
    assert EVENT_NOT_COUNTED in [kind for kind, _detail in kinds[6:-1]]
    assert kinds[-1] == (EVENT_LOGIN, "")
    assert not any(PIN in detail or WRONG in detail for _kind, detail in kinds)


def test_a_refusal_the_log_could_not_take_is_logged_later_with_its_count(
    storage: Storage,
) -> None:
    staff = gate(storage)
    storage._db.execute("PRAGMA query_only = ON")  # the staff log cannot be written either
    for _ in range(3):
        assert staff.attempt(PIN).not_counted
    storage._db.execute("PRAGMA query_only = OFF")
    assert log_kinds(storage) == []
    assert staff.attempt(PIN).ok
    assert log_kinds(storage) == [(EVENT_NOT_COUNTED, "3"), (EVENT_LOGIN, "")]
    assert not staff.attempt(WRONG).ok  # the late count is written once, not again
    assert log_kinds(storage) == [
        (EVENT_NOT_COUNTED, "3"),
        (EVENT_LOGIN, ""),
        (EVENT_PIN_WRONG, "1"),
    ]


def test_the_kiosk_log_names_the_kind_of_failure_and_the_entry_it_lost(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    """What reaches the kiosk's log file (for the administrator): the kind of error and the
    staff log entry that could not be written, never a PIN."""
    staff = gate(storage)
    storage._db.execute("PRAGMA query_only = ON")
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.core.staff_auth"):
            assert staff.attempt(PIN).not_counted
    finally:
        storage._db.execute("PRAGMA query_only = OFF")
    messages = [record.getMessage() for record in caplog.records]
    assert re.fullmatch(
        r"a PIN attempt could not be counted, so it was refused: (?!NoneType)\w+Error", messages[0]
    ), messages
    assert re.fullmatch(
        rf"staff log entry {EVENT_NOT_COUNTED} not written: (?!NoneType)\w+Error", messages[1]
    ), messages
    assert len(messages) == 2 and not any(PIN in message for message in messages)


class CountersStuck:
    """Settings whose counters can be written but not cleared (a store failing half-way)."""

    def __init__(self, storage: Storage) -> None:
        self._settings = storage.settings

    def get(self, key: str) -> str | None:
        return self._settings.get(key)

    def set(self, key: str, value: str) -> None:
        self._settings.set(key, value)

    def delete(self, key: str) -> None:
        raise StorageError("disk I/O error")


def test_staff_come_in_when_only_resetting_the_counters_fails(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    staff = StaffGate(CountersStuck(storage), clock=FakeClock())
    with caplog.at_level(logging.WARNING, logger="kiosk.core.staff_auth"):
        assert staff.attempt(PIN).ok  # counted before the check: the login itself is safe
    assert [record.getMessage() for record in caplog.records] == [
        "PIN counters could not be reset after a login: StorageError"
    ]


@pytest.mark.parametrize("fallback", ["", "not-a-pin-hash"])
def test_an_empty_or_broken_config_hash_is_no_pin(tmp_path: Path, fallback: str) -> None:
    with Storage.open(tmp_path / "data") as fresh:
        staff = StaffGate(fresh.settings, fallback_hash=fallback)
        assert not staff.has_pin


def test_the_terminal_gate_writes_the_staff_log(tmp_path: Path) -> None:
    desk = TerminalDesk(load_config(resources.DEMO_CONFIG), tmp_path / "data")
    desk.open_storage()
    assert desk.storage is not None and desk.gate() is not None
    try:
        assert desk.gate().attempt("2468").ok  # type: ignore[union-attr]
        assert [event.kind for event in desk.storage.staff_events.recent()] == [EVENT_LOGIN]
    finally:
        desk.storage.close()


# --- the cost of a stolen hash -----------------------------------------------------------------


def old_hash(pin: str) -> str:
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return pin_hash_text.encode(pin_hash_text.ScryptHash(2**14, 8, 1, salt, digest))


def test_hashes_are_made_at_n_2_17_r_8_p_1(encoded: str) -> None:
    # About 0.3 s per check on one core (README, "How long a stolen hash holds").
    assert encoded.startswith("scrypt$131072$8$1$")
    assert (pin_hash_text.N, pin_hash_text.R, pin_hash_text.P) == (2**17, 8, 1)


def test_an_old_stored_hash_still_verifies_and_is_raised_at_login(storage: Storage) -> None:
    storage.settings.set(KEY_PIN_HASH, old_hash(PIN))
    assert pin_hash_text.is_weaker(old_hash(PIN))
    assert gate(storage).attempt(PIN).ok
    upgraded = storage.settings.get(KEY_PIN_HASH)
    assert upgraded is not None and upgraded.startswith("scrypt$131072$8$1$")
    assert not pin_hash_text.is_weaker(upgraded)
    assert verify_pin(PIN, upgraded) and not verify_pin(WRONG, upgraded)


def test_a_wrong_pin_never_rewrites_an_old_hash(storage: Storage) -> None:
    storage.settings.set(KEY_PIN_HASH, old_hash(PIN))
    assert gate(storage).attempt(WRONG) == AttemptResult(ok=False, tries_left=4, locked_for_s=0)
    assert storage.settings.get(KEY_PIN_HASH) == old_hash(PIN)


def test_the_site_configs_hash_is_not_copied_into_the_database(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "data")
    try:
        staff = StaffGate(storage.settings, fallback_hash=old_hash(PIN))
        assert staff.attempt(PIN).ok
        # A stored hash would outrank the config's: changing the config would do nothing.
        assert storage.settings.get(KEY_PIN_HASH) is None
    finally:
        storage.close()


def test_the_demo_pin_cannot_be_a_sites_pin() -> None:
    assert validate_new_pin("2468") == PIN_ERROR_DEMO
    with pytest.raises(ValueError, match="demo PIN"):
        StaffGate(FailingReads()).set_pin("2468")


class LockUnwritable(CountersStuck):
    """Settings that take the count of wrong PINs but not the lock itself."""

    def set(self, key: str, value: str) -> None:
        if key == KEY_LOCKED_UNTIL:
            raise StorageError("disk I/O error")
        super().set(key, value)


def test_a_lock_that_cannot_be_written_refuses_every_pin_after_it(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    staff = StaffGate(LockUnwritable(storage), clock=FakeClock())
    for _ in range(4):
        assert not staff.attempt(WRONG).not_counted
    with caplog.at_level(logging.ERROR, logger="kiosk.core.staff_auth"):
        assert staff.attempt(WRONG) == NOT_COUNTED  # the fifth: the lock could not be written
        assert staff.attempt(PIN) == NOT_COUNTED  # the count stands: the right PIN stays out
    assert [record.getMessage() for record in caplog.records] == [
        "a PIN attempt could not be counted, so it was refused: StorageError"
    ] * 2


def test_the_right_pin_after_four_wrong_ones_still_logs_in(storage: Storage) -> None:
    """Only a wrong fifth PIN locks: the last allowed try is a try."""
    staff = gate(storage)
    for tries_left in (4, 3, 2, 1):
        assert staff.attempt(WRONG).tries_left == tries_left
    assert staff.attempt(PIN).ok
