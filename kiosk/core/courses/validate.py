"""`kiosk courses check`: validate course folders given on the command line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.courses.catalogue import find_packages, load_packages
from kiosk.core.courses.loader import MANIFEST, is_package
from kiosk.core.courses.problems import Problem, say
from kiosk.core.i18n import N_


@dataclass(frozen=True)
class CheckResult:
    """Every problem found, and how many courses are fine."""

    problems: tuple[Problem, ...]
    courses_ok: int

    @property
    def ok(self) -> bool:
        return not self.problems


def check_courses(paths: Sequence[Path]) -> CheckResult:
    """Check courses folders and single course folders; problems name paths as given."""
    folders: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.name == MANIFEST and path.is_file():
            folders.append(path.parent)
        elif not path.exists():
            problems.append(Problem(path, 1, say(N_("no such file or folder"))))
        elif not path.is_dir():
            problems.append(Problem(path, 1, say(N_("give a course folder or the courses folder"))))
        elif is_package(path):
            folders.append(path)
        else:
            try:
                folders.extend(find_packages(path))
            except OSError as error:
                message = say(N_("cannot read the folder: {reason}"), reason=str(error.strerror))
                problems.append(Problem(path, 1, message))
    catalogue = load_packages(folders)
    return CheckResult((*problems, *catalogue.problems), len(catalogue.courses))
