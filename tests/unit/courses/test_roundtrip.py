"""A good course written out and loaded again is the same course (for many generated courses)."""

from __future__ import annotations

import random
from pathlib import Path
from types import MappingProxyType

import pytest

from kiosk.core.courses import (
    BulletList,
    Course,
    Image,
    Paragraph,
    Quiz,
    QuizOption,
    Step,
    StepKind,
    StepText,
    load_package,
)
from kiosk.core.courses.manifest import CATEGORIES, LEVELS
from kiosk.core.courses.writer import write_course
from kiosk.core.i18n import LANGUAGE_CODES
from tests.unit.courses.builders import PNG, SVG, write

WORDS = (
    "Tablet", "Kamera", "größer", "Straße", "Привіт", "камера", "مرحبا", "سلام", "kamera'sı",
    "Wi-Fi", "„Telefon“", "100 %", "a & b", "<3", "**fett**", "E-Mail", "😀", "x_y", "#1",
)  # fmt: skip


# What may not start a line of running text (it would be Markdown syntax there).
LINE_START = tuple(word for word in WORDS if word[0] not in "<#")


def sentence(rng: random.Random, words: int = 6) -> str:
    rest = [rng.choice(WORDS) for _ in range(rng.randint(0, words - 1))]
    return " ".join([rng.choice(LINE_START), *rest])


def step_text(rng: random.Random, kind: StepKind, folder: Path, alternatives: int) -> StepText:
    blocks: list[Paragraph | BulletList] = []
    for _ in range(rng.randint(0 if kind is StepKind.QUIZ else 1, 3)):
        # A quiz's bullets are its answers, and two lists in a row are one list in Markdown.
        only_text = kind is StepKind.QUIZ or (blocks and isinstance(blocks[-1], BulletList))
        if only_text or rng.random() < 0.5:
            blocks.append(Paragraph(sentence(rng, 12)))
        else:
            blocks.append(BulletList(tuple(sentence(rng) for _ in range(rng.randint(1, 4)))))
    image = None
    if rng.random() < 0.5:
        image = Image(folder / rng.choice(("images/a.svg", "images/b.png")), sentence(rng))
    hint = sentence(rng) if kind is StepKind.TRY and rng.random() < 0.7 else None
    quiz = None
    if kind is StepKind.QUIZ:
        multiple = alternatives % 2 == 1
        correct = {0} if not multiple else {0, alternatives - 1}
        quiz = Quiz(
            multiple,
            tuple(
                QuizOption(sentence(rng), i in correct, sentence(rng)) for i in range(alternatives)
            ),
        )
    return StepText(sentence(rng), tuple(blocks), image, hint, quiz)


def generate(seed: int, folder: Path) -> Course:
    rng = random.Random(seed)
    languages = ["de", *rng.sample([c for c in LANGUAGE_CODES if c != "de"], rng.randint(0, 7))]
    kinds = [rng.choice((StepKind.EXPLAIN, StepKind.TRY, StepKind.QUIZ)) for _ in range(5)]
    steps = []
    for index, kind in enumerate([*kinds, StepKind.SUMMARY]):
        alternatives = rng.randint(2, 5)
        texts = {
            code: step_text(rng, kind, folder, alternatives)
            for code in languages
            if code == "de" or rng.random() < 0.8
        }
        steps.append(Step(f"step-{index}", kind, MappingProxyType(texts)))
    return Course(
        id=folder.name,
        version=rng.randint(1, 99),
        category=rng.choice(CATEGORIES),
        duration_minutes=rng.randint(1, 240),
        level=rng.choice(LEVELS),
        tags=tuple(rng.sample(("video", "family", "bank", "e-mail", "سلام"), rng.randint(0, 3))),
        device_kinds=tuple(rng.sample(("tablet", "smartphone", "vr-headset"), rng.randint(0, 2))),
        cover=folder / "images/a.svg" if rng.random() < 0.8 else None,
        languages=tuple(languages),
        titles=MappingProxyType({code: sentence(rng) for code in ["de", *languages[1:]]}),
        descriptions=MappingProxyType({code: sentence(rng, 20) for code in ["de", *languages[1:]]}),
        steps=tuple(steps),
        folder=folder,
    )


@pytest.mark.parametrize("seed", range(25))
def test_written_course_loads_back_unchanged(seed: int, tmp_path: Path) -> None:
    folder = tmp_path / f"course-{seed}"
    write(folder / "images" / "a.svg", SVG)
    write(folder / "images" / "b.png", PNG)
    course = generate(seed, folder)
    write_course(course)
    loaded = load_package(folder)
    assert [str(p) for p in loaded.problems] == []
    assert loaded.course == course
