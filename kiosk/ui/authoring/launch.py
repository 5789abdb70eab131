"""Starts the course preview as a program of its own: Qt, the kiosk's fonts and look, one window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import kiosk
from kiosk import resources
from kiosk.config import SiteConfig
from kiosk.core.i18n import LANGUAGE_CODES, Translator
from kiosk.ui import theme
from kiosk.ui.authoring.preview import CoursePreview


def qt_app() -> QApplication:
    """The QApplication (created once per process)."""
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication(sys.argv[:1])


def build_preview(folder: Path, config: SiteConfig, *, language: str | None) -> CoursePreview:
    """The preview window on one course folder (not shown yet).

    Every language the kiosk has is offered, whatever the site enables: an author writes for
    every site. The preview's own words are in the site's default language.
    """
    app = qt_app()
    app.setApplicationName("Probierladen Kiosk")
    app.setApplicationVersion(kiosk.__version__)
    # Everything shipped comes from the bundle (kiosk.resources), never from a source tree.
    app.setFont(theme.app_font(theme.register_fonts(resources.FONTS)))
    theme.apply(app)
    app.setWindowIcon(QIcon(str(resources.LOGO)))
    default = config.languages.default
    visitor = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, default)
    if language:
        visitor.set_language(language)
    author = Translator(resources.TRANSLATIONS, LANGUAGE_CODES, default)
    learning = config.learning

    def help_text(code: str) -> str:
        for candidate in (code, *learning.fallback_languages):
            if candidate in learning.help_text:
                return learning.help_text[candidate]
        return ""

    return CoursePreview(
        folder,
        visitor=visitor,
        author=author,
        fallback_languages=learning.fallback_languages,
        help_text=help_text,
    )


def run_preview(folder: Path, config: SiteConfig, *, language: str | None) -> int:
    """Show the preview in an ordinary window until the author closes it."""
    window = build_preview(folder, config, language=language)
    window.show()
    return qt_app().exec()
