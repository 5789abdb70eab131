"""The look of the staff desk's bookings screen: feedback colours, panels and wrapping actions."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QLayoutItem, QScrollArea, QWidget

from kiosk.ui import theme
from kiosk.ui.widgets.wrapping_button import WrappingButton

# Feedback says it in words and with a sign, never by colour alone.
TONE_SIGNS = {"ok": "✓", "warn": "!", "error": "✕"}

STYLE = f"""
QLabel[tone="ok"] {{
    background: {theme.SUCCESS}; color: {theme.ON_PRIMARY}; border-radius: 10px;
    padding: 6px 14px; font-weight: 600;
}}
QLabel[tone="warn"] {{
    background: {theme.NOTICE}; color: {theme.ON_NOTICE}; border-radius: 10px;
    padding: 6px 14px; font-weight: 600;
}}
QLabel[tone="error"] {{
    background: {theme.DANGER}; color: {theme.ON_PRIMARY}; border-radius: 10px;
    padding: 6px 14px; font-weight: 600;
}}
QLabel[tone="idle"] {{
    color: {theme.TEXT_MUTED}; border: 2px dashed {theme.PRIMARY_SOFT}; border-radius: 10px;
    padding: 6px 14px;
}}
QPushButton QLabel#buttonText {{ background: transparent; }}
QPushButton#primary QLabel#buttonText {{ color: {theme.ON_PRIMARY}; }}
QPushButton#primary QLabel#buttonText:disabled {{ color: {theme.DISABLED_TEXT}; }}
QPushButton#danger {{ border-color: {theme.DANGER}; }}
QPushButton#danger QLabel#buttonText {{ color: {theme.DANGER}; font-weight: 600; }}
QPushButton#danger QLabel#buttonText:disabled {{ color: {theme.DISABLED_TEXT}; }}
QPushButton#slotChip {{
    min-height: 48px; min-width: 48px; padding: 4px 12px; border-radius: 24px;
}}
QPushButton#slotChip:focus {{ padding: 3px 11px; }}
QPushButton#slotChip:checked {{
    background: {theme.PRIMARY}; color: {theme.ON_PRIMARY}; border-color: {theme.PRIMARY};
}}
QPushButton#arrow {{ min-width: 48px; padding: 6px 10px; }}
QPushButton#arrow:focus {{ padding: 5px 9px; }}
QLabel#bookingCode {{ font-size: 28pt; font-weight: 700; }}
QLabel#path {{ font-size: 14pt; color: {theme.TEXT_MUTED}; }}
QLabel#panelTitle {{ font-size: 20pt; font-weight: 600; }}
QLineEdit#checkInField {{ font-size: 20pt; font-weight: 600; }}
QLabel#todayBadge {{
    background: {theme.PRIMARY_SOFT}; color: {theme.ON_PRIMARY_SOFT}; border-radius: 14px;
    padding: 2px 12px; font-weight: 600;
}}
QFrame#deskPanel {{
    background: {theme.SURFACE}; border: 2px solid {theme.PRIMARY_SOFT}; border-radius: 12px;
}}
QFrame#deskPanel QLabel {{ background: transparent; }}
QScrollArea#panelScroll, QScrollArea#panelScroll > QWidget > QWidget {{
    background: {theme.BACKGROUND}; border: none;
}}
QScrollArea#timelineScroll {{ border: 2px solid {theme.PRIMARY_SOFT}; border-radius: 4px; }}
"""
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("check-in done", theme.ON_PRIMARY, theme.SUCCESS),
    ("check-in attention", theme.ON_NOTICE, theme.NOTICE),
    ("check-in refused", theme.ON_PRIMARY, theme.DANGER),
)


def set_tone(label: QLabel, tone: str, text: str) -> None:
    """Show ``text`` in a feedback label: "ok", "warn", "error" (with its sign) or "idle"."""
    sign = TONE_SIGNS.get(tone)
    label.setText(f"{sign}  {text}" if sign and text else text)
    if label.property("tone") != tone:
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)
    label.setVisible(bool(text))


def action_button(parent: QWidget, object_name: str = "") -> WrappingButton:
    """A panel action whose text wraps when a translation is long."""
    button = WrappingButton("", parent)
    if object_name:
        button.setObjectName(object_name)
    button.layout().setContentsMargins(8, 6, 8, 6)
    button.label.setMinimumWidth(1)  # see scrolled()
    return button


def panel_frame(parent: QWidget | None = None) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName("deskPanel")
    frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    return frame


def scrolled(content: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """``content`` in a scroll area that scrolls up and down only (kinetic on touch)."""
    area = QScrollArea(parent)
    area.setObjectName("panelScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    theme.enable_kinetic_scrolling(area)
    # A word-wrapped label asks for a generous minimum width of its own; in a narrow panel that
    # would push the content past the right edge. The panel's width decides, words still wrap.
    for child in content.findChildren(QLabel):
        if child.wordWrap():
            child.setMinimumWidth(1)
    return area


class FlowLayout(QLayout):
    """Chips side by side, flowing onto the next line when the panel is narrow (a long
    translation then takes a line of its own instead of being cut off); mirrored right to left."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        rtl = self.parentWidget() is not None and (
            self.parentWidget().layoutDirection() == Qt.LayoutDirection.RightToLeft
        )
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            width = min(hint.width(), rect.width())
            if x > rect.x() and x + width > rect.x() + rect.width():
                x, y, line = rect.x(), y + line + self._gap, 0
            if move:
                place = QRect(x, y, width, hint.height())
                if rtl:
                    place.moveLeft(rect.x() + rect.right() - place.right())
                item.setGeometry(place)
            x += width + self._gap
            line = max(line, hint.height())
        return y + line - rect.y()
