"""The one way the UI runs slow work (a call to the hub) off the UI thread.

``run_in_background(owner, work, done)`` runs ``work()`` on Qt's global thread pool and calls
``done(result)`` on the UI thread afterwards, unless ``owner`` is gone by then. Work gets plain
data, never widgets; an exception in ``work`` is logged and ``done`` receives None.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Delivery(QObject):
    """Lives on the UI thread; its signal carries the result across (a queued connection)."""

    finished = Signal(object)
    """The work returned (or failed: None)."""


class _Task(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[], T], delivery: _Delivery) -> None:
        super().__init__()
        self._work = work
        self._delivery = delivery

    def run(self) -> None:
        try:
            result: T | None = self._work()
        except Exception:
            log.exception("background work failed")
            result = None
        # RuntimeError: the owner (and with it the delivery object) was deleted meanwhile.
        with contextlib.suppress(RuntimeError):
            self._delivery.finished.emit(result)


def run_in_background(
    owner: QObject,
    work: Callable[[], T],
    done: Callable[[T | None], None],
    *,
    pool: QThreadPool | None = None,
) -> None:
    """`pool`: a pool of its own for work that may take long (drawing pictures), so that it
    never holds up the hub calls on the global pool."""
    delivery = _Delivery(owner)

    def deliver(result: object) -> None:
        delivery.deleteLater()
        done(result)  # type: ignore[arg-type]

    # Queued: ``done`` runs on the UI thread, in the event loop, after the work.
    delivery.finished.connect(deliver, Qt.ConnectionType.QueuedConnection)
    (pool or QThreadPool.globalInstance()).start(_Task(work, delivery))
