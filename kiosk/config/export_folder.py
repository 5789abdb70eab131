"""The rules for ``[storage] export_folder``: an absolute path, never inside the data folder.

Exports can hold visitors' names; inside the data folder they would outlive the purge of those
names (and be copied into backups of the folder), so such a folder is refused when the config
is loaded, as the chooser on the screen never offers one.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath


def check_export_folder(value: str) -> str | None:
    """Empty, or an absolute path (relative to what? the kiosk runs from a service)."""
    if value and not (PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute()):
        return f"expected an absolute path (e.g. /srv/kiosk-exports), got {value!r}"
    return None


def export_folder_problem(value: str, data_dir: Path) -> str | None:
    """Why ``value`` cannot be the export folder of a terminal whose data folder is
    ``data_dir``, or None."""
    if not value:
        return None
    folder, data = Path(value).expanduser().resolve(), data_dir.expanduser().resolve()
    if folder == data or data in folder.parents:
        return (
            f"{value} is inside the data folder {data_dir}; exports there would outlive the "
            "purge of visitors' names — choose a folder outside it (or leave it empty: USB "
            "sticks only)"
        )
    return None
