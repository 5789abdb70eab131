"""The catalogue: every course package under a folder, the good ones usable, the broken listed."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.courses.loader import MANIFEST, LoadedPackage, load_package
from kiosk.core.courses.manifest import CATEGORIES, LEVELS
from kiosk.core.courses.model import Course, step_text
from kiosk.core.courses.problems import Problem, say
from kiosk.core.courses.safety import real_path_below
from kiosk.core.courses.search import SearchIndex
from kiosk.core.i18n import N_

DEFAULT_FALLBACK = ("en", "de")
# The topic a newcomer starts with: its courses come first among those of the same level.
FIRST_TOPIC = CATEGORIES[0]


def shelf_order(courses: Iterable[Course]) -> tuple[Course, ...]:
    """Courses in the order the catalogue shows them: beginner level first, the first-steps
    topic first within a level, else by id (so the order never changes between visits)."""

    def key(course: Course) -> tuple[int, bool, str]:
        level = LEVELS.index(course.level) if course.level in LEVELS else len(LEVELS)
        return level, course.category != FIRST_TOPIC, course.id

    return tuple(sorted(courses, key=key))


@dataclass(frozen=True, slots=True)
class StepLanguages:
    """In which languages a visitor reading in one language would see a course's steps."""

    total: int
    own: int
    """Steps that have a text in the visitor's language."""
    others: tuple[str, ...]
    """Languages the other steps are shown in instead, the most used first."""

    @property
    def complete(self) -> bool:
        return self.own == self.total

    @property
    def none_own(self) -> bool:
        return self.own == 0 and self.total > 0


def step_languages(
    course: Course, language: str, fallback_chain: Sequence[str] = DEFAULT_FALLBACK
) -> StepLanguages:
    """How many steps of `course` a visitor reading `language` gets in it, and which languages
    the rest fall back to (as the lesson chooses them: the fallback chain, then the course's
    main language)."""
    used = Counter(step_text(step, language, fallback_chain)[1] for step in course.steps)
    own = used.pop(language, 0)
    # most_common keeps first-seen order among equal counts: the earlier step's language first.
    others = tuple(code for code, _count in used.most_common())
    return StepLanguages(len(course.steps), own, others)


@dataclass(frozen=True, slots=True)
class BrokenPackage:
    """A package the kiosk does not offer, and why."""

    path: Path
    problems: tuple[Problem, ...]


class Catalogue:
    """The usable courses (sorted by id) and the broken packages with their problems;
    `for_visitors` holds the courses in the order the catalogue shows them."""

    def __init__(
        self,
        courses: Iterable[Course],
        broken: Iterable[BrokenPackage] = (),
        fallback_languages: Sequence[str] = DEFAULT_FALLBACK,
    ) -> None:
        self.courses: tuple[Course, ...] = tuple(sorted(courses, key=lambda c: c.id))
        self.broken: tuple[BrokenPackage, ...] = tuple(broken)
        self.fallback_languages = tuple(fallback_languages)
        self.for_visitors: tuple[Course, ...] = shelf_order(self.courses)
        self._by_id = {course.id: course for course in self.courses}
        self._index = SearchIndex(self.for_visitors, self.fallback_languages)

    def __len__(self) -> int:
        return len(self.courses)

    def __iter__(self) -> Iterator[Course]:
        return iter(self.courses)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem of every broken package, package by package."""
        return tuple(problem for package in self.broken for problem in package.problems)

    def get(self, course_id: str) -> Course | None:
        """The course with this id (e.g. from a resume code), None if it is gone or broken."""
        return self._by_id.get(course_id)

    def prepare_search(self, language: str) -> None:
        """Build the search index of a language now (else the first search there does)."""
        self._index.prepare(language)

    def search(self, query: str, language: str) -> list[Course]:
        """Courses matching every word of `query` in their title, description or tags as shown
        in `language` (with the fallback chain); title matches first, each group in the order
        of `for_visitors`. Empty query: all, in that order."""
        return self._index.search(query, language)


def find_packages(root: Path) -> list[Path]:
    """The course folders in a courses folder, sorted; names starting with '_' or '.' are
    skipped (drafts, editor files)."""
    with os.scandir(root) as entries:
        names = sorted(
            entry.name
            for entry in entries
            if entry.is_dir() and not entry.name.startswith(("_", "."))
        )
    return [root / name for name in names]


def load_catalogue(
    root: Path,
    *,
    fallback_languages: Sequence[str] = DEFAULT_FALLBACK,
    updates: Sequence[Path] = (),
) -> Catalogue:
    """Load every package under `root`; never raises because of what is in the folder.

    ``updates`` are package folders from elsewhere (the hub's, installed on this terminal):
    each replaces the package of the same folder name under `root`, or is added.
    """
    replaced = {folder.name for folder in updates}
    try:
        folders = [folder for folder in find_packages(root) if folder.name not in replaced]
    except OSError as error:
        message = (
            say(N_("cannot read the courses folder: {reason}"), reason=str(error.strerror))
            if root.exists()
            else say(N_("the courses folder does not exist"))
        )
        problem = Problem(root, 1, message)
        broken = BrokenPackage(root, (problem,))
        if not updates:
            return Catalogue((), [broken], fallback_languages)
        catalogue = load_packages(updates, fallback_languages=fallback_languages)
        return Catalogue(catalogue.courses, (broken, *catalogue.broken), fallback_languages)
    # The root is resolved once; below it, only a folder that is a link needs resolving.
    real_root = os.path.realpath(root)
    located = [(folder, real_path_below(real_root, folder.name)) for folder in folders]
    located += [(folder, os.path.realpath(folder)) for folder in updates]
    return _load(located, fallback_languages)


def load_packages(
    folders: Iterable[Path], *, fallback_languages: Sequence[str] = DEFAULT_FALLBACK
) -> Catalogue:
    """Load the given package folders (each once) and check that no two share an id."""
    located = ((folder, os.path.realpath(folder)) for folder in folders)
    return _load(located, fallback_languages)


def _load(located: Iterable[tuple[Path, str]], fallback_languages: Sequence[str]) -> Catalogue:
    """Load (folder, its real path) pairs, a real path only once: by the folder itself rather
    than by a link to it (whose name would not match the course id)."""
    chosen: dict[str, Path] = {}
    for folder, real in located:
        kept = chosen.get(real)
        own_name = real.rpartition(os.sep)[2]
        if kept is None or (kept.name != own_name and folder.name == own_name):
            chosen[real] = folder
    packages = [load_package(folder, real_folder=real) for real, folder in chosen.items()]
    return _catalogue(packages, fallback_languages)


def _catalogue(packages: list[LoadedPackage], fallback_languages: Sequence[str]) -> Catalogue:
    courses: list[Course] = []
    broken: list[BrokenPackage] = []
    for package, duplicate in zip(packages, _duplicates(packages), strict=True):
        problems = package.problems + duplicate
        if package.course is not None and not problems:
            courses.append(package.course)
        else:
            broken.append(BrokenPackage(package.folder, problems))
    return Catalogue(courses, broken, fallback_languages)


def _duplicates(packages: Sequence[LoadedPackage]) -> list[tuple[Problem, ...]]:
    """Per package, the problem of reusing another package's id. The package whose folder is
    named like the id keeps it (else the first one); every other one is reported."""
    owners: dict[str, LoadedPackage] = {}
    for package in packages:
        if package.course_id and package.course_id == package.name:
            owners.setdefault(package.course_id, package)
    for package in packages:
        if package.course_id:
            owners.setdefault(package.course_id, package)
    result: list[tuple[Problem, ...]] = []
    for package in packages:
        owner = owners.get(package.course_id)
        if owner is None or owner is package:
            result.append(())
            continue
        message = say(
            N_("id {id} is already used by {file}"),
            id=repr(package.course_id),
            file=str(owner.folder / MANIFEST),
        )
        result.append((Problem(package.folder / MANIFEST, package.id_line, message),))
    return result
