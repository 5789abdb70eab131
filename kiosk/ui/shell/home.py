"""The visitor's home: two big choices, learn something or try a device, and a way back in
with a code from an earlier visit."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.parts.screen_base import ScreenBase, label
from kiosk.ui.parts.scroll_page import ScrollPage
from kiosk.ui.shell.choice_button import ChoiceButton


class HomeScreen(ScreenBase):
    """Where every visitor session starts."""

    learn_requested = Signal()
    """The visitor chose 'Learn something'."""
    try_device_requested = Signal()
    """The visitor chose 'Try a device'."""
    code_requested = Signal()
    """The visitor has a code (to continue a course, or of a booking) and wants to type it."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(translator, parent)
        self.setObjectName("home")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 32)
        # The two cards and the code entry need more height than the screen has at the larger
        # text sizes: then the page scrolls (and says so) rather than cutting their texts.
        self.page = ScrollPage(self, self._tr.gettext, bar_as_needed=True)
        outer.addWidget(self.page)
        page = self.page.body
        layout = self.page.content
        layout.setSpacing(24)
        self._title = label(page, "title")
        self._notice = label(page, "notice")
        self._notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._notice.hide)
        choices = QHBoxLayout()
        choices.setSpacing(32)
        self.learn = ChoiceButton(page)
        self.try_device = ChoiceButton(page)
        for button in (self.learn, self.try_device):
            choices.addWidget(button, 1)
        self.learn.clicked.connect(self.learn_requested)
        self.try_device.clicked.connect(self.try_device_requested)
        # Second rank under the two choices: returning visitors look for it, newcomers need
        # not read it first.
        back_in = QHBoxLayout()
        back_in.setSpacing(24)
        self.have_code = QPushButton(page)
        self.have_code.setObjectName("haveCode")
        self.have_code.clicked.connect(self.code_requested)
        self._code_hint = label(page, "muted")
        self._code_hint.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        back_in.addWidget(self.have_code)
        back_in.addWidget(self._code_hint, 1)
        layout.addWidget(self._title)
        layout.addWidget(self._notice)
        layout.addStretch(1)
        layout.addLayout(choices)
        layout.addLayout(back_in)
        layout.addStretch(2)
        self.retranslate_ui()

    def show_apology(self, duration_ms: int) -> None:
        """Something went wrong behind the scenes; the visitor was brought back here."""
        _ = self._tr.gettext
        self._notice.setText(_("Sorry, something went wrong. You are back at the start."))
        self._notice.show()
        self._notice_timer.start(duration_ms)

    @property
    def notice_text(self) -> str:
        return self._notice.text() if not self._notice.isHidden() else ""

    def reset(self) -> None:
        self._notice_timer.stop()
        self._notice.hide()

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("What would you like to do?"))
        self.learn.set_texts(_("Learn something"), _("Short lessons at your own pace"))
        self.try_device.set_texts(
            _("Try a device"), _("Book a slot to try a tablet, a VR headset and more")
        )
        self.have_code.setText(_("I have a code"))
        self._code_hint.setText(_("Continue a course, or see or cancel your booking."))
        self.have_code.setAccessibleDescription(self._code_hint.text())
        if not self._notice.isHidden():
            self.show_apology(self._notice_timer.remainingTime())
