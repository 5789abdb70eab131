"""The course catalogue: search as you type, topics, "continue where you left off", the tiles."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
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
from kiosk.core.courses.catalogue import step_languages
from kiosk.core.i18n import LIST_SEPARATOR, N_, Translator, isolate, language
from kiosk.ui import theme
from kiosk.ui.learning.topic_row import TopicRow
from kiosk.ui.parts.images import show_course_picture
from kiosk.ui.parts.screen_base import ScreenBase, back_arrow, label
from kiosk.ui.parts.scroll_cue import attach_scroll_cue

CATEGORY_NAMES: dict[str, str] = {
    "first-steps": N_("First steps"),
    "communication": N_("Staying in touch"),
    "safety": N_("Safety online"),
    "online-services": N_("Online services"),
    "media": N_("Photos and media"),
    "smart-home": N_("Smart home"),
}
LEVEL_NAMES: dict[str, str] = {"beginner": N_("Beginner"), "advanced": N_("Advanced")}
COVER_SIZE = QSize(136, 102)
ALL = ""
MAX_COLUMNS = 3
# A tile's text column is at least this many average characters of its title wide (and holds
# its longest word); fewer columns are used where that does not fit (a narrow screen, a large
# text size).
MIN_TEXT_CHARACTERS = 18


class CourseCard(QPushButton):
    """One course as a big touch target: cover, title, one line of facts (duration, steps,
    level), a note when steps are not in the visitor's language, and the done mark."""

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
        self.language_note = label(self, "languageNote")
        self.done = label(self, "done")
        for widget in (self.title, self.details, self.language_note, self.done):
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            text.addWidget(widget)
        text.addStretch(1)
        self._layout.addWidget(self._cover, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addLayout(text, 1)
        self._completed = False
        self._facts: tuple[str, ...] = ()
        # The facts are laid out again whenever their label's width changes.
        self.details.installEventFilter(self)

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

    def min_width(self) -> int:
        """The narrowest this tile may be: its cover and a text column that holds the longest
        word of its title and about two dozen characters."""
        metrics = self.title.fontMetrics()
        words = self.title.text().split()
        longest = max((metrics.horizontalAdvance(word) for word in words), default=0)
        text = max(longest, MIN_TEXT_CHARACTERS * metrics.averageCharWidth())
        margins = self._layout.contentsMargins()
        return margins.left() + COVER_SIZE.width() + self._layout.spacing() + text + margins.right()

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
        self._facts = (duration, steps, level)
        self._show_facts()
        note = self._language_note(tr, fallback)
        self.language_note.setText(note)
        self.language_note.setVisible(bool(note))
        completed = _("Completed")
        self.done.setText(f"✓ {completed}" if self._completed else "")
        self.done.setVisible(self._completed)
        self.setAccessibleName(title)
        self.setAccessibleDescription(", ".join(filter(None, (duration, level, note))))

    def _show_facts(self) -> None:
        """The facts on as few lines as the label's width allows, each fact whole: a line never
        ends with a separator, and a fact never breaks inside."""
        metrics = self.details.fontMetrics()
        room = self.details.contentsRect().width()
        lines: list[str] = []
        for fact in self._facts:
            joined = f"{lines[-1]}{LIST_SEPARATOR}{fact}" if lines else ""
            if lines and metrics.horizontalAdvance(joined) <= room:
                lines[-1] = joined
            else:
                lines.append(fact)
        text = "\n".join(lines)
        if text != self.details.text():
            self.details.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.details and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.FontChange,
        ):
            self._show_facts()
        return super().eventFilter(watched, event)

    def _language_note(self, tr: Translator, fallback: Sequence[str]) -> str:
        """Empty when every step is in the visitor's language; else which language they get."""
        shown = step_languages(self.course, tr.current.code, fallback)
        if shown.complete:
            return ""
        names = ", ".join(isolate(language(code).native_name) for code in shown.others)
        if shown.none_own:
            return tr.gettext("Not in your language yet. Shown in: {languages}").format(
                languages=names
            )
        return tr.gettext("Some steps not in your language yet. Shown in: {languages}").format(
            languages=names
        )


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
        self._columns = 2
        layout = QVBoxLayout(self)
        # Tight margins and spacing: at 1280×800 two rows of tiles fit below the topics.
        layout.setContentsMargins(48, 16, 48, 16)
        layout.setSpacing(12)
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

        # The topics take one row whatever the language and text size; each button is as wide
        # as its label, and the row scrolls sideways when they do not all fit.
        present = [c for c in CATEGORY_NAMES if any(x.category == c for x in catalogue)]
        self.topics = TopicRow([ALL, *present], self)
        self.topics.chosen.connect(self._choose_category)
        self._category_buttons = self.topics.buttons
        self.topics.check(ALL)
        layout.addWidget(self.topics)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always shown: it tells there is more below, and a bar that comes and goes changes the
        # page width after the text was laid out (Qt then cuts off the trailing edge).
        self._scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        theme.enable_kinetic_scrolling(self._scroll)
        attach_scroll_cue(self._scroll, self._tr.gettext)
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
        # The number of tile columns follows the width of the view and the text size.
        self._scroll.viewport().installEventFilter(self)

        self.cards: dict[str, CourseCard] = {}
        for course in catalogue.for_visitors:
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
        self._layout_cards(catalogue.for_visitors)
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
            matches = list(self._catalogue.for_visitors)
        if self._category:
            matches = [c for c in matches if c.category == self._category]
        self._layout_cards(matches)
        self._empty.setVisible(not matches)

    def _layout_cards(self, courses: Sequence[Course]) -> None:
        self._shown = [course.id for course in courses]
        for card in self.cards.values():
            self._grid.removeWidget(card)
            card.hide()
        for column in range(MAX_COLUMNS):
            self._grid.setColumnStretch(column, 1 if column < self._columns else 0)
        for index, course in enumerate(courses):
            card = self.cards[course.id]
            self._grid.addWidget(card, index // self._columns, index % self._columns)
            card.show()

    def _fitting_columns(self) -> int:
        """As many tile columns as the view's width holds (at most three), given the text size
        and the longest title word: no tile ever cuts a word of its title."""
        available = self._scroll.viewport().width()
        widest = max((card.min_width() for card in self.cards.values()), default=1)
        spacing = self._grid.horizontalSpacing()
        columns = (available + spacing) // max(1, widest + spacing)
        return max(1, min(MAX_COLUMNS, columns))

    def _update_columns(self) -> None:
        columns = self._fitting_columns()
        if columns != self._columns:
            self._columns = columns
            self._layout_cards([self.cards[course_id].course for course_id in self._shown])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._scroll.viewport():
            self._update_columns()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # A new text size restyles the screen before its tiles: count the columns once the
        # tiles have their new fonts.
        if event.type() == QEvent.Type.StyleChange:
            QTimer.singleShot(0, self, self._update_columns)

    # -- screen hooks ------------------------------------------------------------------------

    def enter(self) -> None:
        self._refresh_progress()
        self._update_columns()
        self._scroll.verticalScrollBar().setValue(0)

    def reset(self) -> None:
        self.search.setText("")
        self._category = ALL
        self.topics.check(ALL)
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
        # "All courses" only separates the tiles from the ones to continue; without those, the
        # tiles start right below the topics (room for a second row on a 1280×800 screen).
        self._all_title.setVisible(bool(self._continue_cards))

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
        self.topics.set_arrow_names(_("Earlier topics"), _("More topics"))
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
        self._update_columns()
