"""Reading a site config file: TOML checked against the schema, every problem as FILE:LINE: key."""

from __future__ import annotations

import types
import typing
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config.export_folder import export_folder_problem
from kiosk.config.sections import SECTIONS, TABLE_ARRAYS, SiteConfig
from kiosk.config.settings import Setting, keys_of, type_name
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.core.toml_text import KeyLines, TomlSyntaxError, read_toml

Report = Callable[..., None]
"""Records a problem: report(message, *path), the path being the keys down to the value."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a config file, printed as FILE:LINE: key: message."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


class ConfigError(Exception):
    """The configuration cannot be used; `problems` says why, one line each."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_config(path: Path, *, data_dir: Path | None = None) -> SiteConfig:
    """Read and validate a site config file; raises ConfigError listing every problem.

    With ``data_dir`` (the terminal's data folder), paths that must stay outside it are checked.
    """
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError([Problem(name, 1, "file", f"cannot read: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError([Problem(name, line, "file", "not UTF-8 text")]) from None
    return parse_config(text, name, source=path, data_dir=data_dir)


def parse_config(
    text: str, name: str = "<config>", source: Path | None = None, data_dir: Path | None = None
) -> SiteConfig:
    """Validate TOML text; raises ConfigError listing every problem."""
    try:
        data = read_toml(text)
    except TomlSyntaxError as error:
        raise ConfigError([Problem(name, error.line, "syntax", error.message)]) from None
    problems: list[Problem] = []
    lines = KeyLines(text)

    def report(message: str, *path: str) -> None:
        display = ".".join(p if not p.isdigit() else f"[{p}]" for p in path).replace(".[", "[")
        problems.append(Problem(name, lines.line(*path), display, message))

    sections: dict[str, Any] = {}
    for key, value in data.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                report(f"expected a table [{key}], got {_toml_type(value)}", key)
                continue
            sections[key] = _build(SECTIONS[key], value, (key,), report)
        elif key in TABLE_ARRAYS:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                report(f"expected [[{key}]] tables, got {_toml_type(value)}", key)
                continue
            items = [
                _build(TABLE_ARRAYS[key], item, (key, str(i)), report)
                for i, item in enumerate(value)
            ]
            sections[key] = tuple(item for item in items if item is not None)
        else:
            known = ", ".join([*SECTIONS, *TABLE_ARRAYS])
            report(f"unknown key (known sections: {known})", key)

    config = SiteConfig(**{k: v for k, v in sections.items() if v is not None}, source=source)
    _cross_checks(config, report)
    if data_dir is not None and (
        problem := export_folder_problem(config.storage.export_folder, data_dir)
    ):
        report(problem, "storage", "export_folder")
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line))
    return config


def _build(cls: type, values: Mapping[str, Any], path: tuple[str, ...], report: Report) -> Any:
    """One section (or one table of an array) from its TOML table; None if a key is wrong."""
    declared = {key.name: key for key in keys_of(cls)}
    accepted: dict[str, Any] = {}
    failed = False
    for name, value in values.items():
        key = declared.get(name)
        if key is None:
            report(f"unknown key (known: {', '.join(declared)})", *path, name)
            failed = True
            continue
        if key.setting.plain_text and isinstance(value, str):
            value = every_language(value)
        problem = _type_error(value, key.type) or _range_error(value, key.setting)
        if key.setting.plain_text and not isinstance(value, dict):
            kind = _toml_type(value)
            problem = f"expected a string or a table of language code = text, got {kind}"
        if problem:
            report(problem, *path, name)
            failed = True
            continue
        accepted[name] = _frozen(value)
    for key in declared.values():
        if key.required and key.name not in values:
            report("required key is missing", *path, key.name)
            failed = True
    return None if failed else cls(**accepted)


def every_language(text: str) -> dict[str, str]:
    """A plain string where a table of texts is allowed: the same text in every shipped language
    (none for an empty string, as before the key had a text per language)."""
    return {code: text for code in LANGUAGE_CODES} if text else {}


def _type_error(value: Any, hint: Any) -> str | None:
    """Strict TOML type check: booleans are not numbers, integers are accepted as numbers."""
    if typing.get_origin(hint) is tuple:
        if not isinstance(value, list):
            return f"expected a list, got {_toml_type(value)}"
        for item in value:
            problem = _type_error(item, typing.get_args(hint)[0])
            if problem:
                return f"list item {item!r}: {problem}"
        return None
    if typing.get_origin(hint) is Mapping:
        if not isinstance(value, dict):
            return f"expected a table, got {_toml_type(value)}"
        for key, item in value.items():
            problem = _type_error(item, typing.get_args(hint)[1])
            if problem:
                return f"{key}: {problem}"
        return None
    ok = {
        str: isinstance(value, str),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, int | float) and not isinstance(value, bool),
        bool: isinstance(value, bool),
    }[hint]
    return None if ok else f"expected {type_name(hint)}, got {_toml_type(value)}"


def _toml_type(value: Any) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list"}
    return names.get(type(value), "table" if isinstance(value, dict) else type(value).__name__)


def _frozen(value: Any) -> Any:
    """TOML lists and tables as immutable values (the config is shared by the whole app)."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return types.MappingProxyType(dict(value))
    return value


def _range_error(value: Any, meta: Setting) -> str | None:
    if meta.choices is not None and value not in meta.choices:
        return f"must be one of {', '.join(meta.choices)}; got {value!r}"
    if meta.minimum is not None and value < meta.minimum:
        return f"must be at least {meta.minimum:g}; got {value!r}"
    if meta.maximum is not None and value > meta.maximum:
        return f"must be at most {meta.maximum:g}; got {value!r}"
    return meta.check(value) if meta.check else None


def _cross_checks(config: SiteConfig, report: Report) -> None:
    """Rules across keys: the default language is enabled, device ids are unique, photos exist,
    and the time zone is known."""
    if config.languages.default not in config.languages.enabled:
        report("the default language must be one of languages.enabled", "languages", "default")
    seen: set[str] = set()
    for index, device in enumerate(config.devices):
        if device.id in seen:
            report(f"device id {device.id!r} is used twice", "devices", str(index), "id")
        seen.add(device.id)
        if device.photo:
            photo = config.resolve(device.photo)
            if photo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
                report("the photo must be PNG, JPEG or SVG", "devices", str(index), "photo")
            elif not photo.is_file():
                report(f"no such file: {photo}", "devices", str(index), "photo")
        if device.min_minutes > device.max_minutes:
            report("min_minutes is longer than max_minutes", "devices", str(index), "min_minutes")
    if config.hub.url and not config.hub.site:
        report("a terminal that joins a hub needs its site id", "hub", "url")
    try:
        zoneinfo.ZoneInfo(config.site.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        report(f"unknown time zone {config.site.timezone!r}", "site", "timezone")
