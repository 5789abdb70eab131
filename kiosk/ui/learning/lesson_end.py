"""The end of a course: what to do next first, then an encouraging score, help and the cover."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.core.courses import Course, StepKind
from kiosk.core.i18n import Translator, isolate
from kiosk.ui.parts.images import forget_picture, show_course_picture
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.wrapping_button import WrappingButton

COVER_SIZE = QSize(160, 120)
NEXT_COURSES = 2  # suggestions beside trying a device: more would push them below the fold


def score_line(translator: Translator, right: int, answered: int) -> str:
    """The quiz score said positively: what went right, or that mistakes are how one learns.

    Empty when no quiz was answered in this visit (a course resumed after its quizzes).
    """
    n = translator.number(answered)
    if answered <= 0:
        return ""
    if right >= answered:
        return translator.ngettext(
            "You answered the quiz question right at the first try.",
            "You answered all {n} quiz questions right at the first try.",
            answered,
        ).format(n=n)
    if right <= 0:
        return translator.ngettext(
            "You worked through the quiz question. Mistakes are part of learning.",
            "You worked through {n} quiz questions. Mistakes are part of learning.",
            answered,
        ).format(n=n)
    return translator.ngettext(
        "{right} of {n} quiz question right at the first try.",
        "{right} of {n} quiz questions right at the first try.",
        answered,
    ).format(right=translator.number(right), n=n)


class LessonEnd(QWidget):
    """What the lesson page shows once the last step is done."""

    try_device = Signal(str)
    """The visitor wants to try a device of this kind."""
    open_course = Signal(str)
    """A suggested next course was chosen."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.title = label(self, "title")
        self.score = label(self, "stepBody")
        self._suggestions = QVBoxLayout()
        self._suggestions.setSpacing(10)
        self.help = label(self, "hint")
        self.cover = QLabel(self)
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The next steps come right after the title: in view without scrolling at 1280×800.
        layout.addWidget(self.title)
        layout.addWidget(self.score)
        layout.addLayout(self._suggestions)
        layout.addWidget(self.help)
        layout.addWidget(self.cover)
        self.suggestions: list[WrappingButton] = []

    def show_course(
        self,
        course: Course,
        *,
        answers: Mapping[str, bool],
        next_courses: Sequence[Course],
        fallback: Sequence[str],
        help_text: Callable[[str], str],
    ) -> None:
        """Fill in the end of `course`; `answers` are its quizzes' first-try results."""
        _ = self._tr.gettext
        code = self._tr.current.code
        self.clear()
        self.title.setText(_("Well done! You finished this course."))
        quizzes = {step.id for step in course.steps if step.kind is StepKind.QUIZ}
        answered = [right for step_id, right in answers.items() if step_id in quizzes]
        score = score_line(self._tr, sum(answered), len(answered))
        self.score.setText(score)
        self.score.setVisible(bool(score))
        forward = "‹" if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else "›"
        for kind in course.device_kinds[:1]:
            words = _("Try a device for this")
            button = self._add(f"{words}  {forward}")
            button.clicked.connect(lambda _=False, k=kind: self.try_device.emit(k))
        for other in next_courses[:NEXT_COURSES]:
            # A course title may be in another script than the sentence around it.
            title = isolate(other.title_in(code, fallback))
            button = self._add(_("Next course: {title}").format(title=title))
            button.clicked.connect(lambda _=False, cid=other.id: self.open_course.emit(cid))
        helper = help_text(code)
        intro = _("Questions? A person can help:")
        self.help.setText(f"{intro}\n{isolate(helper)}" if helper else "")
        self.help.setVisible(bool(helper))
        show_course_picture(self.cover, course.cover, COVER_SIZE)

    def clear(self) -> None:
        for button in self.suggestions:
            self._suggestions.removeWidget(button)
            button.hide()  # deleteLater waits for the event loop; the next frame must not
            button.deleteLater()
        self.suggestions = []
        forget_picture(self.cover)

    def _add(self, text: str) -> WrappingButton:
        button = WrappingButton(text, self)
        button.setObjectName("suggestion")
        button.setLayoutDirection(self.layoutDirection())
        button.ensurePolished()
        self._suggestions.addWidget(button)
        self.suggestions.append(button)
        return button
