"""Visitor sessions: begin, and end with every trace wiped."""

from __future__ import annotations

from kiosk.core.session import EndReason, SessionService


class RecordingStore:
    def __init__(self) -> None:
        self.wiped: list[str] = []

    def wipe(self, session_id: str) -> int:
        self.wiped.append(session_id)
        return 1


def test_end_wipes_rows_and_memory_and_reports_language_and_duration() -> None:
    now = [100.0]
    service = SessionService("de", clock=lambda: now[0])
    store = RecordingStore()
    service.attach_store(store)
    forgotten: list[bool] = []
    service.on_wipe(lambda: forgotten.append(True))
    session = service.begin("ar")
    now[0] = 160.0
    ended = service.end(EndReason.IDLE)
    assert ended is not None
    assert (ended.language, ended.duration_s, ended.reason) == ("ar", 60.0, EndReason.IDLE)
    assert store.wiped == [session.session_id]
    assert forgotten == [True]
    assert service.current is None
    assert service.end(EndReason.IDLE) is None


def test_each_session_gets_a_fresh_random_id() -> None:
    service = SessionService("de")
    first = service.begin().session_id
    second = service.begin().session_id  # begin() wipes the previous one first
    assert first != second
    assert len(first) == 32


def test_store_failure_still_wipes_memory() -> None:
    class BrokenStore:
        def wipe(self, session_id: str) -> int:
            raise OSError("disk gone")

    service = SessionService("de")
    service.attach_store(BrokenStore())
    forgotten: list[bool] = []
    service.on_wipe(lambda: forgotten.append(True))
    service.begin()
    service.end(EndReason.ENDED_BY_VISITOR)
    assert forgotten == [True]
    assert service.current is None
