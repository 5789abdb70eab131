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

from kiosk.core.courses.problems import Argument, Message, say, say_counted
from kiosk.core.i18n import N_

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
# Large limits as the messages write them, with thousands separators ("10,000").
_WRITTEN = {limit: f"{limit:,}" for limit in (MAX_ANIMATED_PIXELS, MAX_SVG_ELEMENTS, MAX_SVG_DRAWN)}
_SCRIPTS = say(N_("scripts are not allowed in pictures"))
_NOT_SHOWN = {
    "script": _SCRIPTS,
    "foreignObject": say(
        N_("{element} (HTML inside a picture) is not allowed"), element="<foreignObject>"
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a picture is too costly or unsafe to show, at a line of the picture's file."""

    line: int
    message: Message


# -- raster pictures ---------------------------------------------------------------------------


def _dimensions(width: int, height: int) -> str:
    return f"{width}×{height}"


def _size_problem(
    file: str, width: int, height: int, *, animated: bool = False, frame: bool = False
) -> Message | None:
    """Why a picture (or one frame of it) of this size is too large to draw, if it is."""
    pixels = width * height
    if width > MAX_SIDE or height > MAX_SIDE or pixels > MAX_PIXELS:
        values: dict[str, Argument] = {
            "file": file,
            "size": _dimensions(width, height),
            "n": MAX_SIDE,
        }
        values |= {"megapixels": f"{MAX_PIXELS / 1e6:.1f}", "example": "4096×3072"}
        if frame:
            return say_counted(
                "{file} has a frame of {size} pixels; pictures may be at most {n} pixel wide "
                "and high and {megapixels} megapixels (e.g. {example}); make it smaller",
                "{file} has a frame of {size} pixels; pictures may be at most {n} pixels "
                "wide and high and {megapixels} megapixels (e.g. {example}); make it smaller",
                MAX_SIDE,
                **values,
            )
        return say_counted(
            "{file} is {size} pixels; pictures may be at most {n} pixel wide and high and "
            "{megapixels} megapixels (e.g. {example}); make it smaller",
            "{file} is {size} pixels; pictures may be at most {n} pixels wide and high and "
            "{megapixels} megapixels (e.g. {example}); make it smaller",
            MAX_SIDE,
            **values,
        )
    if animated and pixels > MAX_ANIMATED_PIXELS:
        return say_counted(
            "{file} is an animation of {size} pixels; animated GIFs may be at most {n} "
            "pixel (e.g. {example}); make it smaller",
            "{file} is an animation of {size} pixels; animated GIFs may be at most {n} "
            "pixels (e.g. {example}); make it smaller",
            MAX_ANIMATED_PIXELS,
            file=file,
            size=_dimensions(width, height),
            n=_WRITTEN[MAX_ANIMATED_PIXELS],
            example="1920×1080",
        )
    return None


def raster_problem(kind: str, head: bytes, path: str | Path, file: str) -> Message | None:
    """Why a PNG, JPEG or GIF is too large to show (the size its header declares), if it is.

    `head` holds the file's first bytes (all of it if shorter than SNIFF_BYTES); the rest is
    read only when the header needs it (a JPEG's size after its metadata, a GIF's frames). The
    message names the picture as `file`: "images/x.png is 16000×16000 pixels; …". A file whose
    header cannot be read passes here: the kiosk cannot draw it either and shows its
    description.
    """
    if kind == "PNG":
        # The IHDR chunk is always first: width and height, 4 bytes each, big-endian.
        if head[12:16] != b"IHDR" or len(head) < 24:
            return None
        width, height = int.from_bytes(head[16:20]), int.from_bytes(head[20:24])
        return _size_problem(file, width, height)
    data = head if len(head) < SNIFF_BYTES else _read_at_most(path, MAX_IMAGE_BYTES)
    if kind == "JPEG":
        size = _jpeg_size(data)
        return None if size is None else _size_problem(file, *size)
    if kind == "GIF":
        return _gif_problem(data, file)
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


def _gif_problem(data: bytes, file: str) -> Message | None:
    """A GIF's canvas and each frame against the limits, and its number of frames.

    The blocks are walked by their length bytes; no pixel data is decompressed.
    """
    if len(data) < 13:
        return None
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    problem = _size_problem(file, width, height)
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
            problem = _size_problem(file, frame_width, frame_height, frame=True)
            if problem:
                return problem
            flags = data[at + 9]
            at += 10
            if flags & 0x80:
                at += 3 << ((flags & 0x07) + 1)
            at = _skip_sub_blocks(data, at + 1)  # (after the LZW minimum code size)
        else:
            break  # damaged: what Qt draws of it is bounded by the frames counted so far
        if frames > MAX_GIF_FRAMES:
            return say_counted(
                "{file} has more than {n} frame; animated GIFs may have at most {n}; "
                "shorten the animation",
                "{file} has more than {n} frames; animated GIFs may have at most {n}; "
                "shorten the animation",
                MAX_GIF_FRAMES,
                file=file,
                n=MAX_GIF_FRAMES,
            )
    if frames > 1:
        return _size_problem(file, width, height, animated=True)
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

    def note(self, kind: str, line: int, message: Message) -> None:
        if kind not in self._said:
            self._said.add(kind)
            self.findings.append(Finding(line, message))

    # expat handlers ------------------------------------------------------------------------

    def _entity(self, name: str, *_rest: object) -> None:
        self.note(
            "entity",
            self.parser.CurrentLineNumber,
            say(
                N_(
                    "entity declarations ({declaration}) are not allowed in pictures; "
                    "save the picture as plain SVG"
                ),
                declaration=f"<!ENTITY {name} …>",
            ),
        )
        raise _RefusedError

    def _unparsed_entity(self, name: str, *_rest: object) -> None:
        self._entity(name)

    def _external_entity(self, *_rest: object) -> int:
        self.note(
            "entity",
            self.parser.CurrentLineNumber,
            say(N_("external entities are not allowed in pictures; save the picture as plain SVG")),
        )
        raise _RefusedError

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        line = self.parser.CurrentLineNumber
        index = len(self.lines)
        if index >= MAX_SVG_ELEMENTS:
            self.note(
                "elements",
                line,
                say_counted(
                    "the picture has more than {n} element; simplify it "
                    "(e.g. fewer points or combined shapes)",
                    "the picture has more than {n} elements; simplify it "
                    "(e.g. fewer points or combined shapes)",
                    MAX_SVG_ELEMENTS,
                    n=_WRITTEN[MAX_SVG_ELEMENTS],
                ),
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
            self.note(
                "depth",
                line,
                say_counted(
                    "elements are nested more than {n} deep; ungroup some of them",
                    "elements are nested more than {n} deep; ungroup some of them",
                    MAX_SVG_DEPTH,
                    n=MAX_SVG_DEPTH,
                ),
            )
        if local in _NOT_SHOWN:
            self.note(local, line, _NOT_SHOWN[local])
        if local == "style":
            self._in_style += 1
        for attribute, value in attributes.items():
            key = attribute.rpartition(":")[2]
            if key == "id":
                self.ids.setdefault(value, index)
            elif key == "href":
                self._reference(index, value.strip(), line)
            elif key.lower().startswith("on"):
                self.note("script", line, _SCRIPTS)
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
            self.note("external", line, _external_message("@import"))
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
            self.note("external", line, _external_message(target))


def _external_message(target: str) -> Message:
    shown = target if len(target) <= 40 else f"{target[:37]}…"
    return say(
        N_(
            "the picture refers to {target}; pictures may refer only to their own parts "
            "('#id'), never to other files, web addresses or embedded data"
        ),
        target=repr(shown),
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
            Finding(
                error.lineno,
                say(
                    N_("not a well-formed SVG: {details}"),
                    details=str(expat.ErrorString(error.code)),
                ),
            )
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
                    scan.note(
                        "loop",
                        line,
                        say(
                            N_(
                                "the reference to {target} loops back to itself; the picture "
                                "can never be finished"
                            ),
                            target=f"'#{name}'",
                        ),
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
        scan.note(
            "drawn",
            scan.lines[worst],
            say_counted(
                "'<use>' and other '#id' references here make the picture draw more than "
                "{n} element; draw the shapes directly or use fewer nested copies",
                "'<use>' and other '#id' references here make the picture draw more than "
                "{n} elements; draw the shapes directly or use fewer nested copies",
                MAX_SVG_DRAWN,
                n=_WRITTEN[MAX_SVG_DRAWN],
            ),
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
