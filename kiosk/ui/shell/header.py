"""The bars above every visitor screen and every staff screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QHideEvent, QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator, isolate
from kiosk.core.session import TEXT_SCALES
from kiosk.ui import theme
from kiosk.ui.shell.language_bar import LanguageBar
from kiosk.ui.shell.language_picker import LanguageMenuButton
from kiosk.ui.shell.long_press import LogoButton
from kiosk.ui.shell.quit_confirm import QuitConfirm

# The header's controls keep one size at every text size, as the language names do: the controls
# that change the size must always fit and stay where they were. The end button is outlined, not
# filled: it is the way out, not the next step, and it must not draw the eye more than the screen.
_HEADER_LOOK = f"""
QPushButton#textSize, QPushButton#endVisit, QPushButton#languageMenuButton {{
    font-size: {theme.LANGUAGE_POINT_SIZE}pt; min-height: 52px; padding: 4px 12px;
}}
QPushButton#textSize:focus, QPushButton#endVisit:focus, QPushButton#languageMenuButton:focus {{
    padding: 3px 11px;
}}
QPushButton#endVisit {{ color: {theme.PRIMARY}; border-color: {theme.PRIMARY}; }}
QPushButton#endVisit:focus {{ border: 3px solid {theme.FOCUS}; }}
QLabel#siteName {{ font-size: 20pt; }}
"""
_A_SMALLER = "A\u2212"
_A_LARGER = "A+"


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
        self.setStyleSheet(_HEADER_LOOK)
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
            button.setMinimumWidth(72)
        self.language_button = LanguageMenuButton(translator, self)

        self.smaller.clicked.connect(self.text_smaller_requested)
        self.larger.clicked.connect(self.text_larger_requested)
        self.end_session = QPushButton(self)
        self.end_session.setObjectName("endVisit")
        self.end_session.clicked.connect(self.end_session_requested)
        row.addWidget(self.logo)
        row.addWidget(self._site)
        row.addStretch(1)
        row.addWidget(self.smaller)
        row.addWidget(self.larger)
        row.addSpacing(8)
        row.addWidget(self.language_button)
        row.addWidget(self.end_session)
        outer.addLayout(row)
        self.language_bar = LanguageBar(translator.languages, translator.current.code, self)
        outer.addWidget(self.language_bar)
        self.retranslate_ui()

    def set_text_scale_index(self, index: int) -> None:
        """Disable A− at the smallest and A+ at the largest size."""
        self.smaller.setEnabled(index > 0)
        self.larger.setEnabled(index < len(TEXT_SCALES) - 1)

    def show_full_language_bar(self, full: bool) -> None:
        """The full bar of languages (home screen), or one button that opens them (elsewhere)."""
        self.language_bar.setVisible(full)
        self.language_button.setVisible(not full)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        # Isolated, "A+" stays a symbol inside right-to-left text (not "+A"), and so does "A−".
        smaller, larger = _("Smaller"), _("Larger")
        self.smaller.setText(f"{isolate(_A_SMALLER)} {smaller}")
        self.larger.setText(f"{isolate(_A_LARGER)} {larger}")
        self.smaller.setAccessibleName(_("Smaller text"))
        self.smaller.setToolTip(_("Smaller text"))
        self.larger.setAccessibleName(_("Larger text"))
        self.larger.setToolTip(_("Larger text"))
        self.end_session.setText(_("Done – delete my data"))
        self.end_session.setAccessibleName(_("I am done: delete my data"))
        self.logo.setAccessibleName(_("Home"))
        self.language_bar.set_current(self._tr.current.code)

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
