"""The good package loads into exactly the course its files describe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.core.courses import (
    BulletList,
    Image,
    Paragraph,
    StepKind,
    load_catalogue,
    load_package,
)
from tests.unit.courses.builders import edit, problems, write_package


def test_good_package_has_no_problems(courses: Path) -> None:
    assert problems() == []
    assert problems(courses / "video-calls") == []
    assert problems(courses / "video-calls" / "course.toml") == []


def test_manifest_fields(package: Path) -> None:
    course = load_package(package).course
    assert course is not None
    assert (course.id, course.version, course.category, course.level) == (
        "video-calls",
        1,
        "communication",
        "beginner",
    )
    assert course.duration_minutes == 15
    assert course.tags == ("video", "family")
    assert course.device_kinds == ("tablet", "smartphone")
    assert course.cover == package / "images" / "cover.svg"
    assert course.languages == ("de", "en")
    assert course.main_language == "de"
    assert set(course.titles) == {"de", "en", "fa"}
    assert course.folder == package


def test_steps_in_german_order_with_their_languages(package: Path) -> None:
    course = load_package(package).course
    assert course is not None
    assert [(s.id, s.kind, s.languages) for s in course.steps] == [
        ("what-is", StepKind.EXPLAIN, ("de", "en")),
        ("open-app", StepKind.TRY, ("de", "en")),
        ("need", StepKind.QUIZ, ("de", "en")),
        ("which", StepKind.QUIZ, ("de",)),
        ("done", StepKind.SUMMARY, ("de", "en")),
    ]


def test_step_bodies(package: Path) -> None:
    course = load_package(package).course
    assert course is not None
    explain = course.step("what-is").texts["de"]
    assert explain.title == "Was ist ein Videoanruf?"
    assert explain.blocks == (
        Paragraph("Bei einem Videoanruf sehen und hören Sie Ihre **Familie**."),
        Paragraph("Sie brauchen:"),
        BulletList(("ein Gerät mit **Kamera**", "Internet")),
    )
    assert explain.image == Image(
        package / "images/call.svg", "Ein Tablet zeigt ein lachendes Gesicht"
    )
    task = course.step("open-app").texts["de"]
    assert task.blocks == (Paragraph("Tippen Sie auf das grüne Symbol mit der Kamera."),)
    assert task.hint == "Tipp: Die App heißt oft „Telefon“."
    summary = course.step("done").texts["en"]
    assert summary.blocks == (
        BulletList(("A video call shows picture and sound.", "You need a camera and internet.")),
    )


def test_quizzes(package: Path) -> None:
    course = load_package(package).course
    assert course is not None
    single = course.step("need").texts["de"].quiz
    assert single is not None
    assert not single.multiple
    assert [(o.text, o.correct) for o in single.options] == [
        ("Ein Gerät mit Kamera und Internet", True),
        ("Einen Drucker", False),
    ]
    assert single.options[1].feedback == "Nein: Einen Drucker brauchen Sie nicht."
    assert single.is_correct({0}) and not single.is_correct({1}) and not single.is_correct(set())
    multiple = course.step("which").texts["de"]
    assert multiple.blocks == (Paragraph("Es können mehrere Antworten richtig sein."),)
    assert multiple.quiz is not None and multiple.quiz.multiple
    assert multiple.quiz.correct == {0, 1}
    assert multiple.quiz.is_correct([1, 0]) and not multiple.quiz.is_correct([0])


def test_catalogue_lists_good_and_broken(courses: Path) -> None:
    write_package(courses, "another")
    edit(courses / "another" / "content" / "de.md", "## summary done", "## summery done")
    (courses / "_drafts").mkdir()
    (courses / "README.md").write_text("not a course")
    catalogue = load_catalogue(courses)
    assert [course.id for course in catalogue.courses] == ["video-calls"]
    assert catalogue.get("video-calls") is catalogue.courses[0]
    assert catalogue.get("another") is None
    (broken,) = catalogue.broken
    path, reasons = broken.path, broken.problems
    assert path == courses / "another"
    assert [str(r) for r in reasons] == [
        "courses/another/content/de.md:35: unknown step kind 'summery' "
        "(known: explain, try, quiz, summary)"
    ]


def test_missing_courses_folder_is_a_broken_entry_not_an_exception(tmp_path: Path) -> None:
    catalogue = load_catalogue(tmp_path / "nowhere")
    assert catalogue.courses == ()
    assert [str(p) for p in catalogue.problems] == [
        f"{tmp_path / 'nowhere'}:1: the courses folder does not exist"
    ]


def test_read_errors_anywhere_in_a_package_are_problems(
    courses: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("content"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert problems() == ["courses/video-calls/content:1: cannot read: Permission denied"]
