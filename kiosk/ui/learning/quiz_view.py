"""A quiz step's answers, with the verdict shown at the chosen answer (sign, words and frame)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.core.courses import Quiz
from kiosk.core.i18n import N_, Translator
from kiosk.ui.parts.screen_base import label
from kiosk.ui.parts.scroll_cue import FADE_HEIGHT
from kiosk.ui.parts.wrapping_button import WrappingButton

RIGHT_SIGN = "✓"
WRONG_SIGN = "✗"
VIEW_MARGIN = 16  # px kept between a revealed widget and the edge of the visible area
# Below it, the "more below" fade covers the bottom of the view while the page goes on.
BOTTOM_MARGIN = VIEW_MARGIN + FADE_HEIGHT
# The layout holds the how-to-answer line first, then per answer the button and its feedback.
FIRST_ANSWER_ROW = 1
# Marks that end a sentence in the course languages (Arabic and Persian "؟", CJK "。"), and the
# closing quotes and brackets that may follow one: such a text needs no full stop of its own.
SENTENCE_ENDS = (".", "!", "?", "…", "؟", "。", "！", "？", "۔")
CLOSERS = "\"'”’»«)]"


def then_say(text: str, words: str) -> str:
    """``text`` and ``words`` as two sentences, without doubling the mark that ends ``text``."""
    text = text.rstrip()
    if not text or text.rstrip(CLOSERS).endswith(SENTENCE_ENDS):
        return f"{text} {words}".strip()
    return f"{text}. {words}"


class AnswerButton(WrappingButton):
    """One answer; once checked, its frame and a mark at its end say right or wrong."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("quizOption")
        self.setCheckable(True)
        self.mark = QLabel(self)
        self.mark.setObjectName("verdictMark")
        self.mark.setTextFormat(Qt.TextFormat.PlainText)
        self.mark.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.mark.hide()
        self.text_layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignVCenter)
        self.text_layout.setStretch(0, 1)  # the answer takes the room; the mark sits at its end
        self.text_layout.setSpacing(16)

    def show_verdict(self, right: bool, words: str) -> None:
        """Mark this (chosen) answer right or wrong: a sign and a word, not colour alone."""
        self.setProperty("verdict", "right" if right else "wrong")
        self.mark.setProperty("right", right)
        self.mark.setText(f"{RIGHT_SIGN if right else WRONG_SIGN} {words}")
        self.mark.show()
        self.setAccessibleName(then_say(self.label.text(), words))
        for widget in (self, self.mark):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def clear_verdict(self) -> None:
        if self.property("verdict") is None:
            return
        self.setProperty("verdict", None)
        self.mark.hide()
        self.setAccessibleName(self.label.text())
        self.style().unpolish(self)
        self.style().polish(self)


class QuizPanel(QWidget):
    """The answers of one quiz, the feedback under each, and one verdict line.

    The verdict line moves to just below the (last) chosen answer, so the answer and what is
    said about it are read together; a tap on another answer takes the verdict away again.
    """

    changed = Signal()
    """The visitor chose or un-chose an answer."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        # Above the answers of a check-box quiz: the player says how to answer, in the
        # visitor's language, so no course has to (and none forgets to).
        self.how_to_answer = label(self, "quizHowTo")
        self.how_to_answer.hide()
        self._layout.addWidget(self.how_to_answer)
        self.verdict = label(self, "quizResult")
        self.verdict.hide()
        # Asked for when Next is tapped before any answer was chosen.
        self.prompt = label(self, "notice")
        self.prompt.hide()
        self._layout.addWidget(self.verdict)
        self._layout.addWidget(self.prompt)
        self.buttons: list[AnswerButton] = []
        self.feedback: list[QLabel] = []
        self._group: QButtonGroup | None = None
        self._quiz: Quiz | None = None

    # -- building ----------------------------------------------------------------------------

    def show_quiz(self, quiz: Quiz) -> None:
        """Offer `quiz`'s answers, none chosen yet."""
        self.clear()
        self._quiz = quiz
        self._group = QButtonGroup(self)
        self._group.setExclusive(not quiz.multiple)
        for index, option in enumerate(quiz.options):
            button = AnswerButton(option.text.replace("**", ""), self)
            button.toggled.connect(self._on_toggled)
            feedback = label(self, "feedback")
            feedback.setText(option.feedback)
            feedback.hide()
            for widget in (button, feedback):
                # New children take the text's direction, and their real size before layout.
                widget.setLayoutDirection(self.layoutDirection())
                widget.ensurePolished()
            self._group.addButton(button)
            self._layout.insertWidget(FIRST_ANSWER_ROW + 2 * index, button)
            self._layout.insertWidget(FIRST_ANSWER_ROW + 2 * index + 1, feedback)
            button.show()  # at once: a layout shows new children only once the loop runs
            self.buttons.append(button)
            self.feedback.append(feedback)
        self._place(self.prompt, len(self.buttons))
        note = how_to_answer(quiz)
        self.how_to_answer.setText(self._tr.gettext(note) if note else "")
        self.how_to_answer.setVisible(note is not None)

    def clear(self) -> None:
        for widget in [*self.buttons, *self.feedback]:
            self._layout.removeWidget(widget)
            widget.hide()  # deleteLater waits for the event loop; the next frame must not
            widget.deleteLater()
        self.buttons, self.feedback = [], []
        self._group = None
        self._quiz = None
        self.verdict.hide()
        self.prompt.hide()
        self.how_to_answer.hide()

    # -- answering ---------------------------------------------------------------------------

    def chosen(self) -> list[int]:
        return [i for i, button in enumerate(self.buttons) if button.isChecked()]

    def check(self) -> bool | None:
        """Show the verdict on the chosen answers; whether they were right (None: none chosen)."""
        chosen = self.chosen()
        if self._quiz is None or not chosen:
            return None
        _ = self._tr.gettext
        right = self._quiz.is_correct(chosen)
        self.prompt.hide()
        for i, option in enumerate(self._quiz.options):
            if i in chosen:
                words = _("Right answer") if option.correct else _("Wrong answer")
                self.buttons[i].show_verdict(option.correct, words)
            # The right answers' explanations are given once the visitor found them.
            shown = i in chosen or (right and option.correct)
            self.feedback[i].setVisible(shown)
            self.feedback[i].setProperty("right", option.correct)
            self.feedback[i].style().polish(self.feedback[i])
        self.verdict.setProperty("right", right)
        self.verdict.style().polish(self.verdict)
        if right:
            words = _("Right! Tap Next to go on.")
            self.verdict.setText(f"{RIGHT_SIGN} {words}")
        else:
            words = _("Not quite. Read the explanation and try again.")
            self.verdict.setText(f"{WRONG_SIGN} {words}")
        self._place(self.verdict, chosen[-1] + 1)
        self.verdict.show()
        return right

    def ask_for_answer(self) -> None:
        """Say that an answer is wanted before going on (shown below the answers)."""
        _ = self._tr.gettext
        self.prompt.setText(
            _("Please choose an answer first. Then tap “{check}”.").format(check=_("Check answer"))
        )
        self.prompt.show()

    def shown_feedback(self) -> QWidget:
        """What to keep in view: the verdict, or else the request for an answer."""
        return self.verdict if self.verdict.isVisibleTo(self) else self.prompt

    def first_chosen(self) -> QWidget | None:
        chosen = self.chosen()
        return self.buttons[chosen[0]] if chosen else None

    def _place(self, widget: QWidget, after_answer: int) -> None:
        """Put `widget` right below answer number `after_answer` (and its feedback)."""
        self._layout.removeWidget(widget)
        self._layout.insertWidget(FIRST_ANSWER_ROW + 2 * after_answer, widget)

    def _on_toggled(self, _checked: bool = False) -> None:
        # What was said about the earlier choice no longer applies.
        self.verdict.hide()
        self.prompt.hide()
        for button, feedback in zip(self.buttons, self.feedback, strict=True):
            button.clear_verdict()
            feedback.hide()
        self.changed.emit()


def how_to_answer(quiz: Quiz) -> str | None:
    """The message id of the line above a check-box quiz's answers (None for a one-answer quiz).

    Several right answers are said outright: a visitor who found one would otherwise check it
    alone. A check-box quiz with a single right answer is not given away as having several.
    """
    if not quiz.multiple:
        return None
    if len(quiz.correct) > 1:
        return N_("Several answers are right.")
    return N_("Choose all answers that are right.")


def reveal(area: QScrollArea, first: QWidget | None, last: QWidget) -> None:
    """Scroll `area` so `last` is in view, and `first` above it too where both fit.

    Pending layout work runs first, so what was just shown has its real place.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    page = area.widget()
    if page is None or not last.isVisibleTo(page):
        return
    bar = area.verticalScrollBar()
    height = area.viewport().height()
    bottom = last.mapTo(page, last.rect().bottomLeft()).y() + BOTTOM_MARGIN
    first = first if first is not None and first.isVisibleTo(page) else last
    top = first.mapTo(page, first.rect().topLeft()).y() - VIEW_MARGIN
    lowest = bottom - height  # the least scrolling that shows `last` whole
    value = bar.value()
    if value < lowest:
        value = lowest
    if value > top:
        value = max(top, lowest)
    bar.setValue(max(0, min(value, bar.maximum())))


def reveal_later(area: QScrollArea, first: Callable[[], QWidget | None], last: QWidget) -> None:
    """`reveal` now, and once more after the event loop laid out what changed meanwhile."""
    reveal(area, first(), last)
    QTimer.singleShot(0, area, lambda: reveal(area, first(), last))
