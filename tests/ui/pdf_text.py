"""The text Qt's PDF writer put on each page, read back through the fonts' ToUnicode maps.

Qt draws each glyph with its own ``x y Td <gid> Tj`` inside a BT … ET block per run of one
font. The glyphs of a run are put in order of their place on the paper; a run that reads right
to left (Arabic glyphs, in presentation forms) is then reversed, and every run is
NFKC-normalised: the words come back as they were typed. Qt maps the space glyph to a tab.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    found = _STREAM.search(body)
    assert found is not None
    data = found.group(1)
    return zlib.decompress(data) if b"FlateDecode" in body.split(b"stream")[0] else data


def _cmap(text: str) -> dict[int, str]:
    glyphs: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for gid, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            glyphs[int(gid, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block
        ):
            first, last = int(low, 16), int(high, 16)
            if target.startswith("["):
                values = re.findall(r"<([0-9A-Fa-f]+)>", target)
                for offset, uni in enumerate(values):
                    glyphs[first + offset] = bytes.fromhex(uni).decode("utf-16-be")
            else:
                start = int(target[1:-1], 16)
                for offset in range(last - first + 1):
                    glyphs[first + offset] = chr(start + offset)
    return glyphs


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def pdf_pages_text(pdf: bytes) -> list[list[str]]:
    """Each page's runs of text, in the order they were drawn."""
    objects = _objects(pdf)
    cmaps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if found and b"/Type0" in body:
            cmaps[number] = _cmap(_stream(objects[int(found.group(1))]).decode("latin1"))
    pages = []
    for body in objects.values():
        if not re.search(rb"/Type /Page\b(?!s)", body):
            continue
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        resources = re.search(rb"/Resources (\d+) 0 R", body)
        assert contents is not None and resources is not None
        fonts = {
            name.decode(): cmaps.get(int(ref), {})
            for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", objects[int(resources.group(1))])
        }
        runs = []
        content = _stream(objects[int(contents.group(1))]).decode("latin1")
        for block in re.findall(r"BT(.*?)ET", content, re.S):
            font = re.search(r"/(F\d+) [\d.]+ Tf", block)
            glyphs = fonts.get(font.group(1), {}) if font else {}
            placed, x = [], 0.0
            for move, gid in re.findall(r"(-?[\d.]+) -?[\d.]+ Td <([0-9A-Fa-f]+)> Tj", block):
                x += float(move)  # each Td moves from the previous glyph's start
                placed.append((x, glyphs.get(int(gid, 16), "\ufffd")))
            # Left to right as on paper (Qt draws Arabic glyphs in logical order, from the right).
            visual = "".join(char for _x, char in sorted(placed, key=lambda item: item[0]))
            text = unicodedata.normalize("NFKC", visual).replace("\t", " ")
            runs.append(text[::-1] if _right_to_left(text) else text)
        pages.append(runs)
    return pages


def pdf_text(pdf: bytes) -> str:
    """All the text of the PDF, one run a line."""
    return "\n".join("\n".join(runs) for runs in pdf_pages_text(pdf))
