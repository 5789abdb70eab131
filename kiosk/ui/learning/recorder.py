"""Keeps a visitor's lesson progress and the anonymous learning counts as they go through a course.

Progress is a convenience: when the database fails, the failure is logged and the lesson goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from kiosk.storage import StorageError

# Types only: the window makes a recorder before its first frame, and the course, progress and
# statistics modules take ~80 ms to import; they load when a visitor first learns something.
if TYPE_CHECKING:
    from kiosk.core.courses import Course
    from kiosk.core.progress import ProgressService
    from kiosk.core.stats import UsageEvents

T = TypeVar("T")
log = logging.getLogger(__name__)


class LessonRecorder:
    """Writes steps, quiz answers and completions; both services arrive once storage is open."""

    def __init__(self, language: Callable[[], str]) -> None:
        self._language = language
        self.progress: ProgressService | None = None
        self.usage: UsageEvents | None = None

    def guard(self, action: Callable[[ProgressService], T]) -> T | None:
        """``action`` on the progress, or None when there is none or the database failed."""
        if self.progress is None:
            return None
        try:
            return action(self.progress)
        except StorageError:
            log.exception("learning progress could not be stored")
            return None

    def step(self, course: Course, step_id: str) -> None:
        """The visitor sees a step (the first one starts the course)."""

        def record(progress: ProgressService) -> None:
            if progress.progress_for(course.id) is None:
                progress.start_course(course.id, course.version, [s.id for s in course.steps])
                if self.usage is not None:
                    self.usage.course_started(course.id, self._language())
            progress.visit_step(course.id, step_id)

        self.guard(record)

    def quiz(self, course: Course, step_id: str, right: bool) -> None:
        """The visitor answered a quiz."""

        def record(progress: ProgressService) -> None:
            if progress.progress_for(course.id) is None:
                progress.start_course(course.id, course.version, [s.id for s in course.steps])
            progress.record_quiz(course.id, step_id, right)

        self.guard(record)
        if self.usage is not None:
            self.usage.quiz_attempted(course.id)

    def complete(self, course: Course) -> None:
        """The visitor reached the end of a course."""
        self.guard(lambda p: p.complete(course.id) if p.progress_for(course.id) else None)
        if self.usage is not None:
            self.usage.course_completed(course.id, self._language())

    def overview(self) -> tuple[list[str], frozenset[str]]:
        """The courses in progress (latest first) and the completed ones."""
        overview = self.guard(
            lambda p: (
                [c.course_id for c in p.courses_in_progress()],
                frozenset(c.course_id for c in p.completed_courses()),
            )
        )
        return overview if overview is not None else ([], frozenset())
