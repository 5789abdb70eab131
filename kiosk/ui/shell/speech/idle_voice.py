"""The idle warning for visitors who listen: said aloud when it appears, and reading aloud counts
as someone being there.

A visitor in speech mode, or one who had the kiosk read to them during this visit, may not see
"Are you still there?": the overlay's own words are said in their language, with how to keep
the visit, and again shortly before the end. While anything is read aloud the idle wait does not
run (a long lesson step read slowly must not run the visit out underneath the listener); it
starts over when the reading ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from kiosk.core.i18n import N_, Translator
from kiosk.ui.shell.screens import Screen
from kiosk.ui.shell.speech.reader import ReadAloud
from kiosk.ui.shell.speech.reading import Utterance, describe

if TYPE_CHECKING:
    from kiosk.ui.shell.main_window import MainWindow

TAP_TWICE = N_("Tap twice to continue.")
TOUCH_TO_CONTINUE = N_("Touch the screen to continue.")
KEPT = N_("Your visit continues.")
# The seconds left are said once more at this point of the countdown (if it began above it).
REMINDER_S = 10
# A reading that never ends (an engine that stopped answering) must not keep a visit, and the
# visitor's data, for ever: after this long the idle wait runs again, reading or not.
LONGEST_HOLD_MS = 10 * 60 * 1000


class IdleVoice(QObject):
    """Says the idle warning of one window aloud and holds its idle wait while reading."""

    def __init__(
        self,
        window: MainWindow,
        reader: ReadAloud,
        translator: Translator,
        speech_mode_on: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._reader = reader
        self._tr = translator
        self._speech_mode_on = speech_mode_on
        self._listened = False  # the visitor had something read aloud during this visit
        self._warned = False  # the warning shown now was said aloud
        self._started_at = 0
        self._longest = QTimer(self)
        self._longest.setSingleShot(True)
        self._longest.setInterval(LONGEST_HOLD_MS)
        self._longest.timeout.connect(lambda: window.idle.hold(False))
        reader.started.connect(self._reading_started)
        reader.stopped.connect(self._reading_stopped)
        idle = window.idle
        idle.warning_started.connect(self._warning_started)
        idle.countdown_ticked.connect(self._ticked)
        idle.warning_cancelled.connect(self._cancelled)
        window.screen_changed.connect(self._screen_changed)

    @property
    def listened(self) -> bool:
        """True once something was read aloud to this visitor (the warning will be said)."""
        return self._listened

    def _reading_started(self) -> None:
        if not self._window.idle.warning:
            self._listened = True
        self._window.idle.hold(True)
        self._longest.start()

    def _reading_stopped(self) -> None:
        self._longest.stop()
        self._window.idle.hold(False)

    def _screen_changed(self, value: str) -> None:
        if Screen(value) is Screen.ATTRACT:
            self._listened = self._warned = False  # the next visitor starts afresh

    def _warning_started(self, seconds: int) -> None:
        speech_mode = self._speech_mode_on()
        if not (speech_mode or self._listened):
            return
        self._warned = True
        self._started_at = seconds
        overlay = self._window.overlay
        title = overlay.findChild(QLabel, "title")
        said = describe(title, self._tr.gettext) if title is not None else None
        how = TAP_TWICE if speech_mode else TOUCH_TO_CONTINUE
        utterances = [said] if said is not None else []
        utterances += [Utterance(self._tr.gettext(how)), Utterance(overlay.warning_text)]
        self._reader.read(utterances)

    def _ticked(self, seconds: int) -> None:
        if self._warned and seconds == REMINDER_S < self._started_at:
            self._reader.read([Utterance(self._window.overlay.warning_text)])

    def _cancelled(self) -> None:
        if self._warned:
            self._warned = False
            self._reader.read([Utterance(self._tr.gettext(KEPT))])
