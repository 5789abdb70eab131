"""What the kiosk bundle keeps of Qt and Babel: plugins, translations, locale data (kiosk.spec)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from kiosk.core.i18n import LANGUAGES

# The only PySide6 modules the kiosk imports (checked by tests/packaging/test_installer.py).
# SVG pictures are read by QImageReader through the qsvg image-format plugin (which brings
# libQt6Svg), not through the QtSvg module.
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")

# Qt plugins per type: the file stems kept (without "lib" and the extension); a type not listed
# is dropped entirely (generic evdev input, egl device integrations, TLS, network information,
# platform themes: the kiosk draws its own theme and Qt's own file dialog suits a touch screen).
QT_PLUGINS_KEPT: dict[str, frozenset[str] | None] = {
    # offscreen: selftest, screenshots, CI; xcb: X11 desktops; wayland: the cage kiosk session;
    # windows: Windows terminals.
    "platforms": frozenset({"qoffscreen", "qxcb", "qwayland", "qwindows"}),
    "xcbglintegrations": None,  # xcb asks for one when a window is created
    "wayland-shell-integration": frozenset({"xdg-shell"}),  # what cage speaks
    "wayland-graphics-integration-client": frozenset({"qt-plugin-wayland-egl"}),
    "wayland-decoration-client": frozenset({"bradient"}),  # windowed demo on a desktop
    # PNG is built into QtGui; SVG (logo, device pictures), JPEG (photos), GIF (animations).
    "imageformats": frozenset({"qsvg", "qjpeg", "qgif"}),
    "iconengines": frozenset({"qsvgicon"}),
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin"}),  # dead keys
    "printsupport": None,  # resume cards and booking slips go to real printers (CUPS)
    "styles": None,  # Windows: the native widget style
}

_PLUGIN_SUFFIXES = (".so", ".dll", ".dylib")


def shipped_locales() -> frozenset[str]:
    """The Babel locales of the shipped languages (de, en, uk, ar, ru, tr, fa)."""
    return frozenset(language.babel_locale for language in LANGUAGES)


def babel_locales_needed(locales: Iterable[str]) -> frozenset[str]:
    """The locales with every parent Babel merges into them when it loads one, down to root."""
    from babel.core import get_global

    parent_exceptions = get_global("parent_exceptions")
    needed = {"root"}
    for name in locales:
        while name != "root":
            needed.add(name)
            name = parent_exceptions.get(name) or (
                name.rsplit("_", 1)[0] if "_" in name else "root"
            )
    return frozenset(needed)


def mypyc_runtime_modules(distribution: str) -> list[str]:
    """The top-level runtime module of a package compiled with mypyc ("<hash>__mypyc"), which
    its compiled modules import from C, where PyInstaller cannot see it; none if installed
    as plain Python."""
    from importlib.metadata import files

    return sorted(
        name
        for file in files(distribution) or ()
        if len(file.parts) == 1 and (name := file.name.split(".", 1)[0]).endswith("__mypyc")
    )


def unused_qt_modules() -> list[str]:
    """Every PySide6 module (installed or stubbed) except the ones the kiosk imports."""
    import PySide6

    package = Path(PySide6.__file__).parent
    names = {path.name.split(".", 1)[0] for path in package.glob("Qt*.*")}
    return sorted(f"PySide6.{name}" for name in names - set(QT_MODULES_USED))


def _plugin_stem(filename: str) -> str:
    stem = filename
    for suffix in _PLUGIN_SUFFIXES:
        if suffix in stem:
            stem = stem[: stem.index(suffix)]
    return stem[3:] if stem.startswith("lib") else stem


class BundleRules:
    """Decides, by destination path in the bundle, which collected files the kiosk needs."""

    def __init__(self, locales: Iterable[str] | None = None) -> None:
        self.locales = frozenset(locales) if locales is not None else shipped_locales()
        self.babel_locales = babel_locales_needed(self.locales)
        self.qt_translations = frozenset(f"qtbase_{code}.qm" for code in self.locales)
        self.dropped: list[str] = []

    def keep(self, destination: str) -> bool:
        parts = PurePosixPath(destination.replace("\\", "/")).parts
        keep = True
        if parts[:1] == ("PySide6",) and "plugins" in parts[:-2]:
            plugin_type = parts[parts.index("plugins") + 1]
            kept = QT_PLUGINS_KEPT.get(plugin_type, frozenset())
            keep = kept is None or _plugin_stem(parts[-1]) in kept
        elif parts[:1] == ("PySide6",) and "translations" in parts and parts[-1].endswith(".qm"):
            keep = parts[-1] in self.qt_translations
        elif parts[:2] == ("babel", "locale-data") and parts[-1].endswith(".dat"):
            keep = parts[-1].removesuffix(".dat") in self.babel_locales
        if not keep:
            self.dropped.append(destination)
        return keep

    def report(self, dropped_binaries: Sequence[tuple[str, str, str]], orphans: set[str]) -> None:
        """One line for the build log: what was trimmed."""
        data_files = len(self.dropped) - len(dropped_binaries)
        print(
            f"kiosk.spec: dropped {len(dropped_binaries)} Qt plugins, {len(orphans)} libraries "
            f"only they needed, {data_files} data files (Qt translations, Babel locales); "
            f"Babel keeps {', '.join(sorted(self.babel_locales))}",
            file=sys.stderr,
        )


def orphaned_libraries(
    kept: Sequence[tuple[str, str, str]], dropped: Sequence[tuple[str, str, str]]
) -> set[str]:
    """Destinations of collected libraries that only the dropped binaries link against.

    PyInstaller analyses binary dependencies before the spec can filter plugins, so dropping a
    plugin leaves the libraries it pulled in (GTK for the gtk3 theme, QtNetwork for TLS). A
    library is dropped only when a dropped binary needs it and no kept binary does.
    """
    from PyInstaller.depend.bindepend import get_imports

    imports: dict[str, list[tuple[str, str | None]]] = {}

    def closure(entries: Iterable[tuple[str, str, str]]) -> set[str]:
        """Names of every library the entries need, directly or through another library."""
        seen: set[str] = set()
        todo = [source for _dest, source, kind in entries if kind != "SYMLINK"]
        while todo:
            source = todo.pop()
            if source not in imports:
                imports[source] = get_imports(source)
            for name, resolved in imports[source]:
                if name not in seen:
                    seen.add(name)
                    if resolved:
                        todo.append(resolved)
        return seen

    def name_of(destination: str) -> str:
        return PurePosixPath(destination.replace("\\", "/")).name

    suspects = closure(dropped)
    suspect_entries = {dest for dest, _src, _kind in kept if name_of(dest) in suspects}
    if not suspect_entries:
        return set()
    needed = closure(entry for entry in kept if entry[0] not in suspect_entries)
    return {dest for dest in suspect_entries if name_of(dest) not in needed}
