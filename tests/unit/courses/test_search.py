"""Search as the visitor types: case- and accent-insensitive, in the visitor's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.courses import Catalogue, Course, load_catalogue, normalise
from tests.unit.courses.builders import edit, write_package


@pytest.fixture
def catalogue(courses: Path) -> Catalogue:
    write_package(courses, "online-banking")
    manifest = courses / "online-banking" / "course.toml"
    edit(manifest, 'de = "Videoanrufe mit der Familie"', 'de = "Online-Banking für Anfänger"')
    edit(manifest, 'en = "Video calls with the family"', 'en = "Online banking for beginners"')
    edit(manifest, 'tags = ["video", "family"]', 'tags = ["bank", "e-mail"]')
    edit(
        manifest,
        'de = "Sie lernen, wie ein',
        'de = "Sicher bezahlen, ohne Video. Sie lernen, wie ein',
    )
    write_package(courses, "leichte-sprache")
    manifest = courses / "leichte-sprache" / "course.toml"
    edit(manifest, 'de = "Videoanrufe mit der Familie"', 'de = "Termin beim Bürger·büro"')
    catalogue = load_catalogue(courses)
    assert len(catalogue) == 3 and not catalogue.broken
    return catalogue


def ids(found: list[Course]) -> list[str]:
    return [course.id for course in found]


def test_empty_query_lists_every_course(catalogue: Catalogue) -> None:
    assert ids(catalogue.search("", "de")) == ["leichte-sprache", "online-banking", "video-calls"]
    assert ids(catalogue.search("   ", "de")) == ids(catalogue.search("", "de"))


def test_case_and_accents_do_not_matter(catalogue: Catalogue) -> None:
    assert ids(catalogue.search("ANFANGER", "de")) == ["online-banking"]
    assert ids(catalogue.search("anfänger", "de")) == ["online-banking"]
    assert ids(catalogue.search("BÜRGERBÜRO", "de")) == ["leichte-sprache"]  # middle dot ignored
    assert ids(catalogue.search("email", "de")) == ["online-banking"]  # hyphen ignored (tag)


def test_every_word_must_match_and_title_hits_come_first(catalogue: Catalogue) -> None:
    assert ids(catalogue.search("video", "de")) == [
        "video-calls",  # in the title
        "leichte-sprache",  # in the description and tags, in catalogue order
        "online-banking",
    ]
    assert ids(catalogue.search("familie video", "de"))[0] == "video-calls"
    assert ids(catalogue.search("video bank", "de")) == ["online-banking"]
    assert ids(catalogue.search("vid", "de")) == ids(catalogue.search("video", "de"))
    assert catalogue.search("xylophon", "de") == []


def test_search_in_the_visitors_language_with_fallback(catalogue: Catalogue) -> None:
    assert ids(catalogue.search("beginners", "en")) == ["online-banking"]
    assert ids(catalogue.search("beginners", "de")) == []
    assert ids(catalogue.search("beginners", "uk")) == ["online-banking"]  # uk -> en
    assert ids(catalogue.search("خانواده", "fa")) == [
        "leichte-sprache",
        "online-banking",
        "video-calls",
    ]
    # Arabic yeh typed for Persian yeh still matches
    assert ids(catalogue.search("تصويري", "fa")) == ids(catalogue.search("تصویری", "fa"))


def test_normalise() -> None:
    assert normalise("Straße") == "strasse"
    assert normalise("É-Mail") == "email"
    assert normalise("Привіт Й") == "привіт и"
    assert normalise("فروشگاه‌های") == "فروشگاههای"
