"""The course packages shipped in courses/ have no problems (whatever is there right now)."""

from __future__ import annotations

from kiosk import resources
from kiosk.core.courses import check_courses, find_packages


def test_shipped_courses_have_no_problems() -> None:
    """Every folder in courses/ is a package, each one passes the checker, and there are some:
    an empty or unreadable courses/ folder, or packages the finder overlooks, fail here."""
    folders = sorted(path for path in resources.COURSES.iterdir() if path.is_dir())
    packages = find_packages(resources.COURSES)
    assert len(folders) >= 6, f"courses/ ships too few course folders: {folders}"
    assert sorted(packages) == folders
    result = check_courses([resources.COURSES])
    assert [str(problem) for problem in result.problems] == []
    assert result.courses_ok == len(folders)
