"""Every declared key as plain data, for the administrators' reference and its tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kiosk.config.sections import SECTIONS, TABLE_ARRAYS
from kiosk.config.settings import keys_of, type_name


@dataclass(frozen=True)
class KeyInfo:
    """One declared key, for the generated reference and its tests."""

    path: str  # "section.key", or "devices[].key" for a key of each [[devices]] table
    type_name: str
    default: Any  # None when required
    description: str
    minimum: float | None
    maximum: float | None
    choices: tuple[str, ...] | None
    required: bool


def declared_keys() -> Iterator[KeyInfo]:
    """Every key the config file may contain, in declaration order."""
    for section, cls in [*SECTIONS.items(), *TABLE_ARRAYS.items()]:
        prefix = f"{section}[]" if section in TABLE_ARRAYS else section
        for key in keys_of(cls):
            yield KeyInfo(
                path=f"{prefix}.{key.name}",
                type_name=type_name(key.type, key.setting.plain_text),
                default=key.default,
                description=key.setting.description,
                minimum=key.setting.minimum,
                maximum=key.setting.maximum,
                choices=key.setting.choices,
                required=key.required,
            )
