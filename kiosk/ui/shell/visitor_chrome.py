"""What frames every visitor screen: the header, the question before a visitor ends their visit,
the panel of languages, and how long the kiosk waits for a touch on each screen."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.config import SiteConfig
from kiosk.core.i18n import Translator
from kiosk.core.session import EndReason, SessionService
from kiosk.storage import StorageError
from kiosk.ui.shell.end_confirm import EndConfirm
from kiosk.ui.shell.header import VisitorHeader
from kiosk.ui.shell.language_picker import LanguagePanel
from kiosk.ui.shell.screens import Screen, Timing

if TYPE_CHECKING:
    from kiosk.ui.learning.lesson import LessonScreen
    from kiosk.ui.shell.main_window import MainWindow
    from kiosk.ui.shell.screen_builder import ScreenBuilder

log = logging.getLogger(__name__)
# The screens that show the full bar of languages: where a visitor arrives and chooses.
FULL_LANGUAGE_BAR = frozenset({Screen.HOME})


def visitor_idle_ms(timing: Timing, screen: Screen) -> int:
    """How long a visitor screen waits for a touch: a lesson step longer, since reading one
    (in Leichte Sprache, or slowly) takes longer than choosing on any other screen."""
    if screen is Screen.LESSON and timing.lesson_idle_ms is not None:
        return timing.lesson_idle_ms
    return timing.visitor_idle_ms


class VisitorChrome(QObject):
    """Builds the visitor header on first use and answers its buttons."""

    header_built = Signal(VisitorHeader)
    """The header was built (the first visitor screen): its access buttons can be wired."""

    def __init__(
        self,
        window: MainWindow,
        screens: ScreenBuilder,
        layout: QVBoxLayout,
        sessions: SessionService,
        translator: Translator,
        config: SiteConfig,
        logo: QIcon,
        timing: Timing,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._screens = screens
        self._layout = layout  # the header goes on top of the window's column
        self._tr = translator
        self._site_name = config.site.name
        self._logo = logo
        self._hold_ms = timing.long_press_ms
        self._header: VisitorHeader | None = None
        self._end_confirm: EndConfirm | None = None
        self._languages: LanguagePanel | None = None
        window.screen_changed.connect(self._screen_changed)
        # A wipe (the idle timeout too) closes whatever question was open.
        sessions.on_wipe(self.close_panels)

    @property
    def built_header(self) -> VisitorHeader | None:
        """The header if it was built, else None."""
        return self._header

    @property
    def header(self) -> VisitorHeader:
        if self._header is None:
            window = self._window
            header = VisitorHeader(self._tr, self._site_name, self._logo, self._hold_ms)
            header.language_bar.language_chosen.connect(window.set_language)
            header.language_button.clicked.connect(lambda: self.languages.open())
            header.text_smaller_requested.connect(lambda: window.step_text_scale(-1))
            header.text_larger_requested.connect(lambda: window.step_text_scale(+1))
            header.end_session_requested.connect(self.ask_to_end)
            header.staff_gesture.connect(window.open_staff_login)
            header.logo_tapped.connect(lambda: window.show_screen(Screen.HOME))
            header.set_text_scale_index(0)  # built with the first visit, before any A+
            header.show_full_language_bar(window.current_screen in FULL_LANGUAGE_BAR)
            header.hide()
            self._layout.insertWidget(0, header)
            self._header = header
            self.header_built.emit(header)
        return self._header

    @property
    def end_confirm(self) -> EndConfirm:
        """The question before the visitor's own end deletes their data (built on first use)."""
        if self._end_confirm is None:
            confirm = EndConfirm(self._tr, self._central())
            confirm.confirmed.connect(self._end_confirmed)
            confirm.kept.connect(confirm.hide)
            confirm.resume_code_requested.connect(self._resume_code_first)
            self._end_confirm = confirm
        return self._end_confirm

    @property
    def languages(self) -> LanguagePanel:
        """The panel of every language, opened from the header's language button."""
        if self._languages is None:
            panel = LanguagePanel(self._tr, self._central())
            panel.language_chosen.connect(self._window.set_language)
            self._languages = panel
        return self._languages

    def _central(self) -> QWidget:
        # The panels cover the whole window below its title: headers, screen and keyboard.
        central = self._window.centralWidget()
        if central is None:
            raise RuntimeError("the kiosk window has no central widget")
        return central

    def ask_to_end(self) -> None:
        """The end button: ask once; in a course with progress, offer its code first."""
        if self._languages is not None:
            self._languages.hide()
        self.end_confirm.ask(offer_resume_code=self._course_to_keep())

    def close_panels(self) -> None:
        """Close the end question and the language panel (a wipe, a staff login, a new screen)."""
        for panel in (self._end_confirm, self._languages):
            if panel is not None:
                panel.hide()

    def _course_to_keep(self) -> bool:
        window = self._window
        if window.current_screen is not Screen.LESSON or window.progress is None:
            return False
        lesson = cast("LessonScreen", window.screen_widget(Screen.LESSON))
        if lesson.course is None or lesson.at_end:
            return False  # a finished course needs no code to continue
        try:
            return window.progress.progress_for(lesson.course.id) is not None
        except StorageError:
            log.exception("progress could not be read for the resume-code offer")
            return False

    def _end_confirmed(self) -> None:
        self.close_panels()
        self._window.end_session(EndReason.ENDED_BY_VISITOR)

    def _resume_code_first(self) -> None:
        self.close_panels()
        self._screens.show_resume_card()

    def _screen_changed(self, value: str) -> None:
        self.close_panels()
        if self._header is not None:
            self._header.show_full_language_bar(Screen(value) in FULL_LANGUAGE_BAR)
