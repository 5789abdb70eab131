"""Speech mode for visitors who cannot see the screen: how the attract screen says the way in,
starting and ending the mode, and what it says on its own (a new screen's title).

The way in: while nobody is at the kiosk, the attract screen says quietly, every so often, in the
site's default language and then in English, that holding a finger anywhere on the screen for
two seconds (or pressing F1) starts speech mode. The mode starts a visitor session in the
language of the hint the visitor heard (or of the language button held), and touch exploration
(kiosk.ui.shell.speech.touch) takes over the window until the session ends. F1 also turns it on
and off during a session. The idle warning is said aloud (kiosk.ui.shell.speech.idle_voice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from kiosk.core.i18n import N_, Language, Translator
from kiosk.speech.engine import DEFAULT_VOLUME_INDEX
from kiosk.ui.parts.screen_base import label
from kiosk.ui.shell.screens import STAFF_SCREENS, VISITOR_SCREENS, Screen
from kiosk.ui.shell.speech.idle_voice import IdleVoice
from kiosk.ui.shell.speech.language_hold import LanguageHold
from kiosk.ui.shell.speech.reader import ReadAloud
from kiosk.ui.shell.speech.reading import Utterance, screen_utterances
from kiosk.ui.shell.speech.touch import TouchExplorer
from kiosk.ui.shell.speech.voice import Voice

if TYPE_CHECKING:
    from kiosk.ui.shell.attract import AttractScreen
    from kiosk.ui.shell.main_window import MainWindow

HINT = N_("For speech, hold a finger anywhere on the screen for two seconds, or press the F1 key.")
STARTED = N_("Speech mode is on. Touch the screen to hear what is there; tap twice to choose it.")
ENDED = N_("Speech mode is off.")
BANNER = N_("Speech mode is on: touch to hear, tap twice to choose.")
# The hints are said at the lowest volume: they are for someone standing at the kiosk, and a
# shop or a library hears them all day.
HINT_VOLUME_INDEX = 0
HINT_PAUSE_MS = 1500  # between the hint in one language and the next
# A hold that began this soon after the next language's hint started was meant for the one before.
HINT_GRACE_MS = 600


class SpeechMode(QObject):
    """Speech mode of one window: its way in on the attract screen, its start and its end."""

    changed = Signal(bool)
    """Speech mode was turned on (True) or off (False)."""

    def __init__(
        self,
        window: MainWindow,
        voice: Voice,
        reader: ReadAloud,
        translator: Translator,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._voice = voice
        self._reader = reader
        self._tr = translator
        self._active = False
        self._banner: QLabel | None = None
        self._explorer = TouchExplorer(
            window,
            say=reader.read,
            translator=translator,
            passes=lambda _widget: self._staff_at_work(),
            activity=window.idle.activity,
            warning=lambda: window.idle.warning,
            parent=self,
        )
        window.idle.warning_cancelled.connect(self._explorer.visit_kept)
        self._idle_voice = IdleVoice(window, reader, translator, lambda: self._active, self)
        self._clock = QElapsedTimer()
        self._clock.start()
        self._heard: list[tuple[int, str]] = []  # (when it began, language) of this round's hints
        self._hint_queue: list[str] = []
        self._hint_pause = QTimer(self)
        self._hint_pause.setSingleShot(True)
        self._hint_pause.setInterval(HINT_PAUSE_MS)
        self._hint_pause.timeout.connect(self._next_hint)
        voice.finished.connect(self._hint_said)
        voice.unavailable.connect(lambda _reason: self._hint_said())  # no voice: the next one
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_F1), window)
        shortcut.activated.connect(self._key_pressed)
        self._attract: AttractScreen | None = None
        self._language_hold: LanguageHold | None = None
        self._watch_attract()
        window.screen_changed.connect(self._screen_changed)
        translator.on_change(self._language_changed)

    @property
    def active(self) -> bool:
        return self._active

    @property
    def explorer(self) -> TouchExplorer:
        """The touch exploration that runs while the mode is on."""
        return self._explorer

    @property
    def banner(self) -> QLabel | None:
        """The line under the header that says the mode is on (built when first needed)."""
        return self._banner

    @property
    def hinting(self) -> bool:
        """True while the attract screen's hint is being said."""
        return bool(self._hint_queue) or self._hint_pause.isActive()

    # -- on and off ----------------------------------------------------------------------------

    def start(self, language_code: str = "") -> None:
        """Turn speech mode on; on the attract screen this starts the visitor session, in
        `language_code` or the language of the hint said last."""
        if self._active:
            return
        window = self._window
        if window.current_screen is Screen.ATTRACT:
            code = language_code or self._hint_language(self._clock.elapsed())
            self._end_hints()
            window.start_session(code)
        elif window.current_screen not in VISITOR_SCREENS:
            return  # staff's screens: nothing to explore
        self._end_hints()
        self._voice.set_volume_index(DEFAULT_VOLUME_INDEX)
        self._active = True
        self._explorer.install()
        self._show_banner(True)
        _ = self._tr.gettext
        screen = window.screen_widget(window.current_screen)
        self._reader.read([Utterance(_(STARTED)), *screen_utterances(screen, _)])
        self.changed.emit(True)

    def stop(self) -> None:
        """Turn speech mode off (the wipe does this at the end of every session)."""
        if not self._active:
            return
        self._active = False
        self._explorer.remove()
        self._show_banner(False)
        self.changed.emit(False)

    def _key_pressed(self) -> None:
        if self._active:
            self.stop()
            self._reader.read([Utterance(self._tr.gettext(ENDED))])
        else:
            self.start()

    def _watch_attract(self) -> None:
        # Again after each wipe: a screen whose reset failed is built afresh.
        attract = self._window.attract
        if attract is not self._attract:
            self._attract = attract
            attract.speech_requested.connect(self._held_on_attract)
            attract.speech_hint_due.connect(self.say_hints)
            if self._language_hold is not None:
                self._language_hold.deleteLater()
            hold = LanguageHold(attract.language_buttons, lambda: attract.speech_hold_ms, self)
            hold.held.connect(self.start)
            self._language_hold = hold

    def _held_on_attract(self) -> None:
        held_since = self._clock.elapsed() - self._window.attract.speech_hold_ms
        self.start(self._hint_language(held_since))

    def _staff_at_work(self) -> bool:
        # The PIN pad and staff's own screens take touches as usual.
        window = self._window
        return window.staff_active or window.current_screen not in VISITOR_SCREENS

    # -- what it says on its own ---------------------------------------------------------------

    def _screen_changed(self, value: str) -> None:
        screen = Screen(value)
        if screen is Screen.ATTRACT:
            self.stop()  # the session ended
            self._watch_attract()
            return
        self._end_hints()
        if screen in STAFF_SCREENS:
            self.stop()
        elif self._active and screen in VISITOR_SCREENS:
            # After the navigation's own handlers, which stop any reading.
            QTimer.singleShot(0, self._say_title)

    def _language_changed(self, _language: Language) -> None:
        if self._banner is not None:
            self._banner.setText(self._tr.gettext(BANNER))
        if self._active:
            QTimer.singleShot(0, self._say_title)

    def _say_title(self) -> None:
        window = self._window
        if not self._active or window.current_screen not in VISITOR_SCREENS:
            return
        said = screen_utterances(window.screen_widget(window.current_screen), self._tr.gettext)
        titles = [u for u in said if u.widget is not None and u.widget.objectName() == "title"]
        if titles or said:
            self._reader.read([(titles or said)[0]])

    # -- the hint on the attract screen --------------------------------------------------------

    def hint_languages(self) -> list[str]:
        """The languages the hint is said in: the site's default, then English if offered."""
        codes = [self._tr.default.code]
        if "en" in {language.code for language in self._tr.languages} and "en" not in codes:
            codes.append("en")
        return codes

    def say_hints(self) -> None:
        """Say quietly, in each hint language in turn, how speech mode starts (the attract
        screen asks for it every [session] speech_hint_s)."""
        if self.hinting or self._window.current_screen is not Screen.ATTRACT or self._night_shown():
            return
        self._heard = []
        self._hint_queue = self.hint_languages()
        self._voice.set_volume_index(HINT_VOLUME_INDEX)
        self._next_hint()

    def _next_hint(self) -> None:
        if not self._hint_queue:
            return
        code = self._hint_queue[0]
        self._heard.append((self._clock.elapsed(), code))
        self._voice.say(self._tr.gettext_in(code, HINT), code)

    def _hint_said(self) -> None:
        if not self._hint_queue or self._hint_pause.isActive():
            return
        self._hint_queue.pop(0)
        if self._hint_queue:
            self._hint_pause.start()
        else:
            self._voice.set_volume_index(DEFAULT_VOLUME_INDEX)

    def _end_hints(self) -> None:
        """Silence the hint (a visitor is here)."""
        self._hint_pause.stop()
        if self._hint_queue:
            self._hint_queue = []
            self._voice.stop()
            self._voice.set_volume_index(DEFAULT_VOLUME_INDEX)

    def _hint_language(self, since_ms: int) -> str:
        """The language of the hint being said (or said last) when a hold began at `since_ms`."""
        heard = [code for began, code in self._heard if began + HINT_GRACE_MS <= since_ms]
        return heard[-1] if heard else self.hint_languages()[0]

    def _night_shown(self) -> bool:
        night = self._window.findChild(QWidget, "nightScreen")
        return night is not None and night.isVisible()

    # -- the banner under the header -----------------------------------------------------------

    def _show_banner(self, shown: bool) -> None:
        if self._banner is None:
            if not shown:
                return
            central = self._window.centralWidget()
            column = central.layout() if central is not None else None
            if central is None or not isinstance(column, QBoxLayout):
                return
            banner = label(central, "notice")  # the look of the screens' own notices
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.insertWidget(column.indexOf(self._window.header) + 1, banner)
            self._banner = banner
        self._banner.setText(self._tr.gettext(BANNER))
        self._banner.setVisible(shown)
