"""TOML as the kiosk reads it: the site config and every course's course.toml.

The parser is tomli, the project the standard library's tomllib was taken from. Its wheels
are compiled (mypyc) and read a manifest about three times faster than tomllib, which counts
when a site holds hundreds of courses; where no compiled wheel exists, the same code runs as
plain Python. Neither reports where a key stands, so `KeyLines` finds the line of a key for
problem messages.
"""

from __future__ import annotations

import re
from typing import Any

import tomli


class TomlSyntaxError(ValueError):
    """Text that is not TOML: the line of the first mistake and what is wrong there."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def read_toml(text: str) -> dict[str, Any]:
    """The TOML document in `text`; raises TomlSyntaxError (never anything else) if it is not."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise TomlSyntaxError(error.lineno or 1, error.msg) from None
    except RecursionError:  # lists or inline tables nested a thousand deep
        raise TomlSyntaxError(1, "lists or tables are nested far too deeply") from None


class KeyLines:
    """The line of each key and table header in TOML text, indexed when first asked (a file
    without problems never is).

    Keys are paths as in the parsed data: `("title", "de")` for `de = …` below `[title]`, and
    `("devices", "1", "id")` for `id = …` in the second `[[devices]]`.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: dict[tuple[str, ...], int] | None = None

    def _index(self) -> dict[tuple[str, ...], int]:
        if self._lines is None:
            # Compiled here, not with the class: the site config is read at every start.
            header_re = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]")
            key_re = re.compile(r"\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")
            self._lines = {}
            table: tuple[str, ...] = ()
            counts: dict[tuple[str, ...], int] = {}  # [[array]] -> index of its last table
            for number, line in enumerate(self._text.split("\n"), start=1):  # as TOML counts
                header = header_re.match(line)
                if header:
                    table = self._parts(header.group(2))
                    if header.group(1) == "[[":
                        counts[table] = counts.get(table, -1) + 1
                        table = (*table, str(counts[table]))
                    self._lines.setdefault(table, number)
                    continue
                key = key_re.match(line)
                if key:
                    parts = self._parts(key.group(1))
                    for depth in range(1, len(parts) + 1):
                        self._lines.setdefault((*table, *parts[:depth]), number)
        return self._lines

    @staticmethod
    def _parts(dotted: str) -> tuple[str, ...]:
        return tuple(part.strip().strip("\"'") for part in dotted.split("."))

    def line(self, *path: str) -> int:
        """The line of the key (or of its nearest enclosing table), 1 if unknown."""
        index = self._index()
        for depth in range(len(path), 0, -1):
            if path[:depth] in index:
                return index[path[:depth]]
        return 1
