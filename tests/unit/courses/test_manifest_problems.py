"""course.toml mistakes, each reported as PATH:LINE: message."""

from __future__ import annotations

from pathlib import Path

from tests.unit.courses.builders import MANIFEST, edit, problems, write, write_package

TOML = "courses/video-calls/course.toml"
KNOWN = "de, de-x-ls, en, uk, ar, ru, tr, fa"


def test_toml_syntax_error_names_its_line(package: Path) -> None:
    edit(package / "course.toml", "version = 1", "version = ")
    assert problems() == [f"{TOML}:2: TOML syntax error: Invalid value"]


def test_missing_required_key(package: Path) -> None:
    edit(package / "course.toml", 'category = "communication"\n', "")
    assert problems() == [f"{TOML}:1: required key 'category' is missing"]


def test_wrong_types(package: Path) -> None:
    edit(package / "course.toml", "duration_minutes = 15", 'duration_minutes = "15"')
    edit(package / "course.toml", 'tags = ["video", "family"]', 'tags = ["video", 3]')
    assert problems() == [
        f"{TOML}:4: duration_minutes: must be a whole number, got a string",
        f'{TOML}:6: tags: must be a list of strings, e.g. ["a", "b"], '
        "got a list with something other than strings",
    ]


def test_bad_values(package: Path) -> None:
    edit(package / "course.toml", 'category = "communication"', 'category = "fun"')
    edit(package / "course.toml", 'level = "beginner"', 'level = "easy"')
    edit(package / "course.toml", "version = 1", "version = 0")
    assert problems() == [
        f"{TOML}:2: version: must be 1-1000000; got 0",
        f"{TOML}:3: category: must be one of first-steps, communication, safety, "
        "online-services, media, smart-home; got 'fun'",
        f"{TOML}:5: level: must be one of beginner, advanced; got 'easy'",
    ]


def test_unknown_key_catches_typos(package: Path) -> None:
    edit(package / "course.toml", "level =", "levle =")
    lines = problems()
    assert f"{TOML}:1: required key 'level' is missing" in lines
    assert any(
        line.startswith(f"{TOML}:5: unknown key 'levle' (known: id, version,") for line in lines
    )


def test_id_must_equal_the_folder_name(courses: Path) -> None:
    folder = courses / "video-calls"
    folder.rename(courses / "video-call")
    assert problems() == [
        "courses/video-call/course.toml:1: id 'video-calls' differs from the folder name "
        "'video-call'; make them the same"
    ]


def test_id_format(courses: Path) -> None:
    write_package(courses, "Video_Calls")
    assert problems() == [
        "courses/Video_Calls/course.toml:1: id: must be 1-60 lowercase letters, digits and '-' "
        "(like 'video-calls'); got 'Video_Calls'"
    ]


def test_duplicate_course_ids_across_folders(courses: Path, tmp_path: Path) -> None:
    other = Path("elsewhere")
    write_package(other)
    assert problems(courses, other) == [
        "elsewhere/video-calls/course.toml:1: id 'video-calls' is already used by "
        "courses/video-calls/course.toml"
    ]
    # The same folder given twice is one package, not a duplicate.
    assert problems(courses, courses / "video-calls") == []


def test_duplicate_id_by_a_misnamed_folder_leaves_the_owner_alone(courses: Path) -> None:
    write_package(courses, "a-copy")
    edit(courses / "a-copy" / "course.toml", 'id = "a-copy"', 'id = "video-calls"')
    assert problems() == [
        "courses/a-copy/course.toml:1: id 'video-calls' differs from the folder name 'a-copy'; "
        "make them the same",
        "courses/a-copy/course.toml:1: id 'video-calls' is already used by "
        "courses/video-calls/course.toml",
    ]


def test_unknown_language_codes(package: Path) -> None:
    edit(package / "course.toml", 'languages = ["de", "en"]', 'languages = ["de", "en", "xx"]')
    edit(package / "course.toml", 'fa = "تماس تصویری با خانواده"', 'fa-AF = "تماس تصویری"')
    write(package / "content" / "xx.md", "")
    assert problems() == [
        f"courses/video-calls/content/xx.md:1: unknown language 'xx' (known: {KNOWN}); "
        "name the file <language>.md",
        f"{TOML}:9: languages: unknown language 'xx' (known: {KNOWN})",
        f"{TOML}:11: title for 'fa' is missing (description has it)",
        f"{TOML}:14: [title]: unknown language 'fa-AF' (known: {KNOWN})",
    ]


def test_title_and_description_needed_in_german(package: Path) -> None:
    edit(package / "course.toml", 'de = "Videoanrufe mit der Familie"\n', "")
    assert problems() == [f"{TOML}:11: title for 'de' (German) is missing; it is required"]


def test_title_and_description_in_the_same_languages(package: Path) -> None:
    edit(package / "course.toml", 'fa = "یاد بگیرید چگونه با خانواده تماس تصویری بگیرید."\n', "")
    assert problems() == [f"{TOML}:16: description for 'fa' is missing (title has it)"]


def test_empty_and_overlong_titles(package: Path) -> None:
    edit(package / "course.toml", 'en = "Video calls with the family"', 'en = " "')
    edit(package / "course.toml", 'fa = "تماس تصویری با خانواده"', f'fa = "{"x" * 121}"')
    assert problems() == [
        f"{TOML}:13: title.en is empty",
        f"{TOML}:14: title.fa is 121 characters; at most 120",
    ]


def test_language_listed_but_its_file_missing(package: Path) -> None:
    edit(package / "course.toml", 'languages = ["de", "en"]', 'languages = ["de", "en", "uk"]')
    assert problems() == [f"{TOML}:9: languages: 'uk' is listed, but content/uk.md is missing"]


def test_content_file_for_an_unlisted_language(package: Path) -> None:
    (package / "content" / "tr.md").write_text((package / "content" / "en.md").read_text())
    (package / "content" / "notes.txt").write_text("todo")
    (package / "content" / ".de.md.swp").write_text("editor file, ignored")
    assert problems() == [
        "courses/video-calls/content/notes.txt:1: unexpected file: content/ holds only "
        "<language>.md files",
        "courses/video-calls/content/tr.md:1: language 'tr' is not listed in course.toml "
        "(languages = [...]); add it there or remove this file",
    ]


def test_missing_manifest(courses: Path) -> None:
    (courses / "video-calls" / "course.toml").unlink()
    (courses / "empty-folder").mkdir()
    assert problems() == [
        "courses/empty-folder/course.toml:1: course.toml is missing; every course folder "
        "needs one (see courses/README.md)",
        f"{TOML}:1: course.toml is missing; every course folder needs one (see courses/README.md)",
    ]


def test_oversize_manifest_is_not_parsed(package: Path) -> None:
    write(package / "course.toml", MANIFEST + "# " + "x" * 70_000 + "\n")
    assert problems() == [f"{TOML}:1: the file is larger than 64 KB; the kiosk does not read it"]


def test_absurdly_nested_toml(package: Path) -> None:
    write(package / "course.toml", "tags = " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert problems() == [f"{TOML}:1: TOML syntax error: lists or tables are nested far too deeply"]
