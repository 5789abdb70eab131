"""One word per concept: the catalogues, the demo site and the courses use the glossary's terms.

translations/glossary.toml names, per concept and language, the term to use and the variants that
must not stand for it, how Leichte Sprache splits long words with the Mediopunkt, and the messages
in which an avoided word means something else. The catalogues checked are translations/ or, for a
trial run on a copy, the folder named by KIOSK_GLOSSARY_CATALOGUES (same layout:
<code>/LC_MESSAGES/messages.po). English "time" for a booking slot is found by its
context instead (see TIME_NOT_A_SLOT).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from kiosk import resources
from kiosk.core.courses import find_packages
from kiosk.core.courses.loader import load_package
from kiosk.core.courses.model import Course, Paragraph
from kiosk.tools.catalogues import extract
from tests.unit.courses.builders import edit, write_package

LANGUAGES = ("de", "de-x-ls", "en", "uk", "ar", "ru", "tr", "fa")
GLOSSARY = resources.TRANSLATIONS / "glossary.toml"
# Characters inside a word: letters and digits, the Mediopunkt of Leichte Sprache, the Persian
# zero-width non-joiner (کتاب‌خوان) and Arabic vowel marks, so none of them ends a word.
WORD = r"[\w·\u200c\u064b-\u065f\u0670]"
# Endings a German noun takes in the plural or genitive (Bildschirm, Bildschirme, Bildschirms).
GERMAN_ENDINGS = r"(?:s|es|e|n|en|er|ern)?"
# A placeholder such as {slot} is filled in by the program: its name is no word of the text.
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Text:
    """One text a visitor or staff member can see: where it comes from and what it says."""

    where: str  # a catalogue's message id, or a key path in the demo site
    msgid: str | None  # the English source of a catalogue message (its singular)
    text: str


@dataclass(frozen=True)
class Finding:
    language: str
    word: str
    concept: str
    where: str

    def __str__(self) -> str:
        return f"[{self.language}] {self.concept}: {self.word!r} in {self.where}"


def pattern(word: str, match_case: bool = False) -> re.Pattern[str]:
    """The regular expression for an avoided word: whole words only, "*" at either end for any
    beginning or ending, spaces between words matching any spacing."""
    core = word.strip("*")
    body = r"\s+".join(re.escape(part) for part in core.split())
    left = f"{WORD}*" if word.startswith("*") else ""
    right = f"{WORD}*" if word.endswith("*") else ""
    flags = 0 if match_case else re.IGNORECASE
    return re.compile(f"(?<!{WORD}){left}{body}{right}(?!{WORD})", flags)


@cache
def glossary() -> dict[str, Any]:
    with GLOSSARY.open("rb") as file:
        return tomllib.load(file)


def catalogue_root() -> Path:
    return Path(os.environ.get("KIOSK_GLOSSARY_CATALOGUES") or resources.TRANSLATIONS)


def catalogue_texts(language: str, root: Path | None = None) -> list[Text]:
    """Every translated text of ``language``'s catalogue, each plural form on its own."""
    path = (root or catalogue_root()) / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalogue = read_po(file, abort_invalid=False)
    texts: list[Text] = []
    for message in catalogue:
        if not message.id:
            continue
        msgid = str(message.id[0] if isinstance(message.id, tuple) else message.id)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend(
            Text(repr(msgid), msgid, PLACEHOLDER.sub(" ", str(form))) for form in forms if form
        )
    return texts


def site_texts(language: str, site: dict[str, Any] | None = None) -> list[Text]:
    """The demo site's texts in ``language``: every table of language code = text, and the names
    a site writes once for every language (its own name, a device's name without `names`)."""
    if site is None:
        with resources.DEMO_CONFIG.open("rb") as file:
            site = tomllib.load(file)
    texts = [Text("site.name", None, site["site"]["name"])]
    for index, device in enumerate(site.get("devices", [])):
        if language not in device.get("names", {}):
            texts.append(Text(f"devices[{index}].name", None, device["name"]))
        if isinstance(device.get("location"), str):
            texts.append(Text(f"devices[{index}].location", None, device["location"]))

    def walk(node: Any, where: str) -> Iterator[Text]:
        if isinstance(node, dict):
            if node and set(node) <= set(LANGUAGES):
                if isinstance(node.get(language), str):
                    yield Text(where, None, node[language])
                return
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}" if where else key)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, f"{where}[{index}]")

    return texts + list(walk(site, ""))


def exceptions() -> set[tuple[str, str, str]]:
    """(language, avoided word, msgid) of every documented exception."""
    return {
        (entry["language"], entry["word"], entry["msgid"])
        for entry in glossary().get("exception", [])
    }


def avoided_words(language: str) -> Iterator[tuple[str, str, re.Pattern[str]]]:
    """(concept, word, pattern) for every word ``language`` must not use, Leichte Sprache's
    spellings included."""
    for name, concept in glossary()["concept"].items():
        for word in concept.get("avoid", {}).get(language, []):
            yield name, word, pattern(word, bool(concept.get("match_case", False)))
    if language == "de-x-ls":
        for spelling, variants in glossary().get("leichte-sprache", {}).items():
            for word in variants:
                yield f"spelling {spelling}", word, pattern(word)


def findings(language: str, texts: list[Text]) -> list[Finding]:
    allowed = exceptions()
    found: list[Finding] = []
    for concept, word, regex in avoided_words(language):
        for text in texts:
            if regex.search(text.text) and (language, word, text.msgid) not in allowed:
                found.append(Finding(language, word, concept, text.where))
    return found


# --- the matching rule ------------------------------------------------------------------------


def test_an_avoided_word_matches_whole_words_in_any_case_and_wildcards_extend_it() -> None:
    """ "Zeit" finds "Zeit" and "zeit" but not "Uhrzeit", "Zeitraum" or "Buchungs·zeit"; a "*"
    takes endings (Turkish suffixes) or beginnings (the Arabic article); a phrase spans spaces;
    the shop's name compares case only where the glossary says so."""
    zeit = pattern("Zeit")
    assert zeit.search("Diese Zeit buchen") and zeit.search("zeit")
    assert not any(zeit.search(text) for text in ("Uhrzeit", "Zeitraum", "Buchungs·zeit"))
    assert pattern("randevu*").search("Randevusuz ziyaretçi")
    assert not pattern("randevu").search("Randevusuz ziyaretçi")
    assert pattern("*كشك").search("إغلاق الكشك") and pattern("*كشك").search("بالكشك")
    assert pattern("عینک واقعیت مجازی").search("عینک  واقعیت مجازی را امتحان کنید")
    assert not pattern("ProbierLaden", match_case=True).search("im Probierladen")
    assert pattern("ProbierLaden*", match_case=True).search("ProbierLadens")


def test_the_glossary_names_a_term_in_every_language_for_every_concept() -> None:
    """Translators look a concept up by language: none may be missing, and an avoided word is
    never the term itself."""
    for name, concept in glossary()["concept"].items():
        assert concept.get("about"), name
        for language in LANGUAGES:
            term = concept.get(language)
            assert isinstance(term, str) and term, (name, language)
            for word in concept.get("avoid", {}).get(language, []):
                assert not pattern(word, bool(concept.get("match_case"))).search(term), (
                    name,
                    language,
                    word,
                )
        assert set(concept.get("avoid", {})) <= set(LANGUAGES), name


def test_every_exception_names_a_reason_and_is_still_needed() -> None:
    """An exception whose message no longer uses the word is removed, so the list stays what it
    says: the messages in which an avoided word means something else."""
    words = {
        (language, word)
        for language in LANGUAGES
        for _concept, word, _regex in avoided_words(language)
    }
    texts = {language: catalogue_texts(language) for language in LANGUAGES}
    for entry in glossary().get("exception", []):
        key = (entry["language"], entry["word"])
        assert key in words, f"exception for a word nobody avoids: {entry}"
        assert entry.get("why"), f"exception without a reason: {entry}"
        regex = next(r for _c, w, r in avoided_words(entry["language"]) if w == entry["word"])
        used = [
            t
            for t in texts[entry["language"]]
            if t.msgid == entry["msgid"] and regex.search(t.text)
        ]
        assert used, f"exception no longer needed: {entry}"


# --- the catalogues and the demo site -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_entry_uses_a_word_the_glossary_avoids(language: str) -> None:
    """The review's findings stay fixed: German "Termin", not "Zeit", for a booking slot; Turkish
    "rezervasyon", never "randevu"; one Persian word for the VR headset; Arabic never calls the
    kiosk a newsstand (كشك); "Probierladen" spelt one way; Leichte Sprache splits each long word
    the same way."""
    found = findings(language, catalogue_texts(language))
    assert not found, "\n".join(map(str, found))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_sites_texts_use_the_glossary_words(language: str) -> None:
    """What a visitor reads from the site's settings (names, help text, house rules, places) says
    the same words as the program's own texts."""
    found = findings(language, site_texts(language))
    assert not found, "\n".join(map(str, found))


def test_site_texts_reads_every_language_table_and_the_names_written_once() -> None:
    site = {
        "site": {"name": "ProbierLaden Jena"},
        "learning": {"help_text": {"de": "im ProbierLaden", "fa": "در Probierladen"}},
        "devices": [{"name": "VR-Brille", "names": {"fa": "عینک واقعیت مجازی"}}],
    }
    persian = [text.where for text in site_texts("fa", site)]
    assert persian == ["site.name", "learning.help_text", "devices[0].names"]
    german = {text.where for text in site_texts("de", site)}
    assert german == {"site.name", "learning.help_text", "devices[0].name"}
    assert [str(f) for f in findings("fa", site_texts("fa", site))] == [
        "[fa] vr-headset: 'عینک واقعیت مجازی' in devices[0].names",
        "[fa] shop-name: 'ProbierLaden*' in site.name",
    ]


# --- Leichte Sprache: one spelling per long word --------------------------------------------------


def leichte_sprache_texts() -> list[Text]:
    return catalogue_texts("de-x-ls") + site_texts("de-x-ls") + course_texts("de-x-ls")


def split_words(texts: list[Text]) -> dict[str, set[str]]:
    """Every word written with a Mediopunkt, by its letters without it (lower case)."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for word in re.findall(rf"{WORD}+(?:-{WORD}+)*", text.text):
            if "·" in word:
                found.setdefault(word.replace("·", "").lower(), set()).add(word)
    return found


def mixed_spellings(texts: list[Text]) -> list[str]:
    """Long words that Leichte Sprache writes in two ways: split in one place and whole in
    another, or split at different points."""
    split = split_words(texts)
    problems: list[str] = []
    for joined, spellings in sorted(split.items()):
        points = {spelling.lower() for spelling in spellings}
        # Capitalised at a sentence's start is the same spelling.
        if len({point.capitalize() for point in points}) > 1:
            problems.append(f"{joined}: split in different places: {sorted(spellings)}")
        whole = re.compile(f"(?<!{WORD}){re.escape(joined)}{GERMAN_ENDINGS}(?!{WORD})", re.I)
        problems.extend(
            f"{sorted(spellings)[0]} also whole in {text.where}: {text.text!r}"
            for text in texts
            if whole.search(text.text)
        )
    return problems


def test_mixed_spellings_finds_a_word_both_split_and_whole() -> None:
    texts = [
        Text("a", None, "Tippen Sie auf den Bild·schirm."),
        Text("b", None, "Der Bildschirm ist dunkel."),
        Text("c", None, "Ihr Buchungs·code und Ihr Buchung·scode"),
        Text("d", None, "Die Start·seite. Zur Start·seite."),
    ]
    problems = mixed_spellings(texts)
    assert problems == [
        "Bild·schirm also whole in b: 'Der Bildschirm ist dunkel.'",
        "buchungscode: split in different places: ['Buchungs·code', 'Buchung·scode']",
    ]


def test_leichte_sprache_writes_each_long_word_one_way() -> None:
    """Bild·schirm is never also "Bildschirm" in de-x-ls, in the catalogue, the demo site or a
    course: a visitor reads the same word in the kiosk's screens and in its courses."""
    problems = mixed_spellings(leichte_sprache_texts())
    assert not problems, "\n".join(problems)


# --- the shipped courses --------------------------------------------------------------------------

# A web address is typed as it is written, never split like a word ("www.verbraucherzentrale.de"
# beside Verbraucher·zentrale).
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:de|com|org|net|eu)\b\S*", re.I)


@cache
def loaded_course(folder: Path) -> Course:
    """A course package read once for all languages and tests (the shipped ones do not change
    while the tests run)."""
    course = load_package(folder).course
    assert course is not None, folder
    return course


def course_texts(language: str, root: Path | None = None) -> list[Text]:
    """Every text of ``language`` that a course shows: its title and description (course.toml),
    each step's title, paragraphs, list items, picture description, hint, answers and feedback.
    `where` is "course/step", or "course/(title)" and "course/(description)"."""
    texts: list[Text] = []
    for folder in find_packages(root or resources.COURSES):
        course = loaded_course(folder)
        parts = [
            (f"{course.id}/(title)", course.titles.get(language)),
            (f"{course.id}/(description)", course.descriptions.get(language)),
        ]
        for step in course.steps:
            text = step.texts.get(language)
            if text is None:
                continue
            shown = [text.title, text.hint, text.image.alt if text.image else None]
            for block in text.blocks:
                shown.extend([block.text] if isinstance(block, Paragraph) else block.items)
            for option in text.quiz.options if text.quiz else ():
                shown.extend((option.text, option.feedback))
            parts.extend((f"{course.id}/{step.id}", part) for part in shown)
        texts.extend(Text(where, None, WEB_ADDRESS.sub(" ", part)) for where, part in parts if part)
    return texts


def course_exception_allows(finding: Finding) -> bool:
    course, _, step = finding.where.partition("/")
    return any(
        (entry["language"], entry["word"], entry["course"])
        == (finding.language, finding.word, course)
        and entry.get("step", step) == step
        for entry in glossary().get("course-exception", [])
    )


def course_findings(language: str, texts: list[Text]) -> list[Finding]:
    """Avoided words in course texts, leaving out the concepts marked `courses = false` and the
    documented course exceptions."""
    skipped = {
        f"{name}"
        for name, concept in glossary()["concept"].items()
        if concept.get("courses") is False
    }
    return [
        finding
        for finding in findings(language, texts)
        if finding.concept not in skipped and not course_exception_allows(finding)
    ]


def split_verbs(texts: list[Text]) -> list[str]:
    """Words split with a Mediopunkt that start in lower case: not nouns, so verbs (zurück·holen)
    or other words that Leichte Sprache never splits."""
    return [
        f"{word} in {text.where}"
        for text in texts
        for word in re.findall(rf"(?<!{WORD}){WORD}+", text.text)
        if "·" in word and word[0].islower()
    ]


def test_course_texts_reads_every_text_a_visitor_sees(tmp_path: Path) -> None:
    """Titles, descriptions, step titles, paragraphs, list items, picture descriptions, hints,
    answers and feedback are all checked; web addresses are not words."""
    folder = write_package(tmp_path)
    edit(folder / "content" / "de.md", "- Internet\n", "- Internet: www.vhs-jena.de\n")
    texts = course_texts("de", tmp_path)
    wheres = {text.where for text in texts}
    assert {"video-calls/(title)", "video-calls/(description)", "video-calls/which"} <= wheres
    joined = "\n".join(text.text for text in texts)
    for shown in (
        "Videoanrufe mit der Familie",  # the title
        "ein Gerät mit **Kamera**",  # a list item
        "Ein Tablet zeigt ein lachendes Gesicht",  # a picture's description
        "Die App heißt oft „Telefon“.",  # a hint
        "Einen Drucker",  # an answer
        "Nein: Ein Radio hat keine Kamera.",  # its feedback
    ):
        assert shown in joined, shown
    assert "vhs-jena" not in joined and "Internet:" in joined
    assert course_texts("uk", tmp_path) == []


def test_course_exceptions_and_the_courses_switch_let_a_course_mean_something_else() -> None:
    """Turkish "randevu" is an appointment at an office in the citizens' office course (the whole
    course) and in one step of another, but a booking anywhere else; German "Zeit" in a course is
    time in general, never the kiosk's booking slot; an Arabic course never calls the kiosk كشك."""
    texts = [
        Text("citizens-office-appointment/pick-date", None, "Randevu alın."),
        Text("online-id/what-is", None, "randevu almadan"),
        Text("online-id/done", None, "randevu almadan"),
        Text("safe-passwords/why", None, "Randevunuz hazır."),
    ]
    assert [f.where for f in course_findings("tr", texts)] == [
        "online-id/done",
        "safe-passwords/why",
    ]
    assert course_findings("de", [Text("a/b", None, "Sie haben 2 Wochen Zeit.")]) == []
    assert findings("de", [Text("a/b", None, "Sie haben 2 Wochen Zeit.")])  # screens: a slot
    kiosk = [Text("safe-passwords/make-passphrase", None, "مثل هذا الكشك")]
    assert [f.concept for f in course_findings("ar", kiosk)] == ["kiosk"]


def test_every_course_exception_names_a_reason_and_is_still_needed() -> None:
    """A course exception whose course, step or word is gone is removed, like a catalogue one."""
    for entry in glossary().get("course-exception", []):
        assert entry.get("why"), f"course exception without a reason: {entry}"
        assert set(entry) <= {"language", "word", "course", "step", "why"}, entry
        regex = next(
            (r for _c, w, r in avoided_words(entry["language"]) if w == entry["word"]), None
        )
        assert regex, f"course exception for a word nobody avoids: {entry}"
        prefix = f"{entry['course']}/{entry.get('step', '')}"
        used = [
            text
            for text in course_texts(entry["language"])
            if (text.where == prefix if "step" in entry else text.where.startswith(prefix))
            and regex.search(text.text)
        ]
        assert used, f"course exception no longer needed: {entry}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_course_text_uses_a_word_the_glossary_avoids(language: str) -> None:
    """The shipped courses say what the kiosk's screens say: "Probierladen" in one word, the
    Arabic kiosk a self-service device (not a newsstand), "E-Book-Reader", and in Leichte
    Sprache the glossary's spelling of each long word."""
    found = course_findings(language, course_texts(language))
    assert not found, "\n".join(map(str, found))


def test_the_courses_write_each_long_word_of_leichte_sprache_one_way() -> None:
    """Across all courses a long word is split at the same points or never, and no verb or other
    lower-case word is split (freigeben, zurückholen)."""
    texts = course_texts("de-x-ls")
    problems = mixed_spellings(texts) + split_verbs(texts)
    assert not problems, "\n".join(problems)


# --- English: "slot", not "time", for a booking slot ---------------------------------------------

# The glossary's English term for a booking slot is "slot", but "time" cannot be an avoided word:
# it also means a clock time ("Start time"), a moment ("at this time") or a length ("a shorter
# time"), and whole-word matching cannot tell these apart. "time" beside a booking word usually
# is a slot, so such messages are listed, and the few where it is not are named here with why.
TIME = re.compile(r"\btimes?\b", re.IGNORECASE)
BOOKING_CONTEXT = re.compile(r"\b(?:book\w*|free|(?:another|new|more)\s+times?)\b", re.IGNORECASE)
TIME_NOT_A_SLOT = {
    "The block {code} is removed. The device is free at that time.": "the moment of the block",
    "The device is already booked at this time.": "a moment: the time asked for",
    "Too close to another booking of the device: it needs time in between.": "a pause (length)",
    "This booking was released: the visitor did not come in time.": "“in time”: punctually",
    "Extend, shorten or move it in time, or give it another device of the same kind. The code "
    "stays the same; every booking rule applies.": "“move in time”: to other hours",
    "For a workshop or a repair: visitors cannot book the device at this time. Bookings that "
    "are there already stay; the block is then refused for that day.": "the blocked period",
    "Remove this block? The time becomes free for bookings again.": "the blocked period",
    "Times when the devices are booked. Ask at the desk for a free slot.": "the chart's hours",
}


def slot_times(texts: list[Text]) -> list[str]:
    """The msgids of English texts that say "time" beside a booking word ({time} and other
    placeholders are filled in by the program: no words of the text)."""
    found: list[str] = []
    for text in texts:
        words = PLACEHOLDER.sub(" ", text.text)
        if text.msgid and TIME.search(words) and BOOKING_CONTEXT.search(words):
            found.append(text.msgid)
    return list(dict.fromkeys(found))


@cache
def english_texts() -> list[Text]:
    """Every English text: the program's source (each plural form, straight from the code, so a
    message not yet in the catalogues counts too) and the English catalogue."""
    texts: list[Text] = []
    for message in extract():
        if message.id:
            forms = message.id if isinstance(message.id, tuple) else (message.id,)
            texts.extend(Text(repr(forms[0]), str(forms[0]), str(form)) for form in forms)
    return texts + catalogue_texts("en")


def test_slot_times_finds_time_beside_a_booking_word_but_not_a_clock_time() -> None:
    texts = [
        Text("", msgid, msgid)
        for msgid in (
            "Book this time",
            "Free times on {day}",
            "Needs a new time",
            "Show {n} more times",
            "Start: {time}",
            "Booked: {time} on {device}.",
            "Start time",
            "Book this slot",
            "The device is blocked at this time.",
        )
    ]
    assert slot_times(texts) == [
        "Book this time",
        "Free times on {day}",
        "Needs a new time",
        "Show {n} more times",
    ]


def test_english_says_slot_for_a_booking_slot() -> None:
    """The review's finding: English wrote "Book this time", "Free times on {day}", "Needs a new
    time" for what the glossary calls a slot."""
    found = [msgid for msgid in slot_times(english_texts()) if msgid not in TIME_NOT_A_SLOT]
    assert not found, "\n".join(found)


def test_every_time_that_is_no_slot_is_still_used_and_says_why() -> None:
    """The list stays short: a message no longer saying "time" beside a booking word leaves it."""
    used = set(slot_times(english_texts()))
    for msgid, why in TIME_NOT_A_SLOT.items():
        assert why, msgid
        assert msgid in used, f"no longer needed in TIME_NOT_A_SLOT: {msgid!r}"
