"""The catalogue's topic buttons in one row that scrolls sideways when they do not all fit."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from kiosk.ui import theme


class _Strip(QScrollArea):
    """A one-row scroll area exactly as tall as its buttons, however large the text is."""

    def __init__(self, inner: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self._inner = inner
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the topics are the Tab stops, not the row

    def sizeHint(self) -> QSize:
        return self._inner.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._inner.sizeHint().height())


class TopicRow(QWidget):
    """Checkable topic buttons, each wide enough for its whole label, in one row.

    When the row is wider than the screen it scrolls by dragging, and a large arrow button at
    each end shows that there are more topics and moves to them (a bare sideways scroll would
    go unnoticed on a touch screen)."""

    chosen = Signal(str)
    """The visitor tapped a topic (its key)."""

    def __init__(self, keys: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        inner = QWidget()
        inner.setObjectName("topicStrip")
        self._inner = inner
        self._strip = _Strip(inner, self)
        self._strip.setFrameShape(QFrame.Shape.NoFrame)
        self._strip.setWidgetResizable(True)
        self._strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._strip.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        theme.enable_kinetic_scrolling(self._strip)
        row = QHBoxLayout(inner)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        for key in keys:
            chip = QPushButton(inner)
            chip.setObjectName("chip")
            chip.setCheckable(True)
            # Never narrower than the label: the row scrolls instead.
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            chip.clicked.connect(lambda _=False, k=key: self._choose(k))
            self._group.addButton(chip)
            self.buttons[key] = chip
            row.addWidget(chip)
        row.addStretch(1)
        # The style sheet gives every button a small minimum width, which a layout prefers to
        # the label's width, and a scroll area without a sideways scroll bar squeezes its
        # content to the view: a strip that may grow but never shrink below its buttons'
        # width keeps every label whole, whenever and however often the text changes.
        inner.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self._strip.setWidget(inner)
        # The row lies on the screen's background, not on a grey box of its own (setWidget
        # turned the strip's background on).
        self._strip.viewport().setAutoFillBackground(False)
        inner.setAutoFillBackground(False)
        # A larger text size makes the buttons taller: the row asks its parent for the new
        # height once they have been laid out again.
        inner.installEventFilter(self)
        self.earlier = QPushButton(self)
        self.earlier.setObjectName("topicArrow")
        self.earlier.clicked.connect(lambda: self._page(-1))
        self.later = QPushButton(self)
        self.later.setObjectName("topicArrow")
        self.later.clicked.connect(lambda: self._page(1))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.earlier)
        layout.addWidget(self._strip, 1)
        layout.addWidget(self.later)
        bar = self._strip.horizontalScrollBar()
        bar.rangeChanged.connect(self._update_arrows)
        bar.valueChanged.connect(self._update_arrows)
        self._update_arrows()

    def set_arrow_names(self, earlier: str, later: str) -> None:
        """What the arrow buttons are called (for screen readers), in the visitor's language."""
        self.earlier.setAccessibleName(earlier)
        self.later.setAccessibleName(later)

    def check(self, key: str) -> None:
        """Show `key` as the chosen topic, scrolled into view."""
        self.buttons[key].setChecked(True)
        self._show_button(key)

    def scroll_position(self) -> int:
        """How far the row is scrolled sideways (0: its start is shown)."""
        return self._strip.horizontalScrollBar().value()

    def overflows(self) -> bool:
        """Whether some topics lie outside the row's visible part."""
        return self._strip.horizontalScrollBar().maximum() > 0

    def _choose(self, key: str) -> None:
        self._show_button(key)
        self.chosen.emit(key)

    def _show_button(self, key: str) -> None:
        """Scroll the row just enough to show the whole button (QScrollArea's own
        ensureWidgetVisible scrolls the wrong way in a right-to-left row)."""
        chip = self.buttons[key]
        bar = self._strip.horizontalScrollBar()
        room = self._strip.viewport().width()
        # Distance from the row's start: from the left, or from the right in Arabic and Persian.
        start = chip.x()
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            start = self._inner.width() - chip.x() - chip.width()
        margin = 24
        if start - margin < bar.value():
            bar.setValue(start - margin)
        elif start + chip.width() + margin > bar.value() + room:
            bar.setValue(start + chip.width() + margin - room)

    def _page(self, direction: int) -> None:
        bar = self._strip.horizontalScrollBar()
        bar.setValue(bar.value() + direction * max(1, self._strip.viewport().width() * 2 // 3))

    def _update_arrows(self) -> None:
        bar = self._strip.horizontalScrollBar()
        overflowing = bar.maximum() > 0
        # Both arrows show while the row overflows (the width must not jump as they come and
        # go); the one pointing where there is nothing more is disabled.
        self.earlier.setVisible(overflowing)
        self.later.setVisible(overflowing)
        self.earlier.setEnabled(bar.value() > bar.minimum())
        self.later.setEnabled(bar.value() < bar.maximum())
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        self.earlier.setText("→" if rtl else "←")
        self.later.setText("←" if rtl else "→")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self._update_arrows()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._inner and event.type() == QEvent.Type.LayoutRequest:
            self._strip.updateGeometry()
        return super().eventFilter(watched, event)
