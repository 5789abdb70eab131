"""Course packages as canonical archives: what the hub stores and terminals unpack.

The same folder always gives the same bytes (entries sorted, fixed times, owners and modes, a
gzip header without a name or time), so the SHA-256 names the content and nothing else. A
package holds regular files and folders under one top folder named like the course; files and
folders whose names start with '.' (editor and system leftovers) are left out, links are
refused.

Unpacking trusts nothing in the archive: every entry must be a regular file or a folder below
the top folder, with a plain relative name, and the whole package is bounded in entries and
bytes (counted as they are written, so a compression bomb stops at the bound).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_ENTRIES = 2000
MAX_BYTES = 64 * 1024 * 1024  # unpacked; the shipped courses are well under 1 MiB each
_CHUNK = 64 * 1024


class ArchiveError(Exception):
    """The folder cannot be packed, or the archive cannot be unpacked; the message says why."""


@dataclass(frozen=True)
class PackedCourse:
    """A canonical archive of one course folder."""

    course_id: str  # the folder's name, the archive's top folder
    data: bytes
    sha256: str


def pack_course(folder: Path) -> PackedCourse:
    """The canonical archive of a course folder (its name becomes the top folder)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ArchiveError(f"{folder}: not a folder")
    top = folder.name
    entries = _entries(folder)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_info(top, directory=True))
        for relative, path in entries:
            name = f"{top}/{relative}"
            if path.is_dir():
                tar.addfile(_info(name, directory=True))
            else:
                data = path.read_bytes()
                info = _info(name, directory=False)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    # No file name and time 0 in the gzip header: only the content decides the bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    data = packed.getvalue()
    return PackedCourse(top, data, hashlib.sha256(data).hexdigest())


def _entries(folder: Path) -> list[tuple[str, Path]]:
    """(relative POSIX name, path) of every folder and file below ``folder``, sorted by name."""
    found: list[tuple[str, Path]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        base = Path(root)
        for name in [*dirs, *files]:
            if name.startswith("."):
                continue
            path = base / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                raise ArchiveError(f"{path}: links cannot be published; copy the file instead")
            if not (path.is_dir() or path.is_file()):
                raise ArchiveError(f"{path}: only files and folders can be published")
            found.append((relative, path))
    found.sort()  # by the relative name: each occurs once
    if len(found) + 1 > MAX_ENTRIES:
        raise ArchiveError(f"{folder}: more than {MAX_ENTRIES} files and folders")
    return found


def _info(name: str, *, directory: bool) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    info.mode = 0o755 if directory else 0o644
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unpack_course(data: bytes, into: Path, course_id: str) -> Path:
    """Unpack an archive of ``course_id`` into the empty or new folder ``into``; returns the
    course folder (``into / course_id``). Raises ArchiveError, having written nothing outside
    ``into``, when the archive is not a plain package of that course."""
    into.mkdir(parents=True, exist_ok=True)
    written = 0
    count = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar:
                count += 1
                if count > MAX_ENTRIES:
                    raise ArchiveError(f"more than {MAX_ENTRIES} entries")
                target = into.joinpath(*_parts(member.name, course_id))
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                # Links are not followed: only a regular file's own bytes are read.
                source = tar.extractfile(member) if member.isfile() else None
                if source is None:
                    raise ArchiveError(f"{member.name}: only files and folders are allowed")
                target.parent.mkdir(parents=True, exist_ok=True)
                with source, target.open("xb") as out:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > MAX_BYTES:
                            raise ArchiveError(f"more than {MAX_BYTES // (1024 * 1024)} MiB")
                        out.write(chunk)
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise ArchiveError(f"not a readable package archive ({error})") from error
    except FileExistsError as error:
        raise ArchiveError(f"{error.filename}: the archive holds it twice") from error
    folder = into / course_id
    if not folder.is_dir():
        raise ArchiveError(f"the archive holds no folder {course_id!r}")
    return folder


def _parts(name: str, course_id: str) -> tuple[str, ...]:
    """The parts of an entry's name, which must be a plain relative name below ``course_id``."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        raise ArchiveError(f"{name!r}: not a plain relative name")
    parts = PurePosixPath(name).parts  # without empty and "." parts
    if parts[0] != course_id or ".." in parts:
        raise ArchiveError(f"{name!r}: outside the course folder {course_id!r}")
    return parts
