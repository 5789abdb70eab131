"""The course packages shipped in courses/: no problems, ten of them, each step in each language."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import resources
from kiosk.core.courses import check_courses, find_packages
from kiosk.core.courses.loader import load_package
from kiosk.core.i18n import LANGUAGE_CODES

SHIPPED = sorted(path for path in resources.COURSES.iterdir() if path.is_dir())


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


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda folder: folder.name)
def test_every_shipped_course_has_every_step_in_every_language(folder: Path) -> None:
    """No visitor of a shipped course gets a step in a language other than their own: each
    course lists all eight languages, has a content file for each, and every step has a text in
    each of them (a step missing in one file would fall back to another language)."""
    course = load_package(folder).course
    assert course is not None, folder
    assert sorted(course.languages) == sorted(LANGUAGE_CODES)
    assert sorted(course.titles) == sorted(LANGUAGE_CODES)
    assert sorted(course.descriptions) == sorted(LANGUAGE_CODES)
    for code in LANGUAGE_CODES:
        assert (folder / "content" / f"{code}.md").is_file(), code
    missing = [
        (step.id, code)
        for step in course.steps
        for code in LANGUAGE_CODES
        if code not in step.texts
    ]
    assert missing == []


def test_the_city_offers_ten_courses() -> None:
    assert len(SHIPPED) >= 10, [folder.name for folder in SHIPPED]
