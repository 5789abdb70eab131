"""Defensive reading of course files: size caps, UTF-8, forbidden characters, paths, image types.

Course packages come from people, not from a build step, so every file is treated as untrusted:
nothing is read past a cap, nothing outside the package is followed, and images are recognised
by their first bytes, not by their names.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import stat
from collections.abc import Callable
from pathlib import Path

from kiosk.core.courses.image_limits import (
    MAX_IMAGE_BYTES,
    SNIFF_BYTES,
    Finding,
    raster_problem,
    svg_findings,
)
from kiosk.core.courses.problems import Message, Report, say
from kiosk.core.hidden_text import HIDDEN, hidden_character
from kiosk.core.i18n import N_

MAX_MANIFEST_BYTES = 64 * 1024
MAX_TEXT_BYTES = 1024 * 1024
IMAGE_TYPES: dict[str, str] = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".svg": "SVG",
}

# Control characters other than tab and line feed (a CR is only allowed before LF and is removed
# before this runs); C1 controls count: NEL would split lines differently in Qt. And explicit
# bidi embeddings, overrides and isolates, which reorder text invisibly ("Trojan Source"); the
# implicit marks U+200E/U+200F/U+061C stay allowed because RTL authors need them. One pattern,
# so that the whole text is scanned once.
_HIDDEN = HIDDEN
# The same characters in UTF-8: single bytes for the ASCII controls (a CR counts, so that a file
# with CRLF line ends takes the long way), and C1 controls and bidi embeddings, overrides and
# isolates by their first two bytes. Looking at the bytes is several times faster than running
# the pattern over the text, and only a file that may have one runs it to find the first.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_BIDI_UTF8 = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")
_SVG_ROOT = re.compile(
    r"\s*(?:<\?xml[^>]*\?>\s*)?"
    r"(?:<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*|<\?[^>]*\?>\s*)*"
    r"<svg[\s>/]",
    re.DOTALL,
)
_DRIVE = re.compile(r"[A-Za-z]:")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _size_label(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def read_text(path: Path | str, limit: int, report: Report, *, check: bool = False) -> str | None:
    """The file as text with LF line ends, or None after reporting why it cannot be used.

    With `check`, the characters are checked as `check_characters` does (a problem is reported,
    the text still returned); without, the caller checks them (TOML needs more).
    """
    try:
        raw = _read_at_most(path, limit + 1)
    except OSError as error:
        report(1, say(N_("cannot read the file: {reason}"), reason=str(error.strerror)))
        return None
    if len(raw) > limit:
        report(
            1,
            say(
                N_("the file is larger than {size}; the kiosk does not read it"),
                size=_size_label(limit),
            ),
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        report(
            line,
            say(
                N_("not {encoding} text (save the file with the encoding '{encoding}')"),
                encoding="UTF-8",
            ),
        )
        return None
    # Editors on Windows write a byte-order mark and CRLF line ends; both are harmless.
    text = text.removeprefix("\ufeff")
    if b"\r" in raw:  # far faster to find in the bytes than in the text
        text = text.replace("\r\n", "\n")
    if check and may_hide_characters(raw):
        check_characters(text, report)
    return text


def may_hide_characters(raw: bytes) -> bool:
    """Whether UTF-8 text may hold a character `check_characters` reports (or a CR)."""
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw):
        return True
    # Most texts lack the first byte of the two-byte patterns; `find` notices that fastest.
    c1 = raw.find(b"\xc2")
    if c1 >= 0 and _C1_UTF8.search(raw, c1):
        return True
    bidi = raw.find(b"\xe2")
    return bidi >= 0 and _BIDI_UTF8.search(raw, bidi) is not None


def _read_at_most(path: Path | str, size: int) -> bytes:
    """Up to `size` bytes of a regular file; in small reads, since asking for the whole cap at
    once allocates it for every file (which made reading ten times slower). A regular file
    gives less than asked only at its end, so most files take one read, not a second one that
    finds the end."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        chunks: list[bytes] = []
        while size > 0:
            wanted = min(size, 64 * 1024)
            chunk = os.read(descriptor, wanted)
            chunks.append(chunk)
            size -= len(chunk)
            if len(chunk) < wanted:
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(descriptor)


def check_characters(text: str, report: Report, line: int | None = None) -> bool:
    """Report control and bidi-override characters (the first one); True if there was one.

    `line` fixes the reported line (a TOML value); otherwise it is counted in `text`.
    """
    match = _HIDDEN.search(text)
    if match is None:
        return False
    at = line if line is not None else text.count("\n", 0, match.start()) + 1
    report(at, _hidden_message(match.group()))
    return True


def _hidden_message(character: str) -> Message:
    code = f"U+{ord(character):04X}"
    if character >= "\u202a":
        return say(
            N_("invisible text-direction override character {code} is not allowed; delete it"),
            code=code,
        )
    return say(N_("invisible control character {code} is not allowed; delete it"), code=code)


def inside(real_path: str, real_folder: str) -> bool:
    """Whether an already resolved path lies within an already resolved folder."""
    return real_path == real_folder or real_path.startswith(real_folder.rstrip(os.sep) + os.sep)


def real_path_below(real_folder: str, relative: str) -> str:
    """`os.path.realpath` of `relative` (a path in a package) below a folder's real path.

    The folder is resolved already, so only the parts of `relative` are looked at, one lstat
    each; the general resolution runs only if one of them is a link or '..' (or if `relative`
    is absolute after all).
    """
    if relative.startswith("/"):
        return os.path.realpath(relative)
    base = real_folder.rstrip(os.sep)
    path = base
    for part in relative.split("/"):
        if part in ("", "."):
            continue
        path = f"{path}{os.sep}{part}"
        if part == ".." or _is_link(path):
            return os.path.realpath(f"{base}{os.sep}{relative}")
    return path or os.sep


def _is_link(path: str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def relative_path_problem(relative: str) -> Message | None:
    """Why a path written in a course file is not a safe path inside the package, if it is not."""
    if not relative.strip():
        return say(N_("the path is empty"))
    hidden = hidden_character(relative)
    if hidden is not None:  # a NUL would even make the file system call fail
        return say(
            N_("the path contains the invisible character {code}; delete it"),
            code=f"U+{ord(hidden):04X}",
        )
    if "://" in relative or relative.startswith("data:"):
        return say(N_("images must be files in the course folder, not web addresses"))
    if "\\" in relative:
        return say(N_("use '/' in paths, not '\\'"))
    if relative.startswith("/") or _DRIVE.match(relative):
        return say(
            N_("path {path} must be relative to the course folder, e.g. images/cover.svg"),
            path=repr(relative),
        )
    normal = posixpath.normpath(relative)
    if normal == ".." or normal.startswith("../"):
        return say(N_("path {path} leaves the course folder"), path=repr(relative))
    return None


class ExactNames:
    """Finds names written with other capital and small letters than the file has.

    On a file system that ignores case (an author's Windows or macOS), "images/Cover.PNG" opens
    "images/cover.png", so the course works there; on a terminal (Linux) the file is not found.
    Only there is the folder listing compared; a case-sensitive file system already reports
    such a name as missing.
    """

    def __init__(self, real_folder: str, *, ignores_case: bool | None = None) -> None:
        """`real_folder`: the package folder's real path; `ignores_case`: whether its file
        system ignores case (found out from the folder itself when not given)."""
        self._real_folder = real_folder
        if ignores_case is None:
            ignores_case = _ignores_case(real_folder.rpartition(os.sep)[0] or os.sep)
        self._ignores_case = ignores_case
        self._listings: dict[Path, frozenset[str]] = {}

    def actual(self, relative: str) -> str | None:
        """The path as the files are really named, if `relative` (inside the package, already
        checked) names an existing file with other capital and small letters; else None."""
        if not self._ignores_case:
            return None
        folder = Path(self._real_folder)
        actual_parts = []
        differs = False
        for part in posixpath.normpath(relative).split("/"):
            names = self._listing(folder)
            if part not in names:
                wanted = part.casefold()
                found = next((name for name in sorted(names) if name.casefold() == wanted), None)
                if found is None:
                    return None  # not there at all: reported as missing by the caller
                part, differs = found, True
            actual_parts.append(part)
            folder /= part
        return "/".join(actual_parts) if differs else None

    def _listing(self, folder: Path) -> frozenset[str]:
        names = self._listings.get(folder)
        if names is None:
            try:
                names = frozenset(entry.name for entry in folder.iterdir())
            except OSError:
                names = frozenset()
            self._listings[folder] = names
        return names


@functools.lru_cache(maxsize=64)
def _ignores_case(real_folder: str) -> bool:
    """Whether the file system of a folder ignores case: asked once per courses folder."""
    swapped = real_folder.swapcase()
    return swapped == real_folder or Path(swapped).exists()


class ImageChecker:
    """Checks image references of one package; each file is looked at once however often used."""

    def __init__(
        self,
        real_folder: str,
        names: ExactNames | None = None,
        *,
        report_in: Callable[[str], Report] | None = None,
    ) -> None:
        """`real_folder`: the package folder's real path (`os.path.realpath`); `report_in`
        gives the reporter for a picture's own file (an SVG's problems are reported at the
        lines of its elements, once, however often it is used)."""
        self._real_folder = real_folder
        self._names = names or ExactNames(real_folder)
        self._report_in = report_in
        self._seen: dict[str, Message | None] = {}

    def problem(self, relative: str) -> Message | None:
        """Why `relative` (as written in the package) is not a usable image, if it is not."""
        if relative not in self._seen:
            self._seen[relative] = self._check(relative)
        return self._seen[relative]

    def _check(self, relative: str) -> Message | None:
        problem = relative_path_problem(relative)
        if problem:
            return problem
        kind = IMAGE_TYPES.get(posixpath.splitext(relative)[1].lower())
        if kind is None:
            return say(
                N_("{file}: images must be PNG, JPEG, GIF or SVG (.png, .jpg, .gif, .svg)"),
                file=relative,
            )
        actual = self._names.actual(relative)
        if actual is not None:
            return say(
                N_(
                    "{file}: the file is called {actual}; write the name with the same capital "
                    "and small letters (terminals tell them apart)"
                ),
                file=relative,
                actual=actual,
            )
        # The file is looked at by its real path (the same file, reached without pathlib).
        real = real_path_below(self._real_folder, relative)
        try:
            info = os.stat(real)  # noqa: PTH116 - a str path: no Path object per image
        except OSError:
            return say(N_("image not found: {file}"), file=relative)
        if not inside(real, self._real_folder):
            return say(
                N_("{file} leaves the course folder (a link to a file elsewhere)"), file=relative
            )
        if not stat.S_ISREG(info.st_mode):
            return say(N_("{file} is not a file"), file=relative)
        if info.st_size > MAX_IMAGE_BYTES:
            return say(
                N_("{file} is {size}; images may be at most {allowed}"),
                file=relative,
                size=_megabytes(info.st_size),
                allowed=_size_label(MAX_IMAGE_BYTES),
            )
        try:
            head = _read_at_most(real, SNIFF_BYTES)
        except OSError as error:
            return _unreadable(relative, error)
        content = sniff_image(head)
        if content != kind:
            if content is None:
                return say(
                    N_("{file} is not a real {kind} image (its content is not an image)"),
                    file=relative,
                    kind=kind,
                )
            return say(
                N_("{file} is not a real {kind} image (its content is {found})"),
                file=relative,
                kind=kind,
                found=content,
            )
        if kind != "SVG":
            return raster_problem(kind, head, real, relative)
        try:
            data = head if len(head) < SNIFF_BYTES else _read_at_most(real, MAX_IMAGE_BYTES)
        except OSError as error:
            return _unreadable(relative, error)
        findings = svg_findings(data)
        if not findings:
            return None
        if self._report_in is None:
            return say(N_("{file}: {problem}"), file=relative, problem=findings[0].message)
        report = self._report_in(relative)
        for finding in findings:
            report(finding.line, finding.message)
        return say(
            N_("{file} cannot be shown safely; see the problems listed for that file"),
            file=relative,
        )


def _unreadable(relative: str, error: OSError) -> Message:
    return say(N_("cannot read {file}: {reason}"), file=relative, reason=str(error.strerror))


def picture_problem(path: Path) -> str | None:
    """Why a picture must not be drawn (its file, size or structure), if it must not.

    The kiosk asks this right before drawing, off the UI thread: the package may have changed
    since it was checked, or come from elsewhere. The answer names no person (it is logged).
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "not a file"
        if info.st_size > MAX_IMAGE_BYTES:
            return f"larger than {_size_label(MAX_IMAGE_BYTES)}"
        head = _read_at_most(path, SNIFF_BYTES)
        kind = sniff_image(head)
        if kind is None:
            return "not a PNG, JPEG, GIF or SVG picture"
        if kind != "SVG":
            problem = raster_problem(kind, head, path, path.name)
            return None if problem is None else str(problem)
        data = head if len(head) < SNIFF_BYTES else _read_at_most(path, MAX_IMAGE_BYTES)
        findings: list[Finding] = svg_findings(data)
        return f"line {findings[0].line}: {findings[0].message}" if findings else None
    except OSError as error:
        return f"cannot be read: {error.strerror}"


def sniff_image(head: bytes) -> str | None:
    """The image type the first bytes of a file show ("PNG", "JPEG", "GIF", "SVG"), if any."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    if _SVG_ROOT.match(text):
        return "SVG"
    return None
