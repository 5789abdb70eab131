"""Course packages the hub delivers, kept on the terminal: checked on arrival, switched atomically.

A package is installed only when its bytes have the SHA-256 the hub named and the unpacked
folder passes the same checker as `kiosk courses check`. It is unpacked under a temporary name
beside the installed ones, renamed to ``<course id>-<first 12 hex of its hash>/`` and only then
named in ``index.json``, which is replaced in one rename: a power cut at any moment leaves the
old index, naming a complete old folder. The old folder stays until `prune` (the UI calls it
when no visitor uses it any more), so a visitor mid-lesson finishes on the version they began.

Each installed course lives in ``<id>-<hash>/<id>/``: the checker wants the folder named like
the course.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.courses import load_packages
from kiosk.core.courses.archive import ArchiveError, sha256_of, unpack_course
from kiosk.core.courses.model import ID_PATTERN
from kiosk.fleet.files import IN_PROGRESS_PREFIXES, TEMP_PREFIX, fsync_tree, write_atomically

log = logging.getLogger("kiosk.fleet")

INDEX = "index.json"
# A temporary folder or file younger than this may belong to an install still running in
# another process (`kiosk sync` beside the kiosk); older ones are leftovers of a crash.
STALE_AFTER_S = 3600.0
PROBLEM_MAX = 500


@dataclass(frozen=True)
class CourseOffer:
    """One publication the hub offers this terminal's site."""

    id: int
    course_id: str
    version: int
    sha256: str
    size: int

    def describe(self) -> str:
        return f"{self.course_id} v{self.version} (id {self.id})"


@dataclass(frozen=True)
class InstalledCourse:
    """A course installed from the hub; ``folder`` is named like the course."""

    course_id: str
    id: int
    version: int
    sha256: str
    folder: Path


class InstallRefused(Exception):  # noqa: N818 - a refusal, not an error of the kiosk
    """The package is not installed (the old version stays); the message says why."""


@dataclass(frozen=True)
class _Refusal:
    offer: CourseOffer
    reason: str
    final: bool  # the package itself is at fault: fetching it again cannot help


class CourseStore:
    """The hub's course packages in one folder (``data_dir/fleet/courses``).

    install, remove and prune hold one lock: the sync thread installs while the UI prunes.
    """

    def __init__(self, root: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.root = root
        self._clock = clock
        self._lock = threading.Lock()
        self._refusals: dict[str, _Refusal] = {}  # course id -> its last failed install

    def installed(self) -> dict[str, InstalledCourse]:
        """The courses in use, by course id (an unreadable index counts as none: the terminal
        then shows the courses it ships)."""
        try:
            data = json.loads((self.root / INDEX).read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.error("the index of installed courses cannot be read (%s); none used", error)
            return {}
        entries = data.get("courses") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            log.error("the index of installed courses names no courses; none used")
            return {}
        found: dict[str, InstalledCourse] = {}
        for course_id, entry in entries.items():
            course = self._entry(course_id, entry)
            if course is None:
                log.error("an entry of the installed courses' index is damaged; left out")
            else:
                found[course_id] = course
        return found

    def folders(self) -> list[Path]:
        """The installed course folders that exist, sorted by course id."""
        courses = self.installed()
        return [courses[key].folder for key in sorted(courses) if courses[key].folder.is_dir()]

    def install(self, offer: CourseOffer, data: bytes) -> InstalledCourse:
        """Check and install a package the hub sent; raises InstallRefused (the installed
        version stays in use) or OSError (a local fault such as a full disk: try again)."""
        with self._lock:
            try:
                course = self._install(offer, data)
            except InstallRefused as error:
                self._refusals[offer.course_id] = _Refusal(offer, str(error), final=True)
                raise
            except OSError as error:
                reason = f"cannot be stored here ({error.strerror or type(error).__name__})"
                self._refusals[offer.course_id] = _Refusal(offer, reason, final=False)
                raise
            self._refusals.pop(offer.course_id, None)
            return course

    def _install(self, offer: CourseOffer, data: bytes) -> InstalledCourse:
        if not ID_PATTERN.fullmatch(offer.course_id):
            raise InstallRefused(f"{offer.course_id!r} is not a course id")
        if sha256_of(data) != offer.sha256:
            raise InstallRefused("hash mismatch")
        current = self.installed().get(offer.course_id)
        if current is not None and current.sha256 == offer.sha256 and current.folder.is_dir():
            if current.id != offer.id or current.version != offer.version:
                current = self._switch(offer, current.folder.parent)
            return current
        self.root.mkdir(parents=True, exist_ok=True)
        incoming = self.root / f"{TEMP_PREFIX}{secrets.token_hex(6)}"
        final = self.root / f"{offer.course_id}-{offer.sha256[:12]}"
        try:
            self._unpack_and_check(offer, data, incoming)
            # The same package unpacked before (installed, then rolled back, not yet pruned)
            # has the same files: it stays, since a visitor may be in it.
            if not final.is_dir():
                fsync_tree(incoming)
                incoming.replace(final)
        finally:
            if incoming.exists():
                shutil.rmtree(incoming, ignore_errors=True)
        log.info("course %s installed from the hub", offer.describe())
        return self._switch(offer, final)

    def _unpack_and_check(self, offer: CourseOffer, data: bytes, incoming: Path) -> None:
        try:
            folder = unpack_course(data, incoming, offer.course_id)
        except ArchiveError as error:
            raise InstallRefused(f"archive: {error}") from error
        catalogue = load_packages([folder])
        if catalogue.problems:
            lines = [
                f"{Path(os.path.relpath(p.path, incoming)).as_posix()}:{p.line}: {p.message}"
                for p in catalogue.problems
            ]
            raise InstallRefused("\n".join(lines))
        # The checker refuses an id other than the folder's name, which unpack_course made
        # the offered course id.
        (course,) = catalogue.courses
        if course.version != offer.version:
            raise InstallRefused(f"the package says version {course.version}")

    def _switch(self, offer: CourseOffer, container: Path) -> InstalledCourse:
        """Name ``container`` in the index as the course's installed version."""
        entries = self._raw_entries()
        entries[offer.course_id] = {
            "id": offer.id,
            "version": offer.version,
            "sha256": offer.sha256,
            "folder": container.name,
        }
        self._write_index(entries)
        return InstalledCourse(
            offer.course_id, offer.id, offer.version, offer.sha256, container / offer.course_id
        )

    def remove(self, course_id: str) -> bool:
        """The course is no longer installed from the hub (its folder stays until `prune`, for
        a visitor still in it); False if it was not installed."""
        with self._lock:
            self._refusals.pop(course_id, None)
            entries = self._raw_entries()
            if entries.pop(course_id, None) is None:
                return False
            self._write_index(entries)
            log.info("course %s is no longer installed from the hub", course_id)
            return True

    def prune(self, keep: Iterable[Path] = ()) -> list[Path]:
        """Delete the folders that neither the index nor ``keep`` (course folders still open
        in a visitor's session) names; returns what was deleted."""
        with self._lock:
            named = {course.folder.parent.name for course in self.installed().values()}
            for path in keep:
                path = Path(path)
                if path.parent.parent == self.root:
                    named.add(path.parent.name)
                elif path.parent == self.root:
                    named.add(path.name)
            try:
                entries = list(self.root.iterdir())
            except FileNotFoundError:
                return []
            removed = []
            for path in entries:
                if path.name == INDEX or path.name in named:
                    continue
                if path.name.startswith(IN_PROGRESS_PREFIXES):
                    age = self._clock() - path.lstat().st_mtime
                    if age < STALE_AFTER_S:
                        continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
            return removed

    def refuse(self, offer: CourseOffer, reason: str, *, final: bool = True) -> None:
        """Note that a package was not installed for a reason found before its bytes were
        here (``final``: not to be fetched again while the hub offers it)."""
        with self._lock:
            self._refusals[offer.course_id] = _Refusal(offer, reason, final)

    def refused(self, offer: CourseOffer) -> bool:
        """Whether this very package was refused for a fault of its own (not fetched again)."""
        refusal = self._refusals.get(offer.course_id)
        return refusal is not None and refusal.final and refusal.offer == offer

    def forget_refusals(self, offered: Iterable[CourseOffer]) -> None:
        """Drop the refusals of packages the hub no longer offers (it was withdrawn or a newer
        one published): the problem is over."""
        current = {offer.course_id: offer for offer in offered}
        with self._lock:
            for course_id in list(self._refusals):
                if self._refusals[course_id].offer != current.get(course_id):
                    del self._refusals[course_id]

    def problem(self) -> str:
        """The failed installs, one per course: 'video-calls v5 (id 18): hash mismatch'
        (at most 500 characters, for the health report)."""
        refusals = [self._refusals[key] for key in sorted(self._refusals)]
        text = "; ".join(f"{r.offer.describe()}: {r.reason}" for r in refusals).replace("\n", "; ")
        return text if len(text) <= PROBLEM_MAX else text[: PROBLEM_MAX - 1] + "…"

    def _raw_entries(self) -> dict[str, Any]:
        return {
            course.course_id: {
                "id": course.id,
                "version": course.version,
                "sha256": course.sha256,
                "folder": course.folder.parent.name,
            }
            for course in self.installed().values()
        }

    def _write_index(self, entries: dict[str, Any]) -> None:
        """Replace the index (``root`` exists: a course was installed, or the index read)."""
        body = {"format": 1, "courses": dict(sorted(entries.items()))}
        write_atomically(self.root / INDEX, json.dumps(body, indent=1).encode("utf-8"))

    def _entry(self, course_id: str, entry: object) -> InstalledCourse | None:
        if not ID_PATTERN.fullmatch(course_id):  # a key of a JSON object is a str
            return None
        if not isinstance(entry, dict):
            return None
        folder, sha256 = entry.get("folder"), entry.get("sha256")
        number, version = entry.get("id"), entry.get("version")
        if not (isinstance(folder, str) and folder == f"{course_id}-{str(sha256)[:12]}"):
            return None
        if not (isinstance(sha256, str) and isinstance(number, int) and isinstance(version, int)):
            return None
        return InstalledCourse(course_id, number, version, sha256, self.root / folder / course_id)
