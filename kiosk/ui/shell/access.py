"""The visitor's access settings, wired once: reading aloud (voice, reader, speed, volume) and high
contrast, all ended or reset by navigation, a language switch and the wipe.

The speech parts (voice, reader, speech mode) are built after the first frame, or earlier when
something asks for them: their modules and the Qt text classes they use cost the first frame
some 12 ms. The speech engine itself loads on the first thing said (kiosk.speech.load_backend).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
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

if TYPE_CHECKING:
    from kiosk.ui.shell.main_window import MainWindow
    from kiosk.ui.shell.speech.explore import SpeechMode
    from kiosk.ui.shell.speech.reader import ReadAloud
    from kiosk.ui.shell.speech.reading import Utterance
    from kiosk.ui.shell.speech.voice import Voice
    from kiosk.ui.shell.visitor_chrome import VisitorChrome

log = logging.getLogger(__name__)

BackendFactory = Callable[[], SpeechBackend | None]


@dataclass(frozen=True)
class _Speech:
    voice: Voice
    reader: ReadAloud
    mode: SpeechMode


class VisitorAccess(QObject):
    """Owns the voice, the reader, speech mode and the contrast switch, and answers the header's
    buttons."""

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
        self._backend_factory = backend_factory or load_backend
        self._speech: _Speech | None = None
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise RuntimeError("the kiosk needs a QApplication")
        self.contrast = Contrast(app, self)
        self._header: VisitorHeader | None = None
        # Reading is about the screen shown, in the language chosen: a new one of either ends it.
        window.screen_changed.connect(self._screen_changed)
        translator.on_change(self._language_changed)
        sessions.on_wipe(self.forget_visitor)
        chrome.header_built.connect(self._wire_header)
        if chrome.built_header is not None:
            self._wire_header(chrome.built_header)

    def build_speech(self) -> None:
        """Build the voice, the reader and speech mode (once); the composition root calls this
        on the loop turn after the first frame."""
        self._built_speech()

    def _built_speech(self) -> _Speech:
        if self._speech is None:
            # Imported here, not on top: see the module's docstring.
            from kiosk.ui.shell.speech.explore import SpeechMode
            from kiosk.ui.shell.speech.reader import ReadAloud
            from kiosk.ui.shell.speech.voice import Voice

            voice = Voice(self, self._backend_factory)
            reader = ReadAloud(voice, self._tr, self)
            mode = SpeechMode(self._window, voice, reader, self._tr)
            self._speech = _Speech(voice, reader, mode)
            if self._header is not None:
                self._wire_reader(self._header, reader)
        return self._speech

    @property
    def speech_built(self) -> bool:
        """True once the speech parts exist (after the first frame, or when first asked for)."""
        return self._speech is not None

    @property
    def voice(self) -> Voice:
        return self._built_speech().voice

    @property
    def reader(self) -> ReadAloud:
        return self._built_speech().reader

    @property
    def speech_mode(self) -> SpeechMode:
        return self._built_speech().mode

    def _wire_header(self, header: VisitorHeader) -> None:
        self._header = header
        header.read_aloud_requested.connect(self.read_aloud_tapped)
        header.slower_toggled.connect(lambda on: self.voice.set_slow(on))
        header.volume_requested.connect(self.next_volume)
        header.contrast_toggled.connect(self.contrast.set_high)
        self.contrast.changed.connect(header.set_high_contrast)
        if self._speech is not None:
            self._wire_reader(header, self._speech.reader)

    def _wire_reader(self, header: VisitorHeader, reader: ReadAloud) -> None:
        reader.started.connect(lambda: header.set_reading(True))
        reader.stopped.connect(lambda: header.set_reading(False))
        reader.unavailable.connect(header.show_speech_notice)

    def screen_utterances(self) -> list[Utterance]:
        """What the screen shown now says, in reading order, in the visitor's language."""
        from kiosk.ui.shell.speech.reading import screen_utterances  # see the module's docstring

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
        if self._speech is not None:  # nothing is read before the speech parts exist
            self._speech.reader.stop()

    def _language_changed(self, _language: Language) -> None:
        if self._speech is not None:
            self._speech.reader.stop()

    def forget_visitor(self) -> None:
        """The wipe: silent, normal speed, default volume, normal contrast."""
        header = self._header
        speech = self._speech  # not built yet: nothing was said, nothing to reset
        wipe.run_every_step(
            *(
                ()
                if speech is None
                else (
                    ("reading", speech.reader.stop),
                    ("speech mode", speech.mode.stop),
                    ("voice", speech.voice.reset),
                )
            ),
            ("contrast", lambda: self.contrast.set_high(False)),
            ("header", lambda: header.reset_access() if header is not None else None),
        )
