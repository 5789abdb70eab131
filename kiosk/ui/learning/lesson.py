"""The lesson player: one step per screen, quizzes that wait for an answer, and an end screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImageReader, QMovie
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.courses import Catalogue, Course, StepText, step_text
from kiosk.core.i18n import Translator, isolate, language
from kiosk.ui import theme
from kiosk.ui.learning.lesson_end import LessonEnd
from kiosk.ui.learning.quiz_view import QuizPanel, reveal_later
from kiosk.ui.learning.text_column import TextColumn
from kiosk.ui.parts.images import (
    check_course_picture,
    forget_picture,
    plain_tooltip,
    show_course_picture,
)
from kiosk.ui.parts.screen_base import ScreenBase, back_arrow, label, reading_direction
from kiosk.ui.parts.scroll_cue import attach_scroll_cue

IMAGE_SIZE = QSize(400, 300)


def _direction(code: str) -> Qt.LayoutDirection:
    return reading_direction(language(code).is_rtl)


class LessonScreen(ScreenBase):
    """Plays one course. Step changes and quiz results are reported through the callbacks."""

    finished = Signal(str)
    """The visitor left the course (its id); the shell goes back to the catalogue."""
    open_course = Signal(str)
    """A suggested next course was chosen."""
    try_device = Signal(str)
    """The visitor wants to try a device of this kind."""
    code_requested = Signal()
    """The visitor wants a code to continue later."""

    def __init__(
        self,
        translator: Translator,
        catalogue: Catalogue,
        *,
        fallback_languages: Sequence[str],
        help_text: Callable[[str], str] = lambda code: "",
        on_step: Callable[[Course, str], None] = lambda course, step_id: None,
        on_quiz: Callable[[Course, str, bool], None] = lambda course, step_id, right: None,
        on_complete: Callable[[Course], None] = lambda course: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, parent)
        self._catalogue = catalogue
        self._fallback = tuple(fallback_languages)
        self._help_text = help_text
        self._on_step = on_step
        self._on_quiz = on_quiz
        self._on_complete = on_complete
        self.course: Course | None = None
        self.index = 0
        self._at_end = False
        self._checked: dict[str, bool] = {}  # quiz step id -> answered right (first try)
        self._movie: QMovie | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 16, 48, 16)
        layout.setSpacing(12)
        top = QHBoxLayout()
        # Wraps: a long title at a large text size must leave "Continue later" its full width.
        self._course_title = label(self, "muted")
        self.position = label(self, "position", wrap=False)
        self.save_place = QPushButton(self)
        self.save_place.setObjectName("saveButton")
        self.save_place.clicked.connect(self.code_requested)
        top.addWidget(self._course_title, 1)
        top.addWidget(self.position)
        top.addSpacing(16)
        top.addWidget(self.save_place)
        layout.addLayout(top)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(12)
        layout.addWidget(self.progress_bar)
        self.fallback_note = label(self, "notice")
        layout.addWidget(self.fallback_note)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always shown: it tells there is more below, and a bar that comes and goes changes the
        # page width after the text was laid out (Qt then cuts off the trailing edge).
        self._scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        theme.enable_kinetic_scrolling(self._scroll)
        attach_scroll_cue(self._scroll, self._tr.gettext)
        self._page = TextColumn()
        self._page.setObjectName("lessonPage")
        page = QVBoxLayout(self._page)
        page.setContentsMargins(0, 8, 0, 8)
        page.setSpacing(16)
        self.step_title = label(self._page, "title")
        self.image = QLabel(self._page)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label(self._page, "stepBody")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.hint = label(self._page, "hint")
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.quiz = QuizPanel(translator, self._page)
        self.check = QPushButton(self)
        self.check.setObjectName("primary")
        self.check.clicked.connect(self._check_answer)
        # The words first (the step's point is in view at once), then the picture. (Text and
        # picture side by side cut off long texts: Qt's nested height-for-width falls short.)
        for widget in (self.step_title, self.body, self.hint, self.image, self.quiz):
            page.addWidget(widget)
        # The end of the course lives on the same page.
        self.end = LessonEnd(translator, self._page)
        self.end.try_device.connect(self.try_device)
        self.end.open_course.connect(self.open_course)
        self.end.hide()
        page.addWidget(self.end)
        page.addStretch(1)
        self._page.measure_by(self.body)
        self._scroll.setWidget(self._page)
        layout.addWidget(self._scroll, 1)

        nav = QHBoxLayout()
        self.back = QPushButton(self)
        self.back.setObjectName("navButton")
        self.back.clicked.connect(self.go_back)
        self.next = QPushButton(self)
        self.next.setObjectName("navPrimary")
        self.next.clicked.connect(self._next_tapped)
        # Always in reach at the bottom, however long the step: Back, Check answer, Next.
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.check)
        nav.addStretch(1)
        nav.addWidget(self.next)
        layout.addLayout(nav)

    # -- driving the lesson ------------------------------------------------------------------

    def open(self, course_id: str, step_id: str | None = None) -> bool:
        """Start (or resume at `step_id`) a course; False if the course is not available."""
        course = self._catalogue.get(course_id)
        if course is None or not course.steps:
            return False
        self.course = course
        self._checked = {}
        ids = [step.id for step in course.steps]
        self.index = ids.index(step_id) if step_id in ids else 0
        self._at_end = False
        self._show()
        return True

    @property
    def at_end(self) -> bool:
        return self._at_end

    def current_step_id(self) -> str | None:
        if self.course is None or self._at_end:
            return None
        return self.course.steps[self.index].id

    @property
    def result(self) -> QLabel:
        """The verdict on the checked answer (shown below the chosen answer)."""
        return self.quiz.verdict

    def waits_for_answer(self) -> bool:
        """Whether the step shown is a quiz not answered yet in this visit."""
        text = None if self._at_end else self._text()
        if text is None or text.quiz is None:
            return False
        return self.current_step_id() not in self._checked

    def _next_tapped(self) -> None:
        # A quiz is there to be answered: Next checks a chosen answer (the visitor then reads
        # the verdict and taps Next again), or asks for one.
        if self.waits_for_answer():
            if self.quiz.chosen():
                self._check_answer()
            else:
                self._ask_for_answer()
            return
        self.go_next()

    def go_next(self) -> None:
        """Go on to the next step (or the end, or out) as the Next button does once it may."""
        if self.course is None:
            return
        if self._at_end:
            self.finished.emit(self.course.id)
            return
        if self.index + 1 < len(self.course.steps):
            self.index += 1
        else:
            self._at_end = True
            self._on_complete(self.course)
        self._show()

    def go_back(self) -> None:
        if self.course is None:
            return
        if self._at_end:
            self._at_end = False
        elif self.index > 0:
            self.index -= 1
        else:
            self.finished.emit(self.course.id)
            return
        self._show()

    def choose_option(self, index: int) -> None:
        """Select (or, in multiple choice, toggle) an answer, as a tap does."""
        self.quiz.buttons[index].click()

    def _check_answer(self) -> None:
        if self.course is None or self._at_end:
            return
        right = self.quiz.check()
        if right is None:
            self._ask_for_answer()
            return
        step_id = self.course.steps[self.index].id
        if step_id not in self._checked:
            self._checked[step_id] = right
            self._on_quiz(self.course, step_id, right)
        # The chosen answer and the verdict below it in view (as far as both fit).
        reveal_later(self._scroll, self.quiz.first_chosen, self.quiz.verdict)

    def _ask_for_answer(self) -> None:
        self.quiz.ask_for_answer()
        reveal_later(self._scroll, lambda: None, self.quiz.prompt)

    # -- rendering ---------------------------------------------------------------------------

    def _text(self) -> StepText | None:
        if self.course is None:
            return None
        text, _code = step_text(
            self.course.steps[self.index], self._tr.current.code, self._fallback
        )
        return text

    def _show(self, *, record: bool = True) -> None:
        self.quiz.clear()
        self.end.clear()
        if self._movie is not None:
            self._movie.stop()
            self._movie = None
        forget_picture(self.image)
        if self.course is None:
            return
        if self._at_end:
            self._show_end(self.course)
        else:
            self._show_step(self.course, record=record)
        self._retranslate_chrome()
        self._scroll.verticalScrollBar().setValue(0)

    def _show_step(self, course: Course, *, record: bool) -> None:
        step = course.steps[self.index]
        current = self._tr.current.code
        text, used = step_text(step, current, self._fallback)
        self._page.setLayoutDirection(_direction(used))
        self.end.hide()
        self.step_title.show()
        if used != current:
            self.fallback_note.setText(
                self._tr.gettext(
                    "This step is not translated yet. It is shown in {language}."
                ).format(language=isolate(language(used).native_name))
            )
            self.fallback_note.show()
        else:
            self.fallback_note.hide()
        self.step_title.setText(text.title)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setText(text.body_html())
        self.body.setVisible(bool(text.blocks))
        if text.image is not None:
            self._show_image(text.image.path, text.image.alt)
        self.image.setVisible(text.image is not None)
        self.hint.setVisible(bool(text.hint))
        if text.hint:
            self.hint.setTextFormat(Qt.TextFormat.RichText)
            self.hint.setText(text.hint_html())
        self.check.setVisible(text.quiz is not None)
        self.quiz.setVisible(text.quiz is not None)
        if text.quiz is not None:
            self.quiz.show_quiz(text.quiz)
        if record:
            self._on_step(course, step.id)

    def _show_image(self, image_path: Path, alt: str) -> None:
        # Drawn off the UI thread at the size shown; the description stands in for a picture
        # that must not be drawn. Course text is plain text, also in the tooltip.
        if image_path.suffix.lower() == ".gif":
            check_course_picture(self.image, image_path, alt, lambda: self._play(image_path))
        else:
            show_course_picture(self.image, image_path, IMAGE_SIZE, alt)
        self.image.setAccessibleName(alt)
        self.image.setToolTip(plain_tooltip(alt))

    def _play(self, image_path: Path) -> None:
        """Play a checked animation, fitted into the picture's place (aspect kept)."""
        size = QImageReader(str(image_path)).size()
        self._movie = QMovie(str(image_path), parent=self)
        self._movie.setScaledSize(
            size.scaled(IMAGE_SIZE, Qt.AspectRatioMode.KeepAspectRatio)
            if size.isValid()
            else IMAGE_SIZE
        )
        self.image.setMovie(self._movie)
        self._movie.start()

    def _show_end(self, course: Course) -> None:
        self._page.setLayoutDirection(_direction(self._tr.current.code))
        self.fallback_note.hide()
        for widget in (self.step_title, self.body, self.hint, self.image, self.quiz, self.check):
            widget.hide()
        self.end.show_course(
            course,
            answers=self._checked,
            next_courses=self._next_courses(course),
            fallback=self._fallback,
            help_text=self._help_text,
        )
        self.end.show()

    def _next_courses(self, course: Course) -> list[Course]:
        others = [c for c in self._catalogue if c.id != course.id]
        return sorted(others, key=lambda c: (c.category != course.category, c.id))

    def _retranslate_chrome(self) -> None:
        _ = self._tr.gettext
        course = self.course
        if course is None:
            return
        code = self._tr.current.code
        self._course_title.setText(course.title_in(code, self._fallback))
        total = len(course.steps)
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(total if self._at_end else self.index + 1)
        self.position.setText(
            _("Finished")
            if self._at_end
            else _("Step {n} of {total}").format(
                n=self._tr.number(self.index + 1), total=self._tr.number(total)
            )
        )
        self.check.setText(_("Check answer"))
        # A finished course has nothing to continue.
        self.save_place.setVisible(not self._at_end)
        self.save_place.setText(_("Continue later"))
        self.save_place.setAccessibleName(_("Get a code to continue later"))
        direction = self.layoutDirection()
        back = _("Back")
        self.back.setText(f"{back_arrow(direction)}  {back}")
        self.back.setAccessibleName(_("Previous step") if self.index or self._at_end else back)
        if self._at_end:  # leaving for the catalogue is going back: the arrow says so
            courses = _("Back to the courses")
            self.next.setText(f"{back_arrow(direction)}  {courses}")
            self.next.setAccessibleName(courses)
        else:
            forward = "←" if direction == Qt.LayoutDirection.RightToLeft else "→"
            following = _("Next")
            self.next.setText(f"{following}  {forward}")
            self.next.setAccessibleName(following)

    # -- screen hooks ------------------------------------------------------------------------

    def reset(self) -> None:
        self.course = None
        self.index = 0
        self._at_end = False
        self._checked = {}
        self.quiz.clear()
        self.end.clear()

    def retranslate_ui(self) -> None:
        # Same step, new language: the visitor keeps their place (and their quiz choice is
        # dropped only because its text changed).
        if self.course is not None:
            self._show(record=False)
