"""What a course picture may cost to show: pixel sizes from file headers, SVG structure limits.

A picture is judged by what drawing it would take, never by drawing it: raster sizes come from
the PNG, JPEG and GIF headers (nothing is decoded), and an SVG is read with expat, refusing
entity declarations and external entities (the "billion laughs" and external-file tricks),
counting its elements, their nesting, and how many elements `<use>` and other `#id` references
make the renderer draw (a 2 KB file of nested `<use>` elements can stand for billions). The
checker reports these at `kiosk courses check`; the kiosk asks again before it draws, since a
package can change after it was checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4096
MAX_PIXELS = 4096 * 3072  # 12.5 megapixels: a 4032×3024 phone photo fits; ~50 MB decoded
MAX_ANIMATED_PIXELS = 1920 * 1080  # per frame of an animated GIF, decoded again every frame
MAX_GIF_FRAMES = 300
MAX_SVG_ELEMENTS = 10_000
MAX_SVG_DEPTH = 40
MAX_SVG_DRAWN = 50_000  # elements drawn once `<use>` and other references are followed

SNIFF_BYTES = 4096  # enough for an SVG's XML prolog, DOCTYPE and comments
# Frame headers (SOFn) carry a JPEG's size; C4, C8 and CC are other markers in the same range.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_NO_LENGTH = frozenset({0x01, *range(0xD0, 0xDA)})
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)
_NOT_SHOWN = {
    "script": "scripts are not allowed in pictures",
    "foreignObject": "<foreignObject> (HTML inside a picture) is not allowed",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a picture is too costly or unsafe to show, at a line of the picture's file."""

    line: int
    message: str


# -- raster pictures ---------------------------------------------------------------------------


def _size_problem(width: int, height: int, *, animated: bool = False) -> str | None:
    pixels = width * height
    if width > MAX_SIDE or height > MAX_SIDE or pixels > MAX_PIXELS:
        return (
            f"is {width}×{height} pixels; pictures may be at most {MAX_SIDE} pixels wide and "
            f"high and {MAX_PIXELS / 1e6:.1f} megapixels (e.g. 4096×3072); make it smaller"
        )
    if animated and pixels > MAX_ANIMATED_PIXELS:
        return (
            f"is an animation of {width}×{height} pixels; animated GIFs may be at most "
            f"{MAX_ANIMATED_PIXELS:,} pixels (e.g. 1920×1080); make it smaller"
        )
    return None


def raster_problem(kind: str, head: bytes, path: str | Path) -> str | None:
    """Why a PNG, JPEG or GIF is too large to show (the size its header declares), if it is.

    `head` holds the file's first bytes (all of it if shorter than SNIFF_BYTES); the rest is
    read only when the header needs it (a JPEG's size after its metadata, a GIF's frames). The
    message follows the picture's name: "images/x.png is 16000×16000 pixels; …". A file whose
    header cannot be read passes here: the kiosk cannot draw it either and shows its
    description.
    """
    if kind == "PNG":
        # The IHDR chunk is always first: width and height, 4 bytes each, big-endian.
        if head[12:16] != b"IHDR" or len(head) < 24:
            return None
        width, height = int.from_bytes(head[16:20]), int.from_bytes(head[20:24])
        return _size_problem(width, height)
    data = head if len(head) < SNIFF_BYTES else _read_at_most(path, MAX_IMAGE_BYTES)
    if kind == "JPEG":
        size = _jpeg_size(data)
        return None if size is None else _size_problem(*size)
    if kind == "GIF":
        return _gif_problem(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's frame header, walking the marker segments before it."""
    at = 2
    end = len(data)
    while at + 4 <= end:
        if data[at] != 0xFF:
            return None  # not a marker where one must be: a damaged file
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _JPEG_NO_LENGTH:
            at += 2
            continue
        if marker in _JPEG_FRAMES:
            if at + 9 > end:
                return None
            height = int.from_bytes(data[at + 5 : at + 7])
            width = int.from_bytes(data[at + 7 : at + 9])
            return width, height
        if marker == 0xDA:  # the image data starts before any frame header: damaged
            return None
        at += 2 + int.from_bytes(data[at + 2 : at + 4])
    return None


def _gif_problem(data: bytes) -> str | None:
    """A GIF's canvas and each frame against the limits, and its number of frames.

    The blocks are walked by their length bytes; no pixel data is decompressed.
    """
    if len(data) < 13:
        return None
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    problem = _size_problem(width, height)
    if problem:
        return problem
    at = 13
    if data[10] & 0x80:  # a global colour table follows the header
        at += 3 << ((data[10] & 0x07) + 1)
    frames = 0
    end = len(data)
    while at < end:
        block = data[at]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then data sub-blocks
            at = _skip_sub_blocks(data, at + 2)
        elif block == 0x2C:  # a frame: its position, size, flags, colour table, LZW data
            if at + 10 > end:
                break
            frames += 1
            frame_width = int.from_bytes(data[at + 5 : at + 7], "little")
            frame_height = int.from_bytes(data[at + 7 : at + 9], "little")
            problem = _size_problem(frame_width, frame_height)
            if problem:
                return f"has a frame that {problem.removeprefix('is ')}"
            flags = data[at + 9]
            at += 10
            if flags & 0x80:
                at += 3 << ((flags & 0x07) + 1)
            at = _skip_sub_blocks(data, at + 1)  # (after the LZW minimum code size)
        else:
            break  # damaged: what Qt draws of it is bounded by the frames counted so far
        if frames > MAX_GIF_FRAMES:
            return (
                f"has more than {MAX_GIF_FRAMES} frames; animated GIFs may have at most "
                f"{MAX_GIF_FRAMES}; shorten the animation"
            )
    if frames > 1:
        return _size_problem(width, height, animated=True)
    return None


def _skip_sub_blocks(data: bytes, at: int) -> int:
    """The position after a chain of GIF data sub-blocks (length byte, data; 0 ends it)."""
    end = len(data)
    while at < end:
        length = data[at]
        at += 1 + length
        if length == 0:
            break
    return at


# -- SVG -----------------------------------------------------------------------------------------


class _RefusedError(Exception):
    """Ends reading an SVG that is refused already (its cost is not worth finding out)."""


class _SvgScan:
    """Reads an SVG once, keeping its element tree (as indices) and its `#id` references."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._said: set[str] = set()  # kinds of problem reported (each once per file)
        self.lines: list[int] = []
        self.children: list[list[int]] = []
        self.references: list[list[tuple[str, int]]] = []  # (id, line) per element
        self.ids: dict[str, int] = {}
        self._open: list[int] = []
        self._open_names: list[str] = []  # local names of the open elements
        self._in_style = 0
        self.parser = expat.ParserCreate()
        parser = self.parser
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.EntityDeclHandler = self._entity
        parser.UnparsedEntityDeclHandler = self._unparsed_entity
        parser.ExternalEntityRefHandler = self._external_entity

    def say(self, kind: str, line: int, message: str) -> None:
        if kind not in self._said:
            self._said.add(kind)
            self.findings.append(Finding(line, message))

    # expat handlers ------------------------------------------------------------------------

    def _entity(self, name: str, *_rest: object) -> None:
        self.say(
            "entity",
            self.parser.CurrentLineNumber,
            f"entity declarations (<!ENTITY {name} …>) are not allowed in pictures; "
            "save the picture as plain SVG",
        )
        raise _RefusedError

    def _unparsed_entity(self, name: str, *_rest: object) -> None:
        self._entity(name)

    def _external_entity(self, *_rest: object) -> int:
        self.say(
            "entity",
            self.parser.CurrentLineNumber,
            "external entities are not allowed in pictures; save the picture as plain SVG",
        )
        raise _RefusedError

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        line = self.parser.CurrentLineNumber
        index = len(self.lines)
        if index >= MAX_SVG_ELEMENTS:
            self.say(
                "elements",
                line,
                f"the picture has more than {MAX_SVG_ELEMENTS:,} elements; simplify it "
                "(e.g. fewer points or combined shapes)",
            )
            raise _RefusedError
        if self._open:
            self.children[self._open[-1]].append(index)
        self.lines.append(line)
        self.children.append([])
        self.references.append([])
        self._open.append(index)
        local = name.rpartition(":")[2]
        self._open_names.append(local)
        if len(self._open) > MAX_SVG_DEPTH:
            self.say(
                "depth",
                line,
                f"elements are nested more than {MAX_SVG_DEPTH} deep; ungroup some of them",
            )
        if local in _NOT_SHOWN:
            self.say(local, line, _NOT_SHOWN[local])
        if local == "style":
            self._in_style += 1
        for attribute, value in attributes.items():
            key = attribute.rpartition(":")[2]
            if key == "id":
                self.ids.setdefault(value, index)
            elif key == "href":
                self._reference(index, value.strip(), line)
            elif key.lower().startswith("on"):
                self.say("script", line, "scripts are not allowed in pictures")
            if "url(" in value or "URL(" in value:
                self._urls(index, value, line)

    def _end(self, _name: str) -> None:
        self._open.pop()
        if self._open_names.pop() == "style":
            self._in_style -= 1

    def _text(self, text: str) -> None:
        if not self._in_style:
            return
        # The buffered text is handed over when the markup after it starts: it began as many
        # lines further up as it holds line ends.
        first = self.parser.CurrentLineNumber - text.count("\n")
        found = _IMPORT.search(text)
        if found:
            line = first + text.count("\n", 0, found.start())
            self.say("external", line, _external_message("@import"))
        if "url(" in text or "URL(" in text:
            for url in _URL.finditer(text):
                line = first + text.count("\n", 0, url.start())
                self._reference(self._open[-1], url.group(1), line)

    # references ----------------------------------------------------------------------------

    def _urls(self, index: int, value: str, line: int) -> None:
        for target in _URL.findall(value):
            self._reference(index, target, line)

    def _reference(self, index: int, target: str, line: int) -> None:
        if target.startswith("#") and len(target) > 1:
            self.references[index].append((target[1:], line))
        else:
            self.say("external", line, _external_message(target))


def _external_message(target: str) -> str:
    shown = target if len(target) <= 40 else f"{target[:37]}…"
    return (
        f"the picture refers to {shown!r}; pictures may refer only to their own parts "
        "('#id'), never to other files, web addresses or embedded data"
    )


def svg_findings(data: bytes) -> list[Finding]:
    """What makes an SVG unsafe or too costly to draw, each at its element's line."""
    scan = _SvgScan()
    try:
        scan.parser.Parse(data, True)
    except _RefusedError:
        return scan.findings
    except expat.ExpatError as error:
        scan.findings.append(
            Finding(error.lineno, f"not a well-formed SVG: {expat.ErrorString(error.code)}")
        )
        return scan.findings
    _check_fan_out(scan)
    return scan.findings


def _check_fan_out(scan: _SvgScan) -> None:
    """Count the elements drawn once every reference is followed, as a renderer does.

    Each element costs itself, its children and everything it refers to (a `<use>`, a
    `fill="url(#…)"`); costs are summed bottom-up, capped just above the limit, so that a
    nested-`<use>` bomb is counted in as many steps as it has elements. A reference back to an
    element being counted is a loop, which no renderer finishes.
    """
    count = len(scan.lines)
    if not count:
        return
    cap = MAX_SVG_DRAWN + 1
    cost = [0] * count
    state = bytearray(count)  # 0 not seen, 1 being counted, 2 counted
    ids = scan.ids
    for root in range(count):
        if state[root]:
            continue
        state[root] = 1
        # (element, its targets, position in them): an explicit stack, since reference chains
        # can be as long as the file.
        stack = [(root, _targets(scan, root), 0)]
        while stack:
            node, targets, at = stack[-1]
            if at < len(targets):
                stack[-1] = (node, targets, at + 1)
                target, line = targets[at]
                if state[target] == 0:
                    state[target] = 1
                    stack.append((target, _targets(scan, target), 0))
                elif state[target] == 1:
                    name = next((k for k, v in ids.items() if v == target), "")
                    scan.say(
                        "loop",
                        line,
                        f"the reference to '#{name}' loops back to itself; the picture can "
                        "never be finished",
                    )
                    return
                continue
            stack.pop()
            total = 1
            for target, _line in targets:
                total += cost[target]
            cost[node] = min(total, cap)
            state[node] = 2
    if cost[0] >= cap or max(cost) >= cap:
        referring = [i for i in range(count) if scan.references[i]]
        worst = max(referring, key=lambda i: (cost[i], -i)) if referring else 0
        scan.say(
            "drawn",
            scan.lines[worst],
            f"'<use>' and other '#id' references here make the picture draw more than "
            f"{MAX_SVG_DRAWN:,} elements; draw the shapes directly or use fewer nested copies",
        )


def _targets(scan: _SvgScan, node: int) -> list[tuple[int, int]]:
    """An element's children and the elements it refers to (unknown ids are skipped, as
    renderers do), each with the line that leads there."""
    line = scan.lines[node]
    targets = [(child, line) for child in scan.children[node]]
    ids = scan.ids
    for name, at in scan.references[node]:
        target = ids.get(name)
        if target is not None:
            targets.append((target, at))
    return targets


def _read_at_most(path: str | Path, size: int) -> bytes:
    with open(path, "rb") as file:  # noqa: PTH123 - str or Path, as the callers have it
        return file.read(size)
