"""The one main window: named screens in a stack, the visitor session and staff mode around them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple, TypeVar, cast

# Only what the first frame needs is imported here: importing a PySide6 class builds its Python
# type and enums (QLineEdit, QTextEdit, QAbstractSpinBox, QClipboard… ~1.5 ms in all), so classes
# needed only once a visitor acts are imported where they are used. (Event classes are built by
# PySide anyway, with the first event it hands to Python.)
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QIcon, QKeyEvent
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
from kiosk.ui.parts.screen_base import ScreenBase
from kiosk.ui.shell.attract import AttractScreen
from kiosk.ui.shell.idle import IdleMonitor

T = TypeVar("T")

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator

    from kiosk.core.bookings import BookingService
    from kiosk.core.courses import Catalogue, Course
    from kiosk.core.progress import ProgressService
    from kiosk.core.staff import StaffDesk
    from kiosk.core.stats import UsageEvents
    from kiosk.ui.bookings.screen import BookingScreen
    from kiosk.ui.learning.lesson import LessonScreen
    from kiosk.ui.parts.keyboard import KeyboardController, OnScreenKeyboard
    from kiosk.ui.shell.header import StaffHeader, VisitorHeader
    from kiosk.ui.shell.home import HomeScreen
    from kiosk.ui.shell.idle_overlay import IdleOverlay
    from kiosk.ui.shell.staff_login import StaffLoginScreen

log = logging.getLogger(__name__)
# The widgets that take typed text, by Qt class name (see _first_text_focus).
_TEXT_WIDGETS = ("QLineEdit", "QPlainTextEdit", "QTextEdit")


def _qt_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("the kiosk needs a QApplication")
    return app


class Screen(Enum):
    """Every screen of the kiosk, by name."""

    ATTRACT = "attract"
    HOME = "home"
    LEARN = "learn"
    LESSON = "lesson"
    RESUME_CARD = "resume_card"
    RESUME_ENTRY = "resume_entry"
    TRY_DEVICE = "try_device"
    STAFF_LOGIN = "staff_login"
    STAFF_HOME = "staff_home"
    STAFF_BOOKINGS = "staff_bookings"
    STAFF_STATS = "staff_stats"


VISITOR_SCREENS = frozenset(
    {
        Screen.HOME,
        Screen.LEARN,
        Screen.LESSON,
        Screen.RESUME_CARD,
        Screen.RESUME_ENTRY,
        Screen.TRY_DEVICE,
    }
)
STAFF_SCREENS = frozenset({Screen.STAFF_HOME, Screen.STAFF_BOOKINGS, Screen.STAFF_STATS})


class Timing(NamedTuple):
    """Every duration of the shell in milliseconds; tests inject tiny ones."""

    visitor_idle_ms: int
    staff_idle_ms: int
    warning_ms: int
    notice_ms: int
    greeting_ms: int = 2500
    long_press_ms: int = 3000

    @classmethod
    def from_config(cls, config: SiteConfig) -> Timing:
        return cls(
            visitor_idle_ms=config.session.idle_timeout_s * 1000,
            staff_idle_ms=config.staff.idle_timeout_s * 1000,
            warning_ms=config.session.warning_s * 1000,
            notice_ms=config.session.notice_s * 1000,
            long_press_ms=round(config.staff.long_press_s * 1000),
        )


# In kiosk mode these do nothing: nobody walks away with a closed or quit kiosk.
_BLOCKED_KEYS = (
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
)


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
    ) -> None:
        super().__init__()
        self._tr = translator
        self._sessions = sessions
        self._timing = timing
        self._kiosk_mode = kiosk_mode
        self._quit_allowed = not kiosk_mode
        self._staff_active = False
        self._return_screen = Screen.ATTRACT
        self._qt_translator: QTranslator | None = None
        self._text_scale_index = 0
        self.setWindowTitle(config.site.name)
        self.setWindowIcon(logo)

        central = QWidget(self)
        central.setObjectName("central")
        self._layout = QVBoxLayout(central)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.stack = QStackedWidget(central)
        self.stack.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._config = config
        self._desk = desk
        self._logo = logo
        # Only the attract screen is built before the first frame; every other screen, the
        # headers, the keyboard and the idle overlay are built the first time they are needed.
        self._factories: dict[Screen, Callable[[], ScreenBase]] = {
            Screen.ATTRACT: self._make_attract,
            Screen.HOME: self._make_home,
            Screen.LEARN: self._make_catalogue,
            Screen.LESSON: self._make_lesson,
            Screen.RESUME_CARD: self._make_resume_card,
            Screen.RESUME_ENTRY: self._make_resume_entry,
            Screen.TRY_DEVICE: self._make_booking,
            Screen.STAFF_LOGIN: self._make_staff_login,
            Screen.STAFF_HOME: self._make_staff_home,
            Screen.STAFF_BOOKINGS: self._make_staff_bookings,
            Screen.STAFF_STATS: self._make_staff_stats,
        }
        self._built: dict[Screen, ScreenBase] = {}
        self._catalogue: Catalogue | None = None
        self._progress: ProgressService | None = None
        self._bookings: BookingService | None = None
        self._usage: UsageEvents | None = None
        self._before_card = Screen.LESSON
        self._header: VisitorHeader | None = None
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
        translator.on_change(self._language_changed)
        self._apply_direction(translator.current)
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
        if self._kiosk_mode:
            _qt_app().installEventFilter(self)

    # -- parts built on first use ------------------------------------------------------------

    def screen(self, which: Screen) -> ScreenBase:
        """The screen widget (built now if this is its first use)."""
        built = self._built.get(which)
        if built is None:
            built = self._factories[which]()
            self._built[which] = built
            self.stack.addWidget(built)
        return built

    @property
    def screens(self) -> dict[Screen, ScreenBase]:
        """Every screen, built."""
        return {which: self.screen(which) for which in Screen}

    @property
    def attract(self) -> AttractScreen:
        return cast(AttractScreen, self.screen(Screen.ATTRACT))

    @property
    def home(self) -> HomeScreen:
        return cast("HomeScreen", self.screen(Screen.HOME))

    @property
    def staff_login(self) -> StaffLoginScreen:
        return cast("StaffLoginScreen", self.screen(Screen.STAFF_LOGIN))

    @property
    def header(self) -> VisitorHeader:
        if self._header is None:
            from kiosk.ui.shell.header import VisitorHeader

            header = VisitorHeader(
                self._tr, self._config.site.name, self._logo, self._timing.long_press_ms
            )
            header.language_bar.language_chosen.connect(self.set_language)
            header.text_smaller_requested.connect(lambda: self._step_text_scale(-1))
            header.text_larger_requested.connect(lambda: self._step_text_scale(+1))
            header.end_session_requested.connect(
                lambda: self.end_session(EndReason.ENDED_BY_VISITOR)
            )
            header.staff_gesture.connect(self.open_staff_login)
            header.logo_tapped.connect(lambda: self.show_screen(Screen.HOME))
            header.set_text_scale_index(self._text_scale_index)
            header.hide()
            self._layout.insertWidget(0, header)
            self._header = header
        return self._header

    @property
    def staff_header(self) -> StaffHeader:
        if self._staff_header is None:
            from kiosk.ui.shell.header import StaffHeader

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
            from kiosk.ui.shell.idle_overlay import IdleOverlay

            self._overlay = IdleOverlay(self._tr, self.centralWidget())
            self._overlay.still_here.connect(self.idle.activity)
        return self._overlay

    @property
    def keyboard(self) -> OnScreenKeyboard:
        if self._keyboard is None:
            from kiosk.ui.parts.keyboard import KeyboardController, OnScreenKeyboard

            keyboard = OnScreenKeyboard(self._tr, self.centralWidget())
            keyboard.set_language(self._tr.current.code)
            keyboard.hide()
            self._layout.addWidget(keyboard)
            self._keyboard = keyboard
            self._keyboard_controller = KeyboardController(
                keyboard, self._config.ui.onscreen_keyboard
            )
        return self._keyboard

    def _first_text_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Asked by Qt class name rather than isinstance: the first focus change comes before the
        # first frame (the attract screen), and the Python text-widget classes are not loaded yet.
        if (
            self._keyboard is None
            and new is not None
            and any(new.inherits(name) for name in _TEXT_WIDGETS)
        ):
            _qt_app().focusChanged.disconnect(self._first_text_focus)
            self.keyboard  # noqa: B018 - builds it; its controller takes over from here

    def _make_attract(self) -> ScreenBase:
        attract = AttractScreen(
            self._tr,
            self._config.site.name,
            self._logo,
            greeting_ms=self._timing.greeting_ms,
            hold_ms=self._timing.long_press_ms,
        )
        attract.start_requested.connect(self.start_session)
        attract.staff_gesture.connect(self.open_staff_login)
        return attract

    def _make_home(self) -> ScreenBase:
        from kiosk.ui.shell.home import HomeScreen

        home = HomeScreen(self._tr)
        home.learn_requested.connect(lambda: self.show_screen(Screen.LEARN))
        home.try_device_requested.connect(lambda: self.show_screen(Screen.TRY_DEVICE))
        return home

    @property
    def catalogue(self) -> Catalogue:
        """The course packages, loaded the first time a visitor wants to learn something."""
        if self._catalogue is None:
            from kiosk.core.courses import load_catalogue

            self._catalogue = load_catalogue(
                self._config.courses_root(),
                fallback_languages=self._config.learning.fallback_languages,
            )
            for broken in self._catalogue.broken:
                log.warning("course package not offered: %s", broken.path.name)
        return self._catalogue

    def _make_catalogue(self) -> ScreenBase:
        from kiosk.ui.learning.catalogue import CatalogueScreen

        screen = CatalogueScreen(
            self._tr,
            self.catalogue,
            fallback_languages=self._config.learning.fallback_languages,
            progress=self._progress_overview,
        )
        screen.course_chosen.connect(self.open_course)
        screen.code_entry_requested.connect(lambda: self.show_screen(Screen.RESUME_ENTRY))
        screen.back_requested.connect(lambda: self.show_screen(Screen.HOME))
        return screen

    def _make_lesson(self) -> ScreenBase:
        from kiosk.ui.learning.lesson import LessonScreen

        learning = self._config.learning

        def help_text(code: str) -> str:
            for candidate in (code, *learning.fallback_languages):
                if candidate in learning.help_text:
                    return learning.help_text[candidate]
            return ""

        screen = LessonScreen(
            self._tr,
            self.catalogue,
            fallback_languages=learning.fallback_languages,
            help_text=help_text,
            on_step=self._record_step,
            on_quiz=self._record_quiz,
            on_complete=self._record_complete,
        )
        screen.code_requested.connect(self._show_resume_card)
        screen.finished.connect(lambda _course_id: self.show_screen(Screen.LEARN))
        screen.open_course.connect(self.open_course)
        screen.try_device.connect(self.open_booking)
        return screen

    @property
    def lesson(self) -> LessonScreen:
        return cast("LessonScreen", self.screen(Screen.LESSON))

    def open_course(self, course_id: str, step_id: str | None = None) -> None:
        """Open a course where this visitor left it (or at `step_id`, or at its start)."""
        if step_id is None and self._progress is not None:
            known = self._guard(lambda p: p.progress_for(course_id))
            if known is not None and not known.completed:
                step_id = known.current_step
        if self.lesson.open(course_id, step_id):
            self.show_screen(Screen.LESSON)

    # -- learning progress -------------------------------------------------------------------

    def attach_progress(self, progress: ProgressService) -> None:
        """The database is open: from now on progress is kept (and wiped with the session)."""
        self._progress = progress

    @property
    def progress(self) -> ProgressService | None:
        return self._progress

    def _guard(self, action: Callable[[ProgressService], T]) -> T | None:
        """Progress is a convenience: a storage failure is logged, learning goes on."""
        if self._progress is None:
            return None
        from kiosk.storage import StorageError  # progress exists only once storage is open

        try:
            return action(self._progress)
        except StorageError:
            log.exception("learning progress could not be stored")
            return None

    def _record_step(self, course: Course, step_id: str) -> None:
        def record(progress: ProgressService) -> None:
            if progress.progress_for(course.id) is None:
                progress.start_course(course.id, course.version, [s.id for s in course.steps])
                if self._usage is not None:
                    self._usage.course_started(course.id, self._tr.current.code)
            progress.visit_step(course.id, step_id)

        self._guard(record)

    def _record_quiz(self, course: Course, step_id: str, right: bool) -> None:
        def record(progress: ProgressService) -> None:
            if progress.progress_for(course.id) is None:
                progress.start_course(course.id, course.version, [s.id for s in course.steps])
            progress.record_quiz(course.id, step_id, right)

        self._guard(record)
        if self._usage is not None:
            self._usage.quiz_attempted(course.id)

    def _record_complete(self, course: Course) -> None:
        self._guard(lambda p: p.complete(course.id) if p.progress_for(course.id) else None)
        if self._usage is not None:
            self._usage.course_completed(course.id, self._tr.current.code)

    def _progress_overview(self) -> tuple[list[str], frozenset[str]]:
        overview = self._guard(
            lambda p: (
                [c.course_id for c in p.courses_in_progress()],
                frozenset(c.course_id for c in p.completed_courses()),
            )
        )
        return overview if overview is not None else ([], frozenset())

    def _show_resume_card(self) -> None:
        self._before_card = self._current
        self.show_screen(Screen.RESUME_CARD)

    def _make_resume_card(self) -> ScreenBase:
        from kiosk.ui.learning.resume import ResumeCardScreen

        screen = ResumeCardScreen(
            self._tr, lambda: self._progress, paper=self._config.learning.card_paper
        )
        screen.back_requested.connect(lambda: self.show_screen(self._before_card))
        return screen

    def _make_resume_entry(self) -> ScreenBase:
        from kiosk.ui.learning.resume import ResumeEntryScreen

        screen = ResumeEntryScreen(self._tr, lambda: self._progress)
        screen.back_requested.connect(lambda: self.show_screen(Screen.LEARN))
        screen.restored.connect(self._restored)
        return screen

    def _restored(self) -> None:
        """Back with a code: straight into the course used last, at its step."""
        if self._usage is not None:
            self._usage.resume_code_used()
        in_progress, _completed = self._progress_overview()
        if in_progress:
            self.open_course(in_progress[0])
        else:
            self.show_screen(Screen.LEARN)

    # -- device-trial bookings ----------------------------------------------------------------

    def attach_bookings(self, bookings: BookingService) -> None:
        """The database is open: visitors can book devices, staff can run the day."""
        self._bookings = bookings

    @property
    def bookings(self) -> BookingService | None:
        return self._bookings

    def attach_usage(self, usage: UsageEvents) -> None:
        """Anonymous usage counts (courses, quizzes, resume codes) from now on."""
        self._usage = usage

    def _make_booking(self) -> ScreenBase:
        from kiosk.ui.bookings.screen import BookingScreen

        screen = BookingScreen(
            self._tr,
            lambda: self._bookings,
            house_rules=self._config.bookings.house_rules,
            fallback_languages=self._config.learning.fallback_languages,
            paper=self._config.bookings.slip_paper,
            no_show_minutes=self._config.bookings.no_show_minutes,
        )
        screen.back_requested.connect(lambda: self.show_screen(Screen.HOME))
        return screen

    def open_booking(self, kind: str = "") -> None:
        """The visitor wants to try a device (of ``kind``, e.g. from a course's end screen)."""
        self.show_screen(Screen.TRY_DEVICE)
        cast("BookingScreen", self.screen(Screen.TRY_DEVICE)).show_kind(kind)

    def _make_staff_bookings(self) -> ScreenBase:
        from kiosk.ui.staff.desk import StaffBookingsScreen

        screen = StaffBookingsScreen(
            self._tr,
            lambda: self._bookings,
            data_dir=self._desk.data_dir,
            site_name=self._config.site.name,
        )
        screen.back_requested.connect(lambda: self.show_screen(Screen.STAFF_HOME))
        return screen

    def _make_staff_login(self) -> ScreenBase:
        from kiosk.ui.shell.staff_login import StaffLoginScreen

        login = StaffLoginScreen(self._tr, self._desk.gate)
        login.authenticated.connect(self._enter_staff_mode)
        login.cancelled.connect(lambda: self.show_screen(self._return_screen))
        return login

    def _make_staff_home(self) -> ScreenBase:
        from kiosk.ui.staff.home import StaffHomeScreen

        def courses() -> tuple[int, list[str]]:
            catalogue = self.catalogue
            broken = [
                f"{package.path.name}: {package.problems[0].message}"
                + (f" (+{len(package.problems) - 1})" if len(package.problems) > 1 else "")
                for package in catalogue.broken
            ]
            return len(catalogue), broken

        home = StaffHomeScreen(self._tr, self._desk, courses=courses)
        home.bookings_requested.connect(lambda: self.show_screen(Screen.STAFF_BOOKINGS))
        home.statistics_requested.connect(lambda: self.show_screen(Screen.STAFF_STATS))
        return home

    def _make_staff_stats(self) -> ScreenBase:
        from kiosk.ui.stats.screen import StaffStatsScreen

        def course_title(course_id: str) -> str:
            course = self.catalogue.get(course_id)
            if course is None:  # a course that is no longer offered: its id, readable
                return course_id.replace("-", " ").capitalize()
            fallbacks = self._config.learning.fallback_languages
            return course.title_in(self._tr.current.code, fallbacks)

        screen = StaffStatsScreen(
            self._tr,
            lambda: self._desk.statistics,
            lambda: self._usage,
            data_dir=self._desk.data_dir,
            course_title=course_title,
        )
        screen.back_requested.connect(lambda: self.show_screen(Screen.STAFF_HOME))
        return screen

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
        self.screen(self._current).leave()
        self._enter(screen)

    def _enter(self, screen: Screen) -> None:
        self._current = screen
        if screen in VISITOR_SCREENS:
            self.header.show()
        elif self._header is not None:
            self._header.hide()
        if screen in STAFF_SCREENS:
            self.staff_header.show()
            self.staff_header.quit.setVisible(self._staff_active)
        elif self._staff_header is not None:
            self._staff_header.hide()
        target = self.screen(screen)
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
            self.idle.arm(self._timing.visitor_idle_ms, self._timing.warning_ms)
        else:
            self.idle.disarm()

    # -- visitor session ---------------------------------------------------------------------

    def start_session(self, language_code: str = "") -> None:
        """A visitor begins: a fresh session in their language (or the site default)."""
        session = self._sessions.begin(language_code or self._tr.default.code)
        self.set_language(session.language)
        self.screen(self._current).leave()
        self._enter(Screen.HOME)

    def end_session(self, reason: EndReason) -> None:
        """Wipe everything about the visitor and say so on the attract screen, in their language."""
        ended = self._sessions.end(reason)
        self._staff_active = False
        self._tr.reset()
        self.screen(self._current).leave()
        self._enter(Screen.ATTRACT)
        if ended is not None:
            self.attract.show_data_deleted(ended.language, self._timing.notice_ms)
            log.info("session ended (%s)", reason.value)
            self.session_ended.emit(reason.value)

    def _forget_visitor(self) -> None:
        """Runs inside every wipe: screens, text fields with their undo history, clipboard."""
        from PySide6.QtGui import QClipboard
        from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit

        for screen in self._built.values():
            screen.reset()
        for line_edit in self.findChildren(QLineEdit):
            line_edit.setText("")  # setText (unlike clear) also drops the undo history
        for text_edit in self.findChildren(QPlainTextEdit):
            text_edit.setPlainText("")
            text_edit.document().clearUndoRedoStacks()
        for rich_edit in self.findChildren(QTextEdit):
            rich_edit.setPlainText("")
            rich_edit.document().clearUndoRedoStacks()
        for spin_box in self.findChildren(QAbstractSpinBox):
            spin_box.clear()
        clipboard = QGuiApplication.clipboard()
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)
        if self._keyboard is not None:
            self._keyboard.hide()
        self._apply_text_scale(0)
        self._hide_overlay()

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
        from kiosk.ui.shell.qt_translations import load_qt_translator  # the first switch loads it

        self._apply_direction(language)
        app = QCoreApplication.instance()
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
        self._qt_translator = load_qt_translator(language.babel_locale, app)
        if self._qt_translator is not None:
            app.installTranslator(self._qt_translator)
        if self._keyboard is not None:
            self._keyboard.set_language(language.code)
        # Sent synchronously so every screen shows the new language before the next frame.
        QCoreApplication.sendEvent(self, QEvent(QEvent.Type.LanguageChange))

    def _apply_direction(self, language: Language) -> None:
        direction = (
            Qt.LayoutDirection.RightToLeft if language.is_rtl else Qt.LayoutDirection.LeftToRight
        )
        QGuiApplication.setLayoutDirection(direction)

    def _step_text_scale(self, step: int) -> None:
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
        if self._header is not None:
            self._header.set_text_scale_index(index)

    # -- staff mode --------------------------------------------------------------------------

    @property
    def staff_active(self) -> bool:
        return self._staff_active

    def open_staff_login(self) -> None:
        """The hidden gesture: show the PIN pad, remembering where to go back to."""
        if self._current != Screen.STAFF_LOGIN:
            self._return_screen = self._current
            self.show_screen(Screen.STAFF_LOGIN)

    def _enter_staff_mode(self) -> None:
        # Staff never see the previous visitor's data: an open session is wiped first.
        self._sessions.end(EndReason.STAFF_LEFT)
        self._staff_active = True
        self.screen(self._current).leave()
        self._enter(Screen.STAFF_HOME)

    def leave_staff_mode(self) -> None:
        """Hand the terminal back to visitors."""
        self._staff_active = False
        self._tr.reset()
        self.screen(self._current).leave()
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
            self.screen(self._current).leave()
            self._enter(target)
            return
        self.screen(self._current).leave()
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
        if isinstance(event, QKeyEvent) and event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.ShortcutOverride,
        ):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            for key, required in _BLOCKED_KEYS:
                if event.key() == key and modifiers == required:
                    return True
        return False
