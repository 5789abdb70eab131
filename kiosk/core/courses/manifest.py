"""course.toml: reading and checking the manifest of one course package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.core.courses.model import DEFAULT_LANGUAGE, ID_PATTERN
from kiosk.core.courses.problems import Report
from kiosk.core.courses.safety import check_characters
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.core.toml_text import KeyLines, TomlSyntaxError, read_toml

CATEGORIES = ("first-steps", "communication", "safety", "online-services", "media", "smart-home")
LEVELS = ("beginner", "advanced")
MAX_TITLE = 120
MAX_DESCRIPTION = 300
MAX_TAGS = 20
MAX_DURATION = 240


@dataclass(frozen=True)
class Manifest:
    """The checked fields of course.toml; an invalid field holds its empty value instead."""

    id: str
    version: int
    category: str
    duration_minutes: int
    level: str
    tags: tuple[str, ...]
    device_kinds: tuple[str, ...]
    cover: str | None
    languages: tuple[str, ...]
    titles: dict[str, str]
    descriptions: dict[str, str]
    lines: KeyLines


def parse_manifest(text: str, folder_name: str, report: Report) -> Manifest | None:
    """Check course.toml; None if it is not TOML at all (every other problem is reported)."""
    data = _read_toml(text, report)
    if data is None:
        return None
    raw_characters_found = check_characters(text, report)
    reader = _FieldReader(data, KeyLines(text), report)
    values = {
        _ATTRIBUTES.get(name, name): reader.read(name, spec) for name, spec in _FIELDS.items()
    }
    for key in data:
        if key not in _FIELDS:
            report(reader.lines.line(key), f"unknown key {key!r} (known: {', '.join(_FIELDS)})")
    manifest = Manifest(**values, lines=reader.lines)
    if manifest.id and manifest.id != folder_name:
        report(
            reader.lines.line("id"),
            f"id {manifest.id!r} differs from the folder name {folder_name!r}; make them the same",
        )
    _check_titles(manifest, report)
    if not raw_characters_found and "\\" in text:  # only escapes can hide characters now
        _check_escaped_characters(manifest, report)
    return manifest


def _read_toml(text: str, report: Report) -> dict[str, Any] | None:
    """The TOML data, or None after reporting the syntax error."""
    try:
        return read_toml(text)
    except TomlSyntaxError as error:
        report(error.line, f"TOML syntax error: {error.message}")
        return None


# -- fields -------------------------------------------------------------------------------------

Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class _Field:
    kind: str  # "string", "integer", "list", "table"
    required: bool
    check: Check | None = None
    # What of a wrong value is still worth checking the rest of the package against.
    salvage: Callable[[Any], Any] | None = None


def _check_id(value: str) -> str | None:
    if ID_PATTERN.fullmatch(value):
        return None
    return f"must be 1-60 lowercase letters, digits and '-' (like 'video-calls'); got {value!r}"


def _choice(choices: tuple[str, ...]) -> Check:
    def check(value: str) -> str | None:
        if value in choices:
            return None
        return f"must be one of {', '.join(choices)}; got {value!r}"

    return check


def _between(low: int, high: int) -> Check:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"must be {low}-{high}; got {value}"

    return check


def _check_tags(value: list[str]) -> str | None:
    if len(value) > MAX_TAGS:
        return f"at most {MAX_TAGS} tags"
    bad = next((tag for tag in value if not tag.strip() or len(tag) > 40), None)
    return None if bad is None else f"tag {bad!r} must be 1-40 characters"


def _check_device_kinds(value: list[str]) -> str | None:
    bad = next((kind for kind in value if not ID_PATTERN.fullmatch(kind)), None)
    return None if bad is None else f"device kind {bad!r} must be lowercase letters, digits and '-'"


def unknown_language_message(code: str) -> str:
    return f"unknown language {code!r} (known: {', '.join(LANGUAGE_CODES)})"


def _check_languages(value: list[str]) -> str | None:
    if not value:
        return 'list at least one language, e.g. ["de"]'
    unknown = next((code for code in value if code not in LANGUAGE_CODES), None)
    if unknown is not None:
        return unknown_language_message(unknown)
    if len(set(value)) != len(value):
        return "a language is listed twice"
    return None


def _known_languages(value: Any) -> tuple[str, ...]:
    """The usable part of a wrong languages list, so that the content files are still checked."""
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(code for code in value if code in LANGUAGE_CODES))


_FIELDS: dict[str, _Field] = {
    "id": _Field("string", True, _check_id),
    "version": _Field("integer", True, _between(1, 1_000_000)),
    "category": _Field("string", True, _choice(CATEGORIES)),
    "duration_minutes": _Field("integer", True, _between(1, MAX_DURATION)),
    "level": _Field("string", True, _choice(LEVELS)),
    "tags": _Field("list", False, _check_tags),
    "device_kinds": _Field("list", False, _check_device_kinds),
    "cover": _Field("string", False),
    "languages": _Field("list", True, _check_languages, _known_languages),
    "title": _Field("table", True),
    "description": _Field("table", True),
}
_ATTRIBUTES = {"title": "titles", "description": "descriptions"}
_EMPTY: dict[str, Any] = {"string": "", "integer": 0, "list": (), "table": {}}
_TYPE_NAMES = {
    "string": "a string in quotes",
    "integer": "a whole number",
    "list": 'a list of strings, e.g. ["a", "b"]',
    "table": "a table of language = text",
}


class _FieldReader:
    """Reads one field at a time, reporting a problem at the field's line."""

    def __init__(self, data: dict[str, Any], lines: KeyLines, report: Report) -> None:
        self._data = data
        self.lines = lines
        self._report = report

    def read(self, name: str, spec: _Field) -> Any:
        value = self._data.get(name)
        empty = _EMPTY[spec.kind] if spec.required or spec.kind != "string" else None
        if value is None:
            if spec.required:
                self._report(1, f"required key {name!r} is missing")
            return empty
        problem = _type_problem(value, spec.kind) or (spec.check(value) if spec.check else None)
        if problem:
            self._report(self.lines.line(name), f"{name}: {problem}")
            return spec.salvage(value) if spec.salvage and spec.kind != "table" else empty
        if spec.kind == "table":
            return self._table(name, value)
        return tuple(value) if spec.kind == "list" else value

    def _table(self, name: str, value: dict[str, Any]) -> dict[str, str]:
        limit = MAX_TITLE if name == "title" else MAX_DESCRIPTION
        texts: dict[str, str] = {}
        for code, text in value.items():
            problem = None
            if code not in LANGUAGE_CODES:
                problem = f"[{name}]: {unknown_language_message(code)}"
            elif not isinstance(text, str):
                problem = f"{name}.{code} must be a string in quotes"
            else:
                # Kept even when reported, so that no follow-up "missing" problem appears.
                texts[code] = text
                if not text.strip():
                    problem = f"{name}.{code} is empty"
                elif len(text) > limit:
                    problem = f"{name}.{code} is {len(text)} characters; at most {limit}"
            if problem:
                self._report(self.lines.line(name, code), problem)
        return texts


def _type_problem(value: Any, kind: str) -> str | None:
    if kind == "string":
        ok = isinstance(value, str)
    elif kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "list":
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    else:
        ok = isinstance(value, dict)
    return None if ok else f"must be {_TYPE_NAMES[kind]}, got {_toml_type(value)}"


def _toml_type(value: Any) -> str:
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        return "a list with something other than strings"
    names = {bool: "true/false", int: "a number", float: "a number", str: "a string"}
    return names.get(type(value), "a table" if isinstance(value, dict) else "a list")


def _check_titles(manifest: Manifest, report: Report) -> None:
    """German is the default language; title and description come in the same languages."""
    lines = manifest.lines
    if DEFAULT_LANGUAGE not in manifest.titles:
        report(lines.line("title"), "title for 'de' (German) is missing; it is required")
    if DEFAULT_LANGUAGE not in manifest.descriptions:
        report(lines.line("description"), "description for 'de' (German) is missing")
    for code in manifest.titles.keys() - manifest.descriptions.keys() - {DEFAULT_LANGUAGE}:
        report(lines.line("description"), f"description for {code!r} is missing (title has it)")
    for code in manifest.descriptions.keys() - manifest.titles.keys() - {DEFAULT_LANGUAGE}:
        report(lines.line("title"), f"title for {code!r} is missing (description has it)")


def _check_escaped_characters(manifest: Manifest, report: Report) -> None:
    """TOML escapes (\\u202E) can smuggle in characters the raw-text check cannot see."""
    lines = manifest.lines
    for table, texts in (("title", manifest.titles), ("description", manifest.descriptions)):
        for code, text in texts.items():
            check_characters(text, report, line=lines.line(table, code))
    for tag in manifest.tags:
        check_characters(tag, report, line=lines.line("tags"))
