"""Languages and the translator: the fixed language table agrees with Babel, switching works."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel import Locale

from kiosk import resources
from kiosk.core.i18n import LANGUAGES, Translator, language


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
    assert translator.gettext("End session") == "Sitzung beenden"
    assert translator.gettext_in("en", "End session") == "End session"
    for code in ("uk", "ar", "ru", "tr", "fa", "de-x-ls"):
        assert translator.gettext_in(code, "Welcome") != "Welcome", code


def test_missing_catalogue_falls_back_to_source_text(tmp_path: Path) -> None:
    translator = Translator(tmp_path, default="de")
    assert translator.gettext("End session") == "End session"
