"""One code field for both kinds: the length says resume or booking code, the rest is explained."""

from __future__ import annotations

import pytest

from kiosk.core.codes import (
    BOOKING_CODE_LENGTH,
    RESUME_CODE_LENGTH,
    CodeKind,
    EntryProblem,
    ReadCode,
    is_code_character,
    read_code,
)
from kiosk.core.resume_codes import ALPHABET, EXCLUDED, format_code, generate_code


def test_a_resume_code_and_a_booking_code_are_told_apart_by_length() -> None:
    resume = generate_code(length=RESUME_CODE_LENGTH)
    booking = generate_code(length=BOOKING_CODE_LENGTH)
    assert read_code(format_code(resume)) == ReadCode(resume, CodeKind.RESUME)
    assert read_code(format_code(booking)) == ReadCode(booking, CodeKind.BOOKING)
    assert read_code(format_code(resume)).is_code and read_code(booking).is_code


@pytest.mark.parametrize(
    "typed",
    ["k7p-mra", " K7P MRA ", "K7PMRA", "К7Р-МRА", "K7P\u2212MRA", "Ｋ７Ｐ－ＭＲＡ"],
)
def test_a_booking_code_is_recognised_in_every_form_input_tolerates(typed: str) -> None:
    # "К7Р-МRА" is typed with Cyrillic К, Р, М and А (a Ukrainian keyboard); the last is
    # full-width. "A" is the check symbol of "K7PMR".
    assert read_code(typed) == ReadCode("K7PMRA", CodeKind.BOOKING)


def test_what_a_scanner_types_from_a_slip_or_card_qr_is_recognised() -> None:
    # The QR holds the printed code; a scanner set to a US layout on a German terminal types
    # "ß" for "-" and "Z" for "Y".
    assert read_code("K7PßMRA").kind is CodeKind.BOOKING
    card = format_code("YYYYYYY" + "Y")  # not a real code: only the layout swap is under test
    assert read_code(card.replace("Y", "Z")).compact == read_code(card).compact


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", EntryProblem.EMPTY),
        (" - ", EntryProblem.EMPTY),
        ("K7P-M", EntryProblem.TOO_SHORT),
        ("K7PM-R3X", EntryProblem.IN_BETWEEN),
        ("K7PM-R3XJK", EntryProblem.TOO_LONG),
        ("K0P-MR3", EntryProblem.NOT_IN_CODES),
        ("hello!", EntryProblem.NOT_IN_CODES),
        ("https://example.org/K7P-MR3", EntryProblem.NOT_IN_CODES),
    ],
)
def test_text_that_is_no_code_says_why(typed: str, problem: EntryProblem) -> None:
    read = read_code(typed)
    assert (read.kind, read.problem, read.is_code) == (None, problem, False)


@pytest.mark.parametrize(
    ("typed", "compact"),
    [
        ("", ""),
        ("K7P-M", "K7PM"),
        ("K7PM-R3X", "K7PMR3X"),
        ("K7PM-R3XJK", "K7PMR3XJK"),
        ("k0p-mr3", "K0PMR3"),
    ],
)
def test_a_problem_keeps_the_symbols_typed_as_far_as_they_go(typed: str, compact: str) -> None:
    """What was typed stays readable with the problem (the field shows it as it is)."""
    assert read_code(typed).compact == compact


def test_a_mistyped_symbol_is_caught_for_both_kinds() -> None:
    for length, kind in ((RESUME_CODE_LENGTH, CodeKind.RESUME), (6, CodeKind.BOOKING)):
        code = generate_code(length=length)
        wrong = code[:-1] + next(s for s in ALPHABET if s != code[-1])
        read = read_code(wrong)
        assert (read.kind, read.problem, read.is_code) == (kind, EntryProblem.MISTYPED, False)
        assert read.compact == wrong


def test_the_characters_a_code_may_contain() -> None:
    for symbol in ALPHABET:
        assert is_code_character(symbol) and is_code_character(symbol.lower())
    for symbol in EXCLUDED.replace("Z", ""):  # Z is a scanner's Y (see above)
        assert not is_code_character(symbol), symbol
    for separator in " -ß\u2212":
        assert is_code_character(separator)
    for other in ".,@/:?ö١":  # ١ is the Arabic-Indic 1: codes never contain a one
        assert not is_code_character(other), other
    assert is_code_character("٣") and is_code_character("С")  # Arabic-Indic 3, Cyrillic Es


def test_keys_offered_leave_out_what_only_a_scanner_on_another_layout_types() -> None:
    for scanned in "Zzß":
        assert is_code_character(scanned)  # let through when a scanner types it
        assert not is_code_character(scanned, scanner=False)  # but never offered as a key
    assert is_code_character("-", scanner=False) and is_code_character("k", scanner=False)
