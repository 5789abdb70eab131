"""Untrusted files: images, encodings, invisible characters, sizes and paths out of the package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.core.courses import load_catalogue
from kiosk.core.courses.safety import ExactNames, ImageChecker
from tests.unit.courses.builders import DE, GIF, JPEG, PNG, SVG, edit, problems, write

TOML = "courses/video-calls/course.toml"
DE_MD = "courses/video-calls/content/de.md"


def test_missing_images(package: Path) -> None:
    (package / "images" / "call.svg").unlink()
    (package / "images" / "cover.svg").unlink()
    assert problems() == [
        f"{DE_MD}:11: image not found: images/call.svg",
        "courses/video-calls/content/en.md:11: image not found: images/call.svg",
        f"{TOML}:8: cover: image not found: images/cover.svg",
    ]


def test_oversize_image(package: Path) -> None:
    with (package / "images" / "cover.svg").open("ab") as stream:
        stream.truncate(2 * 1024 * 1024 + 1)
    assert problems() == [
        f"{TOML}:8: cover: images/cover.svg is 2.0 MB; images may be at most 2 MB"
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "fake.png",
            b"GIF89a but named png",
            "images/fake.png is not a real PNG image (its content is GIF)",
        ),
        (
            "fake.jpg",
            b"<html>oops</html>",
            "images/fake.jpg is not a real JPEG image (its content is not an image)",
        ),
        (
            "fake.svg",
            b"<html><svg></svg></html>",
            "images/fake.svg is not a real SVG image (its content is not an image)",
        ),
        ("fake.gif", PNG, "images/fake.gif is not a real GIF image (its content is PNG)"),
        (
            "photo.webp",
            b"RIFF....WEBP",
            "images/photo.webp: images must be PNG, JPEG, GIF or SVG (.png, .jpg, .gif, .svg)",
        ),
    ],
)
def test_image_must_really_be_what_its_name_says(
    package: Path, name: str, data: bytes, message: str
) -> None:
    write(package / "images" / name, data)
    edit(package / "course.toml", "images/cover.svg", f"images/{name}")
    assert problems() == [f"{TOML}:8: cover: {message}"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.png", PNG),
        ("a.jpg", JPEG),
        ("a.jpeg", JPEG),
        ("a.gif", GIF),
        ("a.svg", SVG),
        ("b.svg", b"\xef\xbb\xbf<svg/>"),
    ],
)
def test_real_images_pass(package: Path, name: str, data: bytes) -> None:
    write(package / "images" / name, data)
    edit(package / "course.toml", "images/cover.svg", f"images/{name}")
    assert problems() == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.svg", "path '../outside.svg' leaves the course folder"),
        ("images/../../outside.svg", "path 'images/../../outside.svg' leaves the course folder"),
        (
            "/etc/passwd.svg",
            "path '/etc/passwd.svg' must be relative to the course folder, e.g. images/cover.svg",
        ),
        (
            "C:/Bilder/x.svg",
            "path 'C:/Bilder/x.svg' must be relative to the course folder, e.g. images/cover.svg",
        ),
        ("images\\\\call.svg", "use '/' in paths, not '\\'"),
        (
            "https://example.org/x.svg",
            "images must be files in the course folder, not web addresses",
        ),
        ("", "the path is empty"),
    ],
)
def test_paths_that_leave_the_package(package: Path, path: str, message: str) -> None:
    write(package.parent / "outside.svg", SVG)
    edit(package / "course.toml", '"images/cover.svg"', f'"{path}"')
    assert problems() == [f"{TOML}:8: cover: {message}"]


def test_inside_dot_dot_is_fine(package: Path) -> None:
    edit(package / "course.toml", '"images/cover.svg"', '"images/../images/cover.svg"')
    assert problems() == []


def test_symlinks_pointing_outside(package: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    write(secret / "image.svg", SVG)
    write(secret / "de.md", DE)
    (package / "images" / "cover.svg").unlink()
    (package / "images" / "cover.svg").symlink_to(secret / "image.svg")
    (package / "content" / "de.md").unlink()
    (package / "content" / "de.md").symlink_to(secret / "de.md")
    # A link that stays inside the package is fine.
    (package / "images" / "call.svg").rename(package / "images" / "real.svg")
    (package / "images" / "call.svg").symlink_to("real.svg")
    assert problems() == [
        f"{DE_MD}:1: this file leaves the course folder (a link to a file elsewhere)",
        f"{TOML}:8: cover: images/cover.svg leaves the course folder (a link to a file elsewhere)",
        f"{TOML}:9: languages: 'de' is listed, but content/de.md is missing",
    ]


def test_linked_folders_pointing_outside(package: Path, tmp_path: Path) -> None:
    os.rename(package / "images", tmp_path / "images")
    (package / "images").symlink_to(tmp_path / "images")
    lines = problems()
    assert (
        f"{TOML}:8: cover: images/cover.svg leaves the course folder (a link to a file elsewhere)"
        in lines
    )
    assert (
        f"{DE_MD}:11: images/call.svg leaves the course folder (a link to a file elsewhere)"
        in lines
    )


def test_not_utf8_names_the_line_of_the_first_bad_byte(package: Path) -> None:
    data = DE.encode().replace(
        "Öffnen Sie die App".encode(), "\xd6ffnen Sie die App".encode("latin-1")
    )
    write(package / "content" / "de.md", data)
    assert problems() == [f"{DE_MD}:13: not UTF-8 text (save the file with the encoding 'UTF-8')"]


def test_not_utf8_manifest(package: Path) -> None:
    write(
        package / "course.toml",
        (package / "course.toml").read_bytes().replace(b"Familie", b"Fam\xefl"),
    )
    assert problems() == [f"{TOML}:12: not UTF-8 text (save the file with the encoding 'UTF-8')"]


def test_windows_line_ends_and_byte_order_mark_are_fine(package: Path) -> None:
    path = package / "content" / "de.md"
    write(path, b"\xef\xbb\xbf" + DE.replace("\n", "\r\n").encode())
    assert problems() == []


@pytest.mark.parametrize(
    ("character", "message"),
    [
        ("\x07", "invisible control character U+0007 is not allowed; delete it"),
        ("\r", "invisible control character U+000D is not allowed; delete it"),
        ("\x85", "invisible control character U+0085 is not allowed; delete it"),
        ("\u202e", "invisible text-direction override character U+202E is not allowed; delete it"),
        ("\u2067", "invisible text-direction override character U+2067 is not allowed; delete it"),
    ],
)
def test_invisible_characters_in_content(package: Path, character: str, message: str) -> None:
    edit(package / "content" / "de.md", "Tippen Sie auf", f"Tippen{character} Sie auf")
    assert problems() == [f"{DE_MD}:14: {message}"]


def test_direction_marks_needed_by_rtl_text_are_fine(package: Path) -> None:
    edit(package / "content" / "de.md", "Tippen Sie auf", "Tippen\u200f Sie\u061c auf\u200e")
    assert problems() == []


def test_invisible_characters_in_the_manifest_also_as_toml_escapes(package: Path) -> None:
    edit(package / "course.toml", 'en = "Video calls', 'en = "\\u202EVideo calls')
    edit(package / "course.toml", 'tags = ["video"', 'tags = ["vid\\u0000eo"')
    assert problems() == [
        f"{TOML}:6: invisible control character U+0000 is not allowed; delete it",
        f"{TOML}:13: invisible text-direction override character U+202E is not allowed; delete it",
    ]
    edit(package / "course.toml", 'en = "\\u202EVideo calls', 'en = "\u202eVideo calls')
    assert (
        f"{TOML}:13: invisible text-direction override character U+202E is not allowed; delete it"
        in problems()
    )


def test_huge_content_file_is_not_read(package: Path) -> None:
    write(package / "content" / "de.md", DE + "x" * (1024 * 1024))
    lines = problems()
    assert lines[0] == f"{DE_MD}:1: the file is larger than 1 MB; the kiosk does not read it"
    assert f"{TOML}:9: languages: 'de' is listed, but content/de.md is missing" not in lines


def test_a_nul_in_an_image_path_is_reported_not_a_crash(package: Path) -> None:
    edit(package / "course.toml", '"images/cover.svg"', '"images/cover\\u0000.svg"')
    found = problems()
    assert found and all(line.startswith(f"{TOML}:") for line in found), found
    assert any("U+0000" in line for line in found), found


def test_a_nul_in_a_step_image_path_is_reported_not_a_crash(package: Path) -> None:
    edit(package / "content" / "de.md", "(images/call.svg)", "(images/ca\x00ll.svg)")
    found = problems()
    assert found and any("U+0000" in line for line in found), found


def test_a_manifest_or_content_folder_may_be_a_link_inside_the_package(package: Path) -> None:
    (package / "course.toml").rename(package / "manifest.toml")
    (package / "course.toml").symlink_to("manifest.toml")
    (package / "content").rename(package / "texts")
    (package / "content").symlink_to("texts")
    assert problems() == []


def test_a_manifest_or_content_folder_linked_from_elsewhere(package: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (package / "course.toml").rename(outside / "course.toml")
    (package / "course.toml").symlink_to(outside / "course.toml")
    (package / "content").rename(outside / "content")
    (package / "content").symlink_to(outside / "content")
    assert problems() == [
        "courses/video-calls/content:1: the content folder is a link to a folder elsewhere",
        f"{TOML}:1: course.toml leaves the course folder (a link to a file elsewhere)",
    ]


def test_a_dangling_manifest_link_is_a_missing_manifest(package: Path) -> None:
    (package / "course.toml").unlink()
    (package / "course.toml").symlink_to("gone.toml")
    (line,) = problems()
    assert line.startswith(f"{TOML}:1: course.toml is missing")


def test_a_package_linked_twice_in_the_courses_folder_is_loaded_once(courses: Path) -> None:
    # The link sorts first; the package is still loaded as its own folder, so its id matches.
    (courses / "same-course").symlink_to("video-calls")
    catalogue = load_catalogue(courses)
    assert [course.id for course in catalogue] == ["video-calls"]
    assert catalogue.broken == ()


def test_names_in_other_case_are_found_where_the_file_system_ignores_case(tmp_path: Path) -> None:
    # This file system tells case apart; the checker is told it does not, as on Windows.
    (tmp_path / "Images").mkdir()
    (tmp_path / "Images" / "Cover.PNG").write_bytes(b"\x89PNG\r\n\x1a\n")
    names = ExactNames(str(tmp_path), ignores_case=True)
    assert names.actual("images/cover.png") == "Images/Cover.PNG"
    assert names.actual("./Images/../Images/Cover.PNG") is None  # exactly as on disk
    assert names.actual("images/missing.png") is None  # missing: reported as such elsewhere
    checker = ImageChecker(str(tmp_path), names)
    assert str(checker.problem("images/cover.png")) == (
        "images/cover.png: the file is called Images/Cover.PNG; write the name with the same "
        "capital and small letters (terminals tell them apart)"
    )


def test_a_case_sensitive_file_system_is_recognised(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    names = ExactNames(str(folder))
    assert names.actual("PACKAGE") is None
    # Here a wrong case is simply not found, which the image check says.
    (folder / "a.svg").write_text("<svg/>", encoding="utf-8")
    assert str(ImageChecker(str(folder), names).problem("A.svg")) == "image not found: A.svg"
