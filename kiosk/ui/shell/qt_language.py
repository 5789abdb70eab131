"""Qt follows the visitor's language: reading direction, and Qt's own texts in standard dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtGui import QGuiApplication

from kiosk.core.i18n import Language
from kiosk.ui.parts.screen_base import reading_direction


def load_qt_translator(locale_name: str, parent: QObject) -> QTranslator | None:
    """Qt's catalogue (qtbase_*.qm) for a Babel locale name ('de', 'fa', …), or None when Qt
    ships none."""
    translator = QTranslator(parent)
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(locale_name), "qtbase", "_", directory):
        return translator
    translator.deleteLater()
    return None


def apply_direction(language: Language) -> None:
    """Lay the whole application out in the language's reading direction."""
    QGuiApplication.setLayoutDirection(reading_direction(language.is_rtl))


class QtLanguage:
    """Keeps Qt's direction and its own catalogue in the visitor's language."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None

    def follow(self, language: Language) -> None:
        """Switch direction and Qt's catalogue (the previous one is removed)."""
        apply_direction(language)
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("Qt's language follows the visitor only inside a running app")
        if self._translator is not None:
            app.removeTranslator(self._translator)
            # Parented to the application, it would otherwise live (with its catalogue, some
            # 140 KB) until the kiosk ends: one more for every visitor who changes language.
            self._translator.deleteLater()
        self._translator = load_qt_translator(language.babel_locale, app)
        if self._translator is not None:
            app.installTranslator(self._translator)
