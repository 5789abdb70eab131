"""Loading one course package: the manifest, every language file and their images, cross-checked.

A package with any problem is not turned into a Course; its problems are returned instead, so
a mistake in one course never hides the others or stops the kiosk.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType

from kiosk.core.courses.manifest import Manifest, parse_manifest, unknown_language_message
from kiosk.core.courses.markdown import ParsedStep, parse_steps
from kiosk.core.courses.model import Course, Image, Quiz, Step, StepKind, StepText, main_language
from kiosk.core.courses.problems import Message, Problem, ProblemLog, Report, say
from kiosk.core.courses.safety import (
    MAX_MANIFEST_BYTES,
    MAX_TEXT_BYTES,
    ExactNames,
    ImageChecker,
    inside,
    read_text,
)
from kiosk.core.i18n import LANGUAGE_CODES, N_
from kiosk.core.toml_text import KeyLines

MANIFEST = "course.toml"
CONTENT = "content"
_NAME = attrgetter("name")
_NOTHING_THERE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})
_CORRECT = attrgetter("correct")


@dataclass(frozen=True)
class LoadedPackage:
    """What loading one folder gave: the course (only if there was no problem) and the problems."""

    folder: Path
    name: str  # of the folder in its parent (also for '.'), which the course id should equal
    course: Course | None
    problems: tuple[Problem, ...]
    course_id: str  # as declared in course.toml ("" if unreadable), for duplicate checks
    manifest_lines: KeyLines | None

    @property
    def id_line(self) -> int:
        """The line of `id` in course.toml (for a duplicate-id problem)."""
        return self.manifest_lines.line("id") if self.manifest_lines else 1


def load_package(folder: Path, *, real_folder: str | None = None) -> LoadedPackage:
    """Load and check one course folder; never raises for anything inside the folder.

    `real_folder` is `os.path.realpath(folder)` if the caller has it already.
    """
    try:
        return _PackageLoader(folder, real_folder or os.path.realpath(folder)).load()
    except OSError as error:  # e.g. a folder without read permission
        where = Path(error.filename) if isinstance(error.filename, str) else folder
        problem = Problem(where, 1, say(N_("cannot read: {reason}"), reason=str(error.strerror)))
        return LoadedPackage(folder, folder_name(folder), None, (problem,), "", None)


def folder_name(folder: Path) -> str:
    """The name a folder has in its parent, also for '.' or 'courses/x/..'."""
    return Path(os.path.normpath(folder.absolute())).name


def is_package(folder: Path) -> bool:
    """Whether a folder looks like one course (rather than a folder of courses)."""
    return (folder / MANIFEST).exists() or (folder / CONTENT).is_dir()


@dataclass(frozen=True, slots=True)
class _Document:
    language: str
    report: Report  # for problems in this file
    steps: dict[str, ParsedStep]  # id -> step, in file order


class _PackageLoader:
    def __init__(self, folder: Path, real_folder: str) -> None:
        self._folder = folder
        self._real = real_folder
        self._name = folder_name(folder)
        self._log = ProblemLog()
        self._names = ExactNames(self._real)
        self._images = ImageChecker(
            self._real, self._names, report_in=lambda name: self._log.reporter(folder / name)
        )
        self._image_objects: dict[tuple[str, str], Image] = {}  # (source, alt) -> Image
        self._unreadable: list[str] = []  # languages whose file could not be read
        self._manifest_path = folder / MANIFEST
        self._manifest_report = self._log.reporter(self._manifest_path)

    def load(self) -> LoadedPackage:
        manifest = self._manifest()
        documents = self._documents(manifest)
        listed = manifest.languages if manifest else ()
        order = [code for code in listed if code in documents] or sorted(documents)
        ordered: list[_Document] = []
        main = main_language([*order, *self._unreadable])
        if main in documents:  # else its problem is reported; comparing would only add noise
            ordered = [documents[main], *(documents[code] for code in order if code != main)]
            for translation in ordered[1:]:
                self._compare(ordered[0], translation)
        course = None
        if manifest is not None and not self._log:
            course = self._course(manifest, ordered)
        return LoadedPackage(
            self._folder,
            self._name,
            course,
            self._log.sorted(),
            manifest.id if manifest else "",
            manifest.lines if manifest else None,
        )

    def _outside(self, path: Path | str) -> bool:
        """A link (or a linked folder) that points out of the package."""
        return not inside(os.path.realpath(path), self._real)

    def _manifest(self) -> Manifest | None:
        path = self._manifest_path
        report = self._manifest_report
        mode = _mode(path)
        linked = stat.S_ISLNK(mode)
        if not (path.is_file() if linked else stat.S_ISREG(mode)):
            report(
                1,
                say(
                    N_("{file} is missing; every course folder needs one (see courses/README.md)"),
                    file=MANIFEST,
                ),
            )
            return None
        if linked and self._outside(path):
            report(
                1,
                say(
                    N_("{file} leaves the course folder (a link to a file elsewhere)"),
                    file=MANIFEST,
                ),
            )
            return None
        actual = self._names.actual(MANIFEST)
        if actual is not None:
            report(1, _other_case("file", actual, MANIFEST))
            return None
        text = read_text(path, MAX_MANIFEST_BYTES, report)
        if text is None:
            return None
        manifest = parse_manifest(text, self._name, report)
        if manifest is not None and manifest.cover is not None:
            problem = self._images.problem(manifest.cover)
            if problem:
                report(
                    manifest.lines.line("cover"),
                    say(N_("{key}: {problem}"), key="cover", problem=problem),
                )
        return manifest

    def _documents(self, manifest: Manifest | None) -> dict[str, _Document]:
        files = self._content_files(self._folder / CONTENT, manifest)
        if manifest is not None:
            for code in manifest.languages:
                if code not in files:
                    self._manifest_report(
                        manifest.lines.line("languages"),
                        say(
                            N_("{key}: {code} is listed, but {file} is missing"),
                            key="languages",
                            code=repr(code),
                            file=f"{CONTENT}/{code}.md",
                        ),
                    )
        documents = {}
        for code, (path, report) in files.items():
            steps = self._parse(path, report)
            if steps is None:
                self._unreadable.append(code)
            else:
                documents[code] = _Document(code, report, steps)
        return documents

    def _content_files(
        self, content: Path, manifest: Manifest | None
    ) -> dict[str, tuple[str, Report]]:
        """content/<lang>.md files by language (the path to read, the file's reporter); anything
        else there is reported."""
        mode = _mode(content)
        linked = stat.S_ISLNK(mode)
        if not (content.is_dir() if linked else stat.S_ISDIR(mode)):
            return {}
        # (Unless it is a link, it is inside: its real path is the package's plus its name.)
        if linked and self._outside(content):
            self._log.reporter(content)(
                1, say(N_("the content folder is a link to a folder elsewhere"))
            )
            return {}
        actual = self._names.actual(CONTENT)
        if actual is not None:
            self._log.reporter(content)(1, _other_case("folder", actual, CONTENT))
            return {}
        files: dict[str, tuple[str, Report]] = {}
        with os.scandir(content) as entries:
            for entry in sorted(entries, key=_NAME):
                name = entry.name
                if name.startswith("."):
                    continue  # editor and system files (.DS_Store, .de.md.swp)
                report = self._log.reporter_in(content, name)
                code = name.removesuffix(".md")
                if code == name or not entry.is_file():
                    report(
                        1,
                        say(
                            N_("unexpected file: {folder} holds only <language>.md files"),
                            folder=f"{CONTENT}/",
                        ),
                    )
                elif code not in LANGUAGE_CODES:
                    report(
                        1,
                        say(
                            N_("{problem}; name the file <language>.md"),
                            problem=unknown_language_message(code),
                        ),
                    )
                elif entry.is_symlink() and self._outside(entry.path):
                    report(
                        1,
                        say(N_("this file leaves the course folder (a link to a file elsewhere)")),
                    )
                else:
                    if manifest is not None and code not in manifest.languages:
                        report(
                            1,
                            say(
                                N_(
                                    "language {code} is not listed in {file} (languages = [...]); "
                                    "add it there or remove this file"
                                ),
                                code=repr(code),
                                file=MANIFEST,
                            ),
                        )
                    files[code] = (entry.path, report)
        return files

    def _parse(self, path: str, report: Report) -> dict[str, ParsedStep] | None:
        text = read_text(path, MAX_TEXT_BYTES, report, check=True)
        if text is None:
            return None

        def image_for(source: str, alt: str, line: int) -> Image:
            problem = self._images.problem(source)
            if problem:
                report(line, problem)
            return self._image(source, alt)

        return parse_steps(text, report, image_for)

    def _compare(self, main: _Document, translation: _Document) -> None:
        """A translation may leave steps out, never add one or change what a step is."""
        report = translation.report
        where = f"{main.language}.md"
        main_steps = main.steps
        for step in translation.steps.values():
            original = main_steps.get(step.id)
            if step.kind is None or (original is not None and original.kind is None):
                continue  # an unknown kind is reported already; comparing it only adds noise
            if original is None:
                report(
                    step.line,
                    say(
                        N_(
                            "step {id} is not in {file}; a translation may leave steps out "
                            "but not add new ones"
                        ),
                        id=repr(step.id),
                        file=where,
                    ),
                )
            elif original.kind is not step.kind:
                report(
                    step.line,
                    say(
                        N_("step {id} is a {kind} step here but a {other} step in {file}"),
                        id=repr(step.id),
                        kind=str(step.kind),
                        other=str(original.kind),
                        file=where,
                    ),
                )
            else:
                quiz, original_quiz = step.text.quiz, original.text.quiz
                if quiz and original_quiz and not _same_answers(quiz, original_quiz):
                    report(
                        step.line,
                        say(
                            N_("the answers differ from {file}: there {there}, here {here}"),
                            file=where,
                            there=_answers(original_quiz),
                            here=_answers(quiz),
                        ),
                    )

    def _image(self, source: str, alt: str) -> Image:
        """The Image of a reference as written; one object for each (the same image is often in
        every language)."""
        key = (source, alt)
        image = self._image_objects.get(key)
        if image is None:
            image = self._image_objects[key] = Image(self._folder / source, alt)
        return image

    def _course(self, manifest: Manifest, documents: list[_Document]) -> Course:
        """The course, once nothing is wrong; `documents` start with the main language."""
        main = documents[0]
        texts: dict[str, dict[str, StepText]] = {step_id: {} for step_id in main.steps}
        for document in documents:  # so every step has its languages in this order
            language = document.language
            for step_id, parsed in document.steps.items():
                step_texts = texts.get(step_id)  # (a translation has no other steps by now)
                if step_texts is not None:
                    step_texts[language] = parsed.text
        steps = tuple(
            Step(
                step_id,
                parsed.kind or StepKind.EXPLAIN,  # never None: an unknown kind is a problem
                MappingProxyType(texts[step_id]),
            )
            for step_id, parsed in main.steps.items()
        )
        folder = self._folder
        return Course(
            id=manifest.id,
            version=manifest.version,
            category=manifest.category,
            duration_minutes=manifest.duration_minutes,
            level=manifest.level,
            tags=manifest.tags,
            device_kinds=manifest.device_kinds,
            cover=folder / manifest.cover if manifest.cover else None,
            languages=manifest.languages,
            titles=MappingProxyType(manifest.titles),
            descriptions=MappingProxyType(manifest.descriptions),
            steps=steps,
            folder=folder,
        )


def _other_case(what: str, actual: str, name: str) -> Message:
    if what == "folder":
        return say(
            N_(
                "the folder is called {actual}; name it {name} "
                "(terminals tell capital and small letters apart)"
            ),
            actual=actual,
            name=name,
        )
    return say(
        N_(
            "the file is called {actual}; name it {name} "
            "(terminals tell capital and small letters apart)"
        ),
        actual=actual,
        name=name,
    )


def _mode(path: Path) -> int:
    """The file type and mode bits of a path itself (not of what a link points to); 0 if there
    is nothing. One system call where `is_file()` and `is_symlink()` make two."""
    try:
        return os.lstat(path).st_mode
    except OSError as error:
        if error.errno in _NOTHING_THERE:  # what `is_file()` says False to; others are raised
            return 0
        raise


def _same_answers(quiz: Quiz, other: Quiz) -> bool:
    """Whether two quizzes have the same answer pattern (as `_answers` writes it)."""
    options, other_options = quiz.options, other.options
    return len(options) == len(other_options) and (
        not options
        or (
            quiz.multiple == other.multiple
            and list(map(_CORRECT, options)) == list(map(_CORRECT, other_options))
        )
    )


def _answers(quiz: Quiz) -> str:
    """A quiz's answer pattern, e.g. '( ) (x) ( )', to compare languages."""
    marks = ("[ ]", "[x]") if quiz.multiple else ("( )", "(x)")
    return " ".join(marks[option.correct] for option in quiz.options)
