"""Visitor sessions: what one visitor's state is, and wiping all of it when they leave."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

log = logging.getLogger(__name__)
TEXT_SCALES: tuple[float, ...] = (1.0, 1.2, 1.45, 1.7)


class EndReason(Enum):
    """Why a session ended (kept for counts only, never tied to a person)."""

    IDLE = "idle"
    ENDED_BY_VISITOR = "ended_by_visitor"
    STAFF_LEFT = "staff_left"
    ERROR = "error"


class SessionStateStore(Protocol):
    """Where session-scoped rows live (the storage layer's session_state repository)."""

    def wipe(self, session_id: str) -> int: ...


@dataclass
class VisitorSession:
    """Everything the kiosk remembers about the person in front of it — only while they stay."""

    session_id: str
    language: str
    started_at: float
    text_scale_index: int = 0

    @property
    def text_scale(self) -> float:
        return TEXT_SCALES[self.text_scale_index]


@dataclass(frozen=True)
class EndedSession:
    """What is left after a wipe: enough to say goodbye in the right language, nothing more."""

    language: str
    duration_s: float
    reason: EndReason


class SessionService:
    """Starts visitor sessions and ends them by wiping every trace of the visitor."""

    def __init__(self, default_language: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._default_language = default_language
        self._clock = clock
        self._store: SessionStateStore | None = None
        self._current: VisitorSession | None = None
        self._wipe_hooks: list[Callable[[], None]] = []
        self._begin_listeners: list[Callable[[VisitorSession], None]] = []
        self._end_listeners: list[Callable[[EndedSession], None]] = []

    def attach_store(self, store: SessionStateStore) -> None:
        """The database arrives after the first frame; sessions started before are wiped too."""
        self._store = store

    def on_wipe(self, hook: Callable[[], None]) -> None:
        """Register something that holds visitor state in memory and must forget it."""
        self._wipe_hooks.append(hook)

    def on_begin(self, listener: Callable[[VisitorSession], None]) -> None:
        """Told when a session begins (for the usage counts: its language, nothing else)."""
        self._begin_listeners.append(listener)

    def on_end(self, listener: Callable[[EndedSession], None]) -> None:
        """Told after a session was wiped (for the usage counts: how long it lasted)."""
        self._end_listeners.append(listener)

    @property
    def current(self) -> VisitorSession | None:
        return self._current

    def begin(self, language: str | None = None) -> VisitorSession:
        """A visitor starts; any earlier session still open is wiped first."""
        if self._current is not None:
            self.end(EndReason.ENDED_BY_VISITOR)
        self._current = VisitorSession(
            # 128 random bits from the operating system, as secrets.token_hex(16) gives them
            # (secrets would load OpenSSL through hmac before the first frame: ~5 ms).
            session_id=os.urandom(16).hex(),
            language=language or self._default_language,
            started_at=self._clock(),
        )
        for listener in self._begin_listeners:
            listener(self._current)
        return self._current

    def end(self, reason: EndReason) -> EndedSession | None:
        """Wipe the session: its rows, every registered in-memory holder, then the object."""
        session = self._current
        if session is None:
            return None
        self._current = None
        if self._store is not None:
            try:
                self._store.wipe(session.session_id)
            except Exception:
                # The rows go at the next start, which wipes every leftover session.
                log.exception("session rows could not be wiped now")
        for hook in self._wipe_hooks:
            try:
                hook()
            except Exception as error:  # noqa: BLE001 - a wipe must not stop half-way
                # The other holders still forget the visitor. Only the kind of error: its
                # message could quote what the visitor typed.
                log.error("a session wipe step failed: %s", type(error).__name__)
        ended = EndedSession(session.language, self._clock() - session.started_at, reason)
        for listener in self._end_listeners:
            listener(ended)
        return ended
