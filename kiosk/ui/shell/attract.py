"""The attract screen: site name, a greeting in every language, touch to start in the language
shown, or hold anywhere to start with speech."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.i18n import N_, Translator, language
from kiosk.ui.parts.screen_base import ScreenBase, label, reading_direction
from kiosk.ui.shell.language_bar import LanguageBar
from kiosk.ui.shell.long_press import LogoButton

GREETING = N_("Welcome")
TOUCH_TO_START = N_("Touch the screen to start")
DATA_DELETED = N_("Your data has been deleted. Thank you for your visit!")
# A touch this soon after the greeting changed was meant for the greeting before: a hand on its
# way does not stop when the text under it changes.
CHANGE_GRACE_MS = 600
# A press held this long anywhere but on the logo asks for speech mode (the logo's own, longer
# hold opens the staff PIN pad).
SPEECH_HOLD_MS = 2000


class AttractScreen(ScreenBase):
    """Shown while nobody uses the kiosk; any touch starts a session."""

    start_requested = Signal(str)
    """A visitor touched the screen: the language they chose, or the one the greeting showed."""
    staff_gesture = Signal()
    """The logo was held long enough to open the staff PIN pad."""
    speech_requested = Signal()
    """A press anywhere but on the logo was held long enough to start speech mode."""
    speech_hint_due = Signal()
    """Time to say how speech mode starts: the screen was shown that long, and again since."""

    def __init__(
        self,
        translator: Translator,
        site_name: str,
        logo: QIcon,
        *,
        greeting_ms: int,
        hold_ms: int,
        speech_hint_ms: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, parent)
        self.setObjectName("attract")
        self._greeting_index = 0
        self._previous_index = 0
        self._since_change = QElapsedTimer()
        self._pressed_index = 0
        # A touch starts when the finger lifts: a held one is the speech-mode gesture instead.
        self._speech_hold = QTimer(self)
        self._speech_hold.setSingleShot(True)
        self._speech_hold.setInterval(SPEECH_HOLD_MS)
        self._speech_hold.timeout.connect(self.speech_requested)
        self._speech_hint = QTimer(self)
        self._speech_hint.setInterval(speech_hint_ms)  # 0: never
        self._speech_hint.timeout.connect(self.speech_hint_due)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 32)
        layout.setSpacing(16)
        self.logo = LogoButton(logo, 160, hold_ms, self)
        self.logo.long_pressed.connect(self.staff_gesture)
        self.logo.tapped.connect(self._start_in_shown_language)
        self._site = label(self, "title")
        self._site.setText(site_name)
        self._greeting = label(self, "greeting")
        self._touch = label(self, "touchToStart")
        self._notice = label(self, "notice")
        self._notice.hide()
        for widget in (self._site, self._greeting, self._touch, self._notice):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self._site)
        layout.addSpacing(24)
        layout.addWidget(self._greeting)
        layout.addWidget(self._touch)
        layout.addSpacing(16)
        # Centred by stretches, not by an alignment flag: only then does the layout give the
        # wrapped notice the height its text needs at its width.
        self._notice.setMaximumWidth(1000)
        notice_row = QHBoxLayout()
        notice_row.addStretch(1)
        notice_row.addWidget(self._notice, 100)
        notice_row.addStretch(1)
        layout.addLayout(notice_row)
        layout.addStretch(2)
        # Visitors who don't read the default language start straight in their own.
        bar = LanguageBar(translator.languages, translator.current.code, self, marks_current=False)
        bar.language_chosen.connect(self.start_requested)
        self.language_buttons = bar.buttons()
        layout.addWidget(bar)
        self._cycle = QTimer(self)
        self._cycle.setInterval(greeting_ms)
        self._cycle.timeout.connect(self.show_next_greeting)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._notice.hide)
        self._show_greeting()

    @property
    def greeting_text(self) -> str:
        return self._greeting.text()

    @property
    def shown_language(self) -> str:
        """The code of the language the greeting is in now."""
        return self._tr.languages[self._greeting_index].code

    @property
    def notice_text(self) -> str:
        """The farewell notice, '' when none is shown."""
        return self._notice.text() if not self._notice.isHidden() else ""

    def show_data_deleted(self, language_code: str, duration_ms: int) -> None:
        """Tell the visitor who just left, in their language, that their data is gone."""
        self._notice.setText(self._tr.gettext_in(language_code, DATA_DELETED))
        self._notice.setLayoutDirection(reading_direction(language(language_code).is_rtl))
        self._notice.show()
        self._notice_timer.start(duration_ms)

    def enter(self) -> None:
        self._greeting_index = self._previous_index = 0
        self._since_change.invalidate()
        self._show_greeting()
        self._cycle.start()
        if self._speech_hint.interval() > 0:
            self._speech_hint.start()

    @property
    def speech_hold_ms(self) -> int:
        """How long a press is held for speech mode."""
        return self._speech_hold.interval()

    def set_speech_hold_ms(self, hold_ms: int) -> None:
        self._speech_hold.setInterval(hold_ms)

    def leave(self) -> None:
        self._speech_hold.stop()
        self._speech_hint.stop()
        self._cycle.stop()
        self._notice_timer.stop()
        self._notice.hide()

    def show_next_greeting(self) -> None:
        """The greeting in the next language (the cycle's timer calls this)."""
        self._previous_index = self._greeting_index
        self._greeting_index = (self._greeting_index + 1) % len(self._tr.languages)
        self._since_change.start()
        self._show_greeting()

    def _start_in_shown_language(self) -> None:
        self.start_requested.emit(self._tr.languages[self._touched_index()].code)

    def _touched_index(self) -> int:
        index = self._greeting_index
        if self._since_change.isValid() and self._since_change.elapsed() < CHANGE_GRACE_MS:
            index = self._previous_index
        return index

    def _show_greeting(self) -> None:
        shown = self._tr.languages[self._greeting_index]
        direction = reading_direction(shown.is_rtl)
        self._greeting.setText(self._tr.gettext_in(shown.code, GREETING))
        self._touch.setText(self._tr.gettext_in(shown.code, TOUCH_TO_START))
        for widget in (self._greeting, self._touch):
            widget.setLayoutDirection(direction)
        self.setAccessibleName(self._greeting.text())
        self.logo.setAccessibleName(self._touch.text())  # a tap on it starts, as anywhere

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Reaches the screen only where no button took the press: the "anywhere" of "touch".
        event.accept()
        self._pressed_index = self._touched_index()  # the language shown when the hand arrived
        self._speech_hold.start()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()
        if self._speech_hold.isActive():  # lifted before the hold time: a plain touch
            self._speech_hold.stop()
            self.start_requested.emit(self._tr.languages[self._pressed_index].code)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._start_in_shown_language()
            return
        super().keyPressEvent(event)
