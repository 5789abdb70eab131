"""The name on a booking: a first name or nickname, checked before it is stored.

No e-mail, no phone, no account: staff only need something to call out at the desk. The name is
kept until a configured number of days after the slot and then deleted.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

from kiosk.core.hidden_text import hidden_character

NAME_MAX = 40


class NameProblem(Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    HIDDEN_CHARACTER = "hidden_character"  # control or text-direction override characters


def clean_name(text: str) -> str:
    """``text`` as it would be stored: NFC, runs of spaces as one, no spaces around it."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_key(text: str) -> str:
    """``text`` as names are compared: "Anna", " anna " and "ＡＮＮＡ" are one visitor's name.

    NFKC folds full-width and other compatibility forms, casefold folds case (also "ß" and
    "ss"), and NFKC again, since folding the case can undo the normal form.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def name_problem(text: str) -> NameProblem | None:
    """Why ``text`` cannot be the name on a booking; None if it can."""
    if hidden_character(text):
        return NameProblem.HIDDEN_CHARACTER
    cleaned = clean_name(text)
    if not cleaned or not any(character.isalnum() for character in cleaned):
        return NameProblem.EMPTY
    if len(cleaned) > NAME_MAX:
        return NameProblem.TOO_LONG
    return None
