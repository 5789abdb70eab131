"""The lesson player: one step per screen, quizzes with feedback, and an end screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImageReader, QMovie
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.courses import Catalogue, Course, StepKind, StepText, step_text
from kiosk.core.i18n import Translator, isolate, language
from kiosk.ui import theme
from kiosk.ui.parts.images import (
    check_course_picture,
    forget_picture,
    plain_tooltip,
    show_course_picture,
)
from kiosk.ui.parts.screen_base import ScreenBase, back_arrow, label, reading_direction
from kiosk.ui.parts.wrapping_button import WrappingButton

IMAGE_SIZE = QSize(400, 300)
END_IMAGE_SIZE = QSize(160, 120)


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
        self._course_title = label(self, "muted", wrap=False)
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
        self._page = QWidget()
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
        self._options_box = QVBoxLayout()
        self._options_box.setSpacing(10)
        self.check = QPushButton(self)
        self.check.setObjectName("primary")
        self.check.clicked.connect(self._check_answer)
        self.result = label(self._page, "quizResult")
        # The words first (the step's point is in view at once), then the picture. (Text and
        # picture side by side cut off long texts: Qt's nested height-for-width falls short.)
        for widget in (self.step_title, self.body, self.hint, self.image):
            page.addWidget(widget)
        page.addLayout(self._options_box)
        page.addWidget(self.result)
        # The end screen's suggestions live on the same page.
        self._suggestions = QVBoxLayout()
        self._suggestions.setSpacing(10)
        page.addLayout(self._suggestions)
        page.addStretch(1)
        self._scroll.setWidget(self._page)
        layout.addWidget(self._scroll, 1)

        nav = QHBoxLayout()
        self.back = QPushButton(self)
        self.back.setObjectName("navButton")
        self.back.clicked.connect(self.go_back)
        self.next = QPushButton(self)
        self.next.setObjectName("navPrimary")
        self.next.clicked.connect(self.go_next)
        # Always in reach at the bottom, however long the step: Back, Check answer, Next.
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.check)
        nav.addStretch(1)
        nav.addWidget(self.next)
        layout.addLayout(nav)
        self._options: QButtonGroup | None = None
        self._option_buttons: list[WrappingButton] = []
        self._option_feedback: list[QLabel] = []
        self._suggestion_buttons: list[QPushButton] = []

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

    def go_next(self) -> None:
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
        self._option_buttons[index].click()

    def _check_answer(self) -> None:
        text = self._text()
        if self.course is None or text is None or text.quiz is None:
            return
        chosen = [i for i, b in enumerate(self._option_buttons) if b.isChecked()]
        if not chosen:
            return
        right = text.quiz.is_correct(chosen)
        step_id = self.course.steps[self.index].id
        if step_id not in self._checked:
            self._checked[step_id] = right
            self._on_quiz(self.course, step_id, right)
        for i, option in enumerate(text.quiz.options):
            shown = i in chosen or (right and option.correct)
            self._option_feedback[i].setVisible(shown)
            self._option_feedback[i].setProperty("right", option.correct)
            self._option_feedback[i].style().polish(self._option_feedback[i])
        self.result.setProperty("right", right)
        self.result.style().polish(self.result)
        _ = self._tr.gettext
        self.result.setText(
            _("Right! Tap Next to go on.")
            if right
            else _("Not quite. Read the explanation and try again.")
        )
        self.result.show()
        # Once the feedback is laid out, scroll so the verdict is in view.
        QTimer.singleShot(0, lambda: self._scroll.ensureWidgetVisible(self.result))

    # -- rendering ---------------------------------------------------------------------------

    def _text(self) -> StepText | None:
        if self.course is None:
            return None
        text, _code = step_text(
            self.course.steps[self.index], self._tr.current.code, self._fallback
        )
        return text

    def _show(self, *, record: bool = True) -> None:
        self._clear_options()
        self._clear_suggestions()
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
        self.result.hide()
        if text.quiz is not None:
            self._build_options(text)
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

    def _build_options(self, text: StepText) -> None:
        if text.quiz is None:
            return
        self._options = QButtonGroup(self)
        self._options.setExclusive(not text.quiz.multiple)
        for option in text.quiz.options:
            button = WrappingButton(option.text.replace("**", ""), self._page)
            button.setObjectName("quizOption")
            button.setCheckable(True)
            button.toggled.connect(lambda _checked=False: self.result.hide())
            feedback = label(self._page, "feedback")
            feedback.setText(option.feedback)
            feedback.hide()
            for widget in (button, feedback):
                # New children take the text's direction, and their real size before layout.
                widget.setLayoutDirection(self._page.layoutDirection())
                widget.ensurePolished()
            self._options.addButton(button)
            self._options_box.addWidget(button)
            self._options_box.addWidget(feedback)
            self._option_buttons.append(button)
            self._option_feedback.append(feedback)

    def _clear_options(self) -> None:
        for widget in [*self._option_buttons, *self._option_feedback]:
            self._options_box.removeWidget(widget)
            widget.hide()  # deleteLater waits for the event loop; the next frame must not
            widget.deleteLater()
        self._option_buttons, self._option_feedback = [], []
        self._options = None

    def _clear_suggestions(self) -> None:
        for button in self._suggestion_buttons:
            self._suggestions.removeWidget(button)
            button.hide()
            button.deleteLater()
        self._suggestion_buttons = []

    def _show_end(self, course: Course) -> None:
        _ = self._tr.gettext
        code = self._tr.current.code
        self._page.setLayoutDirection(_direction(code))
        self.fallback_note.hide()
        # A small cover: the score and what to do next must be in view without scrolling.
        show_course_picture(self.image, course.cover, END_IMAGE_SIZE)
        self.image.setToolTip("")
        self.image.show()
        self.step_title.setText(_("Well done! You finished this course."))
        quizzes = sum(1 for step in course.steps if step.kind is StepKind.QUIZ)
        right = sum(self._checked.values())
        lines = [course.title_in(code, self._fallback)]
        if quizzes:
            lines.append(
                self._tr.ngettext(
                    "{right} of {n} quiz question right at the first try.",
                    "{right} of {n} quiz questions right at the first try.",
                    quizzes,
                ).format(right=self._tr.number(right), n=self._tr.number(quizzes))
            )
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setText("\n".join(lines))
        self.body.show()
        help_text = self._help_text(code)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        ask = _("Questions? A person can help:")
        self.hint.setText(f"{ask}\n{help_text}" if help_text else "")
        self.hint.setVisible(bool(help_text))
        self.check.hide()
        self.result.hide()
        for kind in course.device_kinds[:1]:
            try_it = _("Try a device for this")
            button = WrappingButton(f"{try_it}  ›", self._page)
            button.setObjectName("suggestion")
            button.clicked.connect(lambda _=False, k=kind: self.try_device.emit(k))
            self._add_suggestion(button)
        for other in self._next_courses(course)[:2]:
            title = other.title_in(code, self._fallback)
            button = WrappingButton(_("Next course: {title}").format(title=title), self._page)
            button.setObjectName("suggestion")
            button.clicked.connect(lambda _=False, cid=other.id: self.open_course.emit(cid))
            self._add_suggestion(button)

    def _add_suggestion(self, button: QPushButton) -> None:
        self._suggestions.addWidget(button)
        self._suggestion_buttons.append(button)

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
        self.save_place.setText(_("Continue later"))
        self.save_place.setAccessibleName(_("Get a code to continue later"))
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        forward = "←" if rtl else "→"
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")
        self.back.setAccessibleName(_("Previous step") if self.index or self._at_end else back)
        nxt = _("Back to the courses") if self._at_end else _("Next")
        self.next.setText(f"{nxt}  {forward}")
        self.next.setAccessibleName(nxt)

    # -- screen hooks ------------------------------------------------------------------------

    def reset(self) -> None:
        self.course = None
        self.index = 0
        self._at_end = False
        self._checked = {}
        self._clear_options()
        self._clear_suggestions()

    def retranslate_ui(self) -> None:
        # Same step, new language: the visitor keeps their place (and their quiz choice is
        # dropped only because its text changed).
        if self.course is not None:
            self._show(record=False)
