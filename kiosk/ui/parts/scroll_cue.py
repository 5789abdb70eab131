"""A "more below" cue for a scrolled page: a fade and a label, and large up and down buttons.

A thin scroll bar is the only hint many touch-screen pages give that they go on below, and
visitors new to touch screens rarely know to drag the page. The cue is attached to a scroll
area with one call (`attach_scroll_cue`):

- while content lies below the visible part, the bottom edge fades out and says "More below ↓";
  the fade lets every touch through to the page under it, so it never hides a button;
- while the page scrolls at all, a large "up" and "down" button sit in the scroll bar's column
  (above and below the bar, never over the page) and move by most of a page.

The scroll bar's column follows the reading direction (left in Arabic and Persian), and the
buttons with it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QPushButton,
    QScrollBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import theme

Gettext = Callable[[str], str]

FADE_HEIGHT = 76  # px: tall enough to read as "the page goes on", low enough to read through
BUTTON_SIDE = 56  # px: a comfortable touch target (≥ 48)
PAGE_SHARE = 0.8  # a tap moves by most of a page: the last lines stay in view for orientation
_TEXT_WIDGETS = ("QLineEdit", "QTextEdit", "QPlainTextEdit")


class _Fade(QWidget):
    """The bottom edge of the page fading into the background, with "More below ↓"."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("scrollFade")
        # Touches go through to the page: the fade never covers a touch target.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setProperty("decorative", True)  # read aloud, the whole page is said anyway
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addStretch(1)
        self.label = QLabel(self)
        self.label.setObjectName("moreBelow")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignHCenter)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        gradient = QLinearGradient(QPointF(0, 0), QPointF(0, self.height()))
        page = QColor(theme.colours().background)  # read when painted: follows high contrast
        clear = QColor(page)
        clear.setAlpha(0)
        gradient.setColorAt(0.0, clear)
        gradient.setColorAt(0.6, page)
        gradient.setColorAt(1.0, page)
        painter.fillRect(self.rect(), gradient)
        painter.end()


class ScrollCue(QObject):
    """The cue of one scroll area; it follows the area's scroll bar and the language."""

    def __init__(self, area: QAbstractScrollArea, gettext: Gettext) -> None:
        super().__init__(area)
        self.setObjectName("scrollCue")
        self._area = area
        self._gettext = gettext
        self._bar: QScrollBar = area.verticalScrollBar()
        # The bar's column is as wide as the buttons (the theme draws a slim track in it).
        self._bar.setObjectName("cueScrollBar")
        self._bar.style().unpolish(self._bar)  # the style sheet reads the new name
        self._bar.style().polish(self._bar)
        viewport = self._viewport = area.viewport()
        self.fade = _Fade(viewport)
        self.up = self._button("scrollUp", "↑", -1)
        self.down = self._button("scrollDown", "↓", 1)
        area.addScrollBarWidget(self.up, Qt.AlignmentFlag.AlignTop)
        area.addScrollBarWidget(self.down, Qt.AlignmentFlag.AlignBottom)
        # The buttons would add their height to the area's minimum and push a page with the
        # on-screen keyboard up past the screen's edge; the bar between them gives way instead.
        if area.minimumHeight() < 2 * BUTTON_SIDE:
            area.setMinimumHeight(2 * BUTTON_SIDE)
        self._bar.rangeChanged.connect(self.refresh)
        self._bar.valueChanged.connect(self.refresh)
        viewport.installEventFilter(self)
        area.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self._typing = False
        self.retranslate()
        self.refresh()

    def _button(self, name: str, arrow: str, direction: int) -> QPushButton:
        button = QPushButton(arrow)
        button.setObjectName(name)
        button.setFixedSize(BUTTON_SIDE, BUTTON_SIDE)
        # The page keeps the focus (and a text field its keyboard): these only move the page.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(True)
        button.setAutoRepeatDelay(600)
        button.setAutoRepeatInterval(400)
        button.clicked.connect(lambda: self.scroll_by_page(direction))
        return button

    def scroll_by_page(self, direction: int) -> None:
        """Move most of a page down (1) or up (-1)."""
        step = max(1, round(self._viewport.height() * PAGE_SHARE))
        self._bar.setValue(self._bar.value() + direction * step)

    @property
    def more_below(self) -> bool:
        """Content lies below the visible part of the page."""
        return self._bar.value() < self._bar.maximum()

    @property
    def scrolls(self) -> bool:
        """The page is taller than its view."""
        return self._bar.maximum() > self._bar.minimum()

    def refresh(self) -> None:
        """Show what fits the scroll position now."""
        scrolls = self.scrolls
        if self._bar.property("scrolls") != scrolls:
            # The bar's column keeps its width (the text is laid out once), but with nothing to
            # scroll it shows no handle: a full-length bar would look like a control.
            self._bar.setProperty("scrolls", scrolls)
            self._bar.style().unpolish(self._bar)
            self._bar.style().polish(self._bar)
        self.up.setVisible(scrolls)
        self.down.setVisible(scrolls)
        # A page that scrolls is a Tab stop of its own (the arrow keys scroll it); one that
        # does not would be a stop where nothing happens.
        policy = Qt.FocusPolicy.StrongFocus if scrolls else Qt.FocusPolicy.NoFocus
        self._area.setFocusPolicy(policy)
        self.up.setEnabled(self._bar.value() > self._bar.minimum())
        self.down.setEnabled(self.more_below)
        # While a field is typed into, the fade would lie over it (the on-screen keyboard
        # leaves little room): the buttons still say that the page goes on.
        self.fade.setVisible(self.more_below and not self._typing)
        self._place_fade()

    def _place_fade(self) -> None:
        viewport = self._viewport
        height = min(FADE_HEIGHT, viewport.height() // 2)
        self.fade.setGeometry(0, viewport.height() - height, viewport.width(), height)
        self.fade.raise_()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        typing = (
            new is not None
            and self._area.isAncestorOf(new)
            and any(new.inherits(name) for name in _TEXT_WIDGETS)
        )
        if typing != self._typing:
            self._typing = typing
            self.refresh()

    def retranslate(self) -> None:
        _ = self._gettext
        self.fade.label.setText(_("More below") + " ↓")
        self.up.setAccessibleName(_("Scroll up"))
        # Said when a scrolling page gets the focus (see refresh).
        self._area.setAccessibleName(_("Page content"))
        self._area.setAccessibleDescription(_("Scrolls with the arrow keys"))
        self.down.setAccessibleName(_("Scroll down"))
        self.up.setToolTip("")
        self.down.setToolTip("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # Compared with what was kept: while the area is being deleted, asking it fails.
        if watched is self._viewport:
            # ChildAdded: the page may be set after the cue; the fade stays on top of it.
            if kind in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.ChildAdded):
                self._place_fade()
        elif watched is self._area and kind == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def attach_scroll_cue(area: QAbstractScrollArea, gettext: Gettext) -> ScrollCue:
    """Give ``area`` the "more below" cue; ``gettext`` translates its words (live)."""
    return ScrollCue(area, gettext)
