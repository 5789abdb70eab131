"""The course packages shipped in courses/ have no problems (whatever is there right now)."""

from __future__ import annotations

from kiosk import resources
from kiosk.core.courses import check_courses, find_packages


def test_shipped_courses_have_no_problems() -> None:
    result = check_courses([resources.COURSES])
    assert [str(problem) for problem in result.problems] == []
    assert result.courses_ok == len(find_packages(resources.COURSES))
