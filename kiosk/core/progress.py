"""Anonymous, step-level learning progress of one visitor session, and getting it back later.

A session's progress lives in a record with a random id. Only this service's memory knows the
id while the visitor is there; when the session is wiped (``forget``, a SessionService wipe
hook) the id is dropped, and the record can only be found again through the resume code the
visitor took. A record without a code is deleted then. Nothing in a record names a person, and a
quiz keeps only whether it was answered right or wrong, never the option chosen.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from kiosk.core.resume_codes import (
    MAX_WAIT_S,
    CodeProblem,
    CodeThrottle,
    RestoreStatus,
    ResumeCode,
    ThrottleStore,
    code_problem,
    generate_code,
    normalise_code,
    utc_now,
)

log = logging.getLogger(__name__)

DEFAULT_CODE_VALID_DAYS = 180
# A record without a code that has not changed for this long was left behind (a power cut ended
# the session before its wipe ran); no session lasts this long.
UNCODED_KEPT = timedelta(days=1)
_MAX_CODE_TRIES = 20


@dataclass(frozen=True)
class CourseProgress:
    """How far a visitor got in one course: steps seen, where they are, quiz right/wrong."""

    course_id: str
    course_version: int
    current_step: str
    started_at: datetime
    updated_at: datetime
    steps_seen: frozenset[str] = frozenset()
    quiz_results: Mapping[str, bool] = field(default_factory=dict)
    completed: bool = False

    @property
    def quizzes_right(self) -> int:
        return sum(1 for right in self.quiz_results.values() if right)


class CourseRecord(Protocol):
    """One course as the store gives it back (read-only attributes)."""

    @property
    def course_id(self) -> str: ...
    @property
    def course_version(self) -> int: ...
    @property
    def current_step(self) -> str: ...
    @property
    def steps_seen(self) -> AbstractSet[str]: ...
    @property
    def quiz_results(self) -> Mapping[str, bool]: ...
    @property
    def completed(self) -> bool: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...


class CodeRecord(Protocol):
    """A stored resume code (compact form) and the record it leads to."""

    @property
    def code(self) -> str: ...
    @property
    def progress_id(self) -> str: ...
    @property
    def expires_at(self) -> datetime: ...


class PurgeCounts(Protocol):
    @property
    def codes(self) -> int: ...
    @property
    def progress(self) -> int: ...


class ProgressStore(Protocol):
    """Where progress records and codes live (kiosk.storage's ProgressRepository)."""

    def ensure(self, progress_id: str, now: datetime) -> None: ...
    def courses(self, progress_id: str) -> Sequence[CourseRecord]: ...
    def save_courses(
        self, progress_id: str, courses: Iterable[CourseProgress], now: datetime
    ) -> None: ...
    def delete_if_uncoded(self, progress_id: str) -> bool: ...
    def code_of(self, progress_id: str) -> CodeRecord | None: ...
    def find_code(self, code: str) -> CodeRecord | None: ...
    def add_code(
        self, code: str, progress_id: str, *, created_at: datetime, expires_at: datetime
    ) -> bool: ...
    def add_pooled_code(
        self, progress_id: str, *, created_at: datetime, expires_at: datetime
    ) -> str | None: ...
    def extend_code(self, code: str, expires_at: datetime) -> None: ...
    def purge_expired(self, now: datetime, *, uncoded_before: datetime) -> PurgeCounts: ...
    def merge_snapshot(self, record: Mapping[str, Any]) -> bool: ...


class HubAnswer(Protocol):
    """What the hub said about a code taken elsewhere (kiosk.sync.client's LookupAnswer)."""

    @property
    def status(self) -> str: ...  # found, unknown, expired, throttled
    @property
    def record(self) -> Mapping[str, Any] | None: ...
    @property
    def retry_after_s(self) -> float: ...


@dataclass(frozen=True)
class RestoreResult:
    """The outcome of typing in a resume code."""

    status: RestoreStatus
    code: ResumeCode | None = None  # RESTORED: the code, now valid for longer
    courses: tuple[CourseProgress, ...] = ()  # RESTORED: the progress that is back
    retry_after_s: float = 0.0  # THROTTLED, or UNKNOWN that made the next try wait
    problem: CodeProblem | None = None  # MALFORMED: what to check
    compact: str = ""  # ELSEWHERE: the well-formed code to ask the hub for

    @property
    def restored(self) -> bool:
        return self.status is RestoreStatus.RESTORED


class NoFreeCodeError(RuntimeError):
    """No unused resume code was found in many tries (the code space is nearly full)."""


def new_record_id() -> str:
    return secrets.token_hex(16)


def _as_progress(record: CourseRecord) -> CourseProgress:
    return CourseProgress(
        course_id=record.course_id,
        course_version=record.course_version,
        current_step=record.current_step,
        started_at=record.started_at,
        updated_at=record.updated_at,
        steps_seen=frozenset(record.steps_seen),
        quiz_results=dict(record.quiz_results),
        completed=record.completed,
    )


def _carried_over(
    old: CourseProgress, version: int, step_ids: Sequence[str], now: datetime
) -> CourseProgress:
    """``old`` moved to a new course version: only steps whose ids still exist are kept."""
    still_there = set(step_ids)
    seen = old.steps_seen & still_there
    if old.current_step in still_there:
        current = old.current_step
    else:
        # The furthest step still there that the visitor has seen, else the beginning.
        current = next((s for s in reversed(step_ids) if s in seen), step_ids[0])
    return dataclasses.replace(
        old,
        course_version=version,
        current_step=current,
        steps_seen=seen | {current},
        quiz_results={s: r for s, r in old.quiz_results.items() if s in still_there},
        updated_at=now,
    )


class ProgressService:
    """The progress of the visitor in front of the kiosk, and their resume code.

    Build one per terminal once the database is open, and register ``forget`` as a wipe hook
    of the SessionService. Storage failures surface as kiosk.storage's StorageError subclasses
    (each write is one transaction, so nothing is half-written); only ``forget`` never raises.
    """

    def __init__(
        self,
        store: ProgressStore,
        settings: ThrottleStore,
        *,
        clock: Callable[[], datetime] = utc_now,
        code_valid_days: int = DEFAULT_CODE_VALID_DAYS,
        choice: Callable[[Sequence[str]], str] = secrets.choice,
        new_id: Callable[[], str] = new_record_id,
        ask_hub: bool = False,
    ) -> None:
        if code_valid_days < 1:
            raise ValueError("resume codes must be valid for at least one day")
        self._store = store
        self._clock = clock
        self._code_lifetime = timedelta(days=code_valid_days)
        self._choice = choice
        self._new_id = new_id
        self._progress_id: str | None = None
        self._ask_hub = ask_hub
        self.throttle = CodeThrottle(settings, clock=clock)

    # -- progress ------------------------------------------------------------------------------

    @property
    def has_progress(self) -> bool:
        """Whether this session has a progress record (started a course or took a code)."""
        return self._progress_id is not None

    def all_courses(self) -> list[CourseProgress]:
        """Every course of this session, most recently used first."""
        if self._progress_id is None:
            return []
        return [_as_progress(record) for record in self._store.courses(self._progress_id)]

    def progress_for(self, course_id: str) -> CourseProgress | None:
        return next((c for c in self.all_courses() if c.course_id == course_id), None)

    def courses_in_progress(self) -> list[CourseProgress]:
        """Started and not completed, most recently used first."""
        return [course for course in self.all_courses() if not course.completed]

    def completed_courses(self) -> list[CourseProgress]:
        return [course for course in self.all_courses() if course.completed]

    def start_course(self, course_id: str, version: int, step_ids: Sequence[str]) -> CourseProgress:
        """Start a course, or resume it where the visitor left it; returns where to continue.

        ``step_ids`` are the course's steps in order, as the course is now. If the stored
        progress is of another version, steps whose ids no longer exist are dropped.
        """
        if not step_ids:
            raise ValueError(f"course {course_id!r} has no steps")
        existing = self.progress_for(course_id)
        if existing is not None and existing.course_version == version:
            return existing
        now = self._clock()
        if existing is None:
            course = CourseProgress(
                course_id=course_id,
                course_version=version,
                current_step=step_ids[0],
                started_at=now,
                updated_at=now,
                steps_seen=frozenset({step_ids[0]}),
            )
        else:
            course = _carried_over(existing, version, step_ids, now)
        self._save(course, now)
        return course

    def visit_step(self, course_id: str, step_id: str) -> CourseProgress:
        """The visitor is now on ``step_id``."""
        return self._change(
            course_id,
            lambda c: dataclasses.replace(
                c, current_step=step_id, steps_seen=c.steps_seen | {step_id}
            ),
        )

    def record_quiz(self, course_id: str, step_id: str, correct: bool) -> CourseProgress:
        """Keep whether the quiz on ``step_id`` was answered right; a new answer replaces it."""
        if not isinstance(correct, bool):
            raise TypeError("a quiz result is only right or wrong (a bool)")
        return self._change(
            course_id,
            lambda c: dataclasses.replace(
                c,
                current_step=step_id,
                steps_seen=c.steps_seen | {step_id},
                quiz_results={**c.quiz_results, step_id: correct},
            ),
        )

    def complete(self, course_id: str) -> CourseProgress:
        """The visitor finished the course (its steps and quiz results stay)."""
        return self._change(course_id, lambda c: dataclasses.replace(c, completed=True))

    def _change(
        self, course_id: str, change: Callable[[CourseProgress], CourseProgress]
    ) -> CourseProgress:
        course = self.progress_for(course_id)
        if course is None:
            raise ValueError(f"course {course_id!r} was not started in this session")
        now = self._clock()
        updated = dataclasses.replace(change(course), updated_at=now)
        self._save(updated, now)
        return updated

    def _save(self, course: CourseProgress, now: datetime) -> None:
        if self._progress_id is None:
            self._progress_id = self._new_id()
        self._store.save_courses(self._progress_id, [course], now)

    # -- resume codes --------------------------------------------------------------------------

    def current_code(self) -> ResumeCode | None:
        """The code this session already has (taken or typed in), if any."""
        if self._progress_id is None:
            return None
        stored = self._store.code_of(self._progress_id)
        return None if stored is None else ResumeCode(stored.code, stored.expires_at)

    def take_resume_code(self) -> ResumeCode:
        """A code for this session's progress. Taken again, it is the same code, valid longer."""
        now = self._clock()
        expires_at = now + self._code_lifetime
        if self._progress_id is None:
            self._progress_id = self._new_id()
        progress_id = self._progress_id
        self._store.ensure(progress_id, now)
        existing = self._store.code_of(progress_id)
        if existing is not None:
            self._store.extend_code(existing.code, expires_at)
            return ResumeCode(existing.code, expires_at)
        # A terminal joined to a hub has codes reserved for it, unique in the whole city; one
        # standing alone (or whose pool ran dry offline) draws one at random.
        pooled = self._store.add_pooled_code(progress_id, created_at=now, expires_at=expires_at)
        if pooled is not None:
            return ResumeCode(pooled, expires_at)
        for _ in range(_MAX_CODE_TRIES):
            code = generate_code(self._choice)
            if self._store.add_code(code, progress_id, created_at=now, expires_at=expires_at):
                return ResumeCode(code, expires_at)
        raise NoFreeCodeError(f"no unused resume code found in {_MAX_CODE_TRIES} tries")

    def restore_wait_s(self) -> float:
        """Seconds before a code may be tried on this terminal (for "Please wait 30 seconds")."""
        return self.throttle.wait_s()

    def restore(self, text: str) -> RestoreResult:
        """Bring back the progress behind a typed or scanned code.

        Progress this session made before is kept: courses the code's record lacks, or that
        this session used more recently, are carried over into it.
        """
        compact = normalise_code(text)
        if compact is None:
            # Mistyped (the check symbol caught it) or not a code at all: no guess was made.
            return RestoreResult(RestoreStatus.MALFORMED, problem=code_problem(text))
        wait = self.throttle.wait_s()
        if wait > 0:
            return RestoreResult(RestoreStatus.THROTTLED, retry_after_s=wait)
        stored = self._store.find_code(compact)
        if stored is None:
            if self._ask_hub:
                # Maybe taken at another terminal: the hub is asked off the UI thread, and only
                # its "unknown" counts as a guess (restore_from_hub).
                return RestoreResult(RestoreStatus.ELSEWHERE, compact=compact)
            wait = self.throttle.register_failure()
            return RestoreResult(RestoreStatus.UNKNOWN, retry_after_s=wait)
        return self._restore_local(compact)

    def restore_from_hub(self, compact: str, answer: HubAnswer | None) -> RestoreResult:
        """Finish a restore the hub was asked about (``answer`` None: it could not be asked).

        A record found is stored here (course by course the newer) and restored like a local
        one; from then on this terminal pulls its changes.
        """
        if answer is None:
            return RestoreResult(RestoreStatus.UNREACHABLE)
        if answer.status == "throttled":
            # The hub may ask for most of an hour; a visitor is asked to wait no longer than
            # here (the hub still refuses until its own wait is over).
            wait = min(answer.retry_after_s, MAX_WAIT_S)
            return RestoreResult(RestoreStatus.THROTTLED, retry_after_s=wait)
        if answer.status == "expired":
            return RestoreResult(RestoreStatus.EXPIRED)
        # merge_snapshot refuses a record whose code leads to another record on this terminal.
        record = answer.record if answer.status == "found" else None
        if record is not None and self._store.merge_snapshot(record):
            return self._restore_local(compact)
        wait = self.throttle.register_failure()
        return RestoreResult(RestoreStatus.UNKNOWN, retry_after_s=wait)

    def _restore_local(self, compact: str) -> RestoreResult:
        stored = self._store.find_code(compact)
        if stored is None:
            return RestoreResult(RestoreStatus.UNKNOWN)
        now = self._clock()
        if stored.expires_at <= now:
            return RestoreResult(RestoreStatus.EXPIRED)
        self._adopt(stored.progress_id, now)
        expires_at = now + self._code_lifetime
        self._store.extend_code(compact, expires_at)
        return RestoreResult(
            RestoreStatus.RESTORED,
            code=ResumeCode(compact, expires_at),
            courses=tuple(self.all_courses()),
        )

    def _adopt(self, target_id: str, now: datetime) -> None:
        source_id = self._progress_id
        if source_id is not None and source_id != target_id:
            theirs = {c.course_id: c for c in self._store.courses(target_id)}
            newer = [
                _as_progress(mine)
                for mine in self._store.courses(source_id)
                if mine.course_id not in theirs
                or mine.updated_at > theirs[mine.course_id].updated_at
            ]
            if newer:
                self._store.save_courses(target_id, newer, now)
            # Written first, dropped second: a crash in between leaves a copy, never a loss.
            self._store.delete_if_uncoded(source_id)
        self._progress_id = target_id

    # -- end of session and housekeeping -------------------------------------------------------

    def forget(self) -> None:
        """Drop this session's progress id (a SessionService wipe hook; never raises).

        A record with a code stays, reachable through the code only; one without is deleted.
        """
        progress_id, self._progress_id = self._progress_id, None
        if progress_id is None:
            return
        try:
            self._store.delete_if_uncoded(progress_id)
        except Exception:
            # Unreachable anyway; purge_expired() deletes it once it is a day old.
            log.exception("progress without a code could not be deleted now")

    def purge_expired(self, now: datetime | None = None) -> PurgeCounts:
        """Delete expired codes with their progress, and records left behind without a code."""
        moment = self._clock() if now is None else now
        return self._store.purge_expired(moment, uncoded_before=moment - UNCODED_KEPT)
