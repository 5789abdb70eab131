"""Notices when anything in a course package folder is saved, once the editor has finished."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

# An editor's save is several file events (write a temporary file, rename it over the old one,
# touch the folder): one reload follows the last of them.
DEBOUNCE_MS = 200
# A course package is a few dozen files; far more means the wrong folder was given, and
# watching thousands of files would only use up the system's watch handles.
MAX_WATCHED = 2000


def package_paths(folder: Path) -> set[str]:
    """The folder, its subfolders and their files (links are not followed out of it)."""
    paths = {str(folder)}
    for root, folders, files in os.walk(folder):
        paths.update(str(Path(root) / name) for name in (*folders, *files))
        if len(paths) >= MAX_WATCHED:
            break
    return set(sorted(paths)[:MAX_WATCHED])


class PackageWatcher(QObject):
    """Emits `changed` about DEBOUNCE_MS after the last change below a folder."""

    changed = Signal()

    def __init__(
        self, folder: Path, parent: QObject | None = None, *, debounce_ms: int = DEBOUNCE_MS
    ) -> None:
        super().__init__(parent)
        self._folder = folder
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._touched)
        self._watcher.directoryChanged.connect(self._touched)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(debounce_ms)
        self._quiet.timeout.connect(self._settled)
        self.rewatch()

    def watched(self) -> set[str]:
        return {*self._watcher.files(), *self._watcher.directories()}

    def rewatch(self) -> None:
        """Watch what is there now. Editors save by writing a new file and renaming it over the
        old one, which ends the watch on the old file: the new one is added here."""
        wanted = package_paths(self._folder) if self._folder.is_dir() else set()
        current = self.watched()
        gone = sorted(current - wanted)
        new = sorted(wanted - current)
        if gone:
            self._watcher.removePaths(gone)
        if new:
            self._watcher.addPaths(new)

    def _touched(self, _path: str) -> None:
        self._quiet.start()  # (re)started: the reload waits for the last event of a save

    def _settled(self) -> None:
        self.rewatch()
        self.changed.emit()
