"""Languages and the translator: the fixed language table agrees with Babel, switching works."""

from __future__ import annotations

import re
import tokenize
import unicodedata
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from kiosk import resources
from kiosk.core.i18n import (
    LANGUAGES,
    Translator,
    catalogue_path,
    isolate,
    language,
    sentence_per_line,
)

# A gettext call: _("…"), gettext(…), ngettext(…), as the extractor knows them.
GETTEXT_CALL = re.compile(r"\{[^{}]*\b(?:_|gettext|ngettext)\(")


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_direction_and_native_name_match_babel(lang) -> None:  # type: ignore[no-untyped-def]
    locale = Locale.parse(lang.babel_locale)
    assert lang.direction == locale.text_direction
    if lang.code != "de-x-ls":  # Leichte Sprache has no CLDR name; it names itself
        assert lang.native_name.casefold() == locale.get_display_name(lang.babel_locale).casefold()


def test_rtl_languages_are_arabic_and_persian() -> None:
    assert {lang.code for lang in LANGUAGES if lang.is_rtl} == {"ar", "fa"}


def test_switching_notifies_once_and_reset_returns_to_default() -> None:
    translator = Translator(resources.TRANSLATIONS, default="de")
    heard: list[str] = []
    translator.on_change(lambda lang: heard.append(lang.code))
    translator.set_language("ar")
    translator.set_language("ar")
    translator.reset()
    assert heard == ["ar", "de"]
    assert translator.current == language("de")


def test_unknown_or_not_offered_language_is_refused() -> None:
    translator = Translator(resources.TRANSLATIONS, languages=["de", "en"], default="de")
    with pytest.raises(ValueError, match="not offered"):
        translator.set_language("fa")
    with pytest.raises(ValueError, match="default language"):
        Translator(resources.TRANSLATIONS, languages=["en"], default="de")


def test_shipped_catalogues_translate_the_shell() -> None:
    translator = Translator(resources.TRANSLATIONS)
    assert translator.gettext("Done – delete my data") == "Fertig – Daten löschen"
    assert translator.gettext_in("en", "Done – delete my data") == "Done – delete my data"
    for code in ("uk", "ar", "ru", "tr", "fa", "de-x-ls"):
        assert translator.gettext_in(code, "Welcome") != "Welcome", code


def test_missing_catalogue_falls_back_to_source_text(tmp_path: Path) -> None:
    translator = Translator(tmp_path, default="de")
    assert translator.gettext("End session") == "End session"


def test_dates_are_written_the_way_each_language_writes_them() -> None:
    from datetime import date

    from kiosk.core.i18n import format_date

    day = date(2026, 11, 25)
    assert format_date(day, "de") == "25. November 2026"
    assert format_date(day, "de-x-ls") == "25. November 2026"
    assert format_date(day, "en") == "November 25, 2026"
    assert "листопада" in format_date(day, "uk")
    assert format_date(day, "fa").startswith("۲۵")  # Persian digits
    assert "2026" not in format_date(day, "fa")


def test_persian_counts_use_persian_digits_and_others_keep_theirs() -> None:
    from kiosk.core.i18n import localise_digits

    assert localise_digits("Schritt 3 von 12", "de") == "Schritt 3 von 12"
    assert localise_digits("3 / 12", "fa") == "۳ / ۱۲"
    translator = Translator(Path("/nonexistent"), default="fa")
    assert translator.number(2026) == "۲۰۲۶"


def test_pseudo_locale_is_longer_accented_and_keeps_placeholders() -> None:
    from kiosk.core.i18n import pseudo_localise

    source = "Step {n} of {total}"
    pseudo = pseudo_localise(source)
    assert "{n}" in pseudo and "{total}" in pseudo
    assert len(pseudo) >= 1.4 * len(source)
    assert "Step" not in pseudo
    assert pseudo.format(n=3, total=9).count("3") == 1


def test_pseudo_mode_reaches_every_message_and_tells_listeners() -> None:
    translator = Translator(Path("/nonexistent"), default="en")
    heard: list[str] = []
    translator.on_change(lambda language: heard.append(language.code))
    translator.set_pseudo(True)
    assert translator.gettext("Back") != "Back"
    assert translator.ngettext("{n} step", "{n} steps", 2).startswith("[")
    translator.set_pseudo(False)
    assert translator.gettext("Back") == "Back"
    assert heard == ["en", "en"]


def test_a_slot_reads_as_weekday_date_and_time_in_each_language() -> None:
    from datetime import datetime

    from kiosk.core.i18n import format_datetime

    slot = datetime(2026, 11, 24, 10, 30)
    assert format_datetime(slot, "de") == "Dienstag, 24. November, 10:30"
    assert format_datetime(slot, "en").startswith("Tuesday, November 24, 10:30")
    assert "вівторок" in format_datetime(slot, "uk")
    assert "вторник" in format_datetime(slot, "ru")
    assert "Salı" in format_datetime(slot, "tr")
    persian = format_datetime(slot, "fa")
    assert "۱۰:۳۰" in persian and "10" not in persian


def test_isolated_text_is_wrapped_in_first_strong_isolate_and_pop() -> None:
    wrapped = isolate("ProbierLaden Jena")
    assert wrapped[1:-1] == "ProbierLaden Jena"
    assert unicodedata.bidirectional(wrapped[0]) == "FSI"
    assert unicodedata.bidirectional(wrapped[-1]) == "PDI"


def _catalogue(root: Path, code: str, messages: dict[str, str]) -> None:
    """A compiled catalogue for ``code`` with these translations, under ``root``."""
    catalog = Catalog(locale="de")
    for message, translation in messages.items():
        catalog.add(message, translation)
    path = catalogue_path(root, code)
    path.parent.mkdir(parents=True)
    with path.open("wb") as fp:
        write_mo(fp, catalog)


def test_leichte_sprache_shows_each_sentence_on_its_own_line(tmp_path: Path) -> None:
    message = "Not quite. Read the explanation and try again."
    _catalogue(
        tmp_path,
        "de",
        {message: "Nicht ganz. Lesen Sie die Erklärung und versuchen Sie es noch einmal."},
    )
    _catalogue(
        tmp_path,
        "de-x-ls",
        {
            message: "Das ist nicht ganz richtig. Lesen Sie die Erklärung. "
            "Dann versuchen Sie es noch einmal."
        },
    )
    translator = Translator(tmp_path, default="de")
    assert translator.gettext(message).count("\n") == 0  # German keeps its running text
    translator.set_language("de-x-ls")
    assert translator.gettext(message).split("\n") == [
        "Das ist nicht ganz richtig.",
        "Lesen Sie die Erklärung.",
        "Dann versuchen Sie es noch einmal.",
    ]
    assert translator.gettext_in("de-x-ls", message) == translator.gettext(message)
    assert translator.gettext_in("de", message).count("\n") == 0
    translator.set_pseudo(True)  # the pseudo-locale stands for every language: no breaks
    assert "\n" not in translator.gettext(message)


def test_a_sentence_ends_at_its_stop_not_at_a_date_or_inside_a_word() -> None:
    assert sentence_per_line("Noch {n} Sekunden. Dann löschen wir alles!") == (
        "Noch {n} Sekunden.\nDann löschen wir alles!"
    )
    assert sentence_per_line("Sie haben Fragen? {name} hilft Ihnen.") == (
        "Sie haben Fragen?\n{name} hilft Ihnen."
    )
    assert sentence_per_line("Am 3. Mai um 10 Uhr.") == "Am 3. Mai um 10 Uhr."
    assert sentence_per_line("Zum Beispiel: www.jena.de ist offen.") == (
        "Zum Beispiel: www.jena.de ist offen."
    )
    assert sentence_per_line("Ein Satz.") == "Ein Satz."


def test_no_translated_text_hides_inside_an_f_string() -> None:
    """Babel's extractor does not look inside f-strings: a ``{_('Larger')}`` there never reaches
    the catalogues, and every language shows the English text."""
    hidden = []
    for path in sorted(resources.PACKAGE_DIR.rglob("*.py")):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                prefix = token.string[:2].lower()
                if (
                    token.type == tokenize.STRING
                    and "f" in prefix
                    and GETTEXT_CALL.search(token.string)
                ):
                    hidden.append(f"{path}:{token.start[0]}")
    assert hidden == []
