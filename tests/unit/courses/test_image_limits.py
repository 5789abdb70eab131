"""Pictures that would freeze or exhaust the kiosk are refused by `kiosk courses check`."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

from kiosk.core.courses.image_limits import (
    MAX_GIF_FRAMES,
    MAX_SVG_DEPTH,
    MAX_SVG_ELEMENTS,
    raster_problem,
    svg_findings,
)
from kiosk.core.courses.safety import picture_problem
from tests.unit.courses.builders import edit, problems, write

TOML = "courses/video-calls/course.toml"
DE_MD = "courses/video-calls/content/de.md"
IMAGES = "courses/video-calls/images"
SEE_FILE = "cannot be shown safely; see the problems listed for that file"
TOO_MANY_DRAWN = (
    "'<use>' and other '#id' references here make the picture draw more than 50,000 "
    "elements; draw the shapes directly or use fewer nested copies"
)


def nested_use_bomb() -> bytes:
    """Nine levels of ten `<use>` copies of the level below: 10^9 rectangles in 1.7 KB."""
    lines = ['<svg xmlns="http://www.w3.org/2000/svg">', '<defs><rect id="a" width="1"/>']
    for below, level in zip("abcdefghi", "bcdefghij", strict=True):
        copies = f'<use href="#{below}"/>' * 10
        lines.append(f'<g id="{level}">{copies}</g>')
    lines += ["</defs>", '<use href="#j"/>', "</svg>"]
    return "\n".join(lines).encode()


def png_header(width: int, height: int) -> bytes:
    """The start of a PNG declaring a size; no pixel data (a few dozen bytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header + b"\x00" * 300


def jpeg_header(width: int, height: int) -> bytes:
    """A JPEG's markers up to its frame header, behind an 8 KB metadata segment."""
    app1 = b"\xff\xe1" + struct.pack(">H", 8002) + b"\x00" * 8000
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app1 + frame + b"\xff\xda"


def gif(
    width: int, height: int, frames: int = 1, frame_size: tuple[int, int] | None = None
) -> bytes:
    """A GIF with `frames` tiny LZW frames (each one sub-block), no global colour table."""
    fw, fh = frame_size or (width, height)
    data = b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, fw, fh, 0) + b"\x02\x02\x44\x01\x00"
    control = b"\x21\xf9\x04\x00\x0a\x00\x00\x00"
    return data + (control + frame) * frames + b"\x3b"


def use_as_cover(package: Path, name: str, data: bytes) -> None:
    write(package / "images" / name, data)
    edit(package / "course.toml", "images/cover.svg", f"images/{name}")


def test_a_small_nested_use_bomb_is_reported_at_its_line(package: Path) -> None:
    bomb = nested_use_bomb()
    assert len(bomb) < 1800
    use_as_cover(package, "bomb.svg", bomb)
    started = time.perf_counter()
    found = problems()
    assert time.perf_counter() - started < 1.0
    # Line 8: the first copies that each draw more than the limit (the level on line 7, 222,221
    # elements, and the copy itself).
    assert found == [
        f"{TOML}:8: cover: images/bomb.svg {SEE_FILE}",
        f"{IMAGES}/bomb.svg:8: {TOO_MANY_DRAWN}",
    ]


def test_a_picture_used_in_several_languages_is_reported_once(package: Path) -> None:
    write(package / "images" / "call.svg", nested_use_bomb())
    assert problems() == [
        f"{DE_MD}:11: images/call.svg {SEE_FILE}",
        f"courses/video-calls/content/en.md:11: images/call.svg {SEE_FILE}",
        f"{IMAGES}/call.svg:8: {TOO_MANY_DRAWN}",
    ]


def test_a_png_declaring_16000_by_16000_pixels(package: Path) -> None:
    data = png_header(16000, 16000)
    assert len(data) < 400
    use_as_cover(package, "huge.png", data)
    assert problems() == [
        f"{TOML}:8: cover: images/huge.png is 16000×16000 pixels; pictures may be at most 4096 "
        "pixels wide and high and 12.6 megapixels (e.g. 4096×3072); make it smaller"
    ]


def test_an_svg_referring_to_another_file(package: Path) -> None:
    svg = b'<svg>\n<rect/>\n<image href="../../secret.png"/>\n</svg>'
    use_as_cover(package, "outside.svg", svg)
    assert problems() == [
        f"{TOML}:8: cover: images/outside.svg {SEE_FILE}",
        f"{IMAGES}/outside.svg:3: the picture refers to '../../secret.png'; pictures may refer "
        "only to their own parts ('#id'), never to other files, web addresses or embedded data",
    ]


def test_a_doctype_entity_bomb(package: Path) -> None:
    entities = "\n".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "lol"}">' for i in range(10)
    )
    svg = f'<?xml version="1.0"?>\n<!DOCTYPE svg [\n{entities}\n]>\n<svg><text>&e9;</text></svg>'
    use_as_cover(package, "laughs.svg", svg.encode())
    assert problems() == [
        f"{TOML}:8: cover: images/laughs.svg {SEE_FILE}",
        f"{IMAGES}/laughs.svg:3: entity declarations (<!ENTITY e0 …>) are not allowed in "
        "pictures; save the picture as plain SVG",
    ]


@pytest.mark.parametrize(
    ("svg", "line", "message"),
    [
        (
            '<svg>\n<g id="a">\n<use href="#b"/></g>\n<g id="b"><use href="#a"/></g></svg>',
            4,
            "the reference to '#a' loops back to itself; the picture can never be finished",
        ),
        (
            "<svg>\n<rect/>\n<script>alert(1)</script></svg>",
            3,
            "scripts are not allowed in pictures",
        ),
        ('<svg>\n<rect onclick="x()"/></svg>', 2, "scripts are not allowed in pictures"),
        (
            "<svg>\n<foreignObject><p>x</p></foreignObject></svg>",
            2,
            "<foreignObject> (HTML inside a picture) is not allowed",
        ),
        (
            '<svg>\n<rect fill="url(data:image/png;base64,AAAA)"/></svg>',
            2,
            "the picture refers to 'data:image/png;base64,AAAA'; pictures may refer only to "
            "their own parts ('#id'), never to other files, web addresses or embedded data",
        ),
        (
            "<svg>\n<style>\n@import 'https://example.org/a.css';\n</style></svg>",
            3,
            "the picture refers to '@import'; pictures may refer only to their own parts "
            "('#id'), never to other files, web addresses or embedded data",
        ),
        ("<svg>\n<g>\n</svg>", 3, "not a well-formed SVG: mismatched tag"),
        (
            "<svg>\n" + "<g>" * MAX_SVG_DEPTH + "</g>" * MAX_SVG_DEPTH + "</svg>",
            2,
            f"elements are nested more than {MAX_SVG_DEPTH} deep; ungroup some of them",
        ),
        (
            "<svg>\n" + "<rect/>\n" * MAX_SVG_ELEMENTS + "</svg>",
            MAX_SVG_ELEMENTS + 1,
            "the picture has more than 10,000 elements; simplify it (e.g. fewer points or "
            "combined shapes)",
        ),
    ],
)
def test_svg_structure_problems_name_the_element_line(svg: str, line: int, message: str) -> None:
    findings = svg_findings(svg.encode())
    assert [(f.line, str(f.message)) for f in findings] == [(line, message)]


def test_ordinary_svg_features_pass() -> None:
    svg = (
        b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<defs><linearGradient id="g"><stop offset="0"/><stop offset="1"/></linearGradient>
<circle id="dot" r="3" fill="url(#g)" style="stroke: url( '#g' )"/></defs>
<style>.a { fill: url(#g); }</style>
"""
        + b'<use xlink:href="#dot" x="4"/>\n' * 2000
        + b"</svg>"
    )
    assert svg_findings(svg) == []


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("PNG", png_header(4096, 3072), None),
        ("PNG", png_header(5000, 10), "picture is 5000×10 pixels"),
        ("JPEG", jpeg_header(4032, 3024), None),
        ("JPEG", jpeg_header(6000, 4000), "picture is 6000×4000 pixels"),
        ("GIF", gif(20000, 10), "picture is 20000×10 pixels"),
        ("GIF", gif(100, 100, frame_size=(9000, 9000)), "picture has a frame of 9000×9000 pixels"),
        ("GIF", gif(1920, 1080, frames=3), None),
        ("GIF", gif(2000, 2000), None),
        ("GIF", gif(2000, 2000, frames=2), "picture is an animation of 2000×2000 pixels"),
        (
            "GIF",
            gif(10, 10, frames=MAX_GIF_FRAMES + 1),
            f"picture has more than {MAX_GIF_FRAMES} frames",
        ),
    ],
)
def test_raster_sizes_come_from_the_header(
    tmp_path: Path, kind: str, data: bytes, message: str | None
) -> None:
    path = tmp_path / "picture"
    path.write_bytes(data)
    problem = raster_problem(kind, data[:4096], path, "picture")
    if message is None:
        assert problem is None
    else:
        assert problem is not None
        assert str(problem).startswith(message)


def test_picture_problem_judges_a_file_the_kiosk_is_about_to_draw(tmp_path: Path) -> None:
    good, bomb, huge = tmp_path / "good.svg", tmp_path / "bomb.svg", tmp_path / "huge.png"
    good.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>')
    bomb.write_bytes(nested_use_bomb())
    huge.write_bytes(png_header(16000, 16000))
    assert picture_problem(good) is None
    assert picture_problem(bomb) == f"line 8: {TOO_MANY_DRAWN}"
    assert (picture_problem(huge) or "").startswith("huge.png is 16000×16000 pixels")
    assert picture_problem(tmp_path / "missing.svg") == "cannot be read: No such file or directory"


def test_inline_html_in_course_text_is_reported(package: Path) -> None:
    de = package / "content" / "de.md"
    edit(
        de, "## explain what-is: Was ist ein Videoanruf?", "## explain what-is: Was ist <i>das</i>?"
    )
    edit(de, "Ihre **Familie**.", 'Ihre <a href="https://x.example">Familie</a>.')
    edit(de, "- Internet", "- Internet<br>")
    edit(de, "![Ein Tablet zeigt", "![<img src=x> Ein Tablet zeigt")
    edit(de, "> Tipp: Die App", "> Tipp: <!-- später --> Die App")
    edit(de, "- ( ) Einen Drucker", "- ( ) Einen <b>Drucker</b>")
    edit(de, "  > Richtig: Die Kamera", "  > <em>Richtig</em>: Die Kamera")
    edit(de, "Es können mehrere Antworten richtig sein.", "Wenn 1 < 2 und 3 > 2: <3")

    def html(line: int, tag: str) -> str:
        return (
            f"{DE_MD}:{line}: code blocks and HTML are not supported; write plain text "
            f"(found {tag!r})"
        )

    assert problems() == [
        html(3, "<i>"),
        html(4, '<a href="https://x.example">'),
        html(9, "<br>"),
        html(11, "<img src=x>"),
        html(17, "<!--"),
        html(21, "<em>"),
        html(22, "<b>"),
    ]


def test_shipped_courses_pass() -> None:
    root = Path(__file__).resolve().parents[3] / "courses"
    assert [str(p) for p in problems(*sorted(p for p in root.iterdir() if p.is_dir()))] == []
