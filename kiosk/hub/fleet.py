"""Course packages on the hub: publishing checked packages, listing and rolling them back, and
what each site is offered (the courses and the config its terminals pull).

A package is checked as `kiosk courses check` checks it, packed canonically, unpacked again and
checked once more (what a terminal will do), and only then stored; a set of packages is
published all together or not at all.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.core.courses import check_courses, find_packages, load_package
from kiosk.core.courses.archive import ArchiveError, PackedCourse, pack_course, unpack_course
from kiosk.core.courses.loader import MANIFEST, is_package
from kiosk.core.courses.model import ID_PATTERN
from kiosk.hub.admin import AdminError, Conn, check_site_id

_COLUMNS = (
    "id, course_id, version, sha256, size, sites, withdrawn_sites, published_at, withdrawn_at"
)
# Whether publication p reaches the site %(site)s: live, for all sites or named, not rolled back.
_REACHES = (
    "p.withdrawn_at IS NULL AND (p.sites IS NULL OR %(site)s = ANY (p.sites)) "
    "AND NOT %(site)s = ANY (p.withdrawn_sites)"
)
# Per course, the newest publication that reaches the site: what its terminals are offered.
_OFFERED = (
    f"SELECT DISTINCT ON (p.course_id) {', '.join('p.' + c for c in _COLUMNS.split(', '))} "  # noqa: S608
    f"FROM course_packages p WHERE {_REACHES} ORDER BY p.course_id, p.version DESC"
)
# Publishing and rolling back one course take turns (the versions are compared first).
_LOCK_SPACE = 7_246_015


@dataclass(frozen=True)
class Publication:
    """One stored course package (without its bytes)."""

    id: int
    course_id: str
    version: int
    sha256: str
    size: int
    sites: tuple[str, ...] | None  # None: every site
    withdrawn_sites: tuple[str, ...]  # rolled back for these sites only
    published_at: datetime
    withdrawn_at: datetime | None

    def sites_text(self) -> str:
        """'all sites', 'vhs, library' or 'all sites but library', for people."""
        named = "all sites" if self.sites is None else ", ".join(self.sites)
        if not self.withdrawn_sites:
            return named
        return f"{named} but {', '.join(self.withdrawn_sites)}"


@dataclass(frozen=True)
class Published:
    publication: Publication
    new: bool  # False: the same content was published already, nothing was stored


@dataclass(frozen=True)
class Listed:
    """A publication in `kiosk hub courses list`, with the sites that get it now."""

    publication: Publication
    offered_to: tuple[str, ...]

    @property
    def state(self) -> str:
        """'offered' (some site gets it now), 'live' (superseded or no site yet), 'withdrawn'."""
        if self.publication.withdrawn_at is not None:
            return "withdrawn"
        return "offered" if self.offered_to else "live"


@dataclass(frozen=True)
class RolledBack:
    """A publication withdrawn (for one site or all) and what the sites get now instead."""

    publication: Publication
    site: str | None
    now_offered: dict[str, Publication | None]  # per site

    def message(self) -> str:
        withdrawn = self.publication
        head = f"{withdrawn.course_id}: id {withdrawn.id} withdrawn"
        if self.site is not None:
            head += f" for {self.site}"
        groups: dict[int | None, list[str]] = {}
        for site, offered in self.now_offered.items():
            groups.setdefault(None if offered is None else offered.id, []).append(site)
        versions = {p.id: p for p in self.now_offered.values() if p is not None}
        if self.site is None and len(groups) <= 1:
            # Every site gets the same: say so without naming them.
            offered_id = next(iter(groups), None)
            if offered_id is None:
                return f"{head}; no version is offered now"
            offered = versions[offered_id]
            return f"{head}; sites now get version {offered.version} (id {offered.id})"
        parts = []
        for offered_id, sites in groups.items():
            names = ", ".join(sites)
            if offered_id is None:
                parts.append(f"{names} {'is' if len(sites) == 1 else 'are'} offered no version")
            else:
                offered = versions[offered_id]
                verb = "gets" if len(sites) == 1 else "get"
                parts.append(f"{names} now {verb} version {offered.version} (id {offered.id})")
        return f"{head}; {'; '.join(parts)}"


def publish(conn: Conn, paths: Sequence[Path], sites: Sequence[str] | None) -> list[Published]:
    """Check, pack and store the course packages at ``paths`` (course folders, or folders of
    them) for ``sites`` (None: all sites). Raises AdminError with one PATH:LINE line per problem,
    having stored nothing, if any package has a problem or does not raise its version."""
    chosen = _sites(conn, sites)
    folders, problems = _package_folders(paths)
    if not problems:
        problems = [str(problem) for problem in check_courses(folders).problems]
    if problems:
        raise AdminError("\n".join(problems))
    packed: list[tuple[Path, PackedCourse, int, int]] = []
    for folder in folders:
        package, version, version_line, archive_problems = _pack_checked(folder)
        problems.extend(archive_problems)
        if package is not None:
            packed.append((folder, package, version, version_line))
    if problems:
        raise AdminError("\n".join(problems))
    done = []
    for folder, package, version, version_line in packed:
        stored = _store(conn, package, version, chosen)
        if stored is None:
            highest = _highest_version(conn, package.course_id)
            problems.append(
                f"{folder / MANIFEST}:{version_line}: version: raise it above {highest} "
                "(the newest published)"
            )
        else:
            done.append(stored)
    if problems:
        raise AdminError("\n".join(problems))
    return done


def _sites(conn: Conn, sites: Sequence[str] | None) -> tuple[str, ...] | None:
    if not sites:
        return None
    chosen = tuple(sorted(set(sites)))
    for site in chosen:
        check_site_id(site)
        if conn.execute("SELECT 1 FROM sites WHERE id = %s", [site]).fetchone() is None:
            raise AdminError(
                f"no site {site!r} on this hub: push its config first (kiosk hub config push)"
            )
    return chosen


def _package_folders(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The course folders the paths name (a course folder, its course.toml, or a folder of
    courses), and a PATH:1 line for each path that names none."""
    folders: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.name == MANIFEST and path.is_file():
            folders.append(path.parent)
        elif not path.is_dir():
            problems.append(f"{path}:1: give a course folder (no such folder)")
        elif is_package(path):
            folders.append(path)
        else:
            try:
                found = find_packages(path)
            except OSError as error:
                problems.append(f"{path}:1: cannot read the folder: {error.strerror}")
                continue
            if not found:
                problems.append(f"{path}:1: holds no course package (no {MANIFEST})")
            folders.extend(found)
    return folders, problems


def _pack_checked(folder: Path) -> tuple[PackedCourse | None, int, int, list[str]]:
    """The canonical archive of a checked folder, its version and the line of `version` in its
    manifest, and the problems a terminal would find in the archive (unpacked and checked as it
    does)."""
    loaded = load_package(folder)
    if loaded.course is None:  # changed since it was checked
        return None, 0, 1, [str(problem) for problem in loaded.problems]
    version = loaded.course.version
    line = loaded.manifest_lines.line("version") if loaded.manifest_lines else 1
    # The folder's own name, also for '.': it is the archive's top folder and the course id.
    named = Path(os.path.normpath(folder.absolute()))
    try:
        package = pack_course(named)
        with tempfile.TemporaryDirectory(prefix="kiosk-publish-") as scratch:
            unpacked = unpack_course(package.data, Path(scratch), package.course_id)
            again = check_courses([unpacked]).problems
            # The problems as they would read in the folder given (e.g. a file left out
            # because its name starts with '.', but named in the content).
            lines = [str(p).replace(str(unpacked), str(folder), 1) for p in again]
    except (ArchiveError, OSError) as error:
        return None, version, line, [f"{folder}:1: cannot be packed: {error}"]
    return (None if lines else package), version, line, lines


def _store(
    conn: Conn, package: PackedCourse, version: int, sites: tuple[str, ...] | None
) -> Published | None:
    """Store the package as a new publication; the existing one if the course's newest live
    publication has the same content and sites; None if the version is not new."""
    _lock(conn, package.course_id)
    newest = conn.execute(
        f"SELECT {_COLUMNS} FROM course_packages WHERE course_id = %s AND withdrawn_at IS NULL "  # noqa: S608
        "ORDER BY version DESC LIMIT 1",
        [package.course_id],
    ).fetchone()
    if newest is not None:
        current = _publication(newest)
        if current.sha256 == package.sha256 and (current.sites, current.withdrawn_sites) == (
            sites,
            (),
        ):
            return Published(current, new=False)
    highest = _highest_version(conn, package.course_id)
    if highest is not None and version <= highest:
        return None
    row = conn.execute(
        "INSERT INTO course_packages (course_id, version, sha256, size, archive, sites) "  # noqa: S608
        f"VALUES (%s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}",
        [
            package.course_id,
            version,
            package.sha256,
            len(package.data),
            package.data,
            None if sites is None else list(sites),
        ],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT … RETURNING returned no row")
    return Published(_publication(row), new=True)


def _highest_version(conn: Conn, course_id: str) -> int | None:
    row = conn.execute(
        "SELECT max(version) FROM course_packages WHERE course_id = %s", [course_id]
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _lock(conn: Conn, course_id: str) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_SPACE, course_id])


def publications(conn: Conn) -> list[Listed]:
    """Every publication, by course and newest version first, with the sites that get it."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM course_packages ORDER BY course_id, version DESC, id DESC"  # noqa: S608
    ).fetchall()
    offered_to: dict[int, list[str]] = {}
    for site in _known_sites(conn):
        for offer in offers(conn, site):
            offered_to.setdefault(offer.id, []).append(site)
    return [
        Listed(publication, tuple(offered_to.get(publication.id, ())))
        for publication in map(_publication, rows)
    ]


def offers(conn: Conn, site: str) -> list[Publication]:
    """What the site's terminals are offered: per course its newest live publication for the
    site, sorted by course id."""
    return [_publication(row) for row in conn.execute(_OFFERED, {"site": site}).fetchall()]


def offered_archive(conn: Conn, site: str, publication_id: int) -> bytes | None:
    """The archive of a publication, exactly as stored, if the site is offered it now."""
    row = conn.execute(
        f"SELECT p.archive FROM course_packages p WHERE p.id = %(id)s AND {_REACHES} "  # noqa: S608
        "AND NOT EXISTS (SELECT 1 FROM course_packages n WHERE n.course_id = p.course_id "
        f"AND n.version > p.version AND {_REACHES.replace('p.', 'n.')})",
        {"id": publication_id, "site": site},
    ).fetchone()
    return None if row is None else bytes(row[0])


def config_offer(conn: Conn, site: str) -> tuple[int, str, str] | None:
    """(version, sha256, body) of the site's newest config, None if it has none."""
    row = conn.execute(
        "SELECT version, sha256, body FROM site_configs WHERE site = %s "
        "ORDER BY version DESC LIMIT 1",
        [site],
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), str(row[2]))


def rollback(conn: Conn, target: str, site: str | None = None) -> RolledBack:
    """Withdraw a publication (``target``: its id, or a course id for the course's newest live
    one, or with ``site`` the one that site gets now) for every site or for ``site`` only; the
    sites then get the previous version again, or none."""
    if site is not None:
        check_site_id(site)
        if site not in _known_sites(conn):
            raise AdminError(f"no site {site!r} on this hub")
    publication = _rollback_target(conn, target, site)
    _lock(conn, publication.course_id)
    if site is None:
        conn.execute(
            "UPDATE course_packages SET withdrawn_at = now() WHERE id = %s", [publication.id]
        )
    else:
        # Named sites all rolled back: the publication reaches nobody, so it is withdrawn.
        conn.execute(
            "UPDATE course_packages SET withdrawn_sites = array_append(withdrawn_sites, %(site)s),"
            " withdrawn_at = CASE WHEN sites <@ array_append(withdrawn_sites, %(site)s) "
            "THEN now() END WHERE id = %(id)s",
            {"site": site, "id": publication.id},
        )
    sites = [site] if site is not None else (_known_sites(conn) or [""])
    now_offered: dict[str, Publication | None] = {}
    for name in sites:
        current = [p for p in offers(conn, name) if p.course_id == publication.course_id]
        now_offered[name] = current[0] if current else None
    return RolledBack(publication, site, now_offered)


def _rollback_target(conn: Conn, target: str, site: str | None) -> Publication:
    if target.isdigit():
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM course_packages WHERE id = %s",  # noqa: S608
            [min(int(target), 2**62)],
        ).fetchone()
        if row is None:
            raise AdminError(f"no publication with id {target} (see kiosk hub courses list)")
        publication = _publication(row)
        if publication.withdrawn_at is not None:
            raise AdminError(f"id {target} is withdrawn already")
        if site is not None:
            if publication.sites is not None and site not in publication.sites:
                raise AdminError(f"id {target} is not published for site {site}")
            if site in publication.withdrawn_sites:
                raise AdminError(f"id {target} is withdrawn for site {site} already")
        return publication
    if not ID_PATTERN.fullmatch(target):
        raise AdminError(
            f"{target!r}: give a publication id or a course id (see kiosk hub courses list)"
        )
    if site is not None:
        offered = [p for p in offers(conn, site) if p.course_id == target]
        if not offered:
            raise AdminError(f"{target}: site {site} is offered no version of it")
        return offered[0]
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM course_packages WHERE course_id = %s AND withdrawn_at IS NULL "  # noqa: S608
        "ORDER BY version DESC LIMIT 1",
        [target],
    ).fetchone()
    if row is None:
        raise AdminError(f"{target}: no live publication to roll back")
    return _publication(row)


def _known_sites(conn: Conn) -> list[str]:
    return [str(row[0]) for row in conn.execute("SELECT id FROM sites ORDER BY id")]


def _publication(row: tuple[Any, ...]) -> Publication:
    return Publication(
        id=int(row[0]),
        course_id=str(row[1]),
        version=int(row[2]),
        sha256=str(row[3]),
        size=int(row[4]),
        sites=None if row[5] is None else tuple(sorted(map(str, row[5]))),
        withdrawn_sites=tuple(sorted(map(str, row[6]))),
        published_at=row[7],
        withdrawn_at=row[8],
    )
