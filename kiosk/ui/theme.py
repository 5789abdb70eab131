"""The calm, high-contrast look of the kiosk: colours, shipped fonts and one app-wide stylesheet."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScroller, QScrollerProperties

log = logging.getLogger(__name__)

# Colours: every text colour is listed with the backgrounds it is drawn on in TEXT_PAIRS, and a
# test computes the WCAG contrast ratio of each pair (≥ 4.5:1).
BACKGROUND = "#F6F4EF"
SURFACE = "#FFFFFF"
TEXT = "#1A1C1E"
TEXT_MUTED = "#464A51"
PRIMARY = "#00566B"
ON_PRIMARY = "#FFFFFF"
PRIMARY_SOFT = "#DCEFF3"
ON_PRIMARY_SOFT = "#00394A"
NOTICE = "#FFF3D6"
ON_NOTICE = "#5A3A00"
DANGER = "#A1191F"
SUCCESS = "#1B6B35"
BORDER = "#767B84"  # non-text: 3:1 against backgrounds is enough (WCAG 1.4.11)
FOCUS = "#1D4ED8"
DISABLED_BG = "#E6E4DF"
DISABLED_TEXT = "#5C6067"
ATTRACT_BG = "#00566B"
ON_ATTRACT = "#FFFFFF"
ON_ATTRACT_SOFT = "#E3F4F8"
# Hints inside empty fields: Qt would draw them in the text colour at half opacity (~3.3:1 on
# white), too faint for many visitors; a colour of their own keeps them at text contrast.
PLACEHOLDER = TEXT_MUTED
# Scroll bars: a dark handle on a light track, so the page's length can be seen at a glance.
SCROLL_HANDLE = PRIMARY
SCROLL_GROOVE = PRIMARY_SOFT

TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("body text", TEXT, BACKGROUND),
    ("right answer", SUCCESS, BACKGROUND),
    ("wrong answer", DANGER, BACKGROUND),
    ("right mark on a chosen answer", SUCCESS, PRIMARY_SOFT),
    ("wrong mark on a chosen answer", DANGER, PRIMARY_SOFT),
    ("completed mark", SUCCESS, SURFACE),
    ("card title", PRIMARY, SURFACE),
    ("text on cards", TEXT, SURFACE),
    ("muted text", TEXT_MUTED, BACKGROUND),
    ("muted text on cards", TEXT_MUTED, SURFACE),
    ("primary buttons", ON_PRIMARY, PRIMARY),
    ("selected language", ON_PRIMARY, PRIMARY),
    ("soft highlight", ON_PRIMARY_SOFT, PRIMARY_SOFT),
    ("notices", ON_NOTICE, NOTICE),
    ("error messages", DANGER, SURFACE),
    ("error messages on background", DANGER, BACKGROUND),
    ("disabled buttons", DISABLED_TEXT, DISABLED_BG),
    ("attract screen", ON_ATTRACT, ATTRACT_BG),
    ("attract screen secondary", ON_ATTRACT_SOFT, ATTRACT_BG),
    ("links and outlines", PRIMARY, SURFACE),
    ("placeholder text in fields", PLACEHOLDER, SURFACE),
)
NON_TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("control borders", BORDER, SURFACE),
    ("control borders on background", BORDER, BACKGROUND),
    ("focus ring", FOCUS, SURFACE),
    ("focus ring on background", FOCUS, BACKGROUND),
    ("scroll bar handle on its track", SCROLL_HANDLE, SCROLL_GROOVE),
    ("scroll bar handle on the page", SCROLL_HANDLE, BACKGROUND),
    ("scroll bar handle on cards", SCROLL_HANDLE, SURFACE),
)

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


def stylesheet(scale: float = 1.0) -> str:
    """The app-wide stylesheet; `scale` is the visitor's text size (A−/A+)."""

    def pt(size: float) -> str:
        return f"{size * scale:.1f}pt"

    return f"""
QWidget {{ color: {TEXT}; font-size: {pt(BASE_POINT_SIZE)}; }}
QMainWindow, #central, QStackedWidget > QWidget {{ background: {BACKGROUND}; }}
QLabel#title {{ font-size: {pt(30)}; font-weight: 600; }}
QLabel#subtitle, QLabel#muted {{ color: {TEXT_MUTED}; }}
QLabel#siteName {{ font-size: {pt(20)}; font-weight: 600; }}
QLabel#notice {{
    background: {NOTICE}; color: {ON_NOTICE}; border-radius: 12px; padding: 12px 20px;
}}
QLabel#error {{ color: {DANGER}; font-weight: 600; }}
QPushButton, QToolButton {{
    min-height: 56px; min-width: 56px; padding: 6px 20px;
    background: {SURFACE}; border: 2px solid {BORDER}; border-radius: 12px;
}}
QPushButton:pressed, QToolButton:pressed {{ background: {PRIMARY_SOFT}; color: {ON_PRIMARY_SOFT}; }}
/* The focus ring is 1px thicker than the border: padding gives that pixel back, so a focused
   button's text never loses room. */
QPushButton:focus, QToolButton:focus {{ border: 3px solid {FOCUS}; padding: 5px 19px; }}
QPushButton:disabled, QToolButton:disabled {{
    background: {DISABLED_BG}; color: {DISABLED_TEXT}; border-color: {DISABLED_BG};
}}
QPushButton#primary {{ background: {PRIMARY}; color: {ON_PRIMARY}; border-color: {PRIMARY}; }}
QPushButton#primary:focus {{ border: 3px solid {FOCUS}; }}
QPushButton#bigChoice {{ min-height: 240px; border-radius: 24px; border-width: 3px; }}
QPushButton#bigChoice QLabel {{ background: transparent; }}
QLabel#choiceTitle {{ font-size: {pt(28)}; font-weight: 600; color: {PRIMARY}; }}
QLabel#choiceText {{ font-size: {pt(20)}; color: {TEXT_MUTED}; }}
QPushButton#languageButton {{
    min-height: 52px; min-width: 0; padding: 4px 12px; font-size: {LANGUAGE_POINT_SIZE}pt;
}}
QPushButton#languageButton:focus {{ padding: 3px 11px; }}
QPushButton#languageButton:checked {{
    background: {PRIMARY}; color: {ON_PRIMARY}; border-color: {PRIMARY};
}}
#header, #staffHeader {{ background: {SURFACE}; border-bottom: 2px solid {PRIMARY_SOFT}; }}
QLineEdit, QPlainTextEdit, QTextEdit {{
    min-height: 56px; padding: 4px 12px; background: {SURFACE};
    border: 2px solid {BORDER}; border-radius: 10px;
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 3px solid {FOCUS}; }}
QLineEdit, QPlainTextEdit, QTextEdit {{ placeholder-text-color: {PLACEHOLDER}; }}
QScrollBar:vertical {{ width: 14px; background: {SCROLL_GROOVE}; border: none; margin: 0; }}
QScrollBar::handle:vertical {{ background: {SCROLL_HANDLE}; min-height: 48px; border-radius: 7px; }}
QScrollBar:horizontal {{ height: 14px; background: {SCROLL_GROOVE}; border: none; margin: 0; }}
QScrollBar::handle:horizontal {{
    background: {SCROLL_HANDLE}; min-width: 48px; border-radius: 7px;
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
    background: {SCROLL_GROOVE}; margin: 0 21px; border-radius: 7px;
}}
QScrollBar#cueScrollBar[scrolls="false"]::handle:vertical,
QScrollBar#cueScrollBar[scrolls="false"]::add-page:vertical,
QScrollBar#cueScrollBar[scrolls="false"]::sub-page:vertical {{ background: transparent; }}
QPushButton#scrollUp, QPushButton#scrollDown {{
    min-width: 0; min-height: 0; padding: 0; font-size: 22pt; font-weight: 700;
    color: {PRIMARY}; border-color: {PRIMARY};
}}
QPushButton#scrollUp:disabled, QPushButton#scrollDown:disabled {{
    color: {DISABLED_TEXT}; border-color: {DISABLED_BG};
}}
QLabel#moreBelow {{
    background: {PRIMARY}; color: {ON_PRIMARY}; border-radius: 16px; padding: 4px 18px;
    font-weight: 600;
}}
QListWidget {{ background: {SURFACE}; border: 2px solid {PRIMARY_SOFT}; border-radius: 12px; }}
#attract, #attract QWidget {{ background: {ATTRACT_BG}; color: {ON_ATTRACT}; }}
#attract QLabel#greeting {{ font-size: {pt(56)}; font-weight: 600; }}
#attract QLabel#touchToStart {{ font-size: {pt(26)}; color: {ON_ATTRACT_SOFT}; }}
#attract QLabel#notice {{ background: {NOTICE}; color: {ON_NOTICE}; font-size: {pt(22)}; }}
#attract QPushButton#languageButton {{
    background: {ATTRACT_BG}; color: {ON_ATTRACT}; border: 2px solid {ON_ATTRACT_SOFT};
}}
QScrollArea, QScrollArea > QWidget > QWidget#catalogueContent, QWidget#lessonPage,
QWidget#staffFigures, QWidget#scrollPageBody {{
    background: {BACKGROUND};
}}
QPushButton#courseCard, QPushButton#continueCard {{
    background: {SURFACE}; border: 2px solid {BORDER}; border-radius: 16px; text-align: left;
    padding: 0;
}}
QPushButton#continueCard {{ border: 3px solid {PRIMARY}; }}
QPushButton#courseCard:focus, QPushButton#continueCard:focus {{ border: 3px solid {FOCUS}; }}
QLabel#cardTitle {{ font-size: {pt(20)}; font-weight: 600; color: {PRIMARY}; }}
QLabel#sectionTitle {{ font-size: {pt(20)}; font-weight: 600; }}
QLabel#done {{ color: {SUCCESS}; font-weight: 600; }}
QPushButton#chip {{ min-height: 48px; padding: 4px 16px; border-radius: 24px; }}
QPushButton#chip:focus {{ padding: 3px 15px; }}
QPushButton#chip:checked {{ background: {PRIMARY}; color: {ON_PRIMARY}; border-color: {PRIMARY}; }}
QLabel#position {{ font-weight: 600; }}
QProgressBar {{ background: {PRIMARY_SOFT}; border: none; border-radius: 6px; }}
QProgressBar::chunk {{ background: {PRIMARY}; border-radius: 6px; }}
QLabel#stepBody {{ font-size: {pt(20)}; }}
QLabel#hint {{
    background: {NOTICE}; color: {ON_NOTICE}; border-radius: 12px; padding: 12px 16px;
}}
QPushButton#quizOption, QPushButton#suggestion {{ min-height: 64px; padding: 0; }}
QPushButton#quizOption QLabel {{ font-size: {pt(20)}; background: transparent; }}
QPushButton#suggestion QLabel {{ background: transparent; color: {PRIMARY}; font-weight: 600; }}
QPushButton#quizOption:focus, QPushButton#suggestion:focus {{ padding: 0; }}
QPushButton#quizOption:checked {{ background: {PRIMARY_SOFT}; border: 3px solid {PRIMARY}; }}
QPushButton#quizOption:checked QLabel {{ color: {ON_PRIMARY_SOFT}; }}
QPushButton#quizOption[verdict="right"] {{ border: 3px solid {SUCCESS}; }}
QPushButton#quizOption[verdict="wrong"] {{ border: 3px solid {DANGER}; }}
QPushButton#quizOption QLabel#verdictMark {{ color: {DANGER}; font-weight: 700; }}
QPushButton#quizOption QLabel#verdictMark[right="true"] {{ color: {SUCCESS}; }}
QLabel#feedback {{ padding: 0 24px; color: {DANGER}; }}
QLabel#feedback[right="true"] {{ color: {SUCCESS}; }}
QLabel#quizResult {{ font-weight: 600; color: {DANGER}; }}
QLabel#quizResult[right="true"] {{ color: {SUCCESS}; }}
QPushButton#navButton, QPushButton#navPrimary {{ min-height: 72px; min-width: 200px; }}
QPushButton#navButton:focus, QPushButton#navPrimary:focus {{ padding: 5px 19px; }}
QPushButton#navPrimary {{ background: {PRIMARY}; color: {ON_PRIMARY}; border-color: {PRIMARY}; }}
QPushButton#primary:disabled, QPushButton#navPrimary:disabled {{
    background: {DISABLED_BG}; color: {DISABLED_TEXT}; border-color: {DISABLED_BG};
}}
QLabel#resumeCode {{ font-size: {pt(44)}; font-weight: 700; color: {TEXT}; }}
QLineEdit#codeField {{ font-size: {pt(30)}; font-weight: 600; min-height: 72px; }}
QPushButton#saveButton {{ min-height: 48px; padding: 4px 16px; }}
QPushButton#saveButton:focus {{ padding: 3px 15px; }}
QPushButton#pinKey, QPushButton#pinOkKey {{ padding: 0 4px; min-width: 88px; }}
QPushButton#pinKey:focus, QPushButton#pinOkKey:focus {{ padding: 0 3px; }}
/* Keys stay comfortable touch targets (52 px) and the keyboard leaves room for the screen. */
#onScreenKeyboard QPushButton {{ min-height: 44px; min-width: 36px; padding: 2px 4px; }}
#onScreenKeyboard QPushButton:focus {{ padding: 1px 3px; }}
#idleOverlay {{ background: rgba(0, 0, 0, 170); }}
#idleCard {{ background: {SURFACE}; border-radius: 24px; }}
#idleCard QLabel#countdown {{ font-size: {pt(64)}; font-weight: 700; color: {PRIMARY}; }}
#idleCard QPushButton#primary {{ min-height: 88px; font-size: {pt(26)}; }}
/* The site logo (LogoButton) is the picture alone. Last, and with its id outranking every
   button state above, so nothing here draws a frame or a background behind it. (A style sheet
   of its own would cost each logo a style-sheet style of its own, before the first frame.) */
QToolButton#logo {{ border: none; background: transparent; }}
"""


def apply(app: QApplication, scale: float = 1.0) -> None:
    """Apply the stylesheet at a text scale (the visitor's A−/A+ choice)."""
    app.setStyleSheet(stylesheet(scale))


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
