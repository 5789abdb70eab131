"""Builds each screen the first time it is needed and connects what its buttons ask for.

Only the attract screen is built before the first frame. The feature packages are imported when
their screen is first built: together they take ~130 ms to import, which a terminal would
otherwise spend before it shows anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtGui import QIcon

from kiosk.config import SiteConfig
from kiosk.core.i18n import Translator, text_in
from kiosk.core.session import EndReason
from kiosk.storage import StorageError
from kiosk.storage.drives import ExportPlaces
from kiosk.ui.learning.recorder import LessonRecorder
from kiosk.ui.parts.screen_base import ScreenBase
from kiosk.ui.shell.attract import AttractScreen
from kiosk.ui.shell.keyboard_access import KeyboardAccess
from kiosk.ui.shell.screens import Screen, Timing

if TYPE_CHECKING:
    from kiosk.core.courses import Catalogue
    from kiosk.core.staff import StaffDesk
    from kiosk.ui.bookings.screen import BookingScreen
    from kiosk.ui.learning.lesson import LessonScreen
    from kiosk.ui.learning.resume import ResumeEntryScreen
    from kiosk.ui.parts.hub_booking import HubLink
    from kiosk.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)


class ScreenBuilder:
    """Makes the screens of one window and leads their requests to the window's navigation."""

    def __init__(
        self,
        window: MainWindow,
        *,
        config: SiteConfig,
        translator: Translator,
        desk: StaffDesk,
        timing: Timing,
        logo: QIcon,
        recorder: LessonRecorder,
    ) -> None:
        self._window = window
        self._config = config
        self._tr = translator
        self._desk = desk
        self._timing = timing
        self._logo = logo
        self._recorder = recorder
        self.keys = KeyboardAccess(window)  # Enter and arrows for every button of the window
        self._catalogue: Catalogue | None = None
        self._before_card = Screen.LESSON
        self._before_entry = Screen.LEARN  # where the code entry's Back leads
        self._factories: dict[Screen, Callable[[], ScreenBase]] = {
            Screen.ATTRACT: self._attract,
            Screen.HOME: self._home,
            Screen.LEARN: self._catalogue_screen,
            Screen.LESSON: self._lesson,
            Screen.RESUME_CARD: self._resume_card,
            Screen.RESUME_ENTRY: self._resume_entry,
            Screen.TRY_DEVICE: self._booking,
            Screen.STAFF_LOGIN: self._staff_login,
            Screen.STAFF_HOME: self._staff_home,
            Screen.STAFF_BOOKINGS: self._staff_bookings,
            Screen.STAFF_STATS: self._staff_stats,
        }

    def build(self, which: Screen) -> ScreenBase:
        """A new screen widget of that kind, its signals connected."""
        return self._factories[which]()

    # -- visitor screens ---------------------------------------------------------------------

    def _attract(self) -> ScreenBase:
        attract = AttractScreen(
            self._tr,
            self._config.site.name,
            self._logo,
            greeting_ms=self._timing.greeting_ms,
            hold_ms=self._timing.long_press_ms,
            speech_hint_ms=self._timing.speech_hint_ms,
        )
        attract.start_requested.connect(self._window.start_session)
        attract.staff_gesture.connect(self._window.open_staff_login)
        return attract

    def _home(self) -> ScreenBase:
        from kiosk.ui.shell.home import HomeScreen

        home = HomeScreen(self._tr)
        home.learn_requested.connect(lambda: self._window.show_screen(Screen.LEARN))
        home.try_device_requested.connect(lambda: self._window.show_screen(Screen.TRY_DEVICE))
        home.code_requested.connect(self.open_code_entry)
        return home

    def open_code_entry(self, code: str = "") -> None:
        """The entry for a code of either kind; its Back returns to the screen shown now.
        ``code``: one typed elsewhere (at "My booking"), taken at once."""
        if self._window.current_screen is not Screen.RESUME_ENTRY:
            self._before_entry = self._window.current_screen
        self._window.show_screen(Screen.RESUME_ENTRY)
        if code:
            entry = cast("ResumeEntryScreen", self._window.screen_widget(Screen.RESUME_ENTRY))
            entry.submit_code(code)

    # -- learning ----------------------------------------------------------------------------

    @property
    def catalogue(self) -> Catalogue:
        """The course packages, loaded the first time a visitor wants to learn something."""
        if self._catalogue is None:
            from kiosk.core.courses import load_catalogue

            self._catalogue = load_catalogue(
                self._config.courses_root(),
                fallback_languages=self._config.learning.fallback_languages,
                updates=self._desk.course_updates(),
            )
            for broken in self._catalogue.broken:
                log.warning("course package not offered: %s", broken.path.name)
        return self._catalogue

    def forget_catalogue(self) -> None:
        """Other course versions were installed: load the catalogue anew when next needed."""
        self._catalogue = None

    def _catalogue_screen(self) -> ScreenBase:
        from kiosk.ui.learning.catalogue import CatalogueScreen

        screen = CatalogueScreen(
            self._tr,
            self.catalogue,
            fallback_languages=self._config.learning.fallback_languages,
            progress=self._recorder.overview,
        )
        screen.course_chosen.connect(self.open_course)
        screen.code_entry_requested.connect(self.open_code_entry)
        screen.back_requested.connect(lambda: self._window.show_screen(Screen.HOME))
        return screen

    def _lesson(self) -> ScreenBase:
        from kiosk.ui.learning.lesson import LessonScreen

        learning = self._config.learning

        def help_text(code: str) -> str:
            return text_in(learning.help_text, code, learning.fallback_languages) or ""

        screen = LessonScreen(
            self._tr,
            self.catalogue,
            fallback_languages=learning.fallback_languages,
            help_text=help_text,
            on_step=self._recorder.step,
            on_quiz=self._recorder.quiz,
            on_complete=self._recorder.complete,
        )
        screen.code_requested.connect(self.show_resume_card)
        screen.finished.connect(lambda _course_id: self._window.show_screen(Screen.LEARN))
        screen.open_course.connect(self.open_course)
        screen.try_device.connect(self.open_booking)
        return screen

    def open_course(self, course_id: str, step_id: str | None = None) -> None:
        """Open a course where this visitor left it (or at `step_id`, or at its start)."""
        if step_id is None:
            known = self._recorder.guard(lambda p: p.progress_for(course_id))
            if known is not None and not known.completed:
                step_id = known.current_step
        lesson = cast("LessonScreen", self._window.screen_widget(Screen.LESSON))
        if lesson.open(course_id, step_id):
            self._window.show_screen(Screen.LESSON)

    def show_resume_card(self) -> None:
        """The card with the code to continue later; its Back returns to the screen shown now."""
        self._before_card = self._window.current_screen
        self._window.show_screen(Screen.RESUME_CARD)

    def _resume_card(self) -> ScreenBase:
        from kiosk.ui.learning.resume import ResumeCardScreen

        screen = ResumeCardScreen(
            self._tr,
            lambda: self._recorder.progress,
            paper=self._config.learning.card_paper,
            city_wide=self._config.joined_hub,
        )
        screen.back_requested.connect(lambda: self._window.show_screen(self._before_card))
        return screen

    def _resume_entry(self) -> ScreenBase:
        from kiosk.ui.learning.resume import ResumeEntryScreen

        screen = ResumeEntryScreen(
            self._tr, lambda: self._recorder.progress, hub_lookup=self._desk.lookup_code
        )
        screen.back_requested.connect(lambda: self._window.show_screen(self._before_entry))
        screen.restored.connect(self._restored)
        screen.booking_code_entered.connect(self.open_booking_code)
        return screen

    def _restored(self) -> None:
        """Back with a code: straight into the course used last, at its step."""
        if self._recorder.usage is not None:
            self._recorder.usage.resume_code_used()
        in_progress, _completed = self._recorder.overview()
        if in_progress:
            self.open_course(in_progress[0])
        else:
            self._window.show_screen(Screen.LEARN)

    # -- device-trial bookings ---------------------------------------------------------------

    def hub_link(self) -> HubLink | None:
        """How the booking screens of a terminal joined to a hub ask it for bookings and send
        changes at once; None for a terminal standing alone."""
        if not self._config.joined_hub:
            return None
        from kiosk.ui.parts.hub_booking import HubLink

        desk = self._desk
        return HubLink(
            book=desk.book_at_hub,
            wake=desk.changed,
            shared_kept=desk.shared_kept,
            wait_s=self._config.hub.timeout_s,
        )

    def _booking(self) -> ScreenBase:
        from kiosk.ui.bookings.screen import BookingScreen

        screen = BookingScreen(
            self._tr,
            lambda: self._window.bookings,
            house_rules=self._config.bookings.house_rules,
            reception=self._config.bookings.reception,
            fallback_languages=self._config.learning.fallback_languages,
            paper=self._config.bookings.slip_paper,
            no_show_minutes=self._config.bookings.no_show_minutes,
            hub=self.hub_link(),
        )
        screen.back_requested.connect(lambda: self._window.show_screen(Screen.HOME))
        screen.resume_code_entered.connect(self.open_code_entry)
        # The code is on screen or on the slip: "Done" ends the visit without a second question.
        screen.visit_finished.connect(lambda: self._window.end_session(EndReason.ENDED_BY_VISITOR))
        return screen

    def open_booking_code(self, code: str) -> None:
        """A booking code was typed at the code entry: show that booking under "My booking"."""
        self._window.show_screen(Screen.TRY_DEVICE)
        booking = cast("BookingScreen", self._window.screen_widget(Screen.TRY_DEVICE))
        booking.open_lookup()
        booking.lookup_page.look_up(code)

    def open_booking(self, kind: str = "") -> None:
        """The visitor wants to try a device (of ``kind``, e.g. from a course's end screen)."""
        self._window.show_screen(Screen.TRY_DEVICE)
        cast("BookingScreen", self._window.screen_widget(Screen.TRY_DEVICE)).show_kind(kind)

    # -- staff screens -----------------------------------------------------------------------

    def _staff_login(self) -> ScreenBase:
        from kiosk.ui.shell.staff_login import StaffLoginScreen

        login = StaffLoginScreen(self._tr, self._desk.gate)
        login.authenticated.connect(self._window.enter_staff_mode)
        login.cancelled.connect(self._window.cancel_staff_login)
        return login

    def _staff_home(self) -> ScreenBase:
        from kiosk.ui.staff.home import StaffHomeScreen, broken_course_line

        def courses() -> tuple[int, list[str]]:
            catalogue = self.catalogue
            broken = [broken_course_line(self._tr, package) for package in catalogue.broken]
            return len(catalogue), broken

        def conflicts() -> int:
            service = self._window.bookings
            if service is None or not service.joined:
                return 0
            try:
                return len(service.conflicts())
            except StorageError:
                log.exception("conflicts could not be counted")
                return 0

        home = StaffHomeScreen(
            self._tr,
            self._desk,
            courses=courses,
            conflicts=conflicts,
            paper=self._config.bookings.slip_paper,
        )
        home.bookings_requested.connect(lambda: self._window.show_screen(Screen.STAFF_BOOKINGS))
        home.statistics_requested.connect(lambda: self._window.show_screen(Screen.STAFF_STATS))
        return home

    def export_places(self) -> ExportPlaces:
        """Where staff may export: the USB sticks plugged in, and the configured folder."""
        folder = self._config.storage.export_folder
        return ExportPlaces(self._desk.data_dir, Path(folder) if folder else None)

    def _staff_bookings(self) -> ScreenBase:
        from kiosk.ui.staff.desk import StaffBookingsScreen
        from kiosk.ui.staff.reprint import SlipSettings

        screen = StaffBookingsScreen(
            self._tr,
            lambda: self._window.bookings,
            export_places=self.export_places(),
            site_name=self._config.site.name,
            hub=self.hub_link(),
            slips=SlipSettings.of(self._config),
        )
        screen.back_requested.connect(lambda: self._window.show_screen(Screen.STAFF_HOME))
        return screen

    def _staff_stats(self) -> ScreenBase:
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
            lambda: self._recorder.usage,
            export_places=self.export_places(),
            course_title=course_title,
        )
        screen.back_requested.connect(lambda: self._window.show_screen(Screen.STAFF_HOME))
        return screen
