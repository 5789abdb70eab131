"""Where an export may go: the mounted removable drives and the configured export folder.

A kiosk offers no file dialog (a visitor could browse, rename or delete through one). Staff
pick one of these destinations instead; the export writes one new file (or folder) with a
unique name into its root. A destination inside the data folder is never offered: what is
written there would outlive the purge of visitors' names.

Linux: drives mounted by udisks2 (``/media/<user>/<label>``, ``/run/media/<user>/<label>``, or
``/media/<label>`` for shared mounts) as the mount table lists them. Windows: the drive letters
Windows calls removable. No Qt here: the UI shows what this module finds.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

log = logging.getLogger("kiosk.storage")

MOUNT_TABLE = Path("/proc/self/mounts")
MEDIA_ROOTS: tuple[Path, ...] = (Path("/media"), Path("/run/media"))
"""Where udisks2 (and usbmount) mount removable drives; a mount below one of them is a drive."""

DRIVE_REMOVABLE = 2  # GetDriveTypeW's answer for a USB stick or card reader
_SEM_FAILCRITICALERRORS = 0x0001  # no "insert a disk" system dialog for an empty card slot
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True)
class Destination:
    """A place an export can be written to, as staff see it."""

    path: Path
    label: str
    """The volume's name (or the configured folder's name)."""
    free_bytes: int
    removable: bool
    """A drive staff plug in (False: the folder configured in ``[storage] export_folder``)."""


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (links resolved)."""
    resolved, base = path.resolve(), folder.resolve()
    return resolved == base or base in resolved.parents


def _unescape(field_text: str) -> str:
    # The kernel writes a space in a mount point as \040 (tab \011, newline \012, \ as \134).
    return _OCTAL_ESCAPE.sub(lambda match: chr(int(match.group(1), 8)), field_text)


def removable_mounts(mount_table: str, media_roots: Sequence[Path] = MEDIA_ROOTS) -> list[Path]:
    """The writable mount points below ``media_roots`` in ``mount_table`` (the text of
    /proc/self/mounts: device, mount point, type, options, …), in the table's order."""
    roots = [PurePosixPath(root) for root in media_roots]
    found: list[Path] = []
    for line in mount_table.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        mount_point = PurePosixPath(_unescape(fields[1]))
        if "ro" in fields[3].split(","):
            continue  # a write-protected stick: an export there could only fail
        if not any(root in mount_point.parents for root in roots):
            continue
        path = Path(mount_point)
        if path not in found:
            found.append(path)
    return found


def windows_removable_drives() -> list[Path]:
    """The roots of the drives Windows calls removable (USB sticks, card readers) that hold a
    medium; empty elsewhere."""
    if sys.platform != "win32":
        return []
    import ctypes

    kernel32 = ctypes.windll.kernel32
    previous = kernel32.SetErrorMode(_SEM_FAILCRITICALERRORS)
    try:
        mask = kernel32.GetLogicalDrives()
        drives = []
        for index in range(26):
            root = f"{chr(ord('A') + index)}:\\"
            if mask & (1 << index) and kernel32.GetDriveTypeW(root) == DRIVE_REMOVABLE:
                drives.append(Path(root))
        return drives
    finally:
        kernel32.SetErrorMode(previous)


def windows_volume_label(root: Path) -> str:
    """The volume name Windows shows for ``root`` (empty when it has none or elsewhere)."""
    if sys.platform != "win32":
        return ""
    import ctypes

    name = ctypes.create_unicode_buffer(261)
    kernel32 = ctypes.windll.kernel32
    previous = kernel32.SetErrorMode(_SEM_FAILCRITICALERRORS)
    try:
        ok = kernel32.GetVolumeInformationW(str(root), name, 261, None, None, None, None, 0)
    finally:
        kernel32.SetErrorMode(previous)
    return name.value if ok else ""


@dataclass(frozen=True)
class ExportPlaces:
    """Finds the export destinations of this terminal, each time it is asked (drives come and go).

    ``mount_table`` and ``media_roots`` are where Linux lists mounts and where drives are mounted;
    tests give a mount table of their own and folders under a temporary directory.
    """

    data_dir: Path
    folder: Path | None = None
    """``[storage] export_folder``: a fixed folder offered besides the drives."""
    mount_table: Path = MOUNT_TABLE
    media_roots: tuple[Path, ...] = MEDIA_ROOTS
    platform: str = field(default=sys.platform)

    def destinations(self) -> list[Destination]:
        """The configured folder first (when it exists), then the drives plugged in now."""
        found: list[Destination] = []
        if self.folder is not None and self.folder.is_dir():
            found += self._described([self.folder], removable=False)
        found += self._described(self._drive_paths(), removable=True)
        return found

    def refuses(self, path: Path) -> bool:
        """Whether an export to ``path`` must be refused: it is inside the data folder."""
        return is_inside(path, self.data_dir)

    def _drive_paths(self) -> list[Path]:
        if self.platform == "win32":
            return windows_removable_drives()
        try:
            text = self.mount_table.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            log.warning("the mount table %s cannot be read: %s", self.mount_table, error)
            return []
        return removable_mounts(text, self.media_roots)

    def _described(self, paths: Iterable[Path], *, removable: bool) -> list[Destination]:
        described = []
        for path in paths:
            try:
                if self.refuses(path):
                    log.warning("export destination %s is inside the data folder", path)
                    continue
                free = shutil.disk_usage(path).free
            except OSError as error:  # unplugged while being looked at, or unreadable
                log.info("export destination %s is not usable: %s", path, error)
                continue
            label = windows_volume_label(path) if self.platform == "win32" else path.name
            described.append(Destination(path, label or str(path), free, removable))
        return described


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2``, ``name-3`` … before the suffix when it is taken: an
    export never replaces a file already on the drive."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}-{number}{suffix}"
    return candidate
