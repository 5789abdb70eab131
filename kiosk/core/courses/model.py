"""What a loaded course is: immutable courses, steps, per-language texts and quizzes.

Every record here is a frozen dataclass: fields are read by name, nothing changes once loaded,
and two records are equal when their class and fields are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiosk.core import i18n

DEFAULT_LANGUAGE = "de"
# Course ids and step ids: they name folders and are stored with progress, so keep them plain.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")


class StepKind(StrEnum):
    """What a step asks of the visitor."""

    EXPLAIN = "explain"
    TRY = "try"
    QUIZ = "quiz"
    SUMMARY = "summary"


def inline_html(text: str) -> str:
    """Qt-rich-text-safe HTML of one line of course text: escaped, only **bold** becomes <b>.

    An unmatched `**` stays visible as typed (the validator reports it).
    """
    parts = text.split("**")
    if len(parts) % 2 == 0:
        parts[-2:] = [parts[-2] + "**" + parts[-1]]
    return "".join(
        f"<b>{html.escape(part, quote=False)}</b>" if index % 2 else html.escape(part, quote=False)
        for index, part in enumerate(parts)
    )


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text (may contain **bold**)."""

    text: str

    def html(self) -> str:
        return f"<p>{inline_html(self.text)}</p>"


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bullet list; each item is one line of text (may contain **bold**)."""

    items: tuple[str, ...]

    def html(self) -> str:
        items = "".join(f"<li>{inline_html(item)}</li>" for item in self.items)
        return f"<ul>{items}</ul>"


Block = Paragraph | BulletList


@dataclass(frozen=True, slots=True)
class Image:
    """An illustration: its file in the course folder and what it shows (for screen readers)."""

    path: Path
    alt: str


@dataclass(frozen=True, slots=True)
class QuizOption:
    """One answer of a quiz with the feedback shown once it is chosen."""

    text: str
    correct: bool
    feedback: str

    def text_html(self) -> str:
        return inline_html(self.text)

    def feedback_html(self) -> str:
        return inline_html(self.feedback)


@dataclass(frozen=True, slots=True)
class Quiz:
    """The answers of a quiz step; `multiple` means several may be right (check boxes)."""

    multiple: bool
    options: tuple[QuizOption, ...]

    @property
    def correct(self) -> frozenset[int]:
        """Indexes of the right answers."""
        return frozenset(i for i, option in enumerate(self.options) if option.correct)

    def is_correct(self, chosen: Collection[int]) -> bool:
        """Whether the visitor chose exactly the right answers."""
        return frozenset(chosen) == self.correct


@dataclass(frozen=True, slots=True)
class StepText:
    """A step in one language. For a quiz, `title` is the question."""

    title: str
    blocks: tuple[Block, ...] = ()
    image: Image | None = None
    hint: str | None = None
    quiz: Quiz | None = None

    def title_html(self) -> str:
        return inline_html(self.title)

    def body_html(self) -> str:
        """Paragraphs and lists as Qt rich text; everything else in the text is escaped."""
        return "".join(block.html() for block in self.blocks)

    def hint_html(self) -> str:
        return inline_html(self.hint) if self.hint else ""


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a course; its id is the same in every language (progress is stored by id)."""

    id: str
    kind: StepKind
    texts: Mapping[str, StepText]  # language -> text; the course's main language comes first

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.texts)


def resolve_language(
    available: Collection[str], language: str, fallback_chain: Iterable[str] = ()
) -> str | None:
    """The first of `language`, then `fallback_chain`, that is in `available` (Leichte Sprache
    tries German before the chain)."""
    chain = i18n.fallback_chain(language, fallback_chain)
    return next((code for code in chain if code in available), None)


def step_text(
    step: Step, language: str, fallback_chain: Iterable[str] = ()
) -> tuple[StepText, str]:
    """The step's text in `language`, else in the first fallback that has it, else in the main
    language; returns the text and the language actually used (for its text direction)."""
    code = resolve_language(step.texts, language, fallback_chain) or next(iter(step.texts))
    return step.texts[code], code


@dataclass(frozen=True)
class Course:
    """A course package as loaded and validated; only courses without problems exist as this."""

    id: str
    version: int
    category: str
    duration_minutes: int
    level: str
    tags: tuple[str, ...]
    device_kinds: tuple[str, ...]
    cover: Path | None
    languages: tuple[str, ...]  # languages with a content file, as listed in course.toml
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    steps: tuple[Step, ...]
    folder: Path

    @property
    def main_language(self) -> str:
        """The language whose content file defines the steps and their order."""
        return main_language(self.languages)

    def title_in(self, language: str, fallback_chain: Iterable[str] = ()) -> str:
        """The title in `language`, else the first fallback that has one, else German."""
        code = resolve_language(self.titles, language, fallback_chain) or DEFAULT_LANGUAGE
        return self.titles[code]

    def description_in(self, language: str, fallback_chain: Iterable[str] = ()) -> str:
        """The one-sentence description, chosen like the title."""
        code = resolve_language(self.descriptions, language, fallback_chain) or DEFAULT_LANGUAGE
        return self.descriptions[code]

    def step(self, step_id: str) -> Step:
        """The step with this id; KeyError if the course has none (e.g. after an update)."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_index(self, step_id: str) -> int:
        """Position of a step, for resuming; KeyError if the course has no such step."""
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        raise KeyError(step_id)


def main_language(languages: Collection[str]) -> str:
    """German if the course has it, else the first language listed."""
    if DEFAULT_LANGUAGE in languages or not languages:
        return DEFAULT_LANGUAGE
    return next(iter(languages))
