"""The one main window: the screen stack, the headers, the visitor session and staff mode."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import SiteConfig
from kiosk.core.i18n import Language, Translator
from kiosk.core.session import TEXT_SCALES, EndReason, SessionService
from kiosk.ui import theme
from kiosk.ui.learning.recorder import LessonRecorder
from kiosk.ui.parts.screen_base import ScreenBase
from kiosk.ui.shell import wipe
from kiosk.ui.shell.access import BackendFactory, VisitorAccess
from kiosk.ui.shell.attract import AttractScreen
from kiosk.ui.shell.header import StaffHeader, VisitorHeader
from kiosk.ui.shell.idle import IdleMonitor
from kiosk.ui.shell.idle_overlay import IdleOverlay
from kiosk.ui.shell.lockdown import is_blocked_key
from kiosk.ui.shell.qt_language import QtLanguage, apply_direction
from kiosk.ui.shell.screen_builder import ScreenBuilder
from kiosk.ui.shell.screens import STAFF_SCREENS, VISITOR_SCREENS, Screen, Timing
from kiosk.ui.shell.visitor_chrome import VisitorChrome, visitor_idle_ms

if TYPE_CHECKING:
    from kiosk.core.bookings import BookingService
    from kiosk.core.courses import Catalogue
    from kiosk.core.progress import ProgressService
    from kiosk.core.staff import StaffDesk
    from kiosk.core.stats import UsageEvents
    from kiosk.ui.learning.lesson import LessonScreen
    from kiosk.ui.parts.keyboard import KeyboardController, OnScreenKeyboard
    from kiosk.ui.shell.home import HomeScreen
    from kiosk.ui.shell.staff_login import StaffLoginScreen

log = logging.getLogger(__name__)
# The widgets that take typed text, by Qt class name (see _first_text_focus).
_TEXT_WIDGETS = ("QLineEdit", "QPlainTextEdit", "QTextEdit")


def _qt_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("the kiosk needs a QApplication")
    return app


class MainWindow(QMainWindow):
    """Owns the screen stack and moves between screens; everything else is passed in."""

    screen_changed = Signal(str)
    """A different screen is now shown (its Screen value)."""
    session_ended = Signal(str)
    """A visitor session was wiped (the EndReason value)."""

    def __init__(
        self,
        *,
        config: SiteConfig,
        translator: Translator,
        sessions: SessionService,
        desk: StaffDesk,
        timing: Timing,
        logo: QIcon,
        kiosk_mode: bool = False,
        speech_backend: BackendFactory | None = None,
    ) -> None:
        super().__init__()
        self._tr = translator
        self._sessions = sessions
        self._timing = timing
        self._kiosk_mode = kiosk_mode
        self._quit_allowed = not kiosk_mode
        self._staff_active = False
        self._return_screen = Screen.ATTRACT
        self._qt_language = QtLanguage()
        self._text_scale_index = 0
        self.setWindowTitle(config.site.name)
        self.setWindowIcon(logo)

        central = self._central = QWidget(self)
        central.setObjectName("central")
        self._layout = QVBoxLayout(central)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.stack = QStackedWidget(central)
        self.stack.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._config = config
        self._logo = logo
        self._recorder = LessonRecorder(lambda: translator.current.code)
        self._bookings: BookingService | None = None
        self._screens = ScreenBuilder(
            self,
            config=config,
            translator=translator,
            desk=desk,
            timing=timing,
            logo=logo,
            recorder=self._recorder,
        )
        # Only the attract screen is built before the first frame; every other screen, the
        # headers, the keyboard and the idle overlay are built the first time they are needed.
        self._built: dict[Screen, ScreenBase] = {}
        self._chrome = VisitorChrome(
            self, self._screens, self._layout, sessions, translator, config, logo, timing
        )
        self._staff_header: StaffHeader | None = None
        self._overlay: IdleOverlay | None = None
        self._keyboard: OnScreenKeyboard | None = None
        self._keyboard_controller: KeyboardController | None = None
        self._current = Screen.ATTRACT

        # The on-screen keyboard is built when a text field first gets focus.
        _qt_app().focusChanged.connect(self._first_text_focus)
        self.idle = IdleMonitor(self)
        self._watching_input = False
        self.idle.warning_started.connect(lambda seconds: self.overlay.start(seconds))
        self.idle.countdown_ticked.connect(lambda seconds: self.overlay.set_seconds(seconds))
        self.idle.warning_cancelled.connect(lambda: self._overlay and self._overlay.hide())
        self.idle.timed_out.connect(self._idle_timed_out)
        sessions.on_wipe(self._forget_visitor)
        self.access = VisitorAccess(self, self._chrome, sessions, translator, speech_backend)
        translator.on_change(self._language_changed)
        apply_direction(translator.current)
        self._enter(Screen.ATTRACT)

    def watch_input(self) -> None:
        """Start seeing every input event: the idle timer's activity and, in kiosk mode, the
        blocked keys. The composition root calls this on the loop turn after the first frame:
        an application-wide Python event filter makes Qt wrap every event type it delivers, which
        would cost the first frame some 30 ms, and nobody can touch the kiosk before it is shown.
        """
        if self._watching_input:
            return
        self._watching_input = True
        _qt_app().installEventFilter(self.idle)
        self._screens.keys.watch()
        if self._kiosk_mode:
            _qt_app().installEventFilter(self)

    # -- parts built on first use ------------------------------------------------------------

    def screen_widget(self, which: Screen) -> ScreenBase:
        """The screen widget (built now if this is its first use)."""
        built = self._built.get(which)
        if built is None:
            built = self._screens.build(which)
            self._built[which] = built
            self.stack.addWidget(built)
        return built

    @property
    def screens(self) -> dict[Screen, ScreenBase]:
        """Every screen, built."""
        return {which: self.screen_widget(which) for which in Screen}

    @property
    def attract(self) -> AttractScreen:
        return cast(AttractScreen, self.screen_widget(Screen.ATTRACT))

    @property
    def home(self) -> HomeScreen:
        return cast("HomeScreen", self.screen_widget(Screen.HOME))

    @property
    def staff_login(self) -> StaffLoginScreen:
        return cast("StaffLoginScreen", self.screen_widget(Screen.STAFF_LOGIN))

    @property
    def header(self) -> VisitorHeader:
        return self._chrome.header

    @property
    def chrome(self) -> VisitorChrome:
        """The header and the questions and panels it opens."""
        return self._chrome

    @property
    def staff_header(self) -> StaffHeader:
        if self._staff_header is None:
            staff_header = StaffHeader(self._tr)
            staff_header.leave_requested.connect(self.leave_staff_mode)
            staff_header.quit_requested.connect(self.quit_kiosk)
            staff_header.hide()
            self._layout.insertWidget(self._layout.indexOf(self.stack), staff_header)
            self._staff_header = staff_header
        return self._staff_header

    @property
    def overlay(self) -> IdleOverlay:
        if self._overlay is None:
            self._overlay = IdleOverlay(self._tr, self._central)
            self._overlay.still_here.connect(self.idle.activity)
        return self._overlay

    @property
    def keyboard(self) -> OnScreenKeyboard:
        if self._keyboard is None:
            # Imported here: ~9 ms and its layouts for every script, which many visitors never
            # need, and the start's memory is at its target (bench: startup_memory).
            from kiosk.ui.parts.keyboard import KeyboardController, OnScreenKeyboard

            keyboard = OnScreenKeyboard(self._tr, self._central)
            keyboard.set_language(self._tr.current.code)
            keyboard.hide()
            self._layout.addWidget(keyboard)
            self._keyboard = keyboard
            self._keyboard_controller = KeyboardController(
                keyboard, self._config.ui.onscreen_keyboard
            )
        return self._keyboard

    def _first_text_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Asked by Qt class name: one question covers every kind of text widget.
        if (
            self._keyboard is None
            and new is not None
            and any(new.inherits(name) for name in _TEXT_WIDGETS)
        ):
            _qt_app().focusChanged.disconnect(self._first_text_focus)
            self.keyboard  # noqa: B018 - builds it; its controller takes over from here

    # -- learning and bookings (the screens come from the screen builder) ---------------------

    @property
    def catalogue(self) -> Catalogue:
        """The course packages, loaded the first time a visitor wants to learn something."""
        return self._screens.catalogue

    @property
    def lesson(self) -> LessonScreen:
        return cast("LessonScreen", self.screen_widget(Screen.LESSON))

    def reload_courses(self) -> None:
        """Other course versions were installed and no visitor is here: the screens that show
        courses are built anew, from the new catalogue, when next needed."""
        for which in (Screen.LEARN, Screen.LESSON, Screen.STAFF_HOME):
            page = self._built.pop(which, None)
            if page is not None:
                self.stack.removeWidget(page)
                page.deleteLater()
        self._screens.forget_catalogue()

    def open_course(self, course_id: str, step_id: str | None = None) -> None:
        """Open a course where this visitor left it (or at `step_id`, or at its start)."""
        self._screens.open_course(course_id, step_id)

    def open_booking(self, kind: str = "") -> None:
        """The visitor wants to try a device (of ``kind``, e.g. from a course's end screen)."""
        self._screens.open_booking(kind)

    def attach_progress(self, progress: ProgressService) -> None:
        """The database is open: from now on progress is kept (and wiped with the session)."""
        self._recorder.progress = progress

    @property
    def progress(self) -> ProgressService | None:
        return self._recorder.progress

    def attach_bookings(self, bookings: BookingService) -> None:
        """The database is open: visitors can book devices, staff can run the day."""
        self._bookings = bookings

    @property
    def bookings(self) -> BookingService | None:
        return self._bookings

    def attach_usage(self, usage: UsageEvents) -> None:
        """Anonymous usage counts (courses, quizzes, resume codes) from now on."""
        self._recorder.usage = usage

    # -- screens -----------------------------------------------------------------------------

    @property
    def current_screen(self) -> Screen:
        return self._current

    def show_screen(self, screen: Screen) -> None:
        """Leave the current screen and enter another (the only way screens change)."""
        if screen in VISITOR_SCREENS and self._sessions.current is None:
            self.start_session("")
            if screen == Screen.HOME:
                return
        self.screen_widget(self._current).leave()
        self._enter(screen)

    def _enter(self, screen: Screen) -> None:
        self._current = screen
        if screen in VISITOR_SCREENS:
            self.header.show()
        elif self._chrome.built_header is not None:
            self._chrome.built_header.hide()
        if screen in STAFF_SCREENS:
            self.staff_header.show()
            self.staff_header.quit.setVisible(self._staff_active)
        elif self._staff_header is not None:
            self._staff_header.hide()
        target = self.screen_widget(screen)
        # A stack is as tall as its tallest page; only the page shown may count, or the staff
        # PIN pad's height would leave no room for the on-screen keyboard on visitor screens.
        for page in self._built.values():
            expanding = (
                QSizePolicy.Policy.Preferred if page is target else QSizePolicy.Policy.Ignored
            )
            page.setSizePolicy(expanding, expanding)
        # Focus parks on the stack while pages change: otherwise Qt hands it to the first field
        # of the new page, and the on-screen keyboard would pop up unasked.
        self.stack.setFocus(Qt.FocusReason.OtherFocusReason)
        self.stack.setCurrentWidget(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        target.enter()
        self._arm_idle()
        log.info("screen %s", screen.value)
        self.screen_changed.emit(screen.value)

    def _arm_idle(self) -> None:
        self._hide_overlay()
        if self._staff_active:
            self.idle.arm(self._timing.staff_idle_ms, self._timing.warning_ms)
        elif self._current in VISITOR_SCREENS or self._current == Screen.STAFF_LOGIN:
            self.idle.arm(visitor_idle_ms(self._timing, self._current), self._timing.warning_ms)
        else:
            self.idle.disarm()

    # -- visitor session ---------------------------------------------------------------------

    def start_session(self, language_code: str = "") -> None:
        """A visitor begins: a fresh session in their language (or the site default)."""
        session = self._sessions.begin(language_code or self._tr.default.code)
        self.set_language(session.language)
        self.screen_widget(self._current).leave()
        self._enter(Screen.HOME)

    def end_session(self, reason: EndReason) -> None:
        """Wipe everything about the visitor and say so on the attract screen, in their language."""
        ended = self._sessions.end(reason)
        self._staff_active = False
        self._tr.reset()
        self.screen_widget(self._current).leave()
        self._enter(Screen.ATTRACT)
        if ended is not None:
            self.attract.show_data_deleted(ended.language, self._timing.notice_ms)
            log.info("session ended (%s)", reason.value)
            self.session_ended.emit(reason.value)

    def _forget_visitor(self) -> None:
        """Runs inside every wipe: screens, text fields with their undo history, clipboard."""
        wipe.reset_screens(self._built, self.stack)  # every step runs, even after one failed
        wipe.run_every_step(
            ("typed text", lambda: wipe.forget_typed_text(self)),
            ("keyboard", lambda: wipe.hide_if_built(self._keyboard)),
            ("text size", lambda: self._apply_text_scale(0)),
            ("overlay", self._hide_overlay),
        )

    def _hide_overlay(self) -> None:
        if self._overlay is not None:
            self._overlay.hide()

    def _idle_timed_out(self) -> None:
        log.info("idle timeout")
        self.end_session(EndReason.STAFF_LEFT if self._staff_active else EndReason.IDLE)

    # -- language and text size --------------------------------------------------------------

    def set_language(self, code: str) -> None:
        """Switch the interface language everywhere, keeping the visitor's place."""
        self._tr.set_language(code)
        session = self._sessions.current
        if session is not None:
            session.language = code

    def _language_changed(self, language: Language) -> None:
        self._qt_language.follow(language)
        if self._keyboard is not None:
            self._keyboard.set_language(language.code)
        # Sent synchronously so every screen shows the new language before the next frame.
        QCoreApplication.sendEvent(self, QEvent(QEvent.Type.LanguageChange))

    def step_text_scale(self, step: int) -> None:
        """A− (-1) or A+ (+1), within the sizes there are."""
        session = self._sessions.current
        index = session.text_scale_index if session else 0
        self._apply_text_scale(max(0, min(len(TEXT_SCALES) - 1, index + step)))

    def _apply_text_scale(self, index: int) -> None:
        session = self._sessions.current
        if session is not None:
            session.text_scale_index = index
        if index != self._text_scale_index:  # restyling every widget costs ~100 ms
            self._text_scale_index = index
            theme.apply(_qt_app(), TEXT_SCALES[index])
        if self._chrome.built_header is not None:
            self._chrome.built_header.set_text_scale_index(index)

    # -- staff mode --------------------------------------------------------------------------

    @property
    def staff_active(self) -> bool:
        return self._staff_active

    def open_staff_login(self) -> None:
        """The hidden gesture: show the PIN pad, remembering where to go back to."""
        if self._current != Screen.STAFF_LOGIN:
            self._return_screen = self._current
            self.show_screen(Screen.STAFF_LOGIN)

    def cancel_staff_login(self) -> None:
        """Back from the PIN pad to where the gesture was made."""
        self.show_screen(self._return_screen)

    def enter_staff_mode(self) -> None:
        """The PIN was right. Staff never see the previous visitor's data: an open session is
        wiped first."""
        self._sessions.end(EndReason.STAFF_LEFT)
        self._staff_active = True
        self.screen_widget(self._current).leave()
        self._enter(Screen.STAFF_HOME)

    def leave_staff_mode(self) -> None:
        """Hand the terminal back to visitors."""
        self._staff_active = False
        self._tr.reset()
        self.screen_widget(self._current).leave()
        self._enter(Screen.ATTRACT)

    def quit_when_asked_by_command(self) -> None:
        """Close even in kiosk mode: the command line asked for it (`--exit-when-ready`, used by
        the start-up benchmarks), not a visitor."""
        self._quit_allowed = True
        self.close()
        _qt_app().quit()

    def quit_kiosk(self) -> None:
        """Close the application — only offered in staff mode."""
        if not self._staff_active:
            return
        log.info("kiosk closed from staff mode")
        self._quit_allowed = True
        self.close()
        _qt_app().quit()

    # -- errors ------------------------------------------------------------------------------

    def recover_from_error(self) -> None:
        """After an unexpected error: back to a safe screen with a short apology."""
        self._hide_overlay()
        if self._sessions.current is None or self._staff_active:
            target = Screen.STAFF_HOME if self._staff_active else Screen.ATTRACT
            self.screen_widget(self._current).leave()
            self._enter(target)
            return
        self.screen_widget(self._current).leave()
        self._enter(Screen.HOME)
        self.home.show_apology(self._timing.notice_ms)

    # -- lockdown ----------------------------------------------------------------------------

    @property
    def kiosk_mode(self) -> bool:
        return self._kiosk_mode

    def show_for_mode(self) -> None:
        """Full screen and frameless in kiosk mode; a normal window otherwise."""
        if self._kiosk_mode:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.showFullScreen()
        else:
            self.resize(1280, 800)
            self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quit_allowed:
            log.info("close refused (kiosk mode)")
            event.ignore()
            return
        self.idle.disarm()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return is_blocked_key(event)  # installed application-wide in kiosk mode only
