"""The scrolling body of a visitor page: what does not fit scrolls instead of being squeezed.

At the larger text sizes (and in Leichte Sprache, with the longest texts) a page's words can
need more height than the screen has. A page keeps its navigation row fixed below and puts the
rest into this body: it scrolls up and down when it must, says so with the "more below" cue
(kiosk.ui.parts.scroll_cue), and never raises the window's minimum height.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.parts.scroll_cue import ScrollCue, attach_scroll_cue


class ScrollPage(QScrollArea):
    """A scroll area holding one page body (``body``, laid out by ``content``)."""

    def __init__(
        self, parent: QWidget, gettext: Callable[[str], str], *, bar_as_needed: bool = False
    ) -> None:
        """``bar_as_needed``: the scroll bar's column only while the page scrolls (the home
        page's look); else always there, as on the lesson and booking pages: a column that
        comes and goes changes the page's width after its text was laid out, and a frame
        drawn meanwhile shows the bar over the page."""
        super().__init__(parent)
        self.setObjectName("scrollPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = Qt.ScrollBarPolicy
        self.setVerticalScrollBarPolicy(
            policy.ScrollBarAsNeeded if bar_as_needed else policy.ScrollBarAlwaysOn
        )
        theme.enable_kinetic_scrolling(self)
        self.body = QWidget()
        self.body.setObjectName("scrollPageBody")
        self.content = QVBoxLayout(self.body)
        self.content.setContentsMargins(0, 0, 0, 0)
        self.setWidget(self.body)
        self.cue: ScrollCue = attach_scroll_cue(self, gettext)

    @property
    def scrolls(self) -> bool:
        """The body is taller than the view (the visitor can scroll)."""
        return self.cue.scrolls
