"""The staff log's entries as sentences in the staff's language, not the ids they are stored by.

Each entry is kept as a kind ("staff_login") and a detail the code that wrote it understands
(a count, "30 s, lockout 2", file names). Staff read a sentence; a kind this version does not
know (written by a newer one) reads as a general sentence, never as its id.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kiosk.core.i18n import N_, Translator
from kiosk.core.staff_auth import EVENT_LOCKED, EVENT_LOGIN, EVENT_NOT_COUNTED, EVENT_PIN_WRONG

# Written by kiosk.storage.database (its names, repeated: the domain does not load the database
# code to describe its log) and by `kiosk set-pin`.
EVENT_DATABASE_RESTORED = "database_restored"
EVENT_DATABASE_RECREATED = "database_recreated"
EVENT_PIN_CHANGED = "staff_pin_changed"

UNKNOWN = N_("Something happened that this version of the kiosk cannot describe.")

# Kinds whose sentence needs nothing from the detail.
_PLAIN: dict[str, str] = {
    EVENT_LOGIN: N_("Staff signed in."),
    EVENT_PIN_CHANGED: N_("The staff PIN was changed."),
    EVENT_DATABASE_RESTORED: N_(
        "The database was damaged. It was restored from the newest backup."
    ),
    EVENT_DATABASE_RECREATED: N_(
        "The database was damaged and no backup could be used. It was started empty."
    ),
}

_LOCK = re.compile(r"(\d+(?:\.\d+)?) s\b")


def _count(detail: str) -> int:
    """The number a counting entry keeps as its detail (1 when it keeps none)."""
    return int(detail) if detail.strip().isdigit() else 1


def _wrong_pin(tr: Translator, detail: str) -> str:
    n = _count(detail)
    return tr.ngettext(
        "Wrong PIN: {n} wrong try in a row.", "Wrong PIN: {n} wrong tries in a row.", n
    ).format(n=tr.number(n))


def _locked(tr: Translator, detail: str) -> str:
    match = _LOCK.match(detail)
    if match is None:
        return tr.gettext("Too many wrong PINs: the PIN entry was locked.")
    seconds = round(float(match.group(1)))
    if seconds >= 120 and seconds % 60 == 0:
        minutes = seconds // 60
        return tr.ngettext(
            "Too many wrong PINs: the PIN entry was locked for {n} minute.",
            "Too many wrong PINs: the PIN entry was locked for {n} minutes.",
            minutes,
        ).format(n=tr.number(minutes))
    return tr.ngettext(
        "Too many wrong PINs: the PIN entry was locked for {n} second.",
        "Too many wrong PINs: the PIN entry was locked for {n} seconds.",
        seconds,
    ).format(n=tr.number(seconds))


def _not_counted(tr: Translator, detail: str) -> str:
    n = _count(detail)
    return tr.ngettext(
        "{n} PIN attempt could not be saved and was refused.",
        "{n} PIN attempts could not be saved and were refused.",
        n,
    ).format(n=tr.number(n))


_COUNTED: dict[str, Callable[[Translator, str], str]] = {
    EVENT_PIN_WRONG: _wrong_pin,
    EVENT_LOCKED: _locked,
    EVENT_NOT_COUNTED: _not_counted,
}


def event_sentence(tr: Translator, kind: str, detail: str = "") -> str:
    """The staff log entry ``kind`` (with its ``detail``) as a sentence in the current language."""
    plain = _PLAIN.get(kind)
    if plain is not None:
        return tr.gettext(plain)
    counted = _COUNTED.get(kind)
    if counted is not None:
        return counted(tr, detail)
    return tr.gettext(UNKNOWN)
