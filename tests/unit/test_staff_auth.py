"""Staff PIN hashing, PIN rules and the lockout that survives restarts."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator

import pytest

from kiosk.core import pin_hash as pin_hash_text
from kiosk.core.staff_auth import (
    KEY_PIN_HASH,
    PIN_ERROR_LENGTH,
    PIN_ERROR_NOT_DIGITS,
    PIN_ERROR_REPEATED,
    PIN_ERROR_RUN,
    AttemptResult,
    PinRejectedError,
    StaffGate,
    hash_pin,
    is_pin_hash,
    validate_new_pin,
    verify_pin,
)

PIN = "2580"
WRONG = "1397"


class DictStore:
    """The smallest PinStore: a dict of strings, like the settings table."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def set(self, key: str, value: str) -> None:
        assert isinstance(value, str)
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module", autouse=True)
def cheap_hashes() -> Iterator[None]:
    """The lockout's rules do not depend on the hash's cost: hashes made here use N = 2**10
    (about 1 ms), so the many attempts below take seconds, not a minute. The cost of real
    hashes is tested in test_staff_gate_fails_closed.py."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pin_hash_text, "N", 2**10)
        yield


@pytest.fixture(scope="module")
def pin_hash(cheap_hashes: None) -> str:
    return hash_pin(PIN)


@pytest.fixture
def store(pin_hash: str) -> DictStore:
    store = DictStore()
    store.set(KEY_PIN_HASH, pin_hash)
    return store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def gate(store: DictStore, clock: FakeClock, **kwargs: object) -> StaffGate:
    return StaffGate(store, clock=clock, **kwargs)  # type: ignore[arg-type]


def fail(gate_: StaffGate, times: int) -> AttemptResult:
    result = AttemptResult(ok=False, tries_left=0, locked_for_s=0.0)
    for _ in range(times):
        result = gate_.attempt(WRONG)
    return result


# --- hashing -----------------------------------------------------------------------------------


def test_hash_is_self_describing(pin_hash: str) -> None:
    scheme, n, r, p, salt, digest = pin_hash.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(pin_hash_text.N), "8", "1")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32
    assert PIN not in pin_hash
    assert is_pin_hash(pin_hash)


def test_verify_right_and_wrong(pin_hash: str) -> None:
    assert verify_pin(PIN, pin_hash)
    assert not verify_pin(WRONG, pin_hash)
    assert not verify_pin("", pin_hash)


def test_same_pin_gets_different_salts(pin_hash: str) -> None:
    other = hash_pin(PIN)
    assert other != pin_hash
    assert other.split("$")[4] != pin_hash.split("$")[4]
    assert verify_pin(PIN, other)


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "2580",
        "scrypt$16384$8$1$abc",
        "bcrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$notanumber$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$8$1$!!!not-base64!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        # would need 1 TiB of memory: refused by the bounds, not attempted
        "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$",
    ],
)
def test_malformed_hash_is_a_mismatch_not_an_error(encoded: str) -> None:
    assert verify_pin(PIN, encoded) is False
    assert not is_pin_hash(encoded)


def test_verify_tolerates_non_strings() -> None:
    assert verify_pin(PIN, None) is False  # type: ignore[arg-type]


# --- PIN rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pin", ["2580", "1397", "73914", "12345670", "1123", "9021", "258025802", "258025802580"]
)
def test_acceptable_pins(pin: str) -> None:
    assert validate_new_pin(pin) is None


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("", PIN_ERROR_LENGTH),
        ("258", PIN_ERROR_LENGTH),
        ("2580258025802", PIN_ERROR_LENGTH),
        ("25a0", PIN_ERROR_NOT_DIGITS),
        ("25 80", PIN_ERROR_NOT_DIGITS),
        ("٢٥٨٠", PIN_ERROR_NOT_DIGITS),  # Arabic-Indic digits: the pad sends ASCII
        ("0000", PIN_ERROR_REPEATED),
        ("77777777", PIN_ERROR_REPEATED),
        ("1234", PIN_ERROR_RUN),
        ("0123", PIN_ERROR_RUN),
        ("4321", PIN_ERROR_RUN),
        ("3456789", PIN_ERROR_RUN),
        ("98765432", PIN_ERROR_RUN),
    ],
)
def test_rejected_pins(pin: str, problem: str) -> None:
    assert validate_new_pin(pin) == problem


def test_set_pin_validates_and_stores_a_hash(store: DictStore, clock: FakeClock) -> None:
    staff = gate(store, clock)
    with pytest.raises(PinRejectedError) as rejected:
        staff.set_pin("1234")
    assert rejected.value.message_id == PIN_ERROR_RUN
    staff.set_pin("8642")
    assert "8642" not in store.data[KEY_PIN_HASH]
    assert staff.attempt("8642").ok
    assert not staff.attempt(PIN).ok


# --- gate and lockout --------------------------------------------------------------------------


def test_correct_pin(store: DictStore, clock: FakeClock) -> None:
    assert gate(store, clock).attempt(PIN) == AttemptResult(ok=True, tries_left=5, locked_for_s=0)


def test_wrong_pins_count_down_then_lock(store: DictStore, clock: FakeClock) -> None:
    staff = gate(store, clock)
    assert [staff.attempt(WRONG).tries_left for _ in range(4)] == [4, 3, 2, 1]
    assert staff.locked_for_s() == 0
    fifth = staff.attempt(WRONG)
    assert fifth == AttemptResult(ok=False, tries_left=0, locked_for_s=30)
    assert staff.locked_for_s() == 30
    clock.now += 10
    assert staff.locked_for_s() == 20


def test_locked_gate_refuses_even_the_right_pin(store: DictStore, clock: FakeClock) -> None:
    staff = gate(store, clock)
    fail(staff, 5)
    clock.now += 29
    refused = staff.attempt(PIN)
    assert not refused.ok
    assert refused.locked_for_s == pytest.approx(1)
    clock.now += 1
    assert staff.attempt(PIN).ok


def test_each_lockout_doubles_up_to_the_cap(store: DictStore, clock: FakeClock) -> None:
    staff = gate(store, clock, base_lock_s=30, max_lock_s=100)
    locks = []
    for _ in range(4):
        locks.append(fail(staff, 5).locked_for_s)
        clock.now += staff.locked_for_s()
    assert locks == [30, 60, 100, 100]


def test_after_a_lockout_the_tries_start_again(store: DictStore, clock: FakeClock) -> None:
    staff = gate(store, clock)
    fail(staff, 5)
    clock.now += 30
    assert staff.attempt(WRONG).tries_left == 4


def test_correct_pin_resets_counters(store: DictStore, clock: FakeClock) -> None:
    staff = gate(store, clock)
    fail(staff, 5)
    clock.now += 30
    fail(staff, 3)
    assert staff.attempt(PIN).ok
    assert staff.tries_left() == 5
    # the next lockout starts from the base again
    assert fail(staff, 5).locked_for_s == 30


def test_state_survives_a_restart(store: DictStore, clock: FakeClock) -> None:
    fail(gate(store, clock), 3)
    assert gate(store, clock).tries_left() == 2
    fail(gate(store, clock), 2)
    clock.now += 5
    restarted = gate(store, clock)
    assert restarted.locked_for_s() == 25
    assert not restarted.attempt(PIN).ok
    clock.now += 25
    # the second lockout of the same run doubles, even in a new StaffGate
    assert fail(gate(store, clock), 5).locked_for_s == 60


def test_clock_going_backwards_never_locks_longer_than_the_cap(
    store: DictStore, clock: FakeClock
) -> None:
    staff = gate(store, clock)
    fail(staff, 5)
    clock.now -= 86_400
    assert staff.locked_for_s() == 900
    clock.now += 900
    assert staff.locked_for_s() == 0


def test_fallback_hash_from_the_site_config(clock: FakeClock, pin_hash: str) -> None:
    store = DictStore()
    staff = gate(store, clock, fallback_hash=pin_hash)
    assert staff.has_pin
    assert staff.attempt(PIN).ok
    staff.set_pin("8642")  # a PIN set on the terminal wins over the config
    assert staff.attempt("8642").ok
    assert not staff.attempt(PIN).ok


def test_corrupt_stored_hash_falls_back(clock: FakeClock, pin_hash: str) -> None:
    store = DictStore()
    store.set(KEY_PIN_HASH, "garbage")
    assert gate(store, clock, fallback_hash=pin_hash).attempt(PIN).ok
    assert not gate(store, clock).has_pin


def test_no_pin_means_unavailable_and_nothing_counts(clock: FakeClock) -> None:
    store = DictStore()
    staff = gate(store, clock)
    assert not staff.has_pin
    for _ in range(10):
        assert not staff.attempt(PIN).ok
    assert staff.locked_for_s() == 0
    assert store.data == {}


def test_garbage_counters_in_the_store_do_not_crash(store: DictStore, clock: FakeClock) -> None:
    store.data.update({"staff.failed_tries": "x", "staff.locked_until": "?", "staff.lockouts": ""})
    staff = gate(store, clock)
    assert staff.locked_for_s() == 0
    assert staff.attempt(PIN).ok


# --- edges: parameters, exact results, stored state --------------------------------------------


def encoded_hash(pin: str, n: int, r: int, p: int) -> str:
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=2**30)
    return pin_hash_text.encode(pin_hash_text.ScryptHash(n, r, p, salt, digest))


def test_a_stronger_hash_than_ours_still_verifies() -> None:
    # N = 2**15 needs 32 MiB, just over hashlib's default memory limit; the kiosk allows more.
    stronger = encoded_hash(PIN, 2**15, 8, 1)
    assert verify_pin(PIN, stronger)
    assert not verify_pin(WRONG, stronger)


def test_a_hash_whose_parameters_the_machine_refuses_is_a_mismatch() -> None:
    # Within the parser's bounds, but 4 GiB of memory: scrypt refuses, and so does verify_pin.
    salt, digest = base64.b64encode(b"0123456789abcdef").decode(), base64.b64encode(bytes(32))
    encoded = f"scrypt${2**20}$32$1${salt}${digest.decode()}"
    assert is_pin_hash(encoded)
    assert verify_pin(PIN, encoded) is False


def test_a_rejected_pin_says_why_in_its_message() -> None:
    with pytest.raises(PinRejectedError) as raised:
        StaffGate(DictStore()).set_pin("1234")
    assert raised.value.message_id == PIN_ERROR_RUN
    assert str(raised.value) == PIN_ERROR_RUN


@pytest.mark.parametrize(
    "settings",
    [{"max_tries": 1}, {"base_lock_s": 0.5}, {"base_lock_s": 60, "max_lock_s": 60}],
)
def test_gate_settings_at_their_edges_are_accepted(store: DictStore, settings: dict) -> None:
    assert StaffGate(store, **settings).tries_left() == settings.get("max_tries", 5)


@pytest.mark.parametrize(
    "settings",
    [{"max_tries": 0}, {"base_lock_s": 0}, {"base_lock_s": 60, "max_lock_s": 59}],
)
def test_gate_settings_beyond_their_edges_are_refused(store: DictStore, settings: dict) -> None:
    message = r"^need max_tries >= 1 and 0 < base_lock_s <= max_lock_s$"
    with pytest.raises(ValueError, match=message):
        StaffGate(store, **settings)


def test_one_try_then_locked(store: DictStore, clock: FakeClock) -> None:
    staff = gate(store, clock, max_tries=1)
    assert staff.attempt(WRONG) == AttemptResult(ok=False, tries_left=0, locked_for_s=30.0)


def test_each_outcome_exactly(store: DictStore, clock: FakeClock) -> None:
    staff = gate(store, clock)
    assert staff.attempt(WRONG) == AttemptResult(ok=False, tries_left=4, locked_for_s=0.0)
    assert fail(staff, 4) == AttemptResult(ok=False, tries_left=0, locked_for_s=30.0)
    clock.now += 10
    assert staff.attempt(PIN) == AttemptResult(ok=False, tries_left=0, locked_for_s=20.0)
    unset = gate(DictStore(), clock)
    assert unset.attempt(PIN) == AttemptResult(ok=False, tries_left=5, locked_for_s=0.0)


def test_a_fresh_gate_is_open_at_any_clock_value(store: DictStore) -> None:
    # Nothing stored (or nonsense stored) means no lock, even at the clock's epoch.
    assert gate(store, FakeClock(0.0)).locked_for_s() == 0.0
    store.data["staff.locked_until"] = "?"
    assert gate(store, FakeClock(0.0)).locked_for_s() == 0.0


def test_a_garbage_count_leaves_every_try(store: DictStore, clock: FakeClock) -> None:
    store.data["staff.failed_tries"] = "x"
    assert gate(store, clock).tries_left() == 5


def test_fewer_tries_configured_than_already_failed_leaves_none(
    store: DictStore, clock: FakeClock
) -> None:
    store.data["staff.failed_tries"] = "4"  # counted under max_tries = 5
    assert gate(store, clock, max_tries=3).tries_left() == 0


def test_lock_doubling_stops_after_32_doublings(store: DictStore, clock: FakeClock) -> None:
    # The cap keeps 2**n finite; a huge max_lock_s shows where it sits.
    store.data["staff.lockouts"] = "40"
    staff = gate(store, clock, max_tries=1, base_lock_s=1, max_lock_s=2.0**40)
    assert staff.attempt(WRONG).locked_for_s == 2.0**32


def test_after_the_clock_went_back_the_capped_lock_counts_down(
    store: DictStore, clock: FakeClock
) -> None:
    staff = gate(store, clock)
    fail(staff, 5)
    clock.now -= 86_400
    assert staff.locked_for_s() == 900.0
    clock.now += 100
    assert staff.locked_for_s() == 800.0


def test_a_lockout_is_stored_as_plain_numbers(store: DictStore, clock: FakeClock) -> None:
    # The state outlives the process (and an update of the kiosk): what is written is the format.
    fail(gate(store, clock), 5)
    assert {key: value for key, value in store.data.items() if key != KEY_PIN_HASH} == {
        "staff.failed_tries": "0",
        "staff.lockouts": "1",
        "staff.locked_until": repr(clock.now + 30.0),
    }
