"""Visitor sessions: begin, and end with every trace wiped."""

from __future__ import annotations

import logging

import pytest

from kiosk.core.session import EndedSession, EndReason, SessionService, VisitorSession


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


def test_begin_uses_the_default_language_and_tells_its_listeners() -> None:
    service = SessionService("de")
    begun: list[VisitorSession] = []
    service.on_begin(begun.append)
    session = service.begin()
    assert session.language == "de"
    assert begun == [session]


def test_a_new_visitor_ends_the_session_left_open_by_the_last_one() -> None:
    service = SessionService("de")
    store = RecordingStore()
    service.attach_store(store)
    ended: list[EndedSession] = []
    service.on_end(ended.append)
    first = service.begin("uk")
    second = service.begin()
    assert store.wiped == [first.session_id]
    assert [(e.language, e.reason) for e in ended] == [("uk", EndReason.ENDED_BY_VISITOR)]
    assert service.current is second


def test_end_listeners_hear_what_end_returns() -> None:
    service = SessionService("de")
    ended: list[EndedSession] = []
    service.on_end(ended.append)
    service.begin()
    assert ended == [service.end(EndReason.IDLE)]


def test_a_session_before_the_database_arrives_ends_without_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = SessionService("de")
    service.begin()
    with caplog.at_level(logging.DEBUG, logger="kiosk.core.session"):
        assert service.end(EndReason.IDLE) is not None
    assert caplog.records == []


def test_a_failed_wipe_is_logged_for_the_operator(caplog: pytest.LogCaptureFixture) -> None:
    class BrokenStore:
        def wipe(self, session_id: str) -> int:
            raise OSError("disk gone")

    service = SessionService("de")
    service.attach_store(BrokenStore())
    service.begin()
    with caplog.at_level(logging.ERROR, logger="kiosk.core.session"):
        service.end(EndReason.IDLE)
    [record] = caplog.records
    assert record.getMessage() == "session rows could not be wiped now"
    assert record.exc_info is not None and isinstance(record.exc_info[1], OSError)


def test_a_failing_wipe_step_is_logged_by_its_kind_alone_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = SessionService("de")

    def broken() -> None:
        raise RuntimeError("Annegret typed K7P-MR3")  # what a visitor typed may be in it

    forgotten: list[str] = []
    service.on_wipe(broken)
    service.on_wipe(lambda: forgotten.append("second"))
    service.begin()
    with caplog.at_level(logging.ERROR, logger="kiosk.core.session"):
        assert service.end(EndReason.IDLE) is not None
    assert forgotten == ["second"]
    assert [r.getMessage() for r in caplog.records] == ["a session wipe step failed: RuntimeError"]
