"""Learning progress of a visitor session and resume codes, against a real temporary database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.progress import (
    CourseProgress,
    NoFreeCodeError,
    ProgressService,
)
from kiosk.core.resume_codes import (
    CodeProblem,
    RestoreStatus,
    format_code,
    generate_code,
)
from kiosk.core.session import EndReason, SessionService
from kiosk.storage.database import Storage

STEPS = ("what-is", "open-app", "need", "done")


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def scripted(*codes: str) -> Callable[[Sequence[str]], str]:
    """A random source that produces the given compact codes' first seven symbols in turn."""
    feed = iter("".join(code[:7] for code in codes))
    return lambda alphabet: next(feed)


A_CODE = generate_code(scripted("K7PMR3X"))  # K7PMR3XJ
B_CODE = generate_code(scripted("ACDEFGH"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_storage(data_dir: Path, clock: FakeClock) -> Iterator[Callable[[], Storage]]:
    opened: list[Storage] = []

    def _open() -> Storage:
        storage = Storage.open(data_dir, now=clock)
        opened.append(storage)
        return storage

    yield _open
    for storage in opened:
        storage.close()


@pytest.fixture
def storage(open_storage: Callable[[], Storage]) -> Storage:
    return open_storage()


def service_on(storage: Storage, clock: FakeClock, **kwargs: object) -> ProgressService:
    return ProgressService(storage.progress, storage.settings, clock=clock, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def service(storage: Storage, clock: FakeClock) -> ProgressService:
    return service_on(storage, clock)


def rows(storage: Storage, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{storage.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def learn_a_bit(service: ProgressService, clock: FakeClock) -> None:
    service.start_course("video-calls", 1, STEPS)
    clock.advance(minutes=1)
    service.visit_step("video-calls", "open-app")
    service.record_quiz("video-calls", "need", correct=False)
    clock.advance(minutes=1)
    service.start_course("phishing", 3, ("links", "sender", "end"))
    service.record_quiz("phishing", "sender", correct=True)
    service.visit_step("phishing", "end")
    service.complete("phishing")


# -- progress ---------------------------------------------------------------------------------


def test_a_new_session_has_no_progress(service: ProgressService) -> None:
    assert service.has_progress is False
    assert service.all_courses() == []
    assert service.progress_for("video-calls") is None
    assert service.current_code() is None


def test_steps_quizzes_and_completion_are_recorded(
    service: ProgressService, clock: FakeClock
) -> None:
    started = clock.now
    learn_a_bit(service, clock)

    (in_progress,) = service.courses_in_progress()
    assert in_progress == CourseProgress(
        course_id="video-calls",
        course_version=1,
        current_step="need",
        started_at=started,
        updated_at=started + timedelta(minutes=1),
        steps_seen=frozenset({"what-is", "open-app", "need"}),
        quiz_results={"need": False},
        completed=False,
    )
    (completed,) = service.completed_courses()
    assert completed.course_id == "phishing"
    assert completed.current_step == "end"
    assert completed.quiz_results == {"sender": True}
    assert completed.quizzes_right == 1
    assert [c.course_id for c in service.all_courses()] == ["phishing", "video-calls"]


def test_starting_again_resumes_where_the_visitor_left(
    service: ProgressService, clock: FakeClock
) -> None:
    service.start_course("video-calls", 1, STEPS)
    service.visit_step("video-calls", "need")

    resumed = service.start_course("video-calls", 1, STEPS)

    assert resumed.current_step == "need"
    assert resumed.steps_seen == {"what-is", "need"}


def test_a_new_course_version_keeps_the_steps_that_still_exist(
    service: ProgressService, clock: FakeClock
) -> None:
    service.start_course("video-calls", 1, STEPS)
    service.visit_step("video-calls", "open-app")
    service.record_quiz("video-calls", "need", correct=True)
    service.visit_step("video-calls", "open-app")

    # Version 2 dropped "need" and added "camera".
    moved = service.start_course("video-calls", 2, ("what-is", "camera", "open-app", "done"))

    assert moved.course_version == 2
    assert moved.steps_seen == {"what-is", "open-app"}
    assert moved.quiz_results == {}
    assert moved.current_step == "open-app"
    assert service.progress_for("video-calls") == moved


def test_a_new_version_without_the_current_step_continues_at_the_furthest_seen_one(
    service: ProgressService,
) -> None:
    service.start_course("video-calls", 1, STEPS)
    service.visit_step("video-calls", "open-app")
    service.visit_step("video-calls", "need")

    moved = service.start_course("video-calls", 2, ("camera", "open-app", "done"))
    assert moved.current_step == "open-app"

    fresh = service.start_course("video-calls", 3, ("brand-new", "all-new"))
    assert fresh.current_step == "brand-new"
    assert fresh.steps_seen == {"brand-new"}


def test_quiz_results_are_stored_as_right_or_wrong_only(
    service: ProgressService, storage: Storage
) -> None:
    service.start_course("phishing", 1, ("links", "sender"))
    service.record_quiz("phishing", "sender", correct=True)
    service.record_quiz("phishing", "links", correct=False)

    columns = {row[1]: row[2] for row in rows(storage, "PRAGMA table_info(step_progress)")}
    assert columns == {
        "progress_id": "TEXT",
        "course_id": "TEXT",
        "step_id": "TEXT",
        "quiz_correct": "INTEGER",
    }
    stored = rows(storage, "SELECT step_id, quiz_correct, typeof(quiz_correct) FROM step_progress")
    assert sorted(stored) == [("links", 0, "integer"), ("sender", 1, "integer")]
    with pytest.raises(TypeError, match="right or wrong"):
        service.record_quiz("phishing", "sender", correct="option b")  # type: ignore[arg-type]


def stored_bytes(data_dir: Path) -> dict[str, bytes]:
    """Every file the storage keeps: the database, its write-ahead log, every backup."""
    files = [*data_dir.glob("kiosk.sqlite3*"), *(data_dir / "backups").glob("*")]
    return {path.name: path.read_bytes() for path in files if path.is_file()}


def test_nothing_personal_is_stored(data_dir: Path, clock: FakeClock) -> None:
    """What identifies a visitor never reaches the disk with their progress: canary values (the
    session's id, and text the visitor typed, kept as session state while they stay) are
    searched in the stored bytes of the database, its WAL and the backups, not in column names.
    """
    storage = Storage.open(data_dir, now=clock)
    sessions = SessionService("de")
    sessions.attach_store(storage.session_state)
    service = service_on(storage, clock)
    sessions.on_wipe(service.forget)
    session = sessions.begin("uk")
    typed = "Oksana-Canary-7Q4Z"  # what a visitor might type (a search, a name)
    storage.session_state.put(session.session_id, "typed", typed)
    learn_a_bit(service, clock)
    code = service.take_resume_code()
    # The search finds the canary where it is stored (here, in the WAL while the visitor stays).
    assert any(typed.encode() in content for content in stored_bytes(data_dir).values())

    sessions.end(EndReason.IDLE)
    assert service.restore(code.code).status is RestoreStatus.RESTORED  # the progress stays
    storage.close()
    Storage.open(data_dir, now=clock).close()  # the next start, with its own backup

    canaries = {
        "typed text": typed.encode(),
        "session id": session.session_id.encode(),
        "session id (binary)": bytes.fromhex(session.session_id),
    }
    files = stored_bytes(data_dir)
    assert any(name.startswith("kiosk.sqlite3") for name in files)
    assert any(name.endswith(".sqlite3") and not name.startswith("kiosk.") for name in files)
    for name, content in files.items():
        for what, canary in canaries.items():
            assert canary not in content, f"{what} found in {name}"


def test_steps_of_a_course_not_started_are_refused(service: ProgressService) -> None:
    with pytest.raises(ValueError, match="not started"):
        service.visit_step("video-calls", "open-app")
    with pytest.raises(ValueError, match="no steps"):
        service.start_course("video-calls", 1, ())


# -- resume codes -----------------------------------------------------------------------------


def test_taking_a_code_twice_gives_the_same_code_valid_for_longer(
    service: ProgressService, clock: FakeClock
) -> None:
    service.start_course("video-calls", 1, STEPS)
    first = service.take_resume_code()
    clock.advance(hours=2)
    second = service.take_resume_code()

    assert second.compact == first.compact
    assert second.code == format_code(first.compact)
    assert first.expires_at == datetime(2026, 8, 29, 9, 30, tzinfo=UTC)  # 180 days
    assert second.expires_at == first.expires_at + timedelta(hours=2)
    assert service.current_code() == second


def test_code_validity_is_configurable(storage: Storage, clock: FakeClock) -> None:
    service = service_on(storage, clock, code_valid_days=30)
    assert service.take_resume_code().expires_at == clock.now + timedelta(days=30)
    with pytest.raises(ValueError, match="at least one day"):
        service_on(storage, clock, code_valid_days=0)


def test_a_taken_code_is_never_handed_out_again(storage: Storage, clock: FakeClock) -> None:
    first = service_on(storage, clock, choice=scripted(A_CODE))
    first.start_course("video-calls", 1, STEPS)
    assert first.take_resume_code().compact == A_CODE

    # The second session's random source comes up with the same code first.
    second = service_on(storage, clock, choice=scripted(A_CODE, B_CODE))
    second.start_course("phishing", 1, ("links",))

    assert second.take_resume_code().compact == B_CODE
    owners = [row[1] for row in rows(storage, "SELECT code, progress_id FROM resume_codes")]
    assert len(set(owners)) == 2


def test_gives_up_when_no_free_code_is_found(storage: Storage, clock: FakeClock) -> None:
    service_on(storage, clock, choice=scripted(A_CODE)).take_resume_code()
    always_a = service_on(storage, clock, choice=scripted(*[A_CODE] * 20))

    with pytest.raises(NoFreeCodeError):
        always_a.take_resume_code()


def test_restored_progress_equals_what_was_stored(
    open_storage: Callable[[], Storage], clock: FakeClock
) -> None:
    storage = open_storage()
    service = service_on(storage, clock)
    learn_a_bit(service, clock)
    before = service.all_courses()
    code = service.take_resume_code()
    service.forget()
    storage.close()

    # Another day, the terminal restarted: a fresh service on the reopened database.
    clock.advance(days=3)
    later = service_on(open_storage(), clock)
    result = later.restore(code.code.lower())

    assert result.status is RestoreStatus.RESTORED
    assert list(result.courses) == before
    assert later.all_courses() == before
    assert result.code is not None
    assert result.code.compact == code.compact
    assert result.code.expires_at == clock.now + timedelta(days=180)  # using it extends it
    assert later.take_resume_code().compact == code.compact


def test_after_forget_only_the_code_leads_back(
    service: ProgressService, storage: Storage, clock: FakeClock
) -> None:
    learn_a_bit(service, clock)
    code = service.take_resume_code()

    service.forget()

    assert service.has_progress is False
    assert service.all_courses() == []
    assert service.completed_courses() == []
    assert service.current_code() is None
    assert len(rows(storage, "SELECT id FROM progress")) == 1  # still there, for the code
    assert service.restore(code.code).status is RestoreStatus.RESTORED
    assert len(service.all_courses()) == 2


def test_forget_deletes_progress_nobody_took_a_code_for(
    service: ProgressService, storage: Storage, clock: FakeClock
) -> None:
    learn_a_bit(service, clock)

    service.forget()
    service.forget()  # twice is harmless

    for table in ("progress", "course_progress", "step_progress"):
        assert rows(storage, f"SELECT * FROM {table}") == []  # noqa: S608 - fixed names


def test_the_session_wipe_forgets_the_progress(
    service: ProgressService, storage: Storage, clock: FakeClock
) -> None:
    sessions = SessionService("de")
    sessions.attach_store(storage.session_state)
    sessions.on_wipe(service.forget)
    sessions.begin()
    learn_a_bit(service, clock)
    code = service.take_resume_code()

    sessions.end(EndReason.IDLE)

    assert service.has_progress is False
    sessions.begin()  # the next visitor
    assert service.all_courses() == []
    assert service.restore(code.code).restored


def test_forget_never_raises_even_when_the_database_is_gone(
    storage: Storage, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    service = service_on(storage, clock)
    service.start_course("video-calls", 1, STEPS)
    storage.close()

    service.forget()

    assert service.has_progress is False
    assert "could not be deleted" in caplog.text


def test_restoring_keeps_what_this_session_did_before(
    service: ProgressService, storage: Storage, clock: FakeClock
) -> None:
    earlier = service_on(storage, clock)
    earlier.start_course("video-calls", 1, STEPS)
    earlier.start_course("phishing", 1, ("links", "sender"))
    code = earlier.take_resume_code()
    earlier.forget()
    clock.advance(days=1)

    service.start_course("phishing", 1, ("links", "sender"))
    service.visit_step("phishing", "sender")  # more recent than the code's phishing progress
    service.start_course("smart-tv", 1, ("remote",))
    result = service.restore(code.code)

    assert result.restored
    by_id = {c.course_id: c for c in result.courses}
    assert set(by_id) == {"video-calls", "phishing", "smart-tv"}
    assert by_id["phishing"].current_step == "sender"
    assert len(rows(storage, "SELECT id FROM progress")) == 1  # the session's own was merged


def test_restoring_the_sessions_own_code_changes_nothing(service: ProgressService) -> None:
    service.start_course("video-calls", 1, STEPS)
    code = service.take_resume_code()
    before = service.all_courses()

    result = service.restore(code.code)

    assert result.restored
    assert service.all_courses() == before


@pytest.mark.parametrize("days", [179, 180])
def test_codes_expire(service: ProgressService, clock: FakeClock, days: int) -> None:
    service.start_course("video-calls", 1, STEPS)
    code = service.take_resume_code()
    service.forget()

    clock.advance(days=days)

    expected = RestoreStatus.RESTORED if days < 180 else RestoreStatus.EXPIRED
    assert service.restore(code.code).status is expected


def test_purge_deletes_expired_codes_and_their_progress(
    service: ProgressService, storage: Storage, clock: FakeClock
) -> None:
    learn_a_bit(service, clock)
    old = service.take_resume_code()
    service.forget()
    clock.advance(days=100)
    service.start_course("video-calls", 1, STEPS)
    recent = service.take_resume_code()
    service.forget()

    clock.advance(days=81)
    report = service.purge_expired()

    assert (report.codes, report.progress) == (1, 1)
    assert service.restore(old.code).status is RestoreStatus.UNKNOWN
    assert service.restore(recent.code).restored
    assert len(rows(storage, "SELECT * FROM course_progress")) == 1


def test_purge_takes_an_explicit_time(service: ProgressService, clock: FakeClock) -> None:
    service.start_course("video-calls", 1, STEPS)
    code = service.take_resume_code()
    service.forget()

    assert service.purge_expired(clock.now + timedelta(days=181)).codes == 1
    assert service.restore(code.code).status is RestoreStatus.UNKNOWN


def test_malformed_input_says_what_to_check_and_is_not_a_guess(
    service: ProgressService,
) -> None:
    for _ in range(10):
        result = service.restore("K7PM-R3XH")  # one symbol mistyped
        assert result.status is RestoreStatus.MALFORMED
        assert result.problem is CodeProblem.MISTYPED
    assert service.restore("K0PM").problem is CodeProblem.NOT_IN_CODES
    assert service.restore_wait_s() == 0.0


# -- throttle ---------------------------------------------------------------------------------


def test_unknown_codes_are_throttled_and_a_correct_code_works_after_the_wait(
    storage: Storage, clock: FakeClock
) -> None:
    owner = service_on(storage, clock, choice=scripted(A_CODE))
    owner.start_course("video-calls", 1, STEPS)
    owner.take_resume_code()
    owner.forget()
    service = service_on(storage, clock)

    results = [service.restore(format_code(B_CODE)) for _ in range(3)]
    assert [r.status for r in results] == [RestoreStatus.UNKNOWN] * 3
    assert [r.retry_after_s for r in results] == [0.0, 0.0, 15.0]

    throttled = service.restore(format_code(A_CODE))  # right code, but too soon
    assert throttled.status is RestoreStatus.THROTTLED
    assert throttled.retry_after_s == 15.0
    clock.advance(seconds=10)
    assert service.restore_wait_s() == 5.0

    clock.advance(seconds=5)
    assert service.restore(format_code(A_CODE)).restored


def test_the_wait_grows_and_survives_a_restart(
    open_storage: Callable[[], Storage], clock: FakeClock
) -> None:
    storage = open_storage()
    service = service_on(storage, clock)
    waits = []
    for _ in range(5):
        clock.advance(seconds=service.restore_wait_s())
        waits.append(service.restore(format_code(B_CODE)).retry_after_s)
    assert waits == [0.0, 0.0, 15.0, 30.0, 30.0]
    storage.close()

    clock.advance(seconds=20)
    restarted = service_on(open_storage(), clock)

    assert restarted.restore_wait_s() == 10.0
    assert restarted.restore(format_code(A_CODE)).status is RestoreStatus.THROTTLED
    clock.advance(seconds=10)
    assert restarted.restore(format_code(B_CODE)).retry_after_s == 30.0


def test_expired_codes_do_not_count_as_guesses(service: ProgressService, clock: FakeClock) -> None:
    service.start_course("video-calls", 1, STEPS)
    code = service.take_resume_code()
    service.forget()
    clock.advance(days=200)

    for _ in range(5):
        assert service.restore(code.code).status is RestoreStatus.EXPIRED
    assert service.restore_wait_s() == 0.0
