"""Site texts per language: a device's location as a table of language code = text (a plain
string still meaning every language), the demo site's texts in all eight languages, and
public-holiday names in the staff's language."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kiosk import resources
from kiosk.config import ConfigError, load_config, parse_config
from kiosk.config.reference import declared_keys
from kiosk.core.bookings import device_policies, public_holidays, site_calendar
from kiosk.core.i18n import LANGUAGE_CODES

DEVICE = '[[devices]]\nid = "t1"\nkind = "tablet"\nname = "Tablet"\n'


def test_a_location_table_gives_each_language_its_text_and_leichte_sprache_german() -> None:
    config = parse_config(
        DEVICE + 'location = { de = "Tisch 1", en = "Table 1", ar = "الطاولة 1" }\n'
    )
    (device,) = device_policies(config)
    fallbacks = ("en", "de")
    assert device.place("ar", fallbacks) == "الطاولة 1"
    assert device.place("en", fallbacks) == "Table 1"
    # Leichte Sprache reads German before the site's first fallback (English).
    assert device.place("de-x-ls", fallbacks) == "Tisch 1"
    assert device.place("fa", fallbacks) == "Table 1"
    # Staff in a language the site did not write, with no fallbacks: the site's own text.
    assert device.place("tr") == "Tisch 1"


def test_a_device_name_the_site_did_not_write_in_a_language_comes_from_its_fallbacks() -> None:
    config = parse_config(
        DEVICE + 'names = { de = "Android-Tablet", en = "Android tablet", uk = "Планшет" }\n'
    )
    (device,) = device_policies(config)
    assert device.display_name("uk", ("en", "de")) == "Планшет"
    # Arabic was not written: the site's first fallback, not the plain `name`.
    assert device.display_name("ar", ("en", "de")) == "Android tablet"
    assert device.display_name("de-x-ls", ("en", "de")) == "Android-Tablet"
    # No fallbacks given and none of the chain written: the plain name.
    assert device.display_name("ar") == "Tablet"


def test_a_plain_location_string_is_every_language_s_text_and_an_empty_one_none() -> None:
    (device,) = device_policies(parse_config(DEVICE + 'location = "Raum 2"\n'))
    assert {device.place(code) for code in LANGUAGE_CODES} == {"Raum 2"}
    (silent,) = device_policies(parse_config(DEVICE + 'location = ""\n'))
    assert silent.place("de") == "" and dict(silent.location) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{ xx = "Tisch" }', "unknown language 'xx'"),
        ('{ de = " " }', "de: the text is empty"),
        ("3", "expected a string or a table of language code = text, got integer"),
        ('{ de = "Tisch\u202e1" }', "invisible character U+202E"),
    ],
)
def test_a_wrong_location_is_refused_with_its_line(value: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(DEVICE + f"location = {value}\n")
    (problem,) = error.value.problems
    assert problem.line == 5 and problem.key == "devices[0].location"
    assert message in problem.message


def test_the_reference_describes_the_location_as_string_or_table() -> None:
    (key,) = [key for key in declared_keys() if key.path == "devices[].location"]
    assert key.type_name == "string or table of string"
    assert "language code = text" in key.description and "plain string" in key.description


def test_the_demo_site_writes_its_texts_and_places_in_all_eight_languages() -> None:
    config = load_config(resources.DEMO_CONFIG)
    for texts in (
        config.learning.help_text,
        config.bookings.house_rules,
        config.bookings.reception,
        *(device.location for device in config.devices),
        *(device.description for device in config.devices),
    ):
        assert set(texts) == set(LANGUAGE_CODES), texts
        # Each language its own text (Leichte Sprache may say a short place as German does).
        assert len({texts[code] for code in ("de", "en", "uk", "ar", "ru", "tr", "fa")}) == 7
    for device in config.devices:
        assert device.location["ar"] != device.location["de"]


def test_the_demo_site_s_leichte_sprache_splits_long_words_and_keeps_sentences_short() -> None:
    config = load_config(resources.DEMO_CONFIG)
    easy = [
        config.learning.help_text["de-x-ls"],
        config.bookings.house_rules["de-x-ls"],
        config.bookings.reception["de-x-ls"],
        *(device.location["de-x-ls"] for device in config.devices),
        *(device.description["de-x-ls"] for device in config.devices),
        *(device.names.get("de-x-ls", "") for device in config.devices),
    ]
    for text in easy:
        for word in ("Bildschirm", "Erdgeschoss", "Schaufenster", "Sprachsteuerung"):
            assert word not in text, text  # Bild·schirm, Erd·geschoss, …
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            assert len(sentence.split()) <= 12, sentence
    # Persian places use Persian digits, like the rest of a Persian screen.
    assert {device.location["fa"] for device in config.devices} >= {"میز ۱", "میز ۲"}


def test_holiday_names_follow_the_staff_s_language() -> None:
    holidays = public_holidays("DE-TH")
    reformation = date(2026, 10, 31)
    assert holidays.name(reformation, "en") == "Reformation Day"
    assert holidays.name(reformation, "de") == "Reformationstag"
    assert holidays.name(reformation, "de-x-ls") == "Reformationstag"
    assert holidays.name(reformation, "uk") == "День Реформації"
    # Languages the holidays library lacks for Germany: the name on the calendars around.
    for code in ("ar", "ru", "tr", "fa"):
        assert holidays.name(reformation, code) == "Reformationstag"
    assert holidays.name(date(2026, 11, 3), "de") is None
    assert public_holidays("").name(reformation, "de") is None


@pytest.mark.parametrize(
    ("code", "name"),
    [("de", "Reformationstag"), ("ar", "Reformationstag"), ("uk", "День Реформації")],
)
def test_the_first_holiday_asked_for_is_already_in_the_staff_s_language(
    code: str, name: str
) -> None:
    # The holidays library loads on this first question (a desk opened in that language).
    assert public_holidays("DE-TH").name(date(2026, 10, 31), code) == name


def test_the_site_calendar_says_why_a_day_is_closed_in_the_language_asked() -> None:
    calendar = site_calendar(load_config(resources.DEMO_CONFIG))
    unity = date(2026, 10, 3)
    assert calendar.closed_reason(unity, "en") == "German Unity Day"
    assert calendar.closed_reason(unity, "de") == "Tag der Deutschen Einheit"
    assert calendar.closed_reason(unity) == "German Unity Day"  # logs: English, as before
    assert calendar.closed_reason(date(2026, 12, 24), "de") == "closure"
