"""The loader's short cuts give exactly what the general way gives (they only save time)."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.core.courses import load_package
from kiosk.core.courses.safety import may_hide_characters, real_path_below
from kiosk.core.hidden_text import HIDDEN
from tests.unit.courses.builders import edit, problems


def test_hidden_characters_are_noticed_in_the_bytes() -> None:
    # The Basic Multilingual Plane up to the last range the pattern covers, and beyond a bit.
    for code in range(0x3000):
        character = chr(code)
        expected = HIDDEN.match(character) is not None or character == "\r"
        for text in (character, f"ab{character}cd", f"ü{character}"):
            assert may_hide_characters(text.encode()) == expected, hex(code)


def test_real_path_below_is_realpath(tmp_path: Path) -> None:
    package = tmp_path / "package"
    (package / "images" / "sub").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (package / "images" / "a.svg").touch()
    (package / "linked").symlink_to(tmp_path / "outside")
    (package / "images" / "sub" / "up").symlink_to("../..")
    (package / "loop").symlink_to("loop")
    real = os.path.realpath(package)
    for relative in [
        "images/a.svg",
        "images//a.svg",
        "./images/./a.svg",
        "images/missing.svg",
        "images/../images/a.svg",
        "images/../../outside/x.svg",
        "linked/x.svg",
        "images/sub/up/images/a.svg",
        "loop/a.svg",
        "",
        ".",
    ]:
        assert real_path_below(real, relative) == os.path.realpath(package / relative), relative


def test_plain_and_other_spellings_of_a_step_read_alike(package: Path) -> None:
    de = package / "content" / "de.md"
    edit(de, "## try open-app: Öffnen Sie die App", "##  try   open-app :  Öffnen Sie die App  ")
    edit(de, "- (x) Ein Gerät", "-   (x)\tEin Gerät")
    edit(de, "- [ ] Radio", "- [ ]   Radio  ")
    assert problems() == []
    course = load_package(package).course
    assert course is not None
    assert course.step("open-app").texts["de"].title == "Öffnen Sie die App"
    need = course.step("need").texts["de"].quiz
    assert need is not None
    assert need.options[0].text == "Ein Gerät mit Kamera und Internet"
    which = course.step("which").texts["de"].quiz
    assert which is not None
    assert which.options[2].text == "Radio"
    assert not which.options[2].correct
