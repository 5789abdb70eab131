"""What the catalogue shows first, and what a course tile can say about the steps' languages."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.courses import Catalogue, load_catalogue
from kiosk.core.courses.catalogue import shelf_order, step_languages
from tests.unit.courses.builders import edit, write_package


def shelf(courses: Path, levels: dict[str, tuple[str, str]]) -> Catalogue:
    """One package per id with the given (level, category)."""
    for course_id, (level, category) in levels.items():
        manifest = write_package(courses, course_id) / "course.toml"
        edit(manifest, 'level = "beginner"', f'level = "{level}"')
        edit(manifest, 'category = "communication"', f'category = "{category}"')
    catalogue = load_catalogue(courses)
    assert not catalogue.broken
    return catalogue


def test_beginner_courses_come_first_and_first_steps_lead(courses: Path) -> None:
    catalogue = shelf(
        courses,
        {
            "a-advanced-first": ("advanced", "first-steps"),
            "b-advanced": ("advanced", "safety"),
            "c-beginner": ("beginner", "safety"),
            "z-beginner-first": ("beginner", "first-steps"),
        },
    )
    expected = ["z-beginner-first", "c-beginner", "video-calls", "a-advanced-first", "b-advanced"]
    assert [c.id for c in catalogue.for_visitors] == expected
    # The id order stays what tools and the hub rely on.
    assert [c.id for c in catalogue] == sorted(expected)
    # An empty search lists the shelf; a word found everywhere keeps the shelf order too.
    assert [c.id for c in catalogue.search("", "de")] == expected
    assert [c.id for c in catalogue.search("familie", "de")] == expected
    # The same courses given in another order end up in the same order.
    assert shelf_order(reversed(catalogue.courses)) == catalogue.for_visitors


def test_a_title_match_still_beats_the_shelf_order(courses: Path) -> None:
    catalogue = shelf(courses, {"a-first": ("beginner", "first-steps")})
    manifest = courses / "video-calls" / "course.toml"
    edit(manifest, 'de = "Videoanrufe mit der Familie"', 'de = "Tablet und Videoanruf"')
    catalogue = load_catalogue(courses)
    assert catalogue.search("tablet", "de")[0].id == "video-calls"
    assert catalogue.for_visitors[0].id == "a-first"


def test_step_languages_say_which_steps_fall_back(courses: Path) -> None:
    course = load_catalogue(courses).get("video-calls")
    assert course is not None
    german = step_languages(course, "de", ("en", "de"))
    assert german.complete and german.others == ()
    # The English file leaves out one of the five steps: it is shown in German.
    english = step_languages(course, "en", ("en", "de"))
    assert (english.total, english.own, english.others) == (5, 4, ("de",))
    assert not english.complete and not english.none_own
    # Ukrainian has no file: four steps come in English, the missing one in German.
    ukrainian = step_languages(course, "uk", ("en", "de"))
    assert (ukrainian.own, ukrainian.others) == (0, ("en", "de"))
    assert ukrainian.none_own
    # The site's fallback chain decides, as in the lesson.
    assert step_languages(course, "uk", ("de",)).others == ("de",)
