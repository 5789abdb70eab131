"""The bars above every visitor screen and every staff screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QHideEvent,
    QIcon,
    QPainter,
    QPainterPath,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.i18n import N_, Translator, isolate
from kiosk.core.session import TEXT_SCALES
from kiosk.speech.engine import DEFAULT_VOLUME_INDEX, VOLUME_LEVELS
from kiosk.ui import theme
from kiosk.ui.parts.drawn_icons import drawn_icon
from kiosk.ui.shell.language_bar import LanguageBar
from kiosk.ui.shell.language_picker import LanguageMenuButton
from kiosk.ui.shell.long_press import LogoButton
from kiosk.ui.shell.quit_confirm import QuitConfirm


# The header's controls keep one size at every text size, as the language names do: the controls
# that change the size must always fit and stay where they were. The end button is outlined, not
# filled: it is the way out, not the next step, and it must not draw the eye more than the screen.
# Colours come from the palette shown now (normal or high contrast): the look is made again
# when the contrast changes.
def _header_look() -> str:
    p = theme.colours()
    return f"""
QPushButton#textSize, QPushButton#endVisit, QPushButton#languageMenuButton,
QPushButton#headerToggle, QPushButton#readAloud {{
    font-size: {theme.LANGUAGE_POINT_SIZE}pt; min-height: 52px; padding: 4px 12px;
}}
QPushButton#textSize:focus, QPushButton#endVisit:focus, QPushButton#languageMenuButton:focus,
QPushButton#headerToggle:focus, QPushButton#readAloud:focus {{
    padding: 3px 11px;
}}
QPushButton#endVisit, QPushButton#readAloud {{ color: {p.primary}; border-color: {p.primary}; }}
QPushButton#endVisit:focus, QPushButton#readAloud:focus {{ border: 3px solid {p.focus}; }}
QPushButton#headerToggle:checked, QPushButton#readAloud[reading="true"] {{
    background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
}}
QLabel#siteName {{ font-size: 20pt; }}
"""


_A_SMALLER = "A\u2212"
_A_LARGER = "A+"
ICON_PX = 24
EXTRA_SPACING = 4  # between the groups of the row: reading, text size and contrast, language
NOTICE_MS = 6000  # how long "Reading aloud is not available …" stays
# The volume levels by name (VOLUME_LEVELS, quietest first): words, not percentages.
VOLUME_NAMES = (N_("quiet"), N_("medium"), N_("loud"))


def _drawn_icon(
    draw: Callable[[QPainter, float], None], size: int = ICON_PX, on_primary: bool = False
) -> QIcon:
    """An icon drawn in the text colour of the button it is on."""
    palette = theme.colours()
    colour = palette.on_primary if on_primary else palette.primary
    return drawn_icon(draw, size, colour, line_width=size / 12, filled=True)


def _speaker(painter: QPainter, size: float) -> None:
    body = QPainterPath()
    body.moveTo(size * 0.10, size * 0.38)
    body.lineTo(size * 0.28, size * 0.38)
    body.lineTo(size * 0.50, size * 0.18)
    body.lineTo(size * 0.50, size * 0.82)
    body.lineTo(size * 0.28, size * 0.62)
    body.lineTo(size * 0.10, size * 0.62)
    body.closeSubpath()
    painter.drawPath(body)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for radius in (0.16, 0.30):  # the sound waves
        box = QRectF(
            size * (0.5 - radius), size * (0.5 - radius), size * 2 * radius, size * 2 * radius
        )
        painter.drawArc(box.translated(size * 0.06, 0), -50 * 16, 100 * 16)


def _half_circle(painter: QPainter, size: float) -> None:
    margin = size * 0.1
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.drawPie(box, 90 * 16, 180 * 16)  # the dark half
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(box)
    painter.drawLine(QPointF(size / 2, margin), QPointF(size / 2, size - margin))


class VisitorHeader(QFrame):
    """Logo and site name, text size, language and the way out; on the home screen the full
    language bar below them, elsewhere one language button in the row."""

    text_smaller_requested = Signal()
    """A− was pressed."""
    text_larger_requested = Signal()
    """A+ was pressed."""
    end_session_requested = Signal()
    """The visitor pressed the end button (the window asks before anything is deleted)."""
    staff_gesture = Signal()
    """The logo was held long enough to open the staff PIN pad."""
    logo_tapped = Signal()
    """The logo was tapped briefly (goes to the home screen)."""
    read_aloud_requested = Signal()
    """"Read aloud" (or, while reading, "Stop reading") was pressed."""
    slower_toggled = Signal(bool)
    """The visitor turned the slower speech on (True) or off."""
    volume_requested = Signal()
    """The volume button was pressed: the next level, after the loudest the quietest."""
    contrast_toggled = Signal(bool)
    """The visitor turned high contrast on (True) or off."""

    def __init__(
        self,
        translator: Translator,
        site_name: str,
        logo: QIcon,
        hold_ms: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = translator
        self.setObjectName("header")
        self.setStyleSheet(_header_look())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 10)
        outer.setSpacing(8)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.logo = LogoButton(logo, 56, hold_ms, self)
        self.logo.long_pressed.connect(self.staff_gesture)
        self.logo.tapped.connect(self.logo_tapped)
        self._site = QLabel(site_name, self)
        self._site.setObjectName("siteName")
        # The site name gives way to the controls (it wraps between its words): in a language
        # with long button labels the row must still show every control whole.
        self._site.setWordWrap(True)
        self.smaller = QPushButton(self)
        self.larger = QPushButton(self)
        for button in (self.smaller, self.larger):
            button.setObjectName("textSize")
            button.setMinimumWidth(64)
        self.language_button = LanguageMenuButton(translator, self)

        self.smaller.clicked.connect(self.text_smaller_requested)
        self.larger.clicked.connect(self.text_larger_requested)
        self.end_session = QPushButton(self)
        self.end_session.setObjectName("endVisit")
        self.end_session.clicked.connect(self.end_session_requested)
        self.read_aloud = QPushButton(self)
        self.read_aloud.setObjectName("readAloud")
        self.read_aloud.setIconSize(QSize(ICON_PX, ICON_PX))
        self.read_aloud.clicked.connect(self.read_aloud_requested)
        self.contrast = QPushButton(self)
        self.contrast.setObjectName("headerToggle")
        self.contrast.setCheckable(True)
        self.contrast.setIconSize(QSize(ICON_PX, ICON_PX))
        self.contrast.toggled.connect(self._contrast_toggled)
        row.addWidget(self.logo)
        row.addWidget(self._site)
        row.addStretch(1)
        row.addWidget(self.read_aloud)
        row.addSpacing(EXTRA_SPACING)
        row.addWidget(self.smaller)
        row.addWidget(self.larger)
        row.addWidget(self.contrast)
        row.addSpacing(EXTRA_SPACING)
        row.addWidget(self.language_button)
        row.addWidget(self.end_session)
        outer.addLayout(row)
        outer.addWidget(self._build_speech_row())
        self._reading = False
        self._volume_index = DEFAULT_VOLUME_INDEX
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._hide_notice)
        self._paint_icons()
        self.language_bar = LanguageBar(translator.languages, translator.current.code, self)
        outer.addWidget(self.language_bar)
        self.retranslate_ui()

    def _build_speech_row(self) -> QWidget:
        """The speech settings, shown under the header's row while reading: they matter only
        then, and every language's controls fit in one row that way."""
        self.speech_row = QWidget(self)
        self.speech_row.setObjectName("speechRow")
        row = QHBoxLayout(self.speech_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.speech_notice = QLabel(self.speech_row)
        self.speech_notice.setObjectName("speechNotice")
        self.speech_notice.setWordWrap(True)
        self.speech_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.slower = QPushButton(self.speech_row)
        self.slower.setObjectName("headerToggle")
        self.slower.setCheckable(True)
        self.slower.toggled.connect(self.slower_toggled)
        self.volume = QPushButton(self.speech_row)
        self.volume.setObjectName("headerToggle")
        self.volume.clicked.connect(self.volume_requested)
        row.addWidget(self.speech_notice, 1)
        row.addWidget(self.slower)
        row.addWidget(self.volume)
        row.addStretch(1)  # the two buttons keep their own width, at the reading side
        self.speech_notice.hide()
        self.speech_row.hide()
        return self.speech_row

    # -- reading aloud and contrast ----------------------------------------------------------

    def set_reading(self, reading: bool) -> None:
        """ "Read aloud" becomes "Stop reading", and the speech settings show, while reading."""
        self._reading = reading
        self.read_aloud.setProperty("reading", reading)
        self.read_aloud.style().unpolish(self.read_aloud)
        self.read_aloud.style().polish(self.read_aloud)
        if reading:
            self._hide_notice()
        self.slower.setVisible(True)
        self.volume.setVisible(True)
        self.speech_row.setVisible(reading)
        self._paint_icons()
        self.retranslate_ui()

    @property
    def reading(self) -> bool:
        return self._reading

    def show_speech_notice(self, text: str) -> None:
        """Say for a few seconds under the row why nothing is read aloud."""
        self.speech_notice.setText(text)
        self.speech_notice.show()
        self.slower.hide()
        self.volume.hide()
        self.speech_row.show()
        self._notice_timer.start(NOTICE_MS)

    def _hide_notice(self) -> None:
        self._notice_timer.stop()
        self.speech_notice.hide()
        self.speech_notice.clear()
        if not self._reading:
            self.speech_row.hide()

    def set_slow(self, on: bool) -> None:
        """Show the slower speed on or off (without telling anyone)."""
        self.slower.blockSignals(True)
        self.slower.setChecked(on)
        self.slower.blockSignals(False)

    def set_volume_index(self, index: int) -> None:
        """Show the volume level `index` (into VOLUME_LEVELS)."""
        self._volume_index = max(0, min(len(VOLUME_LEVELS) - 1, index))
        self.retranslate_ui()

    def set_high_contrast(self, on: bool) -> None:
        """Show high contrast on or off (without telling anyone), in the colours now shown."""
        self.contrast.blockSignals(True)
        self.contrast.setChecked(on)
        self.contrast.blockSignals(False)
        self.setStyleSheet(_header_look())
        self._paint_icons()

    def reset_access(self) -> None:
        """A new visitor: not reading, normal speed, default volume, normal contrast."""
        self.set_reading(False)
        self._hide_notice()
        self.set_slow(False)
        self.set_volume_index(DEFAULT_VOLUME_INDEX)
        self.set_high_contrast(False)

    def _contrast_toggled(self, on: bool) -> None:
        self.contrast_toggled.emit(on)

    def _paint_icons(self) -> None:
        # On a filled button ("Stop reading", the contrast switch turned on) the icon takes the
        # button's text colour: in the fill's own colour it would vanish.
        self.read_aloud.setIcon(_drawn_icon(_speaker, on_primary=self._reading))
        on = self.contrast.isChecked()
        self.contrast.setIcon(_drawn_icon(_half_circle, on_primary=on))

    def set_text_scale_index(self, index: int) -> None:
        """Disable A− at the smallest and A+ at the largest size."""
        self.smaller.setEnabled(index > 0)
        self.larger.setEnabled(index < len(TEXT_SCALES) - 1)

    def show_full_language_bar(self, full: bool) -> None:
        """The full bar of languages (home screen), or one button that opens them (elsewhere)."""
        self.language_bar.setVisible(full)
        self.language_button.setVisible(not full)
        # Elsewhere the logo alone stands for the place: the row's room goes to the controls
        # (reading aloud, text size, contrast, language, the way out) in every language.
        self._site.setVisible(full)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        # The signs alone (their names and tooltips say what they do): beside "Read aloud" and
        # the contrast switch, the row keeps every control whole in every language at 1280 px.
        # Isolated, "A+" stays a symbol inside right-to-left text (not "+A"), and so does "A−".
        self.smaller.setText(isolate(_A_SMALLER))
        self.larger.setText(isolate(_A_LARGER))
        self.smaller.setAccessibleName(_("Smaller text"))
        self.smaller.setToolTip(_("Smaller text"))
        self.larger.setAccessibleName(_("Larger text"))
        self.larger.setToolTip(_("Larger text"))
        self.end_session.setText(_("Done – delete my data"))
        self.end_session.setAccessibleName(_("I am done: delete my data"))
        self.logo.setAccessibleName(_("Home"))
        self.language_bar.set_current(self._tr.current.code)
        read = _("Stop reading") if self._reading else _("Read aloud")
        self.read_aloud.setText(read)
        self.read_aloud.setAccessibleName(read)
        self.contrast.setAccessibleName(_("High contrast"))
        self.contrast.setToolTip(_("High contrast"))
        self.slower.setText(_("Slower"))
        self.slower.setAccessibleName(_("Read more slowly"))
        level = _(VOLUME_NAMES[self._volume_index])
        self.volume.setText(_("Volume: {level}").format(level=level))
        self.volume.setAccessibleName(_("Volume: {level}. Tap for another").format(level=level))
        # Only as wide as the text it shows: the stretch before it takes up the change when
        # reading starts or stops, and a language with long labels keeps the way out whole on
        # the home screen (a button as wide as "Stop reading" while it says "Read aloud" cut it).

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class StaffHeader(QFrame):
    """'Staff mode', and the ways out: leave staff mode, or quit the kiosk (after a question)."""

    leave_requested = Signal()
    """Staff want to hand the terminal back to visitors."""
    quit_requested = Signal()
    """Staff answered the question: close the kiosk application now."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        self._quit_question: QuitConfirm | None = None
        self.setObjectName("staffHeader")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(12)
        self._title = QLabel(self)
        self._title.setObjectName("siteName")
        self._title.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        self.leave = QPushButton(self)
        self.leave.setObjectName("primary")
        self.leave.clicked.connect(self.leave_requested)
        self.quit = QPushButton(self)
        self.quit.clicked.connect(self.ask_quit)
        row.addWidget(self._title)
        row.addStretch(1)
        row.addWidget(self.quit)
        row.addWidget(self.leave)
        self.retranslate_ui()

    @property
    def quit_question(self) -> QuitConfirm | None:
        """The question "Really quit the kiosk?", once it was asked."""
        return self._quit_question

    def ask_quit(self) -> None:
        """Ask over the whole window whether the kiosk should really close."""
        if self._quit_question is None:
            # Over the window, not the header: the question dims everything staff could touch.
            question = QuitConfirm(self._tr, self.parentWidget() or self.window())
            question.confirmed.connect(self.quit_requested)
            self._quit_question = question
        self._quit_question.ask()

    def hideEvent(self, event: QHideEvent) -> None:
        # Staff mode ended (left, timed out, wiped): an open question must not greet visitors.
        if self._quit_question is not None:
            self._quit_question.hide()
        super().hideEvent(event)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("Staff mode"))
        self.leave.setText(_("Leave staff mode"))
        self.leave.setAccessibleName(_("Leave staff mode"))
        self.quit.setText(_("Quit kiosk"))
        self.quit.setAccessibleName(_("Quit the kiosk application"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
