"""The calm, high-contrast look of the kiosk: colours, shipped fonts and one app-wide stylesheet."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QScroller,
    QScrollerProperties,
    QWidget,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Palette:
    """The colours of one look of the kiosk. Every text colour is listed with the backgrounds it
    is drawn on in `text_pairs`, and a test computes the WCAG contrast ratio of each pair."""

    name: str
    background: str
    surface: str
    text: str
    text_muted: str
    primary: str
    on_primary: str
    primary_soft: str
    on_primary_soft: str
    notice: str
    on_notice: str
    danger: str
    success: str
    border: str  # non-text: 3:1 against backgrounds is enough (WCAG 1.4.11)
    focus: str
    disabled_bg: str
    disabled_text: str
    attract_bg: str
    on_attract: str
    on_attract_soft: str
    # Hints inside empty fields: Qt would draw them in the text colour at half opacity (~3.3:1
    # on white), too faint for many visitors; a colour of their own keeps them at text contrast.
    placeholder: str
    # Scroll bars: a dark handle on a light track, so the page's length can be seen at a glance.
    scroll_handle: str
    scroll_groove: str
    # The line under the header and around cards and lists.
    divider: str

    def text_pairs(self) -> tuple[tuple[str, str, str], ...]:
        """(where, text colour, background) of every text the style sheets draw."""
        return (
            ("body text", self.text, self.background),
            ("right answer", self.success, self.background),
            ("wrong answer", self.danger, self.background),
            ("right mark on a chosen answer", self.success, self.primary_soft),
            ("wrong mark on a chosen answer", self.danger, self.primary_soft),
            ("completed mark", self.success, self.surface),
            ("card title", self.primary, self.surface),
            ("text on cards", self.text, self.surface),
            ("muted text", self.text_muted, self.background),
            ("muted text on cards", self.text_muted, self.surface),
            ("primary buttons", self.on_primary, self.primary),
            ("selected language", self.on_primary, self.primary),
            ("soft highlight", self.on_primary_soft, self.primary_soft),
            ("notices", self.on_notice, self.notice),
            ("error messages", self.danger, self.surface),
            ("error messages on background", self.danger, self.background),
            ("disabled buttons", self.disabled_text, self.disabled_bg),
            ("attract screen", self.on_attract, self.attract_bg),
            ("attract screen secondary", self.on_attract_soft, self.attract_bg),
            ("links and outlines", self.primary, self.surface),
            ("links on the page", self.primary, self.background),
            ("placeholder text in fields", self.placeholder, self.surface),
            ("danger buttons", self.on_primary, self.danger),
        )

    def non_text_pairs(self) -> tuple[tuple[str, str, str], ...]:
        """(what, colour, background) of borders, focus rings and scroll bars (≥ 3:1)."""
        return (
            ("control borders", self.border, self.surface),
            ("control borders on background", self.border, self.background),
            ("focus ring", self.focus, self.surface),
            ("focus ring on background", self.focus, self.background),
            ("scroll bar handle on its track", self.scroll_handle, self.scroll_groove),
            ("scroll bar handle on the page", self.scroll_handle, self.background),
            ("scroll bar handle on cards", self.scroll_handle, self.surface),
        )


NORMAL = Palette(
    name="normal",
    background="#F6F4EF",
    surface="#FFFFFF",
    text="#1A1C1E",
    text_muted="#464A51",
    primary="#00566B",
    on_primary="#FFFFFF",
    primary_soft="#DCEFF3",
    on_primary_soft="#00394A",
    notice="#FFF3D6",
    on_notice="#5A3A00",
    danger="#A1191F",
    success="#1B6B35",
    border="#767B84",
    focus="#1D4ED8",
    disabled_bg="#E6E4DF",
    disabled_text="#5C6067",
    attract_bg="#00566B",
    on_attract="#FFFFFF",
    on_attract_soft="#E3F4F8",
    placeholder="#464A51",
    scroll_handle="#00566B",
    scroll_groove="#DCEFF3",
    divider="#DCEFF3",  # soft: the screen's content, not its frame, draws the eye
)
# High contrast (every text ≥ 7:1): black on white, a dark blue for what can be pressed, black
# borders and a magenta focus ring no other element uses. Dark text on a light page rather than
# light on black: the course pictures and device drawings are made for a light page (their
# black lines would vanish on black), a visitor who switches finds the same screen with firmer
# lines instead of an unfamiliar one, and pure black on white is the highest contrast (21:1).
HIGH_CONTRAST = Palette(
    name="high contrast",
    background="#FFFFFF",
    surface="#FFFFFF",
    text="#000000",
    text_muted="#333333",
    primary="#00307A",
    on_primary="#FFFFFF",
    primary_soft="#E3ECFA",
    on_primary_soft="#00205C",
    notice="#FFF0B3",
    on_notice="#3A2800",
    danger="#8F0000",
    success="#064A17",
    border="#000000",
    focus="#9C0082",
    disabled_bg="#E0E0E0",
    disabled_text="#3D3D3D",
    attract_bg="#00307A",
    on_attract="#FFFFFF",
    on_attract_soft="#E3ECFA",
    placeholder="#4D4D4D",
    scroll_handle="#00307A",
    scroll_groove="#E3ECFA",
    divider="#000000",  # white cards on a white page: their edges carry the shape
)

# The normal palette by name, for staff screens, printouts and charts: staff never see high
# contrast (staff mode starts with a wipe, and the wipe turns it off). What a visitor sees reads
# `colours()` instead, when its style sheet is made or it is painted.
BACKGROUND = NORMAL.background
SURFACE = NORMAL.surface
TEXT = NORMAL.text
TEXT_MUTED = NORMAL.text_muted
PRIMARY = NORMAL.primary
ON_PRIMARY = NORMAL.on_primary
PRIMARY_SOFT = NORMAL.primary_soft
ON_PRIMARY_SOFT = NORMAL.on_primary_soft
NOTICE = NORMAL.notice
ON_NOTICE = NORMAL.on_notice
DANGER = NORMAL.danger
SUCCESS = NORMAL.success
BORDER = NORMAL.border
FOCUS = NORMAL.focus
DISABLED_BG = NORMAL.disabled_bg
DISABLED_TEXT = NORMAL.disabled_text
ATTRACT_BG = NORMAL.attract_bg
ON_ATTRACT = NORMAL.on_attract
ON_ATTRACT_SOFT = NORMAL.on_attract_soft
PLACEHOLDER = NORMAL.placeholder
SCROLL_HANDLE = NORMAL.scroll_handle
SCROLL_GROOVE = NORMAL.scroll_groove
TEXT_PAIRS = NORMAL.text_pairs()
NON_TEXT_PAIRS = NORMAL.non_text_pairs()


@dataclass
class _OnScreen:
    """What `apply` last put on screen, and the widgets that restyle themselves when the
    palette changes."""

    palette: Palette = NORMAL
    scale: float = 1.0
    followers: list[tuple[QWidget, Callable[[Palette], None]]] = field(default_factory=list)


_on_screen = _OnScreen()
BASE_POINT_SIZE = 18  # body text at 1280×800; A+ scales it up
# Language names keep one size: the bar must always fit, and every visitor must find their language.
LANGUAGE_POINT_SIZE = 16
MIN_TOUCH_PX = 48
FONT_FAMILIES = ("Noto Sans", "Noto Sans Arabic UI", "Noto Sans Symbols2", "Noto Sans Math")


def register_fonts(font_dir: Path) -> list[str]:
    """Load every shipped font so all terminals render the same; returns the families found."""
    families: list[str] = []
    # (Not `glob("*.[ot]tf")`: its pattern would be compiled at every start, ~1 ms.)
    for path in sorted(p for p in font_dir.iterdir() if p.suffix in (".ttf", ".otf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("font could not be loaded: %s", path.name)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    return families


def app_font(families: list[str]) -> QFont:
    """The application font: shipped families first, in script order, at the base size."""
    font = QFont()
    preferred = [f for f in FONT_FAMILIES if f in families] or list(FONT_FAMILIES)
    font.setFamilies(preferred)
    font.setPointSizeF(BASE_POINT_SIZE)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def stylesheet(scale: float = 1.0, high_contrast: bool = False) -> str:
    """The app-wide stylesheet; `scale` is the visitor's text size (A−/A+)."""
    p = HIGH_CONTRAST if high_contrast else NORMAL

    def pt(size: float) -> str:
        return f"{size * scale:.1f}pt"

    return f"""
QWidget {{ color: {p.text}; font-size: {pt(BASE_POINT_SIZE)}; }}
QMainWindow, #central, QStackedWidget > QWidget {{ background: {p.background}; }}
QLabel#title {{ font-size: {pt(30)}; font-weight: 600; }}
QLabel#subtitle, QLabel#muted {{ color: {p.text_muted}; }}
QLabel#siteName {{ font-size: {pt(20)}; font-weight: 600; }}
QLabel#notice {{
    background: {p.notice}; color: {p.on_notice}; border-radius: 12px; padding: 12px 20px;
}}
QLabel#error {{ color: {p.danger}; font-weight: 600; }}
QPushButton, QToolButton {{
    min-height: 56px; min-width: 56px; padding: 6px 20px;
    background: {p.surface}; border: 2px solid {p.border}; border-radius: 12px;
}}
QPushButton:pressed, QToolButton:pressed {{
    background: {p.primary_soft}; color: {p.on_primary_soft};
}}
/* The focus ring is 1px thicker than the border: padding gives that pixel back, so a focused
   button's text never loses room. */
QPushButton:focus, QToolButton:focus {{ border: 3px solid {p.focus}; padding: 5px 19px; }}
QPushButton:disabled, QToolButton:disabled {{
    background: {p.disabled_bg}; color: {p.disabled_text}; border-color: {p.disabled_bg};
}}
QPushButton#primary {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary}; }}
QPushButton#primary:focus {{ border: 3px solid {p.focus}; }}
QPushButton#bigChoice {{ min-height: 240px; border-radius: 24px; border-width: 3px; }}
QPushButton#bigChoice QLabel {{ background: transparent; }}
QLabel#choiceTitle {{ font-size: {pt(28)}; font-weight: 600; color: {p.primary}; }}
QLabel#choiceText {{ font-size: {pt(20)}; color: {p.text_muted}; }}
QPushButton#languageButton {{
    min-height: 52px; min-width: 0; padding: 4px 12px; font-size: {LANGUAGE_POINT_SIZE}pt;
}}
QPushButton#languageButton:focus {{ padding: 3px 11px; }}
/* The language panel of inner screens (kiosk.ui.shell.language_picker): the language in use
   is filled, as in the full bar. */
QPushButton#languageChoice:checked {{
    background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
}}
QPushButton#languageChoice:checked:focus {{ border: 3px solid {p.focus}; }}
QPushButton#languageButton:checked {{
    background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
}}
#header, #staffHeader {{ background: {p.surface}; border-bottom: 2px solid {p.divider}; }}
QLineEdit, QPlainTextEdit, QTextEdit {{
    min-height: 56px; padding: 4px 12px; background: {p.surface};
    border: 2px solid {p.border}; border-radius: 10px;
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 3px solid {p.focus}; }}
QLineEdit, QPlainTextEdit, QTextEdit {{ placeholder-text-color: {p.placeholder}; }}
QScrollBar:vertical {{ width: 14px; background: {p.scroll_groove}; border: none; margin: 0; }}
QScrollBar::handle:vertical {{
    background: {p.scroll_handle}; min-height: 48px; border-radius: 7px;
}}
QScrollBar:horizontal {{ height: 14px; background: {p.scroll_groove}; border: none; margin: 0; }}
QScrollBar::handle:horizontal {{
    background: {p.scroll_handle}; min-width: 48px; border-radius: 7px;
}}
QScrollBar::add-line, QScrollBar::sub-line {{
    width: 0; height: 0; border: none; background: none;
}}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
/* A page with the "more below" cue: the bar's column is as wide as its up and down buttons,
   with a slim track in the middle (kiosk.ui.parts.scroll_cue). */
QScrollBar#cueScrollBar:vertical {{ width: 56px; background: transparent; }}
QScrollBar#cueScrollBar::handle:vertical {{ margin: 0 17px; border-radius: 11px; }}
QScrollBar#cueScrollBar::add-page:vertical, QScrollBar#cueScrollBar::sub-page:vertical {{
    background: {p.scroll_groove}; margin: 0 21px; border-radius: 7px;
}}
QScrollBar#cueScrollBar[scrolls="false"]::handle:vertical,
QScrollBar#cueScrollBar[scrolls="false"]::add-page:vertical,
QScrollBar#cueScrollBar[scrolls="false"]::sub-page:vertical {{ background: transparent; }}
QPushButton#scrollUp, QPushButton#scrollDown {{
    min-width: 0; min-height: 0; padding: 0; font-size: 22pt; font-weight: 700;
    color: {p.primary}; border-color: {p.primary};
}}
QPushButton#scrollUp:disabled, QPushButton#scrollDown:disabled {{
    color: {p.disabled_text}; border-color: {p.disabled_bg};
}}
QLabel#moreBelow {{
    background: {p.primary}; color: {p.on_primary}; border-radius: 16px; padding: 4px 18px;
    font-weight: 600;
}}
QListWidget {{ background: {p.surface}; border: 2px solid {p.divider}; border-radius: 12px; }}
#attract, #attract QWidget {{ background: {p.attract_bg}; color: {p.on_attract}; }}
#attract QLabel#greeting {{ font-size: {pt(56)}; font-weight: 600; }}
#attract QLabel#touchToStart {{ font-size: {pt(26)}; color: {p.on_attract_soft}; }}
#attract QLabel#notice {{ background: {p.notice}; color: {p.on_notice}; font-size: {pt(22)}; }}
#attract QPushButton#languageButton {{
    background: {p.attract_bg}; color: {p.on_attract}; border: 2px solid {p.on_attract_soft};
}}
/* On the dark attract screen the focus ring would not show: the focused language turns light. */
#attract QPushButton#languageButton:focus {{
    background: {p.on_attract}; color: {p.attract_bg}; border: 3px solid {p.on_attract};
}}
QScrollArea, QScrollArea > QWidget > QWidget#catalogueContent, QWidget#lessonPage,
QWidget#staffFigures, QWidget#scrollPageBody {{
    background: {p.background};
}}
QPushButton#courseCard, QPushButton#continueCard {{
    background: {p.surface}; border: 2px solid {p.border}; border-radius: 16px; text-align: left;
    padding: 0;
}}
QPushButton#continueCard {{ border: 3px solid {p.primary}; }}
QPushButton#courseCard:focus, QPushButton#continueCard:focus {{ border: 3px solid {p.focus}; }}
QLabel#cardTitle {{ font-size: {pt(20)}; font-weight: 600; color: {p.primary}; }}
QLabel#sectionTitle {{ font-size: {pt(20)}; font-weight: 600; }}
QLabel#done {{ color: {p.success}; font-weight: 600; }}
QPushButton#chip {{ min-height: 48px; padding: 4px 16px; border-radius: 24px; }}
QPushButton#chip:focus {{ padding: 3px 15px; }}
QPushButton#chip:checked {{
    background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
}}
QLabel#position {{ font-weight: 600; }}
QProgressBar {{ background: {p.primary_soft}; border: none; border-radius: 6px; }}
QProgressBar::chunk {{ background: {p.primary}; border-radius: 6px; }}
QLabel#stepBody {{ font-size: {pt(20)}; }}
QLabel#hint {{
    background: {p.notice}; color: {p.on_notice}; border-radius: 12px; padding: 12px 16px;
}}
QPushButton#quizOption, QPushButton#suggestion {{ min-height: 64px; padding: 0; }}
QPushButton#quizOption QLabel {{ font-size: {pt(20)}; background: transparent; }}
QPushButton#suggestion QLabel {{ background: transparent; color: {p.primary}; font-weight: 600; }}
QPushButton#quizOption:focus, QPushButton#suggestion:focus {{ padding: 0; }}
QPushButton#quizOption:checked {{ background: {p.primary_soft}; border: 3px solid {p.primary}; }}
QPushButton#quizOption:checked QLabel {{ color: {p.on_primary_soft}; }}
QPushButton#quizOption[verdict="right"] {{ border: 3px solid {p.success}; }}
QPushButton#quizOption[verdict="wrong"] {{ border: 3px solid {p.danger}; }}
QPushButton#quizOption QLabel#verdictMark {{ color: {p.danger}; font-weight: 700; }}
QPushButton#quizOption QLabel#verdictMark[right="true"] {{ color: {p.success}; }}
QLabel#feedback {{ padding: 0 24px; color: {p.danger}; }}
QLabel#feedback[right="true"] {{ color: {p.success}; }}
QLabel#quizResult {{ font-weight: 600; color: {p.danger}; }}
QLabel#quizResult[right="true"] {{ color: {p.success}; }}
QPushButton#navButton, QPushButton#navPrimary {{ min-height: 72px; min-width: 200px; }}
QPushButton#navButton:focus, QPushButton#navPrimary:focus {{ padding: 5px 19px; }}
QPushButton#navPrimary {{
    background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
}}
/* Looks that set their own border (filled, chosen, judged) still show the focus ring; a page
   that scrolls is a Tab stop (the arrow keys scroll it) and shows the ring around itself. */
QPushButton#navPrimary:focus, QPushButton#quizOption:focus, QPushButton#chip:checked:focus,
QPushButton#languageButton:checked:focus, QPushButton#quizOption:checked:focus,
QPushButton#quizOption[verdict="right"]:focus, QPushButton#quizOption[verdict="wrong"]:focus {{
    border: 3px solid {p.focus};
}}
QAbstractScrollArea:focus {{ border: 3px solid {p.focus}; }}
QPushButton#primary:disabled, QPushButton#navPrimary:disabled {{
    background: {p.disabled_bg}; color: {p.disabled_text}; border-color: {p.disabled_bg};
}}
QLabel#resumeCode {{ font-size: {pt(44)}; font-weight: 700; color: {p.text}; }}
QLineEdit#codeField {{ font-size: {pt(30)}; font-weight: 600; min-height: 72px; }}
QPushButton#saveButton {{ min-height: 48px; padding: 4px 16px; }}
QPushButton#saveButton:focus {{ padding: 3px 15px; }}
QPushButton#pinKey, QPushButton#pinOkKey {{ padding: 0 4px; min-width: 88px; }}
QPushButton#pinKey:focus, QPushButton#pinOkKey:focus {{ padding: 0 3px; }}
/* Keys stay comfortable touch targets (52 px) and the keyboard leaves room for the screen. */
#onScreenKeyboard QPushButton {{ min-height: 44px; min-width: 36px; padding: 2px 4px; }}
#onScreenKeyboard QPushButton:focus {{ padding: 1px 3px; }}
#idleOverlay {{ background: rgba(0, 0, 0, 170); }}
#idleCard {{ background: {p.surface}; border-radius: 24px; }}
/* A picture that cannot be shown: its description in a frame (kiosk.ui.parts.images). */
QLabel[pictureMissing="true"] {{
    border: 2px solid {p.border}; border-radius: 12px; padding: 12px;
    background: {p.surface}; color: {p.text};
}}
#idleCard QLabel#countdown {{ font-size: {pt(64)}; font-weight: 700; color: {p.primary}; }}
#idleCard QPushButton#primary {{ min-height: 88px; font-size: {pt(26)}; }}
/* The site logo (LogoButton) is the picture alone. Last, and with its id outranking every
   button state above, so nothing here draws a frame or a background behind it. (A style sheet
   of its own would cost each logo a style-sheet style of its own, before the first frame.) */
QToolButton#logo {{ border: none; background: transparent; }}
"""


def apply(
    app: QApplication, scale: float | None = None, *, high_contrast: bool | None = None
) -> None:
    """Apply the stylesheet at a text scale (the visitor's A−/A+ choice) in the normal or the
    high-contrast palette; None keeps what is on screen. When the palette changes, the widgets
    that `follow` it restyle themselves too."""
    palette = _on_screen.palette
    if high_contrast is not None:
        palette = HIGH_CONTRAST if high_contrast else NORMAL
    if scale is not None:
        _on_screen.scale = scale
    changed = palette is not _on_screen.palette
    _on_screen.palette = palette
    app.setStyleSheet(stylesheet(_on_screen.scale, palette is HIGH_CONTRAST))
    if changed:
        _forget_deleted()
        for _widget, restyle in list(_on_screen.followers):
            restyle(palette)


def colours() -> Palette:
    """The palette on screen: read it when a style sheet is made or a widget is painted."""
    return _on_screen.palette


def is_high_contrast() -> bool:
    """Whether the high-contrast palette is on screen."""
    return _on_screen.palette is HIGH_CONTRAST


def follow(widget: QWidget, restyle: Callable[[Palette], None]) -> None:
    """Give `widget` the colours of the palette on screen now, and again whenever the palette
    changes: for widgets with a style sheet or a drawn icon of their own (the app-wide sheet and
    painting with `colours()` follow by themselves). Forgotten once the widget is deleted."""
    _forget_deleted()
    restyle(_on_screen.palette)
    _on_screen.followers.append((widget, restyle))


def follow_look(widget: QWidget, look: Callable[[Palette], str]) -> None:
    """`follow` for a widget's own style sheet, made from the palette by `look`."""
    follow(widget, lambda palette: widget.setStyleSheet(look(palette)))


def _forget_deleted() -> None:
    _on_screen.followers[:] = [(w, r) for w, r in _on_screen.followers if shiboken6.isValid(w)]


def enable_kinetic_scrolling(area: QAbstractScrollArea) -> None:
    """Touch screens scroll by dragging the content, with momentum."""
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    # A tap reaches the button under the finger at once: the default quarter-second delay
    # (to tell a tap from the start of a drag) makes buttons in lists feel unresponsive.
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
    scroller.setScrollerProperties(properties)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two #RRGGBB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
