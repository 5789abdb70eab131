"""What the staff screens share: their look (feedback colours, panels, actions) and texts."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui import theme
from kiosk.ui.parts.wrapping_button import WrappingButton

# Feedback says it in words and with a sign, never by colour alone.
TONE_SIGNS = {"ok": "✓", "warn": "!", "error": "✕"}

STYLE = f"""
QLabel[tone="ok"], QFrame#deskPanel QLabel[tone="ok"] {{
    background: {theme.SUCCESS}; color: {theme.ON_PRIMARY}; border-radius: 10px;
    padding: 6px 14px; font-weight: 600;
}}
QLabel[tone="warn"], QFrame#deskPanel QLabel[tone="warn"] {{
    background: {theme.NOTICE}; color: {theme.ON_NOTICE}; border-radius: 10px;
    padding: 6px 14px; font-weight: 600;
}}
QLabel[tone="error"], QFrame#deskPanel QLabel[tone="error"] {{
    background: {theme.DANGER}; color: {theme.ON_PRIMARY}; border-radius: 10px;
    padding: 6px 14px; font-weight: 600;
}}
QLabel[tone="idle"], QFrame#deskPanel QLabel[tone="idle"] {{
    color: {theme.TEXT_MUTED}; border: 2px dashed {theme.PRIMARY_SOFT}; border-radius: 10px;
    padding: 6px 14px;
}}
QPushButton QLabel#buttonText {{ background: transparent; }}
QPushButton#primary QLabel#buttonText {{ color: {theme.ON_PRIMARY}; }}
QPushButton#primary QLabel#buttonText:disabled {{ color: {theme.DISABLED_TEXT}; }}
QPushButton#danger {{ border-color: {theme.DANGER}; }}
QPushButton#danger QLabel#buttonText {{ color: {theme.DANGER}; font-weight: 600; }}
QPushButton#danger QLabel#buttonText:disabled {{ color: {theme.DISABLED_TEXT}; }}
QPushButton#conflictBar {{
    background: {theme.DANGER}; border-color: {theme.DANGER}; min-height: 48px; padding: 0 12px;
}}
QPushButton#conflictBar:focus {{ border: 3px solid {theme.FOCUS}; }}
QPushButton#conflictBar QLabel#buttonText {{ color: {theme.ON_PRIMARY}; font-weight: 600; }}
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
/* The tones above name the panel too: its transparent labels would otherwise outrank them
   and leave a confirmation's white text on the white panel. */
QScrollArea#panelScroll, QScrollArea#panelScroll > QWidget > QWidget {{
    background: {theme.BACKGROUND}; border: none;
}}
QScrollArea#timelineScroll {{ border: 2px solid {theme.PRIMARY_SOFT}; border-radius: 4px; }}
"""
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("check-in done", theme.ON_PRIMARY, theme.SUCCESS),
    ("check-in attention", theme.ON_NOTICE, theme.NOTICE),
    ("check-in refused", theme.ON_PRIMARY, theme.DANGER),
    ("conflicts line", theme.ON_PRIMARY, theme.DANGER),
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
    button.text_layout.setContentsMargins(8, 6, 8, 6)
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
    # Tab goes to the controls inside (the area scrolls them into view), not to the area.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    # A word-wrapped label asks for a generous minimum width of its own; in a narrow panel that
    # would push the content past the right edge. The panel's width decides, words still wrap.
    for child in content.findChildren(QLabel):
        if child.wordWrap():
            child.setMinimumWidth(1)
    return area


def storage_failed(tr: Translator) -> str:
    """What staff read when the database cannot be reached."""
    return tr.gettext("The database could not be reached. Please try again.")


def breakable_path(path: Path) -> str:
    """The path with a hair space after each separator, so a long path wraps between folders
    instead of running out of the panel (a hair space is all but invisible)."""
    return str(path).replace(os.sep, os.sep + "\u200a")
