"""Keys that belong to one terminal and never to a site's config on a hub."""

from __future__ import annotations

from typing import Any

from kiosk.config.loading import Problem
from kiosk.core.toml_text import KeyLines, TomlSyntaxError, read_toml

# Where its hub is and who it is, and the staff PIN: one PIN hash for every terminal of a site
# would be one secret for them all.
TERMINAL_LOCAL = (("hub",), ("staff", "pin_hash"))


def terminal_local_problems(text: str, name: str) -> list[Problem]:
    """A problem for each terminal-local key the config text sets (a syntax error is one too)."""
    try:
        data = read_toml(text)
    except TomlSyntaxError as error:
        return [Problem(name, error.line, "syntax", error.message)]
    lines = KeyLines(text)
    problems = []
    for key_path in TERMINAL_LOCAL:
        value: Any = data
        for part in key_path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            problems.append(
                Problem(
                    name,
                    lines.line(*key_path),
                    ".".join(key_path),
                    "belongs to each terminal's own config, never to the hub; remove it",
                )
            )
    return problems
