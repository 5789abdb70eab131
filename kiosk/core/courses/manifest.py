"""course.toml: reading and checking the manifest of one course package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.core.courses.model import DEFAULT_LANGUAGE, ID_PATTERN
from kiosk.core.courses.problems import Message, Report, say, say_counted
from kiosk.core.courses.safety import check_characters
from kiosk.core.i18n import LANGUAGE_CODES, N_
from kiosk.core.toml_text import KeyLines, TomlSyntaxError, read_toml

CATEGORIES = ("first-steps", "communication", "safety", "online-services", "media", "smart-home")
LEVELS = ("beginner", "advanced")
MAX_TITLE = 120
MAX_DESCRIPTION = 300
MAX_TAGS = 20
MAX_DURATION = 240
MAX_TAG = 40  # characters of one tag
MAX_ID = 60  # characters of a course id (model.ID_PATTERN)


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
            report(
                reader.lines.line(key),
                say(
                    N_("unknown key {key} (known: {known})"),
                    key=repr(key),
                    known=", ".join(_FIELDS),
                ),
            )
    manifest = Manifest(**values, lines=reader.lines)
    if manifest.id and manifest.id != folder_name:
        report(
            reader.lines.line("id"),
            say(
                N_("id {id} differs from the folder name {folder}; make them the same"),
                id=repr(manifest.id),
                folder=repr(folder_name),
            ),
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
        report(error.line, say(N_("TOML syntax error: {details}"), details=error.message))
        return None


# -- fields -------------------------------------------------------------------------------------

Check = Callable[[Any], Message | None]


@dataclass(frozen=True)
class _Field:
    kind: str  # "string", "integer", "list", "table"
    required: bool
    check: Check | None = None
    # What of a wrong value is still worth checking the rest of the package against.
    salvage: Callable[[Any], Any] | None = None


def _check_id(value: str) -> Message | None:
    if ID_PATTERN.fullmatch(value):
        return None
    return say_counted(
        "must be {low}-{n} lowercase letter, digit and '-' (like 'video-calls'); got {value}",
        "must be {low}-{n} lowercase letters, digits and '-' (like 'video-calls'); got {value}",
        MAX_ID,
        low=1,
        n=MAX_ID,
        value=repr(value),
    )


def _choice(choices: tuple[str, ...]) -> Check:
    def check(value: str) -> Message | None:
        if value in choices:
            return None
        return say(
            N_("must be one of {known}; got {value}"), known=", ".join(choices), value=repr(value)
        )

    return check


def _between(low: int, high: int) -> Check:
    def check(value: int) -> Message | None:
        if low <= value <= high:
            return None
        return say(N_("must be {low}-{high}; got {number}"), low=low, high=high, number=value)

    return check


def _check_tags(value: list[str]) -> Message | None:
    if len(value) > MAX_TAGS:
        return say_counted("at most {n} tag", "at most {n} tags", MAX_TAGS, n=MAX_TAGS)
    bad = next((tag for tag in value if not tag.strip() or len(tag) > MAX_TAG), None)
    if bad is None:
        return None
    return say_counted(
        "tag {value} must be {low}-{n} character",
        "tag {value} must be {low}-{n} characters",
        MAX_TAG,
        value=repr(bad),
        low=1,
        n=MAX_TAG,
    )


def _check_device_kinds(value: list[str]) -> Message | None:
    bad = next((kind for kind in value if not ID_PATTERN.fullmatch(kind)), None)
    if bad is None:
        return None
    return say(N_("device kind {kind} must be lowercase letters, digits and '-'"), kind=repr(bad))


def unknown_language_message(code: str) -> Message:
    return say(
        N_("unknown language {code} (known: {known})"),
        code=repr(code),
        known=", ".join(LANGUAGE_CODES),
    )


def _check_languages(value: list[str]) -> Message | None:
    if not value:
        return say(N_("list at least one language, e.g. {example}"), example='["de"]')
    unknown = next((code for code in value if code not in LANGUAGE_CODES), None)
    if unknown is not None:
        return unknown_language_message(unknown)
    if len(set(value)) != len(value):
        return say(N_("a language is listed twice"))
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
    "string": say(N_("a string in quotes")),
    "integer": say(N_("a whole number")),
    "list": say(N_("a list of strings, e.g. {example}"), example='["a", "b"]'),
    "table": say(N_("a table of language = text")),
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
                self._report(1, say(N_("required key {key} is missing"), key=repr(name)))
            return empty
        problem = _type_problem(value, spec.kind) or (spec.check(value) if spec.check else None)
        if problem:
            self._report(
                self.lines.line(name), say(N_("{key}: {problem}"), key=name, problem=problem)
            )
            return spec.salvage(value) if spec.salvage and spec.kind != "table" else empty
        if spec.kind == "table":
            return self._table(name, value)
        return tuple(value) if spec.kind == "list" else value

    def _table(self, name: str, value: dict[str, Any]) -> dict[str, str]:
        limit = MAX_TITLE if name == "title" else MAX_DESCRIPTION
        texts: dict[str, str] = {}
        for code, text in value.items():
            problem = None
            key = f"{name}.{code}"
            if code not in LANGUAGE_CODES:
                problem = say(
                    N_("{key}: {problem}"), key=f"[{name}]", problem=unknown_language_message(code)
                )
            elif not isinstance(text, str):
                problem = say(N_("{key} must be a string in quotes"), key=key)
            else:
                # Kept even when reported, so that no follow-up "missing" problem appears.
                texts[code] = text
                if not text.strip():
                    problem = say(N_("{key} is empty"), key=key)
                elif len(text) > limit:
                    problem = say_counted(
                        "{key} is {n} character; at most {limit}",
                        "{key} is {n} characters; at most {limit}",
                        len(text),
                        key=key,
                        n=len(text),
                        limit=limit,
                    )
            if problem:
                self._report(self.lines.line(name, code), problem)
        return texts


def _type_problem(value: Any, kind: str) -> Message | None:
    if kind == "string":
        ok = isinstance(value, str)
    elif kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "list":
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    else:
        ok = isinstance(value, dict)
    if ok:
        return None
    return say(
        N_("must be {expected}, got {found}"), expected=_TYPE_NAMES[kind], found=_toml_type(value)
    )


_TOML_TYPES = {
    bool: say(N_("true/false")),
    int: say(N_("a number")),
    float: say(N_("a number")),
    str: say(N_("a string")),
}


def _toml_type(value: Any) -> Message:
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        return say(N_("a list with something other than strings"))
    found = _TOML_TYPES.get(type(value))
    if found is not None:
        return found
    return say(N_("a table")) if isinstance(value, dict) else say(N_("a list"))


def _check_titles(manifest: Manifest, report: Report) -> None:
    """German is the default language; title and description come in the same languages."""
    lines = manifest.lines
    if DEFAULT_LANGUAGE not in manifest.titles:
        report(lines.line("title"), say(N_("title for 'de' (German) is missing; it is required")))
    if DEFAULT_LANGUAGE not in manifest.descriptions:
        report(lines.line("description"), say(N_("description for 'de' (German) is missing")))
    for code in manifest.titles.keys() - manifest.descriptions.keys() - {DEFAULT_LANGUAGE}:
        report(
            lines.line("description"),
            say(N_("description for {code} is missing (title has it)"), code=repr(code)),
        )
    for code in manifest.descriptions.keys() - manifest.titles.keys() - {DEFAULT_LANGUAGE}:
        report(
            lines.line("title"),
            say(N_("title for {code} is missing (description has it)"), code=repr(code)),
        )


def _check_escaped_characters(manifest: Manifest, report: Report) -> None:
    """TOML escapes (\\u202E) can smuggle in characters the raw-text check cannot see."""
    lines = manifest.lines
    for table, texts in (("title", manifest.titles), ("description", manifest.descriptions)):
        for code, text in texts.items():
            check_characters(text, report, line=lines.line(table, code))
    for tag in manifest.tags:
        check_characters(tag, report, line=lines.line("tags"))
