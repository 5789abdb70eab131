"""The course preview window: the lesson player on one package, reloaded whenever a file is saved.

For authors, who keep their editor open beside it: the checker's problems are listed next to the
player, a language row switches the visitor's language with one tap, and the author can jump to
any step. It is an ordinary window: no kiosk mode, no visitor session, no idle wipe, and nothing
is stored (the lesson's step and quiz callbacks only move the step list along).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.courses import Catalogue, Course, load_packages, step_text
from kiosk.core.i18n import Language, Translator, isolate, language
from kiosk.ui.authoring.problems import ProblemsPanel
from kiosk.ui.authoring.watch import PackageWatcher
from kiosk.ui.learning.lesson import LessonScreen
from kiosk.ui.parts.screen_base import label, reading_direction
from kiosk.ui.shell.language_bar import LanguageBar

# The player as large as on a terminal (1280 px wide) and the problems beside it, where the
# author's screen has the room; smaller screens get a window that fits.
PREFERRED_SIZE = QSize(1700, 940)
PANEL_WIDTH = 420


@dataclass(frozen=True)
class Place:
    """Where the player is: a step (its id and position) or the end of the course."""

    step_id: str | None
    index: int
    at_end: bool


class CoursePreview(QMainWindow):
    """The lesson player on the course package in `folder`, kept up to date with its files.

    `visitor` is the language the course is shown in (the player's buttons too); `author` is
    the language of the preview's own words (problems heading, step list, messages).
    """

    reloaded = Signal()
    """The package was read again (whether it is fine or not)."""

    def __init__(
        self,
        folder: Path,
        *,
        visitor: Translator,
        author: Translator,
        fallback_languages: Sequence[str],
        help_text: Callable[[str], str] = lambda code: "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("coursePreview")
        self._folder = folder
        self._visitor = visitor
        self._author = author
        self._fallback = tuple(fallback_languages)
        self._help_text = help_text
        self.course: Course | None = None
        """The last version of the course without problems (None: none yet)."""
        self.lesson: LessonScreen | None = None

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        left = QWidget(splitter)
        column = QVBoxLayout(left)
        column.setContentsMargins(12, 12, 12, 0)
        self.languages = LanguageBar(visitor.languages, visitor.current.code, left)
        self.languages.language_chosen.connect(visitor.set_language)
        self.course_languages = label(left, "muted")
        column.addWidget(self.languages)
        column.addWidget(self.course_languages)

        steps_row = QHBoxLayout()
        self.previous = QPushButton(left)
        self.previous.clicked.connect(lambda: self.jump(self.position() - 1))
        self.steps = QComboBox(left)
        self.steps.setObjectName("stepList")
        self.steps.activated.connect(self.jump)
        self.next = QPushButton(left)
        self.next.clicked.connect(lambda: self.jump(self.position() + 1))
        steps_row.addWidget(self.previous)
        steps_row.addWidget(self.steps, 1)
        steps_row.addWidget(self.next)
        column.addLayout(steps_row)

        # The player keeps the visitor's reading direction; the preview around it stays in the
        # author's.
        self.player = QStackedWidget(left)
        self.player.setLayoutDirection(reading_direction(visitor.current.is_rtl))
        self.not_shown = label(self.player, "title")
        self.not_shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.player.addWidget(self.not_shown)
        column.addWidget(self.player, 1)

        self.problems = ProblemsPanel(author, splitter)
        splitter.addWidget(left)
        splitter.addWidget(self.problems)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([PREFERRED_SIZE.width() - PANEL_WIDTH, PANEL_WIDTH])
        self.setCentralWidget(splitter)
        self._fit_to_screen()

        visitor.on_change(self._language_changed)
        self.watcher = PackageWatcher(folder, self)
        self.watcher.changed.connect(self.reload)
        self._retranslate()
        self.reload()

    # -- the package --------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the package again (as `kiosk courses check` does); show it if it is fine, else
        keep the last good version in the player and list the problems."""
        catalogue = load_packages([self._folder], fallback_languages=self._fallback)
        course = catalogue.courses[0] if catalogue.courses else None
        self.problems.show_problems(
            catalogue.problems, shows_last_good=course is None and self.course is not None
        )
        if course is not None:
            place = self.place()
            self.course = course
            self._new_lesson(course)
            self._open(course, place)
        elif self.course is None:
            self.player.setCurrentWidget(self.not_shown)
        self._retranslate()
        self.reloaded.emit()

    def _new_lesson(self, course: Course) -> None:
        """A player for this version (the lesson player holds its catalogue for good)."""
        lesson = LessonScreen(
            self._visitor,
            Catalogue([course], fallback_languages=self._fallback),
            fallback_languages=self._fallback,
            help_text=self._help_text,
            on_step=lambda _course, _step: self._sync_steps(),
            on_complete=lambda _course: self._sync_steps(),
        )
        say = self.statusBar().showMessage
        _ = self._author.gettext
        lesson.finished.connect(lambda _id: say(_("Here visitors go back to the courses.")))
        lesson.code_requested.connect(lambda: say(_("Here visitors get a code to continue later.")))
        lesson.try_device.connect(lambda _kind: say(_("Here visitors go on to book a device.")))
        lesson.open_course.connect(lambda _id: say(_("Here visitors open the next course.")))
        old = self.lesson
        self.lesson = lesson
        self.player.addWidget(lesson)
        self.player.setCurrentWidget(lesson)
        if old is not None:
            self.player.removeWidget(old)
            old.deleteLater()

    def _open(self, course: Course, place: Place) -> None:
        """Open the player where it was: the same step where it still exists, else the same
        position (or the last step), or the end."""
        lesson = self.lesson
        if lesson is None:
            return
        ids = [step.id for step in course.steps]
        step_id = place.step_id if place.step_id in ids else ids[min(place.index, len(ids) - 1)]
        lesson.open(course.id, step_id)
        if place.at_end:
            self.jump(len(ids))
        self._sync_steps()

    # -- where the player is -------------------------------------------------------------------

    def place(self) -> Place:
        lesson = self.lesson
        if lesson is None:
            return Place(None, 0, False)
        return Place(lesson.current_step_id(), lesson.index, lesson.at_end)

    def position(self) -> int:
        """The step shown (0-based), or the number of steps at the end of the course."""
        if self.lesson is None or self.course is None:
            return 0
        return len(self.course.steps) if self.lesson.at_end else self.lesson.index

    def jump(self, position: int) -> None:
        """Show step number `position` (0-based), or the end for one past the last step; quizzes
        need no answer to pass (the author goes where they are writing)."""
        lesson, course = self.lesson, self.course
        if lesson is None or course is None or not 0 <= position <= len(course.steps):
            return
        last = len(course.steps) - 1
        lesson.open(course.id, course.steps[min(position, last)].id)
        if position > last:
            lesson.go_next()  # past the last step: the end, as a visitor reaches it
        self._sync_steps()

    def _sync_steps(self) -> None:
        position = self.position()
        self.steps.blockSignals(True)
        self.steps.setCurrentIndex(position)
        self.steps.blockSignals(False)
        total = len(self.course.steps) if self.course else 0
        self.previous.setEnabled(self.course is not None and position > 0)
        self.next.setEnabled(self.course is not None and position < total)

    # -- languages ----------------------------------------------------------------------------

    def _language_changed(self, chosen: Language) -> None:
        self.languages.set_current(chosen.code)
        self.player.setLayoutDirection(reading_direction(chosen.is_rtl))
        if self.lesson is not None:
            # Sent at once, so the step shows the new language before the next frame.
            QCoreApplication.sendEvent(self.lesson, QEvent(QEvent.Type.LanguageChange))
        self._retranslate()

    def _retranslate(self) -> None:
        _ = self._author.gettext
        self.setWindowTitle(_("Course preview: {folder}").format(folder=self._folder))
        self.previous.setText(_("Previous step"))
        self.next.setText(_("Next step"))
        self.not_shown.setText(
            _(
                "This course cannot be shown yet. Fix the problems listed beside it: "
                "the preview reloads when you save a file."
            )
        )
        course = self.course
        has = course.languages if course is not None else ()
        self.course_languages.setText(
            _("This course is written in: {languages}").format(
                languages=", ".join(isolate(language(code).native_name) for code in has)
            )
            if has
            else ""
        )
        missing = _("Not in this course: visitors see it in a fallback language.")
        for code, button in self.languages.buttons().items():
            button.setToolTip("" if code in has else missing)
        self.steps.blockSignals(True)
        self.steps.clear()
        code = self._visitor.current.code
        for number, step in enumerate(course.steps if course else (), start=1):
            title = step_text(step, code, self._fallback)[0].title
            # Isolated, a right-to-left title keeps its number on the left in the author's row.
            self.steps.addItem(f"{number}. {isolate(title)}")
        if course is not None:
            self.steps.addItem(_("End of the course"))
        self.steps.blockSignals(False)
        self._sync_steps()

    def _fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else PREFERRED_SIZE
        self.resize(PREFERRED_SIZE.boundedTo(room))
