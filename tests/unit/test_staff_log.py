"""The staff log in words: every kind the kiosk writes is a sentence, counts in plural forms,
an unknown kind a general sentence, never its id."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import resources
from kiosk.core import staff_auth
from kiosk.core.i18n import LANGUAGE_CODES, Translator
from kiosk.core.staff_log import UNKNOWN, event_sentence
from kiosk.storage import database

KINDS = (
    staff_auth.EVENT_LOGIN,
    staff_auth.EVENT_PIN_WRONG,
    staff_auth.EVENT_LOCKED,
    staff_auth.EVENT_NOT_COUNTED,
    database.EVENT_DATABASE_RESTORED,
    database.EVENT_DATABASE_RECREATED,
    "staff_pin_changed",
)


def english() -> Translator:
    return Translator(resources.TRANSLATIONS, LANGUAGE_CODES, "en")


def test_each_kind_the_kiosk_writes_has_its_own_sentence() -> None:
    tr = english()
    sentences = {event_sentence(tr, kind, "") for kind in KINDS}
    assert len(sentences) == len(KINDS)
    assert tr.gettext(UNKNOWN) not in sentences
    for sentence in sentences:
        assert "_" not in sentence and sentence.endswith(".")
    assert event_sentence(tr, "staff_login") == "Staff signed in."


def test_counts_are_said_in_plural_forms() -> None:
    tr = english()
    assert event_sentence(tr, "staff_pin_wrong", "1") == "Wrong PIN: 1 wrong try in a row."
    assert event_sentence(tr, "staff_pin_wrong", "3") == "Wrong PIN: 3 wrong tries in a row."
    assert event_sentence(tr, "staff_pin_locked", "30 s, lockout 1") == (
        "Too many wrong PINs: the PIN entry was locked for 30 seconds."
    )
    assert event_sentence(tr, "staff_pin_locked", "480 s, lockout 4") == (
        "Too many wrong PINs: the PIN entry was locked for 8 minutes."
    )
    assert event_sentence(tr, "staff_pin_not_counted", "2") == (
        "2 PIN attempts could not be saved and were refused."
    )
    assert event_sentence(tr, "staff_pin_not_counted", "") == (
        "1 PIN attempt could not be saved and was refused."
    )


@pytest.mark.parametrize("kind", ["backup_made_by_a_newer_kiosk", "", "staff_login "])
def test_an_unknown_kind_reads_as_a_general_sentence_never_its_id(kind: str) -> None:
    tr = english()
    sentence = event_sentence(tr, kind, "detail")
    assert sentence == "Something happened that this version of the kiosk cannot describe."
    assert kind.strip() == "" or kind.strip() not in sentence


def test_the_log_s_database_kinds_are_those_the_database_writes() -> None:
    from kiosk.core import staff_log

    assert staff_log.EVENT_DATABASE_RESTORED == database.EVENT_DATABASE_RESTORED
    assert staff_log.EVENT_DATABASE_RECREATED == database.EVENT_DATABASE_RECREATED
    set_pin = (Path(__file__).parents[2] / "kiosk" / "commands" / "set_pin.py").read_text()
    assert f'"{staff_log.EVENT_PIN_CHANGED}"' in set_pin
