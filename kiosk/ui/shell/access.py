"""The visitor's access settings, wired once: reading aloud (voice, reader, speed, volume) and high
contrast, all ended or reset by navigation, a language switch and the wipe."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from kiosk.core.i18n import Language, Translator
from kiosk.core.session import SessionService
from kiosk.speech import SpeechBackend, load_backend
from kiosk.speech.engine import VOLUME_LEVELS
from kiosk.ui.shell import wipe
from kiosk.ui.shell.contrast import Contrast
from kiosk.ui.shell.header import VisitorHeader
from kiosk.ui.shell.speech.explore import SpeechMode
from kiosk.ui.shell.speech.reader import ReadAloud
from kiosk.ui.shell.speech.reading import Utterance, screen_utterances
from kiosk.ui.shell.speech.voice import Voice

if TYPE_CHECKING:
    from kiosk.ui.shell.main_window import MainWindow
    from kiosk.ui.shell.visitor_chrome import VisitorChrome

log = logging.getLogger(__name__)

BackendFactory = Callable[[], SpeechBackend | None]


class VisitorAccess(QObject):
    """Owns the voice, the reader and the contrast switch, and answers the header's buttons."""

    def __init__(
        self,
        window: MainWindow,
        chrome: VisitorChrome,
        sessions: SessionService,
        translator: Translator,
        backend_factory: BackendFactory | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tr = translator
        # The engine itself loads on the first "Read aloud", never before the first frame.
        self.voice = Voice(self, backend_factory or load_backend)
        self.reader = ReadAloud(self.voice, translator, self)
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise RuntimeError("the kiosk needs a QApplication")
        self.contrast = Contrast(app, self)
        self.speech_mode = SpeechMode(window, self.voice, self.reader, translator)
        self._header: VisitorHeader | None = None
        # Reading is about the screen shown, in the language chosen: a new one of either ends it.
        window.screen_changed.connect(self._screen_changed)
        translator.on_change(self._language_changed)
        sessions.on_wipe(self.forget_visitor)
        chrome.header_built.connect(self._wire_header)
        if chrome.built_header is not None:
            self._wire_header(chrome.built_header)

    def _wire_header(self, header: VisitorHeader) -> None:
        self._header = header
        header.read_aloud_requested.connect(self.read_aloud_tapped)
        header.slower_toggled.connect(self.voice.set_slow)
        header.volume_requested.connect(self.next_volume)
        header.contrast_toggled.connect(self.contrast.set_high)
        self.reader.started.connect(lambda: header.set_reading(True))
        self.reader.stopped.connect(lambda: header.set_reading(False))
        self.reader.unavailable.connect(header.show_speech_notice)
        self.contrast.changed.connect(header.set_high_contrast)

    def screen_utterances(self) -> list[Utterance]:
        """What the screen shown now says, in reading order, in the visitor's language."""
        screen = self._window.stack.currentWidget()
        return screen_utterances(screen, self._tr.gettext) if screen is not None else []

    def read_aloud_tapped(self) -> None:
        """ "Read aloud" reads the screen shown; "Stop reading" stops."""
        if self.reader.reading:
            self.reader.stop()
            return
        self.reader.read(self.screen_utterances())

    def next_volume(self) -> None:
        """The next volume level; after the loudest, the quietest."""
        index = (self.voice.volume_index + 1) % len(VOLUME_LEVELS)
        self.voice.set_volume_index(index)
        if self._header is not None:
            self._header.set_volume_index(index)

    def _screen_changed(self, _screen: str) -> None:
        self.reader.stop()

    def _language_changed(self, _language: Language) -> None:
        self.reader.stop()

    def forget_visitor(self) -> None:
        """The wipe: silent, normal speed, default volume, normal contrast."""
        header = self._header
        wipe.run_every_step(
            ("reading", self.reader.stop),
            ("speech mode", self.speech_mode.stop),
            ("voice", self.voice.reset),
            ("contrast", lambda: self.contrast.set_high(False)),
            ("header", lambda: header.reset_access() if header is not None else None),
        )
