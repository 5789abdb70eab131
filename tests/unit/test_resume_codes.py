"""Resume codes: a clear alphabet, a check symbol, forgiving input and a throttle on guessing."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.core.resume_codes import (
    ALPHABET,
    CODE_LENGTH,
    EXAMPLE_CODE,
    EXCLUDED,
    KEY_BLOCKED_UNTIL,
    CodeProblem,
    CodeThrottle,
    code_problem,
    format_code,
    generate_code,
    normalise_code,
    utc_now,
)

VALID = "K7PMR3XJ"  # EXAMPLE_CODE in compact form: "K7PMR3X" plus its check symbol "J"
AMBIGUOUS = "0O1IL2Z5S8BUV"


def scripted(symbols: str) -> Callable[[Sequence[str]], str]:
    """A random source that hands out the given symbols in order."""
    feed = iter(symbols)
    return lambda alphabet: next(feed)


class DictStore:
    """The smallest ThrottleStore: a dict of strings, like the settings table."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def set(self, key: str, value: str) -> None:
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


# -- alphabet and generation ------------------------------------------------------------------


def test_the_alphabet_has_no_ambiguous_characters() -> None:
    assert set(ALPHABET).isdisjoint(AMBIGUOUS)
    assert set(EXCLUDED) == set(AMBIGUOUS)
    assert len(set(ALPHABET)) == len(ALPHABET) == 23
    assert all(c.isascii() and (c.isupper() or c.isdigit()) for c in ALPHABET)
    # Every upper-case letter and digit is either in the alphabet or deliberately excluded.
    everything = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    assert sorted(ALPHABET + EXCLUDED) == sorted(everything)


def test_generated_codes_are_eight_symbols_of_the_alphabet_and_read_back() -> None:
    codes = {generate_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
        assert normalise_code(format_code(code)) == code


def test_generation_uses_the_injected_random_source() -> None:
    assert generate_code(scripted("K7PMR3X")) == VALID
    assert format_code(VALID) == EXAMPLE_CODE == "K7PM-R3XJ"


# -- input normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "K7PM-R3XJ",
        "K7PMR3XJ",
        "k7pm-r3xj",
        "  k7pm r3xj ",
        "K7PM--R3XJ",
        "K7P-MR3-XJ",
        "K7PM – R3XJ",  # en dash from a phone keyboard
        "Ｋ７ＰＭ－Ｒ３ＸＪ",  # full-width forms
        "К7РМ-R3ХJ",  # Cyrillic К, Р, М and Х from a Ukrainian or Russian layout
        "к7рм-r3хj",  # the same in lower case
        "K٧PM-R٣XJ",  # Arabic-Indic digits
        "K۷PM-R۳XJ",  # Persian digits
    ],
)
def test_forgiving_input(typed: str) -> None:
    assert normalise_code(typed) == VALID
    assert code_problem(typed) is None


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", CodeProblem.TOO_SHORT),
        ("K7PM-R3X", CodeProblem.TOO_SHORT),
        ("K7PM-R3XJJ", CodeProblem.TOO_LONG),
        ("K7PM-R3XO", CodeProblem.NOT_IN_CODES),
        # Each excluded character's look-alike is excluded too, so nothing is guessed for it.
        ("K1PM-R3XJ", CodeProblem.NOT_IN_CODES),
        ("KIPM-R3XJ", CodeProblem.NOT_IN_CODES),
        ("K7PM-B3XJ", CodeProblem.NOT_IN_CODES),
        ("K7PM-R3XJ!", CodeProblem.NOT_IN_CODES),
        ("K7PM-R3XH", CodeProblem.MISTYPED),  # last symbol wrong
        ("7KPM-R3XJ", CodeProblem.MISTYPED),  # two symbols swapped
    ],
)
def test_what_is_not_a_code(typed: str, problem: CodeProblem) -> None:
    assert normalise_code(typed) is None
    assert code_problem(typed) is problem


def test_the_check_symbol_catches_every_single_slip_and_every_swap() -> None:
    for code in [VALID, *(generate_code() for _ in range(20))]:
        for position, other in itertools.product(range(CODE_LENGTH), ALPHABET):
            if other != code[position]:
                typo = code[:position] + other + code[position + 1 :]
                assert normalise_code(typo) is None, typo
        for i, j in itertools.combinations(range(CODE_LENGTH), 2):
            if code[i] != code[j]:
                swapped = list(code)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                assert normalise_code("".join(swapped)) is None


# -- throttle ---------------------------------------------------------------------------------


def test_throttle_waits_after_three_unknown_codes_doubling_to_the_cap() -> None:
    clock = FakeClock()
    throttle = CodeThrottle(DictStore(), clock=clock)

    waits = []
    for _ in range(9):
        assert throttle.wait_s() == 0.0
        waits.append(throttle.register_failure())
        clock.advance(seconds=waits[-1])
    assert waits == [0.0, 0.0, 15.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0]


def test_throttle_counts_down() -> None:
    clock = FakeClock()
    throttle = CodeThrottle(DictStore(), clock=clock, free_attempts=1, base_wait_s=30)
    assert throttle.register_failure() == 30.0
    clock.advance(seconds=12)
    assert throttle.wait_s() == 18.0
    clock.advance(seconds=18)
    assert throttle.wait_s() == 0.0


def test_throttle_forgives_after_a_quiet_spell() -> None:
    clock = FakeClock()
    throttle = CodeThrottle(DictStore(), clock=clock, forgive_after=timedelta(minutes=30))
    for _ in range(3):
        throttle.register_failure()
    clock.advance(minutes=30)
    assert throttle.wait_s() == 0.0
    assert throttle.register_failure() == 0.0  # counting starts again


def test_clock_going_backwards_never_waits_longer_than_the_cap() -> None:
    clock = FakeClock()
    store = DictStore()
    throttle = CodeThrottle(store, clock=clock)
    for _ in range(3):
        throttle.register_failure()
    clock.advance(days=-2)
    assert throttle.wait_s() == 30.0
    clock.advance(seconds=30)
    assert throttle.wait_s() == 0.0
    assert store.get(KEY_BLOCKED_UNTIL) is not None


def test_garbage_in_the_store_does_not_crash() -> None:
    store = DictStore()
    store.data = {
        "resume.failed_attempts": "many",
        "resume.last_failed_at": "yesterday",
        KEY_BLOCKED_UNTIL: "soon",
    }
    throttle = CodeThrottle(store, clock=FakeClock())
    assert throttle.wait_s() == 0.0
    assert throttle.register_failure() == 0.0


def test_throttle_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="base_wait_s"):
        CodeThrottle(DictStore(), base_wait_s=0)
    with pytest.raises(ValueError, match="base_wait_s"):
        CodeThrottle(DictStore(), base_wait_s=60, max_wait_s=30)


def test_a_scanner_on_a_german_layout_still_reads_codes() -> None:
    # A US-layout scanner on a German terminal types "ß" for "-" and "Z" for "Y".
    code = generate_code(lambda _alphabet: "Y")  # seven Ys and the check symbol
    typed = (code[:4] + "-" + code[4:]).replace("-", "ß").replace("Y", "Z")
    assert normalise_code(typed) == code


# -- edges: other code lengths, settings, the throttle's stored state --------------------------


@pytest.mark.parametrize("length", [2, 3, 6, 7, 8, 9, 10, 22])
def test_codes_of_every_length_satisfy_the_weighted_sum(length: int) -> None:
    # Σ position × value ≡ 0 (mod 23) is the contract other readers of a code rely on (the hub
    # and the booking codes check it the same way), not only that generate and check agree.
    for seed in range(30):
        symbols = itertools.cycle(ALPHABET[seed % 23 :] + ALPHABET[: seed % 23])
        code = generate_code(lambda _alphabet, feed=symbols: next(feed), length)
        values = [ALPHABET.index(symbol) for symbol in code]
        assert sum(p * v for p, v in enumerate(values, start=1)) % 23 == 0, code
        assert code_problem(code, length) is None


def test_code_lengths_from_2_to_22_and_no_others() -> None:
    assert len(generate_code(length=2)) == 2
    assert len(generate_code(length=22)) == 22
    for wrong in (1, 23):
        with pytest.raises(ValueError, match=r"^a code has 2 to 22 symbols$"):
            generate_code(length=wrong)


def test_utc_now_is_aware_utc() -> None:
    assert utc_now().utcoffset() == timedelta(0)


def test_throttle_settings_at_their_edges_are_accepted() -> None:
    CodeThrottle(DictStore(), free_attempts=0)
    CodeThrottle(DictStore(), base_wait_s=0.5, max_wait_s=0.5)
    message = r"^need free_attempts >= 0 and 0 < base_wait_s <= max_wait_s$"
    with pytest.raises(ValueError, match=message):
        CodeThrottle(DictStore(), free_attempts=-1)


def test_with_no_free_attempts_the_first_unknown_code_already_waits() -> None:
    throttle = CodeThrottle(DictStore(), clock=FakeClock(), free_attempts=0)
    assert throttle.register_failure() > 0.0


def test_resume_and_booking_codes_keep_separate_counts() -> None:
    clock = FakeClock()
    store = DictStore()
    resume = CodeThrottle(store, clock=clock)
    booking = CodeThrottle(store, clock=clock, namespace="booking")
    for _ in range(3):
        booking.register_failure()
    assert booking.wait_s() == 15.0
    assert resume.wait_s() == 0.0
    assert resume.register_failure() == 0.0
    at = clock.now.isoformat()
    later = (clock.now + timedelta(seconds=15)).isoformat()
    assert store.data == {
        "booking.failed_attempts": "3",
        "booking.last_failed_at": at,
        "booking.blocked_until": later,
        "resume.failed_attempts": "1",
        "resume.last_failed_at": at,
    }


def test_times_stored_without_a_zone_are_read_as_utc() -> None:
    clock = FakeClock()
    store = DictStore()
    naive_now = clock.now.replace(tzinfo=None)
    store.data = {
        "resume.failed_attempts": "3",
        "resume.last_failed_at": naive_now.isoformat(),
        KEY_BLOCKED_UNTIL: (naive_now + timedelta(seconds=20)).isoformat(),
    }
    throttle = CodeThrottle(store, clock=clock)
    assert throttle.wait_s() == 20.0
    assert throttle.register_failure() == 30.0  # the fourth unknown code in a row


@pytest.mark.parametrize(
    ("stored_count", "expected_wait"),
    [(None, 0.0), ("", 0.0), ("-5", 0.0), ("many", 0.0), ("1", 15.0)],
)
def test_a_missing_or_broken_count_counts_as_none(
    stored_count: str | None, expected_wait: float
) -> None:
    clock = FakeClock()
    store = DictStore()
    store.data["resume.last_failed_at"] = clock.now.isoformat()
    if stored_count is not None:
        store.data["resume.failed_attempts"] = stored_count
    throttle = CodeThrottle(store, clock=clock, free_attempts=2)
    assert throttle.register_failure() == expected_wait
    assert store.data["resume.failed_attempts"] == ("2" if expected_wait else "1")


def test_doubling_stops_after_32_doublings() -> None:
    # The cap keeps 2**n finite however many codes are tried; a huge max_wait_s shows where.
    clock = FakeClock()
    throttle = CodeThrottle(
        DictStore(), clock=clock, free_attempts=1, base_wait_s=1, max_wait_s=2.0**40
    )
    waits = [throttle.register_failure() for _ in range(40)]
    assert waits[32] == 2.0**32 and waits[33] == 2.0**32 and waits[-1] == 2.0**32


def test_after_the_clock_went_back_the_capped_wait_counts_down() -> None:
    clock = FakeClock()
    throttle = CodeThrottle(DictStore(), clock=clock)
    for _ in range(3):
        throttle.register_failure()
    clock.advance(days=-2)
    assert throttle.wait_s() == 30.0
    clock.advance(seconds=10)
    assert throttle.wait_s() == 20.0
