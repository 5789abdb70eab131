"""Mistakes in content/<lang>.md and across languages, each reported as PATH:LINE: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.courses import Paragraph, load_package
from tests.unit.courses.builders import DE, edit, problems, write

DE_MD = "courses/video-calls/content/de.md"
EN_MD = "courses/video-calls/content/en.md"


@pytest.fixture
def de(package: Path) -> Path:
    return package / "content" / "de.md"


@pytest.fixture
def en(package: Path) -> Path:
    return package / "content" / "en.md"


def test_unknown_step_kind(de: Path) -> None:
    edit(de, "## try open-app:", "## versuchen open-app:")
    assert problems() == [
        f"{DE_MD}:13: unknown step kind 'versuchen' (known: explain, try, quiz, summary)"
    ]


def test_malformed_heading_and_step_id(de: Path) -> None:
    edit(de, "## try open-app: Öffnen Sie die App", "## try Öffnen Sie die App")
    edit(de, "## explain what-is:", "## explain What_Is:")
    assert problems() == [
        f"{DE_MD}:3: step id 'What_Is' must be lowercase letters, digits and '-'",
        f"{DE_MD}:13: a step heading looks like '## <kind> <step-id>: <title>', "
        "e.g. '## explain what-is: What is a video call?'",
        f"{EN_MD}:3: step 'what-is' is not in de.md; a translation may leave steps out "
        "but not add new ones",
        f"{EN_MD}:13: step 'open-app' is not in de.md; a translation may leave steps out "
        "but not add new ones",
    ]


def test_quiz_without_a_correct_answer(de: Path) -> None:
    edit(de, "- (x) Ein Gerät", "- ( ) Ein Gerät")
    edit(de, "- [x] Tablet", "- [ ] Tablet")
    edit(de, "- [x] Smartphone", "- [ ] Smartphone")
    lines = problems()
    assert f"{DE_MD}:19: the quiz has no correct answer; mark it with (x)" in lines
    assert f"{DE_MD}:25: the quiz has no correct answer; mark it with [x] (one or more)" in lines


def test_single_choice_with_two_correct_answers(de: Path) -> None:
    edit(de, "- ( ) Einen Drucker", "- (x) Einen Drucker")
    assert problems() == [
        f"{DE_MD}:22: a single-choice quiz has one correct answer (x); use [ ] and [x] for several",
        f"{EN_MD}:18: the answers differ from de.md: there (x) (x), here (x) ( )",
    ]


def test_answer_without_feedback(de: Path) -> None:
    edit(de, "  > Nein: Einen Drucker brauchen Sie nicht.\n", "")
    assert problems() == [
        f"{DE_MD}:22: the answer has no feedback; add a line like '  > Right: …' below it"
    ]


def test_answer_with_two_feedback_lines_and_text_after_answers(de: Path) -> None:
    edit(de, "  > Richtig: Die Kamera zeigt Sie.\n", "  > Richtig.\n  > Noch mehr.\n")
    edit(de, "  > Nein: Ein Radio hat keine Kamera.\n", "  > Nein.\nNoch ein Satz.\n")
    assert problems() == [
        f"{DE_MD}:22: each answer has exactly one feedback line",
        f"{DE_MD}:35: after the answers only more answers ('- ( ) …') and their feedback follow",
    ]


def test_quiz_shapes(de: Path) -> None:
    edit(de, "- [ ] Radio", "- ( ) Radio")
    edit(de, "- ( ) Einen Drucker\n  > Nein: Einen Drucker brauchen Sie nicht.\n", "")
    edit(de, "- [x] Smartphone", "- Smartphone")
    assert problems() == [
        f"{DE_MD}:19: a quiz needs at least two answers, each '- ( ) …' or '- [ ] …'",
        f"{DE_MD}:28: a quiz answer starts with '- ( )', '- (x)', '- [ ]' or '- [x]'",
        f"{DE_MD}:29: each answer has exactly one feedback line",
        f"{DE_MD}:30: do not mix ( ) and [ ] answers in one quiz",
        f"{EN_MD}:18: the answers differ from de.md: there (x), here (x) ( )",
    ]


def test_translation_adds_a_step(en: Path) -> None:
    edit(en, "## summary done:", "## explain extra: Extra\nMore.\n\n## summary done:")
    assert problems() == [
        f"{EN_MD}:24: step 'extra' is not in de.md; a translation may leave steps out "
        "but not add new ones"
    ]


def test_kind_differs_between_languages(en: Path) -> None:
    edit(en, "## try open-app:", "## explain open-app:")
    edit(en, "> Tip: The app", "The app")
    assert problems() == [
        f"{EN_MD}:13: step 'open-app' is a explain step here but a try step in de.md"
    ]


def test_duplicate_step_ids(de: Path) -> None:
    edit(de, "## quiz which:", "## quiz need:")
    assert problems() == [f"{DE_MD}:25: step id 'need' is used twice (first on line 19)"]


def test_no_steps(de: Path) -> None:
    write(de, "# Nur ein Titel\n\nUnd etwas Text.\n")
    assert problems() == [
        f"{DE_MD}:1: no steps: a step starts with a heading like "
        "'## explain what-is: What is a video call?'",
        f"{EN_MD}:3: step 'what-is' is not in de.md; a translation may leave steps out "
        "but not add new ones",
        f"{EN_MD}:13: step 'open-app' is not in de.md; a translation may leave steps out "
        "but not add new ones",
        f"{EN_MD}:18: step 'need' is not in de.md; a translation may leave steps out "
        "but not add new ones",
        f"{EN_MD}:24: step 'done' is not in de.md; a translation may leave steps out "
        "but not add new ones",
    ]


def test_summary_must_be_last(de: Path) -> None:
    write(de, DE + "\n## explain after: Danach\nText.\n")
    assert problems() == [f"{DE_MD}:35: a summary step must be the last step"]


def test_empty_step_and_empty_title(de: Path) -> None:
    task = (
        "Tippen Sie auf das grüne Symbol\nmit der Kamera.\n\n> Tipp: Die App heißt oft „Telefon“.\n"
    )
    edit(de, task, "")
    edit(de, "## summary done: Das haben Sie gelernt", "## summary done:")
    assert problems() == [
        f"{DE_MD}:13: the step has no text",
        f"{DE_MD}:31: the step has no title after the ':'",
    ]


def test_markdown_the_kiosk_cannot_show(de: Path) -> None:
    edit(de, "Sie brauchen:\n", "### Sie brauchen:\n")
    edit(de, "- Internet\n", "  - Internet\n1. erstens\n* zweitens\n")
    edit(de, "mit der Kamera.", "mit der **Kamera.")
    edit(de, "Es können mehrere", "Siehe [hier](https://example.org). Es können mehrere")
    edit(de, "- Sie brauchen Kamera", "<b>Sie</b> brauchen Kamera")
    assert problems() == [
        f"{DE_MD}:6: only '## ' headings are supported; they start a step (use **bold** inside)",
        f"{DE_MD}:9: nested lists are not supported; use one level of '- ' items",
        f"{DE_MD}:10: numbered lists are not supported; use '- ' items (or write 'Step 1: …')",
        f"{DE_MD}:11: list items start with '- '",
        f"{DE_MD}:16: unmatched '**': bold text needs '**' before and after it",
        f"{DE_MD}:28: links cannot be opened on the kiosk; write the address as plain text",
        f"{DE_MD}:39: code blocks and HTML are not supported; write plain text",
    ]


def test_tips_only_in_try_steps_and_only_one(de: Path) -> None:
    edit(de, "Bei einem Videoanruf", "> Hinweis\n\nBei einem Videoanruf")
    edit(de, "> Tipp: Die App heißt oft „Telefon“.\n", "> Tipp: eins\n\n> Tipp: zwei\n")
    assert problems() == [
        f"{DE_MD}:4: '> ' tips belong in try steps (in a quiz, '> ' gives feedback)",
        f"{DE_MD}:21: a try step has only one tip ('> …'; the first is on line 19)",
    ]


def test_images_in_steps(de: Path) -> None:
    edit(de, "![Ein Tablet zeigt ein lachendes Gesicht](images/call.svg)", "![](images/call.svg)")
    edit(
        de,
        "mit der Kamera.",
        "mit der Kamera.\n\n![Kamera](images/call.svg)\n![Noch eins](images/call.svg)",
    )
    edit(de, "Es können mehrere", "Bild ![x](images/call.svg) im Text. Es können mehrere")
    edit(de, "- Ein Videoanruf zeigt", "![Kaputt](images/call.svg\n- Ein Videoanruf zeigt")
    assert problems() == [
        f"{DE_MD}:11: describe the image for people who cannot see it: ![description](…)",
        f"{DE_MD}:18: only one image per step (the first is on line 17)",
        f"{DE_MD}:29: an image must stand on a line of its own: ![description](images/file.svg)",
        f"{DE_MD}:39: an image is written as ![description](images/file.svg), alone on its line",
    ]


def test_text_that_only_looks_like_markup_is_fine(de: Path, package: Path) -> None:
    lines = (
        "2 Sekunden lang drücken.\n"
        "-5 °C ist kalt.\n"
        "#hashtag und *Sternchen* und < 5 Minuten und <- zurück.\n"
        "!Achtung: **wichtig** und [eckige Klammern] (runde Klammern).\n"
    )
    edit(de, "Es können mehrere Antworten richtig sein.\n", lines)
    assert problems() == []
    course = load_package(package).course
    assert course is not None
    blocks = course.step("which").texts["de"].blocks
    assert blocks == (Paragraph(" ".join(line for line in lines.splitlines())),)


def test_unreadable_main_language_adds_no_follow_up_problems(de: Path) -> None:
    write(de, DE.encode().replace(b"Videoanruf?", b"Videoanruf\xff"))
    assert problems() == [f"{DE_MD}:3: not UTF-8 text (save the file with the encoding 'UTF-8')"]
