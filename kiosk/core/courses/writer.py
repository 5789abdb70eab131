"""Writing a Course back into course.toml and content/<lang>.md (the inverse of the loader).

Used to generate packages (tests, benchmarks, a future authoring tool); loading what this
writes gives the same Course again. Image files are not written: they must already exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from kiosk.core.courses.loader import CONTENT, MANIFEST
from kiosk.core.courses.model import BulletList, Course, Paragraph, Quiz, Step, StepText


def _toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes), and json escapes everything
    # TOML would reject.
    return json.dumps(text, ensure_ascii=False)


def _toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_string(item) for item in items) + "]"


def _toml_table(name: str, texts: Mapping[str, str]) -> list[str]:
    return [f"[{name}]", *(f"{code} = {_toml_string(text)}" for code, text in texts.items())]


def manifest_toml(course: Course) -> str:
    """The course.toml of a course."""
    lines = [
        f"id = {_toml_string(course.id)}",
        f"version = {course.version}",
        f"category = {_toml_string(course.category)}",
        f"duration_minutes = {course.duration_minutes}",
        f"level = {_toml_string(course.level)}",
        f"tags = {_toml_list(course.tags)}",
        f"device_kinds = {_toml_list(course.device_kinds)}",
    ]
    if course.cover is not None:
        lines.append(f"cover = {_toml_string(_relative(course, course.cover))}")
    lines.append(f"languages = {_toml_list(course.languages)}")
    lines += ["", *_toml_table("title", course.titles)]
    lines += ["", *_toml_table("description", course.descriptions)]
    return "\n".join(lines) + "\n"


def content_markdown(course: Course, language: str) -> str:
    """content/<language>.md: the steps that have a text in this language."""
    parts = [f"# {course.titles.get(language, course.titles['de'])}"]
    for step in course.steps:
        text = step.texts.get(language)
        if text is not None:
            parts.append(_step_markdown(course, step, text))
    return "\n\n".join(parts) + "\n"


def _step_markdown(course: Course, step: Step, text: StepText) -> str:
    lines = [f"## {step.kind} {step.id}: {text.title}"]
    for block in text.blocks:
        lines.append("")
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, BulletList):
            lines += [f"- {item}" for item in block.items]
    if text.image is not None:
        lines += ["", f"![{text.image.alt}]({_relative(course, text.image.path)})"]
    if text.hint is not None:
        lines += ["", f"> {text.hint}"]
    if text.quiz is not None:
        lines += ["", *_quiz_markdown(text.quiz)]
    return "\n".join(lines)


def _quiz_markdown(quiz: Quiz) -> list[str]:
    marks = ("[ ]", "[x]") if quiz.multiple else ("( )", "(x)")
    lines: list[str] = []
    for option in quiz.options:
        lines += [f"- {marks[option.correct]} {option.text}", f"  > {option.feedback}"]
    return lines


def _relative(course: Course, path: Path) -> str:
    return path.relative_to(course.folder).as_posix()


def write_course(course: Course, folder: Path | None = None) -> Path:
    """Write the manifest and every content file into `folder` (default: course.folder)."""
    folder = folder if folder is not None else course.folder
    (folder / CONTENT).mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(manifest_toml(course), encoding="utf-8")
    for language in course.languages:
        path = folder / CONTENT / f"{language}.md"
        path.write_text(content_markdown(course, language), encoding="utf-8")
    return folder
