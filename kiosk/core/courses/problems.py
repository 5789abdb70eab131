"""Problems found in a course package: PATH:LINE: message, the message translatable for staff.

A problem's message keeps its English message id (marked for the catalogue) apart from its
arguments, so that `kiosk courses check` prints the English text and a screen shows the same
problem in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import total_ordering
from pathlib import Path

from kiosk.core.i18n import Translator, isolate


@total_ordering
@dataclass(frozen=True, slots=True)
class Message:
    """What is wrong, as an English message id with named placeholders and their values.

    `str()` gives the English text (what the command line prints); `translated()` the text in a
    translator's language. A counting message has a plural (chosen by `count`).
    """

    msgid: str
    args: tuple[tuple[str, Argument], ...] = ()
    plural: str | None = None
    count: int = 0

    def __str__(self) -> str:
        return self._english().format(**{name: str(value) for name, value in self.args})

    def _english(self) -> str:
        return self.msgid if self.plural is None or self.count == 1 else self.plural

    def translated(self, tr: Translator) -> str:
        """The message in the translator's current language (English if it has none)."""
        if self.plural is None:
            template = tr.gettext(self.msgid)
        else:
            template = tr.ngettext(self.msgid, self.plural, self.count)
        values = {name: _shown(value, tr) for name, value in self.args}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation with a mistyped placeholder must not hide the problem: the English
            # words, with the reader's digits and isolated names.
            return self._english().format(**values)

    def __lt__(self, other: object) -> bool:
        """Problems at the same line are listed in the order of their English text."""
        if not isinstance(other, Message):
            return NotImplemented
        return str(self) < str(other)


# An argument of a message: text shown as it is (a file name, a key, a line number, a quoted
# value: isolated in right-to-left text, which could otherwise reorder it), a number
# written in the language's digits, or a message of its own (translated too).
Argument = str | int | Message


def _shown(value: Argument, tr: Translator) -> str:
    if isinstance(value, Message):
        return value.translated(tr)
    if isinstance(value, int):
        return tr.number(value)
    return isolate(value) if tr.current.is_rtl else value


def say(msgid: str, /, **args: Argument) -> Message:
    """A problem's message: `msgid` is marked with N_ where it is written."""
    return Message(msgid, tuple(args.items()))


def say_counted(singular: str, plural: str, count: int, /, **args: Argument) -> Message:
    """A message whose words agree with `count` (the extractor takes both forms as a plural
    pair); `count` is usually also one of `args`."""
    return Message(singular, tuple(args.items()), plural, count)


# Parsers report problems as (line, message); the caller knows which file they are reading.
Report = Callable[[int, Message], None]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a course package; `line` is 1-based (1 when no better line exists)."""

    path: Path
    line: int
    message: Message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def translated(self, tr: Translator) -> str:
        """`PATH:LINE: message` with the message in the translator's language."""
        place = f"{self.path}:{self.line}"
        return f"{isolate(place) if tr.current.is_rtl else place}: {self.message.translated(tr)}"


class ProblemLog:
    """Collects the problems of one package, file by file."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def reporter(self, path: Path) -> Report:
        """A `report(line, message)` function for one file."""
        problems = self.problems

        def report(line: int, message: Message) -> None:
            problems.append(Problem(path, max(line, 1), message))

        return report

    def reporter_in(self, folder: Path, name: str) -> Report:
        """`reporter(folder / name)`, but the path is joined only once a problem is reported:
        most files have none."""
        problems = self.problems
        path: Path | None = None

        def report(line: int, message: Message) -> None:
            nonlocal path
            if path is None:
                path = folder / name
            problems.append(Problem(path, max(line, 1), message))

        return report

    def __len__(self) -> int:
        return len(self.problems)

    def sorted(self) -> tuple[Problem, ...]:
        return tuple(sorted(set(self.problems)))
