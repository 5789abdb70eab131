"""How a configuration key is declared (its Setting) and how a section's keys are read back."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

Check = Callable[[Any], str | None]
"""A rule beyond type and range: the problem with a value, or None when it is fine."""

T = TypeVar("T")

# The key of a field's metadata that holds its Setting.
_SETTING = "setting"

NO_TEXTS: Mapping[str, str] = types.MappingProxyType({})
"""The default of every table of texts (read-only, so one object serves them all)."""


@dataclass(frozen=True)
class Setting:
    """What a configuration key means and allows, beside its type and default."""

    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    check: Check | None = None
    # A table of texts per language that may also be written as one plain string, meaning the
    # same text in every language (what the key was before it had a text per language).
    plain_text: bool = False


def setting(
    default: T,
    description: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] | None = None,
    check: Check | None = None,
    plain_text: bool = False,
) -> T:
    """Declare a key with its default, as a field of a section:
    `idle_timeout_s: int = setting(90, "Seconds without input …", minimum=15)`."""
    about = {_SETTING: Setting(description, minimum, maximum, choices, check, plain_text)}
    if isinstance(default, Mapping):
        # Dataclasses refuse a table as a default (it could be changed by one instance and seen
        # by all); the defaults here are read-only tables, so every instance may share one.
        return field(default_factory=lambda: default, metadata=about)
    return field(default=default, metadata=about)


def required(description: str, *, check: Check | None = None) -> Any:
    """Declare a key every table must give (it has no default)."""
    return field(metadata={_SETTING: Setting(description, check=check)})


@dataclass(frozen=True)
class Key:
    """One declared key of a section, read back from its field."""

    name: str
    type: Any  # str, int, float, bool, tuple[X, ...] (a TOML list) or Mapping[str, X] (a table)
    setting: Setting
    required: bool
    default: Any  # None when required


def keys_of(section: type) -> list[Key]:
    """The keys of a section (a dataclass of `setting()` fields), in declaration order."""
    hints = typing.get_type_hints(section)
    keys = []
    for each in dataclasses.fields(section):
        if each.default is not dataclasses.MISSING:
            required, default = False, each.default
        elif each.default_factory is not dataclasses.MISSING:
            required, default = False, each.default_factory()
        else:
            required, default = True, None
        keys.append(Key(each.name, hints[each.name], each.metadata[_SETTING], required, default))
    return keys


def type_name(hint: Any, plain_text: bool = False) -> str:
    """A key's type in the words of TOML: 'integer', 'list of string', 'table of string'
    ('string or table of string' for a table of texts that may be one plain string)."""
    if plain_text:
        return "string or " + type_name(hint)
    if typing.get_origin(hint) is tuple:
        return "list of " + type_name(typing.get_args(hint)[0])
    if typing.get_origin(hint) is Mapping:
        return "table of " + type_name(typing.get_args(hint)[1])
    return {str: "string", int: "integer", float: "number", bool: "boolean"}.get(hint, str(hint))
