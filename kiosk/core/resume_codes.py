"""Resume codes: the alphabet, generation, tolerant input and the throttle against guessing.

A resume code is the only way back to a visitor's anonymous learning progress, printed on a
card as ``K7PM-R3XJ``: eight symbols in two groups of four, the eighth a check symbol.

The alphabet (23 symbols) leaves out every character that is easily read as another one:
``0 O``, ``1 I L``, ``2 Z``, ``5 S``, ``8 B`` and ``U V``. Both characters of each look-alike pair
are left out, so no excluded character has a look-alike *in* the alphabet to map to: typed
anyway, they make the code malformed (the screen can then say that codes never contain them).
What input does tolerate: lower case, spaces, missing or extra hyphens (and dash look-alikes),
full-width forms, Cyrillic and Greek capitals that look like Latin ones (a Ukrainian or Russian
keyboard types ``С``, not ``C``) and the digits of other scripts (Arabic-Indic and Persian).

The check symbol makes ``Σ position × value ≡ 0 (mod 23)`` over all eight symbols. Because 23 is
prime, every single wrong symbol and every swap of two symbols is caught locally and reported
as a typing mistake; such input never reaches the database and never counts as a guess. The
cost is one symbol of randomness: 23⁷ ≈ 3.4 × 10⁹ possible codes, with the throttle below
limiting a terminal to a few hundred guesses a day.

Codes are global, not per terminal (no terminal prefix): when terminals sync into one central
store later, a code taken at the library works in the Probierladen.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Protocol

ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
EXCLUDED = "0O1IL2Z5S8BUV"
CODE_LENGTH = 8
GROUP_LENGTH = 4
EXAMPLE_CODE = "K7PM-R3XJ"

_MODULUS = len(ALPHABET)  # 23, a prime: see the module docstring
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
# The inverse of the last position's weight (8 × 3 = 24 ≡ 1 mod 23), to solve for the check.
_INVERSE_LAST_WEIGHT = pow(CODE_LENGTH, -1, _MODULUS)

# Cyrillic and Greek capitals drawn like a Latin capital of the alphabet. Lower case is folded
# to upper case first, so "с" (Cyrillic) becomes "С" and then "C".
# fmt: off
_HOMOGLYPHS = str.maketrans(
    {
        "А": "A", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "Р": "P", "Т": "T",
        "Х": "X", "У": "Y", "Ү": "Y",
        "Α": "A", "Ε": "E", "Η": "H", "Κ": "K", "Μ": "M", "Ν": "N", "Ρ": "P", "Τ": "T",
        "Χ": "X", "Υ": "Y",
    }
)
# fmt: on
# Separators people type between the groups (or anywhere): spaces, hyphens and dashes.
_SEPARATOR_CATEGORIES = frozenset({"Zs", "Pd"})
_SEPARATORS = frozenset(" \t\n\r-_\u2212ß")  # U+2212 is the minus sign (category Sm)
# A USB scanner set to a US layout on a German terminal types "ß" for "-" (above) and "Z" for
# "Y". Z is never in a code (it looks like 2), so reading it as Y loses nothing.
_SCANNER_LAYOUT = str.maketrans({"Z": "Y"})
_SCANNER_ONLY = frozenset("Zzß")


def _check_symbol(body: str) -> str:
    weighted = sum(position * _VALUE[symbol] for position, symbol in enumerate(body, start=1))
    inverse = _INVERSE_LAST_WEIGHT if len(body) == CODE_LENGTH - 1 else pow(len(body) + 1, -1, 23)
    return ALPHABET[(-weighted * inverse) % _MODULUS]


def generate_code(
    choice: Callable[[Sequence[str]], str] = secrets.choice, length: int = CODE_LENGTH
) -> str:
    """A new random code in compact form (``K7PMR3XJ``): random symbols and the check symbol.

    Other codes of the kiosk (booking codes) use the same alphabet and check with another
    ``length``; the check works for every length below 23.
    """
    if not 2 <= length < _MODULUS:
        raise ValueError("a code has 2 to 22 symbols")
    body = "".join(choice(ALPHABET) for _ in range(length - 1))
    return body + _check_symbol(body)


def _fold(character: str) -> str:
    digit = unicodedata.decimal(character, None)
    if digit is not None:  # ٣ (Arabic-Indic), ۳ (Persian), 3 in any other script
        return str(digit)
    return character.upper().translate(_HOMOGLYPHS).translate(_SCANNER_LAYOUT)


class CodeProblem(Enum):
    """Why typed text is not a resume code, so the screen can say what to check."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NOT_IN_CODES = "not_in_codes"  # a character codes never contain, such as O, 0, I or 1
    MISTYPED = "mistyped"  # the check symbol does not match: a symbol wrong or two swapped


def _folded(text: str) -> str:
    folded = []
    for character in unicodedata.normalize("NFKC", text):
        if character in _SEPARATORS or unicodedata.category(character) in _SEPARATOR_CATEGORIES:
            continue
        folded.append(_fold(character))
    return "".join(folded)


def compact_form(text: str) -> str:
    """``text`` as the symbols it stands for: separators dropped, look-alikes and other scripts'
    digits read as the alphabet's (``" k7p-mr3 "`` gives ``"K7PMR3"``); it may still hold
    characters no code contains."""
    return _folded(text)


def is_code_character(character: str, *, scanner: bool = True) -> bool:
    """Whether a code may contain ``character``, as typed: a symbol of the alphabet in any of
    the forms input tolerates, or a separator. Everything else can only make a code wrong.

    ``scanner=False`` leaves out what only a scanner set to another keyboard layout types ("Z"
    for "Y", "ß" for "-"): the keys to offer a visitor, who copies the code from paper.
    """
    if not scanner and any(symbol in _SCANNER_ONLY for symbol in character):
        return False
    return all(
        symbol in _SEPARATORS
        or unicodedata.category(symbol) in _SEPARATOR_CATEGORIES
        or _fold(symbol) in _VALUE
        for symbol in unicodedata.normalize("NFKC", character)
    )


def code_problem(text: str, length: int = CODE_LENGTH) -> CodeProblem | None:
    """What is wrong with ``text`` as a code of ``length`` symbols; None if it is well-formed."""
    compact = _folded(text)
    if any(symbol not in _VALUE for symbol in compact):
        return CodeProblem.NOT_IN_CODES
    if len(compact) < length:
        return CodeProblem.TOO_SHORT
    if len(compact) > length:
        return CodeProblem.TOO_LONG
    if _check_symbol(compact[:-1]) != compact[-1]:
        return CodeProblem.MISTYPED
    return None


def normalise_code(text: str, length: int = CODE_LENGTH) -> str | None:
    """The compact code typed in ``text``, or None if it cannot be a code of ``length``.

    ``" k7pm r3xj "``, ``"K7PMR3XJ"`` and ``"k7p-mr3-xj"`` all give ``"K7PMR3XJ"``.
    """
    return None if code_problem(text, length) is not None else _folded(text)


def format_code(compact: str) -> str:
    """How a code is shown and printed, in two halves: ``K7PM-R3XJ`` (``K7P-MR3``)."""
    half = (len(compact) + 1) // 2
    return f"{compact[:half]}-{compact[half:]}"


@dataclass(frozen=True)
class ResumeCode:
    """A code the visitor can take home, and until when it works."""

    compact: str  # the stored form, e.g. "K7PMR3XJ"
    expires_at: datetime  # UTC

    @property
    def code(self) -> str:
        """The printed form, e.g. ``K7PM-R3XJ`` (also the QR payload: kiosk.ui.parts.printing)."""
        return format_code(self.compact)


class RestoreStatus(Enum):
    """What came of typing in a resume code."""

    RESTORED = "restored"  # the progress is back in this session
    EXPIRED = "expired"  # the code existed but is past its date
    UNKNOWN = "unknown"  # well-formed, but no such code (counts towards the throttle)
    MALFORMED = "malformed"  # not a code at all, or mistyped (caught by the check symbol)
    THROTTLED = "throttled"  # too many unknown codes here: wait, the code was not looked at
    ELSEWHERE = "elsewhere"  # not known on this terminal: the hub must be asked (in the background)
    UNREACHABLE = "unreachable"  # not known here, and the hub cannot be asked now


class ThrottleStore(Protocol):
    """Where the throttle keeps its state (the settings repository, so it survives restarts)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def delete(self, key: str) -> None: ...


KEY_FAILED = "resume.failed_attempts"
KEY_LAST_FAILED_AT = "resume.last_failed_at"
KEY_BLOCKED_UNTIL = "resume.blocked_until"

# The longest wait between two tries on one terminal. Every visitor there shares the count, so a
# longer wait would let one guesser lock everyone else out of their own codes for minutes.
MAX_WAIT_S = 30.0


def utc_now() -> datetime:
    return datetime.now(UTC)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


class CodeThrottle:
    """Slows down guessing on this terminal: after a few unknown codes every try must wait.

    After ``free_attempts`` unknown codes every further try must wait: ``base_wait_s`` after the
    last free one, doubling with each unknown code up to ``max_wait_s`` (``MAX_WAIT_S`` by
    default: the count is shared by everyone at this terminal). A correct code does **not**
    reset the count (anyone can take a code of their own, so resetting would let a
    guesser go on for free); instead the count is forgiven once no unknown code was typed for
    ``forgive_after``.
    The state lives in the database, so a restart does not reset it.
    """

    def __init__(
        self,
        store: ThrottleStore,
        *,
        clock: Callable[[], datetime] = utc_now,
        free_attempts: int = 3,
        base_wait_s: float = 15,
        max_wait_s: float = MAX_WAIT_S,
        forgive_after: timedelta = timedelta(minutes=30),
        namespace: str = "resume",
    ) -> None:
        if free_attempts < 0 or base_wait_s <= 0 or max_wait_s < base_wait_s:
            raise ValueError("need free_attempts >= 0 and 0 < base_wait_s <= max_wait_s")
        self._store = store
        self._clock = clock
        self._free_attempts = free_attempts
        self._base_wait_s = float(base_wait_s)
        self._max_wait_s = float(max_wait_s)
        self._forgive_after = forgive_after
        # Resume codes and booking codes keep separate counts under their own keys.
        self._keys = (
            KEY_FAILED.replace("resume", namespace, 1),
            KEY_LAST_FAILED_AT.replace("resume", namespace, 1),
            KEY_BLOCKED_UNTIL.replace("resume", namespace, 1),
        )

    def _failures(self, now: datetime) -> int:
        last = _parse_time(self._store.get(self._keys[1]))
        if last is None or now - last >= self._forgive_after:
            return 0
        try:
            return max(0, int(self._store.get(self._keys[0]) or 0))
        except ValueError:
            return 0

    def wait_s(self) -> float:
        """Seconds until the next code may be tried here; 0.0 when it may be tried now."""
        now = self._clock()
        blocked_until = _parse_time(self._store.get(self._keys[2]))
        if blocked_until is None:
            return 0.0
        remaining = (blocked_until - now).total_seconds()
        if remaining > self._max_wait_s:
            # The clock went backwards (or the value was tampered with): never wait longer than
            # the longest wait, and write that down so the wait still counts down.
            self._store.set(self._keys[2], (now + timedelta(seconds=self._max_wait_s)).isoformat())
            return self._max_wait_s
        return max(0.0, remaining)

    def register_failure(self) -> float:
        """Count an unknown code; returns how long the next try must wait (0.0 if free)."""
        now = self._clock()
        failures = self._failures(now) + 1
        self._store.set(self._keys[0], str(failures))
        self._store.set(self._keys[1], now.isoformat())
        if failures < self._free_attempts:
            return 0.0
        doublings = min(failures - self._free_attempts, 32)
        wait = min(self._base_wait_s * 2.0**doublings, self._max_wait_s)
        self._store.set(self._keys[2], (now + timedelta(seconds=wait)).isoformat())
        return wait
