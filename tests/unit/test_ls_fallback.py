"""Leichte Sprache falls back to German before any other language, whatever the site's
fallback list says: interface messages, course texts and the site's own texts."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from kiosk.core.bookings.rules import DevicePolicy
from kiosk.core.courses import load_packages, step_text
from kiosk.core.i18n import Translator, catalogue_path, fallback_chain
from kiosk.ui.parts.booking_slip import house_rules_text
from tests.unit.courses.builders import write_package

# A site whose general fallback is English only: de-x-ls must still read German.
ENGLISH_FIRST = ("en",)


def _write_catalogue(folder: Path, code: str, messages: dict[str, str | tuple[str, str]]) -> None:
    catalog = Catalog(locale="de", domain="messages")
    for msgid, text in messages.items():
        if isinstance(text, tuple):
            catalog.add(("{n} step", "{n} steps"), text)
        else:
            catalog.add(msgid, text)
    path = catalogue_path(folder, code)
    path.parent.mkdir(parents=True)
    with path.open("wb") as fp:
        write_mo(fp, catalog)


def test_chain_puts_german_right_after_leichte_sprache() -> None:
    assert fallback_chain("de-x-ls", ("en", "de")) == ("de-x-ls", "de", "en")
    assert fallback_chain("de-x-ls", ENGLISH_FIRST) == ("de-x-ls", "de", "en")
    # Other languages keep the site's order; nothing is repeated.
    assert fallback_chain("uk", ("en", "de")) == ("uk", "en", "de")
    assert fallback_chain("de", ("en", "de")) == ("de", "en")


def test_a_message_missing_in_leichte_sprache_is_shown_in_german(tmp_path: Path) -> None:
    _write_catalogue(
        tmp_path,
        "de",
        {
            "Book a device": "Gerät buchen",
            "Start": "Starten",
            "{n} step": ("{n} Schritt", "{n} Schritte"),
        },
    )
    _write_catalogue(tmp_path, "de-x-ls", {"Start": "Los geht's"})
    translator = Translator(tmp_path, languages=("de", "de-x-ls", "en"), default="de")
    translator.set_language("de-x-ls")
    assert translator.gettext("Start") == "Los geht's"  # its own translation wins
    assert translator.gettext("Book a device") == "Gerät buchen"  # not the English source
    assert translator.ngettext("{n} step", "{n} steps", 3) == "{n} Schritte"
    assert translator.gettext("Not translated anywhere") == "Not translated anywhere"
    # English itself does not borrow German.
    translator.set_language("en")
    assert translator.gettext("Book a device") == "Book a device"


def test_a_course_without_leichte_sprache_is_shown_in_german(tmp_path: Path) -> None:
    package = write_package(tmp_path / "courses")  # written in de and en
    catalogue = load_packages([package], fallback_languages=ENGLISH_FIRST)
    course = catalogue.get("video-calls")
    assert course is not None
    assert course.title_in("de-x-ls", ENGLISH_FIRST) == "Videoanrufe mit der Familie"
    assert course.description_in("de-x-ls", ENGLISH_FIRST).startswith("Sie lernen")
    _text, used = step_text(course.steps[0], "de-x-ls", ENGLISH_FIRST)
    assert used == "de"
    # A Ukrainian visitor still follows the site's list (English here).
    assert course.title_in("uk", ENGLISH_FIRST) == "Video calls with the family"


def test_site_texts_in_leichte_sprache_fall_back_to_german() -> None:
    device = DevicePolicy(
        id="tablet-1",
        kind="tablet",
        name="Tablet",
        names={"en": "Android tablet", "de": "Android-Tablet"},
        description={"en": "For trying apps.", "de": "Zum Ausprobieren von Apps."},
    )
    assert device.display_name("de-x-ls", ENGLISH_FIRST) == "Android-Tablet"
    assert device.text("de-x-ls", ENGLISH_FIRST) == "Zum Ausprobieren von Apps."
    rules = {"en": "No food at the devices.", "de": "Bitte nicht an den Geräten essen."}
    assert house_rules_text(rules, "de-x-ls", ENGLISH_FIRST) == "Bitte nicht an den Geräten essen."
    assert house_rules_text(rules, "ru", ENGLISH_FIRST) == "No food at the devices."
