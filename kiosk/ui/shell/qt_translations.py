"""Qt's own translations (qtbase_*.qm), so standard dialogs speak the visitor's language too."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator


def load_qt_translator(locale_name: str, parent: QObject) -> QTranslator | None:
    """Qt's catalogue for a Babel locale name ('de', 'fa', …), or None when Qt ships none."""
    translator = QTranslator(parent)
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(locale_name), "qtbase", "_", directory):
        return translator
    translator.deleteLater()
    return None
