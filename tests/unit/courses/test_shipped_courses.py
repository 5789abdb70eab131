"""The course packages shipped in courses/: no problems, ten of them, each step in each language,
each with its sources and a row in the translation status table."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.core.courses import check_courses, find_packages
from kiosk.core.courses.loader import load_package
from kiosk.core.i18n import LANGUAGE_CODES

SHIPPED = sorted(path for path in resources.COURSES.iterdir() if path.is_dir())

# The date must be a real calendar day: "2026-13-40" matches the pattern but is refused below.
FACTS_CHECKED = re.compile(r"^Facts checked: (\d{4}-\d{2}-\d{2})\b", re.MULTILINE)
HTTPS_SOURCE = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


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


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda folder: folder.name)
def test_every_shipped_course_names_its_sources_and_when_its_facts_were_checked(
    folder: Path,
) -> None:
    """A trainer or a site can trace each course's facts: SOURCES.md beside course.toml names at
    least one https source and says on which (real) day the facts were checked."""
    sources = folder / "SOURCES.md"
    assert sources.is_file(), f"{folder.name} has no SOURCES.md"
    text = sources.read_text(encoding="utf-8")
    assert HTTPS_SOURCE.search(text), f"{folder.name}/SOURCES.md names no https source"
    checked = FACTS_CHECKED.search(text)
    assert checked, f"{folder.name}/SOURCES.md has no 'Facts checked: YYYY-MM-DD' line"
    day = date.fromisoformat(checked.group(1))  # raises on a day that does not exist
    assert date(2020, 1, 1) <= day <= date.today(), day


def _status_rows(review: str) -> dict[str, dict[str, str]]:
    """The rows of REVIEW.md's status table (header: course, version, the eight languages) as
    {course id: {language code: cell}}."""
    rows: dict[str, dict[str, str]] = {}
    header: list[str] | None = None
    for line in review.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells if cells[:1] == ["course"] else []
        elif header and not set(cells[0]) <= {"-", ":"}:
            rows[cells[0]] = dict(zip(header, cells, strict=False))
    return rows


def test_review_table_has_a_status_for_every_shipped_course_in_every_language() -> None:
    """courses/REVIEW.md tells a site which files still need a fluent speaker: one row per shipped
    course with a draft/checked cell for each of the eight languages."""
    rows = _status_rows((resources.COURSES / "REVIEW.md").read_text(encoding="utf-8"))
    assert sorted(rows) == sorted(folder.name for folder in SHIPPED)
    for course, row in rows.items():
        for code in LANGUAGE_CODES:
            cell = row.get(code, "")
            assert cell.startswith(("draft", "checked")), (course, code, cell)
