"""The bars above every visitor screen and every staff screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.core.session import TEXT_SCALES
from kiosk.ui.shell.language_bar import LanguageBar
from kiosk.ui.shell.long_press import LogoButton


class VisitorHeader(QFrame):
    """Logo and site name, text size, End session; below them the language bar."""

    text_smaller_requested = Signal()
    """A− was pressed."""
    text_larger_requested = Signal()
    """A+ was pressed."""
    end_session_requested = Signal()
    """The visitor wants to leave now and have their data deleted."""
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
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 10)
        outer.setSpacing(8)
        row = QHBoxLayout()
        row.setSpacing(12)
        self.logo = LogoButton(logo, 56, hold_ms, self)
        self.logo.long_pressed.connect(self.staff_gesture)
        self.logo.tapped.connect(self.logo_tapped)
        self._site = QLabel(site_name, self)
        self._site.setObjectName("siteName")
        # Left-to-right marks keep "A+" a symbol: right-to-left text would show it as "+A".
        self.smaller = QPushButton("\u200eA\u2212\u200e", self)
        self.larger = QPushButton("\u200eA+\u200e", self)
        for button in (self.smaller, self.larger):
            button.setObjectName("textSize")
            button.setMinimumWidth(72)

        self.smaller.clicked.connect(self.text_smaller_requested)
        self.larger.clicked.connect(self.text_larger_requested)
        self.end_session = QPushButton(self)
        self.end_session.setObjectName("primary")
        self.end_session.clicked.connect(self.end_session_requested)
        row.addWidget(self.logo)
        row.addWidget(self._site)
        row.addStretch(1)
        row.addWidget(self.smaller)
        row.addWidget(self.larger)
        row.addSpacing(12)
        row.addWidget(self.end_session)
        outer.addLayout(row)
        self.language_bar = LanguageBar(translator.languages, translator.current.code, self)
        outer.addWidget(self.language_bar)
        self.retranslate_ui()

    def set_text_scale_index(self, index: int) -> None:
        """Disable A− at the smallest and A+ at the largest size."""
        self.smaller.setEnabled(index > 0)
        self.larger.setEnabled(index < len(TEXT_SCALES) - 1)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self.smaller.setAccessibleName(_("Smaller text"))
        self.smaller.setToolTip(_("Smaller text"))
        self.larger.setAccessibleName(_("Larger text"))
        self.larger.setToolTip(_("Larger text"))
        self.end_session.setText(_("End session"))
        self.end_session.setAccessibleName(_("End session and delete my data"))
        self.logo.setAccessibleName(_("Home"))
        self.language_bar.set_current(self._tr.current.code)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class StaffHeader(QFrame):
    """'Staff mode', and the ways out: leave staff mode, or quit the kiosk."""

    leave_requested = Signal()
    """Staff want to hand the terminal back to visitors."""
    quit_requested = Signal()
    """Staff want to close the kiosk application."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
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
        self.quit.clicked.connect(self.quit_requested)
        row.addWidget(self._title)
        row.addStretch(1)
        row.addWidget(self.quit)
        row.addWidget(self.leave)
        self.retranslate_ui()

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
