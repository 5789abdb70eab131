"""The course catalogue: search as you type, categories, "continue where you left off"."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.courses import Catalogue, Course
from kiosk.core.i18n import LANGUAGE_CODES, N_, Translator, language
from kiosk.ui import theme
from kiosk.ui.parts.images import show_course_picture
from kiosk.ui.parts.screen_base import ScreenBase, back_arrow, label

CATEGORY_NAMES: dict[str, str] = {
    "first-steps": N_("First steps"),
    "communication": N_("Staying in touch"),
    "safety": N_("Safety online"),
    "online-services": N_("Online services"),
    "media": N_("Photos and media"),
    "smart-home": N_("Smart home"),
}
LEVEL_NAMES: dict[str, str] = {"beginner": N_("Beginner"), "advanced": N_("Advanced")}
COVER_SIZE = QSize(176, 132)
ALL = ""


class CourseCard(QPushButton):
    """One course as a big touch target: cover, title, duration, level, languages, done mark."""

    def __init__(self, course: Course, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.course = course
        self.setObjectName("courseCard")
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(policy.Policy.Minimum)
        self.setSizePolicy(policy)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 12, 16, 12)
        self._layout.setSpacing(16)
        self._cover = QLabel(self)
        self._cover.setFixedSize(COVER_SIZE)
        show_course_picture(self._cover, course.cover, COVER_SIZE)
        text = QVBoxLayout()
        text.setSpacing(6)
        self.title = label(self, "cardTitle")
        self.details = label(self, "muted")
        self.languages = label(self, "muted")
        self.done = label(self, "done")
        for widget in (self.title, self.details, self.languages, self.done):
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            text.addWidget(widget)
        text.addStretch(1)
        self._layout.addWidget(self._cover, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addLayout(text, 1)
        self._completed = False

    # A push button ignores the layout inside it; the card is as big as its content needs.
    def sizeHint(self) -> QSize:
        return self._layout.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self._layout.minimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(self._layout.heightForWidth(width), COVER_SIZE.height() + 24)

    def set_completed(self, completed: bool) -> None:
        self._completed = completed

    def retranslate(self, tr: Translator, fallback: Sequence[str]) -> None:
        _ = tr.gettext
        code = tr.current.code
        title = self.course.title_in(code, fallback)
        self.title.setText(title)
        minutes = self.course.duration_minutes
        duration = tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=tr.number(minutes))
        count = len(self.course.steps)
        steps = tr.ngettext("{n} step", "{n} steps", count).format(n=tr.number(count))
        level = _(LEVEL_NAMES.get(self.course.level, self.course.level))
        self.details.setText(f"{duration} · {steps} · {level}")
        names = [language(c).native_name for c in LANGUAGE_CODES if c in self.course.languages]
        self.languages.setText(" · ".join(names))
        completed = _("Completed")
        self.done.setText(f"✓ {completed}" if self._completed else "")
        self.done.setVisible(self._completed)
        self.setAccessibleName(title)
        self.setAccessibleDescription(f"{duration}, {level}")


class CatalogueScreen(ScreenBase):
    """Every good course package, searchable; broken packages never reach visitors."""

    course_chosen = Signal(str)
    """The visitor opened a course (its id)."""
    back_requested = Signal()
    code_entry_requested = Signal()
    """The visitor has a resume code to type or scan."""

    def __init__(
        self,
        translator: Translator,
        catalogue: Catalogue,
        *,
        fallback_languages: Sequence[str],
        progress: Callable[[], tuple[Sequence[str], frozenset[str]]] = lambda: ((), frozenset()),
        parent: QWidget | None = None,
    ) -> None:
        """`progress` returns (course ids in progress, newest first; ids completed)."""
        super().__init__(translator, parent)
        self._catalogue = catalogue
        self._fallback = tuple(fallback_languages)
        self._progress = progress
        self._category = ALL
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(16)
        top = QHBoxLayout()
        self._title = label(self, "title", wrap=False)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(60)
        self.search.textChanged.connect(self._filter)
        top.addWidget(self._title)
        top.addSpacing(24)
        top.addWidget(self.search, 1)
        layout.addLayout(top)

        self._categories = QButtonGroup(self)
        self._category_buttons: dict[str, QPushButton] = {}
        # Up to four topics per row: long translations wrap to a second row instead of clipping.
        chips = QGridLayout()
        chips.setHorizontalSpacing(8)
        chips.setVerticalSpacing(8)
        present = [c for c in CATEGORY_NAMES if any(x.category == c for x in catalogue)]
        for index, key in enumerate([ALL, *present]):
            chip = QPushButton(self)
            chip.setObjectName("chip")
            chip.setCheckable(True)
            chip.clicked.connect(lambda _=False, k=key: self._choose_category(k))
            self._categories.addButton(chip)
            self._category_buttons[key] = chip
            chips.addWidget(chip, index // 4, index % 4)
        self._category_buttons[ALL].setChecked(True)
        layout.addLayout(chips)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always shown: it tells there is more below, and a bar that comes and goes changes the
        # page width after the text was laid out (Qt then cuts off the trailing edge).
        self._scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        theme.enable_kinetic_scrolling(self._scroll)
        content = QWidget()
        content.setObjectName("catalogueContent")
        self._content_layout = QVBoxLayout(content)
        self._content_layout.setContentsMargins(0, 0, 0, 0)
        self._content_layout.setSpacing(12)
        self._continue_title = label(content, "sectionTitle")
        self._continue_box = QVBoxLayout()
        self._all_title = label(content, "sectionTitle")
        self._grid = QGridLayout()
        self._grid.setSpacing(16)
        self._empty = label(content, "muted")
        self._content_layout.addWidget(self._continue_title)
        self._content_layout.addLayout(self._continue_box)
        self._content_layout.addWidget(self._all_title)
        self._content_layout.addLayout(self._grid)
        self._content_layout.addWidget(self._empty)
        self._content_layout.addStretch(1)
        self._scroll.setWidget(content)
        layout.addWidget(self._scroll, 1)

        self.cards: dict[str, CourseCard] = {}
        for course in catalogue:
            card = CourseCard(course, content)
            card.clicked.connect(lambda _=False, cid=course.id: self.course_chosen.emit(cid))
            self.cards[course.id] = card
        self._continue_cards: list[CourseCard] = []

        bottom = QHBoxLayout()
        self.back = QPushButton(self)
        self.back.clicked.connect(self.back_requested)
        self.have_code = QPushButton(self)
        self.have_code.clicked.connect(self.code_entry_requested)
        bottom.addWidget(self.back)
        bottom.addStretch(1)
        bottom.addWidget(self.have_code)
        layout.addLayout(bottom)
        self._layout_cards(list(catalogue))
        self.retranslate_ui()

    # -- visitor actions ---------------------------------------------------------------------

    def _choose_category(self, key: str) -> None:
        self._category = key
        self._filter()

    def visible_course_ids(self) -> list[str]:
        """The courses the visitor can see right now, in the order shown."""
        return list(self._shown)

    def _filter(self) -> None:
        query = self.search.text()
        if query.strip():
            matches = self._catalogue.search(query, self._tr.current.code)
        else:
            matches = list(self._catalogue)
        if self._category:
            matches = [c for c in matches if c.category == self._category]
        self._layout_cards(matches)
        self._empty.setVisible(not matches)

    def _layout_cards(self, courses: Sequence[Course]) -> None:
        self._shown = [course.id for course in courses]
        for card in self.cards.values():
            self._grid.removeWidget(card)
            card.hide()
        for index, course in enumerate(courses):
            card = self.cards[course.id]
            self._grid.addWidget(card, index // 2, index % 2)
            card.show()

    # -- screen hooks ------------------------------------------------------------------------

    def enter(self) -> None:
        self._refresh_progress()
        self._scroll.verticalScrollBar().setValue(0)

    def reset(self) -> None:
        self.search.setText("")
        self._category = ALL
        self._category_buttons[ALL].setChecked(True)
        self._filter()
        self._set_continue([])

    def _refresh_progress(self) -> None:
        in_progress, completed = self._progress()
        for course_id, card in self.cards.items():
            card.set_completed(course_id in completed)
        self._set_continue([cid for cid in in_progress if self._catalogue.get(cid) is not None])
        self.retranslate_ui()

    def _set_continue(self, course_ids: Sequence[str]) -> None:
        for card in self._continue_cards:
            self._continue_box.removeWidget(card)
            card.deleteLater()
        self._continue_cards = []
        for course_id in course_ids[:2]:
            course = self._catalogue.get(course_id)
            if course is None:
                continue
            card = CourseCard(course, self._scroll.widget())
            card.setObjectName("continueCard")
            card.clicked.connect(lambda _=False, cid=course_id: self.course_chosen.emit(cid))
            card.retranslate(self._tr, self._fallback)
            self._continue_box.addWidget(card)
            self._continue_cards.append(card)
        self._continue_title.setVisible(bool(self._continue_cards))

    def retranslate_ui(self) -> None:
        # The search index of the language shown is built now (on entering the screen and on
        # a language change), not at the visitor's first keystroke.
        self._catalogue.prepare_search(self._tr.current.code)
        _ = self._tr.gettext
        self._title.setText(_("Learn something"))
        self.search.setPlaceholderText(_("Search, e.g. “video call”"))
        self.search.setAccessibleName(_("Search courses"))
        for key, chip in self._category_buttons.items():
            chip.setText(_("All topics") if key == ALL else _(CATEGORY_NAMES[key]))
        self._continue_title.setText(_("Continue where you left off"))
        self._all_title.setText(_("All courses"))
        self._empty.setText(_("No course matches your search. Try another word."))
        self._empty.setVisible(not self.visible_course_ids())
        for card in [*self.cards.values(), *self._continue_cards]:
            card.retranslate(self._tr, self._fallback)
        back = _("Back")
        self.back.setText(f"{back_arrow(self.layoutDirection())}  {back}")
        self.back.setAccessibleName(_("Back to the start"))
        self.have_code.setText(_("I have a code"))
        self.have_code.setAccessibleName(_("Continue with the code from your card"))
        if self.search.text():
            self._filter()
