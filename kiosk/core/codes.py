"""Which kind of code a visitor typed or scanned: a resume code or a booking code, by its form.

Both kinds share one alphabet and one check symbol (kiosk.core.resume_codes); they differ only
in length: a resume code has 8 symbols (``K7PM-R3XJ`` on a learning card), a booking code 6
(``K7P-MR3`` on a booking slip). So one field can take either, and the length says which it is
before anything is looked up. A QR code on a card or slip holds the printed code itself, so a
scanner that types it into the field gives the same text as typing it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kiosk.core.bookings.records import CODE_LENGTH as BOOKING_CODE_LENGTH
from kiosk.core.resume_codes import CODE_LENGTH as RESUME_CODE_LENGTH
from kiosk.core.resume_codes import compact_form, is_code_character, normalise_code

__all__ = [
    "BOOKING_CODE_LENGTH",
    "RESUME_CODE_LENGTH",
    "CodeKind",
    "EntryProblem",
    "ReadCode",
    "is_code_character",
    "read_code",
]


class CodeKind(Enum):
    """What a code opens."""

    RESUME = "resume"  # a course where the visitor stopped (learning card)
    BOOKING = "booking"  # a device-trial booking (booking slip)


class EntryProblem(Enum):
    """Why typed text is neither kind of code, so the screen can say what to check."""

    EMPTY = "empty"
    NOT_IN_CODES = "not_in_codes"  # a character no code contains, such as O, 0, I or 1
    TOO_SHORT = "too_short"  # shorter than a booking code
    IN_BETWEEN = "in_between"  # longer than a booking code, shorter than a resume code
    TOO_LONG = "too_long"  # longer than a resume code
    MISTYPED = "mistyped"  # the length of one kind, but the check symbol does not match


_KIND_BY_LENGTH = {RESUME_CODE_LENGTH: CodeKind.RESUME, BOOKING_CODE_LENGTH: CodeKind.BOOKING}


@dataclass(frozen=True)
class ReadCode:
    """What the text in a code field is: a code of one kind, or why it is none."""

    compact: str  # the symbols typed, e.g. "K7PMR3"; for a problem, as far as they go
    kind: CodeKind | None = None  # None when the text is no code at all
    problem: EntryProblem | None = None

    @property
    def is_code(self) -> bool:
        """A well-formed code of ``kind``: worth looking up."""
        return self.kind is not None and self.problem is None


def read_code(text: str) -> ReadCode:
    """Read ``text`` as a resume code or a booking code, whichever its length says.

    Tolerant as both kinds' input is (lower case, spaces, missing hyphens, look-alike letters,
    other scripts' digits); a mistyped symbol of a code of either length is caught by its check
    symbol and never looked up.
    """
    compact = compact_form(text)
    if not compact:
        return ReadCode(compact, problem=EntryProblem.EMPTY)
    if not all(is_code_character(symbol) for symbol in compact):
        return ReadCode(compact, problem=EntryProblem.NOT_IN_CODES)
    kind = _KIND_BY_LENGTH.get(len(compact))
    if kind is None:
        shortest, longest = sorted(_KIND_BY_LENGTH)
        if len(compact) < shortest:
            problem = EntryProblem.TOO_SHORT
        elif len(compact) > longest:
            problem = EntryProblem.TOO_LONG
        else:
            problem = EntryProblem.IN_BETWEEN
        return ReadCode(compact, problem=problem)
    if normalise_code(compact, len(compact)) is None:
        return ReadCode(compact, kind, EntryProblem.MISTYPED)
    return ReadCode(compact, kind)
