"""One problem found in a course package, printed as PATH:LINE: message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Parsers report problems as (line, message); the caller knows which file they are reading.
Report = Callable[[int, str], None]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a course package; `line` is 1-based (1 when no better line exists)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ProblemLog:
    """Collects the problems of one package, file by file."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def reporter(self, path: Path) -> Report:
        """A `report(line, message)` function for one file."""
        problems = self.problems

        def report(line: int, message: str) -> None:
            problems.append(Problem(path, max(line, 1), message))

        return report

    def reporter_in(self, folder: Path, name: str) -> Report:
        """`reporter(folder / name)`, but the path is joined only once a problem is reported:
        most files have none."""
        problems = self.problems
        path: Path | None = None

        def report(line: int, message: str) -> None:
            nonlocal path
            if path is None:
                path = folder / name
            problems.append(Problem(path, max(line, 1), message))

        return report

    def __len__(self) -> int:
        return len(self.problems)

    def sorted(self) -> tuple[Problem, ...]:
        return tuple(sorted(set(self.problems)))
