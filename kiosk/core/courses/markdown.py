"""The step parser: the small Markdown subset of content/<lang>.md, line by line.

Supported: `## <kind> <step-id>: <title>` step headings, paragraphs, `**bold**`, `- ` bullet lists,
one `![alt](path)` image per step, one `> ` tip in try steps, and quiz answers
`- ( )`/`- (x)` or `- [ ]`/`- [x]`, each followed by one `  > ` feedback line. Everything else
that Markdown would render differently (numbered lists, other headings, links…) is reported,
so that what the author previews is what the kiosk shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kiosk.core.courses.model import ID_PATTERN, Block, BulletList, Paragraph, Quiz, QuizOption
from kiosk.core.courses.model import StepKind as Kind
from kiosk.core.courses.problems import Report

MAX_STEPS = 100
_KINDS = {kind.value: kind for kind in Kind}
_STEP_SPLIT = re.compile(r"\n(##(?!#)[^\n]*)")
_HEADING = re.compile(r"##\s*(\S+)\s+([^\s:]+)\s*:\s*(.*)")
# First characters of lines that may be markup; any other line is running text.
_MARKUP_START = frozenset("-*+>!#<`~0123456789")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*([^)]*?)\s*\)")
_OPTION = re.compile(r"-\s+(?:\(([ xX]?)\)|\[([ xX]?)\])(?:\s+(.*))?")
_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
_NUMBERED = re.compile(r"\d{1,3}[.)]\s")
_HTML = re.compile(r"</?[A-Za-z]")
_OTHER_HEADING = re.compile(r"#{1,6}(?:\s|$)")  # "#hashtag" is text, "# Title" a heading
_HEADING_EXAMPLE = "'## explain what-is: What is a video call?'"


@dataclass(frozen=True)
class ParsedImage:
    """An image reference as written; the loader checks the file."""

    alt: str
    source: str
    line: int


@dataclass
class ParsedStep:
    """One step of one language file, before it is checked against the other languages."""

    kind: Kind | None  # None: the heading named an unknown kind (already reported)
    id: str
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    image: ParsedImage | None = None
    hint: str | None = None
    quiz: Quiz | None = None


def parse_steps(text: str, report: Report) -> list[ParsedStep]:
    """All steps of a content file in order; problems go to `report(line, message)`."""
    steps: list[ParsedStep] = []
    first_line: dict[str, int] = {}
    # ["\n" + text before the first step, heading, body, heading, body, …]; each body starts
    # with the line end of its heading. A leading "\n" lets the split search for the literal
    # "\n##", which is far faster than a ^ anchor on every position.
    parts = _STEP_SPLIT.split("\n" + text)
    number = parts[0].count("\n")
    for index in range(1, len(parts), 2):
        number += 1  # the line end before this heading was taken by the split
        step = _heading(parts[index].rstrip(), number, report)
        if step.id in first_line:
            report(
                number, f"step id {step.id!r} is used twice (first on line {first_line[step.id]})"
            )
        first_line.setdefault(step.id, number)
        if len(steps) == MAX_STEPS:
            report(number, f"a course has at most {MAX_STEPS} steps")
        steps.append(step)
        body = parts[index + 1]
        _StepBuilder(step, report).build(body, number)
        number += body.count("\n")
    if not steps:
        report(1, f"no steps: a step starts with a heading like {_HEADING_EXAMPLE}")
    for step in steps[:-1]:
        if step.kind is Kind.SUMMARY:
            report(step.line, "a summary step must be the last step")
    return steps


def _heading(line: str, number: int, report: Report) -> ParsedStep:
    match = _HEADING.fullmatch(line)
    if not match:
        report(
            number,
            f"a step heading looks like '## <kind> <step-id>: <title>', e.g. {_HEADING_EXAMPLE}",
        )
        return ParsedStep(None, f"?{number}", "", number)
    kind_name, step_id, title = match.groups()
    kind = _KINDS.get(kind_name)
    if kind is None:
        report(number, f"unknown step kind {kind_name!r} (known: {', '.join(_KINDS)})")
    if not ID_PATTERN.fullmatch(step_id):
        report(number, f"step id {step_id!r} must be lowercase letters, digits and '-'")
    if not title.strip():
        report(number, "the step has no title after the ':'")
    _check_inline(title, number, report)
    return ParsedStep(kind, step_id, title.strip(), number)


def _check_inline(text: str, number: int, report: Report) -> str:
    """Report inline Markdown the kiosk cannot show; return the text unchanged."""
    if text.count("**") % 2:
        report(number, "unmatched '**': bold text needs '**' before and after it")
    if "](" in text:
        if "![" in text:
            report(
                number, "an image must stand on a line of its own: ![description](images/file.svg)"
            )
        elif _LINK.search(text):
            report(number, "links cannot be opened on the kiosk; write the address as plain text")
    return text


@dataclass
class _Option:
    text: str
    correct: bool
    multiple: bool
    line: int
    feedback: str | None = None


class _StepBuilder:
    """Turns the body lines of one step into blocks, image, tip and quiz answers."""

    def __init__(self, step: ParsedStep, report: Report) -> None:
        self._step = step
        self._report = report
        self._is_quiz = step.kind is Kind.QUIZ
        self._paragraph: list[str] = []
        self._paragraph_line = 0
        self._items: list[str] | None = None  # the open bullet list
        self._item_lines: list[int] = []
        self._hint_line = 0
        self._hint_open = False  # plain lines right after a tip continue it, as in Markdown
        self._after_blank = False
        self._options: list[_Option] = []

    def build(self, body: str, heading_line: int) -> None:
        """Read the body below the heading on `heading_line` (`body` starts with its line end).

        Running text is the bulk of every file and takes the short way; every line that
        starts like markup, or that may continue a tip, list item or quiz, takes `_line`.
        """
        number = heading_line
        for line in body.split("\n")[1:]:
            number += 1
            stripped = line.strip()
            if not stripped:
                if self._paragraph:
                    self._close_paragraph()
                self._hint_open = False
                self._after_blank = True
                continue
            if (
                stripped[0] in _MARKUP_START
                or self._options
                or self._hint_open
                or (self._items is not None and not self._after_blank)
            ):
                self._line(number, line, stripped)
            elif self._paragraph:
                self._paragraph.append(stripped)
            else:
                self._close_list()
                self._paragraph = [stripped]
                self._paragraph_line = number
            self._after_blank = False
        self._finish()

    def _line(self, number: int, line: str, stripped: str) -> None:
        first = stripped[0]
        if first == ">":
            self._close_paragraph()
            self._quote(number, stripped[1:].strip())
        elif first == "-" and (stripped == "-" or stripped[1] in " \t"):
            self._close_paragraph()
            self._hint_open = False
            self._bullet(number, line, stripped)
        elif first == "!" and stripped.startswith("!["):
            self._close_paragraph()
            self._hint_open = False
            self._image(number, stripped)
        else:
            self._text(number, stripped)

    def _text(self, number: int, stripped: str) -> None:
        if self._options:
            self._report(
                number, "after the answers only more answers ('- ( ) …') and their feedback follow"
            )
        elif self._unsupported(number, stripped):
            return
        elif self._hint_open:
            self._step.hint = f"{self._step.hint} {stripped}"
        elif self._items is not None and not self._after_blank:
            self._items[-1] = f"{self._items[-1]} {stripped}"  # an item wrapped onto more lines
        else:
            self._close_list()
            if not self._paragraph:
                self._paragraph_line = number
            self._paragraph.append(stripped)

    def _unsupported(self, number: int, stripped: str) -> bool:
        first = stripped[0]
        message = None
        if first == "#" and _OTHER_HEADING.match(stripped):
            message = "only '## ' headings are supported; they start a step (use **bold** inside)"
        elif first in "*+" and stripped[1:2] in (" ", "\t"):
            message = "list items start with '- '"
        elif first.isdigit() and _NUMBERED.match(stripped):
            message = "numbered lists are not supported; use '- ' items (or write 'Step 1: …')"
        elif stripped.startswith(("```", "~~~")) or _HTML.match(stripped):
            message = "code blocks and HTML are not supported; write plain text"
        if message:
            self._report(number, message)
        return message is not None

    def _bullet(self, number: int, line: str, stripped: str) -> None:
        if self._is_quiz:
            self._option(number, stripped)
            return
        if line[0] in " \t":
            self._report(number, "nested lists are not supported; use one level of '- ' items")
            return
        text = stripped[1:].strip()
        if not text:
            self._report(number, "empty list item")
        if self._items is None:
            self._items = []
            self._step.blocks.append(BulletList(()))  # placeholder, filled in by _close_list
        self._items.append(text)
        self._item_lines.append(number)

    def _option(self, number: int, stripped: str) -> None:
        match = _OPTION.fullmatch(stripped)
        if not match:
            self._report(number, "a quiz answer starts with '- ( )', '- (x)', '- [ ]' or '- [x]'")
            return
        single, multiple, text = match.groups()
        mark = single if single is not None else multiple
        text = _check_inline((text or "").strip(), number, self._report)
        if not text:
            self._report(number, "the answer has no text")
        self._options.append(_Option(text, mark in ("x", "X"), multiple is not None, number))

    def _quote(self, number: int, text: str) -> None:
        if self._is_quiz:
            self._feedback(number, _check_inline(text, number, self._report))
        elif self._step.kind not in (Kind.TRY, None):  # None: an unknown kind, reported
            self._report(number, "'> ' tips belong in try steps (in a quiz, '> ' gives feedback)")
        elif self._hint_open:
            self._step.hint = f"{self._step.hint} {text}".strip()
        elif self._step.hint is not None:
            self._report(
                number,
                f"a try step has only one tip ('> …'; the first is on line {self._hint_line})",
            )
        else:
            self._close_list()
            self._step.hint, self._hint_line, self._hint_open = text, number, True

    def _feedback(self, number: int, text: str) -> None:
        if not self._options:
            self._report(number, "feedback ('  > …') belongs right below an answer")
        elif self._options[-1].feedback is not None:
            self._report(number, "each answer has exactly one feedback line")
        else:
            if not text:
                self._report(number, "the feedback is empty")
            self._options[-1].feedback = text

    def _image(self, number: int, stripped: str) -> None:
        match = _IMAGE.fullmatch(stripped)
        if not match:
            self._report(
                number, "an image is written as ![description](images/file.svg), alone on its line"
            )
            return
        alt, source = match.groups()
        if not alt.strip():
            self._report(
                number, "describe the image for people who cannot see it: ![description](…)"
            )
        if self._step.image is not None:
            self._report(
                number, f"only one image per step (the first is on line {self._step.image.line})"
            )
            return
        self._close_list()
        self._step.image = ParsedImage(alt.strip(), source, number)

    def _close_paragraph(self) -> None:
        if self._paragraph:
            text = " ".join(self._paragraph)
            _check_inline(text, self._paragraph_line, self._report)
            self._step.blocks.append(Paragraph(text))
            self._paragraph = []

    def _close_list(self) -> None:
        if self._items is not None:
            for item, line in zip(self._items, self._item_lines, strict=True):
                _check_inline(item, line, self._report)
            self._step.blocks[-1] = BulletList(tuple(self._items))
            self._items = None
            self._item_lines = []

    def _finish(self) -> None:
        self._close_paragraph()
        self._close_list()
        step = self._step
        if step.hint is not None:
            _check_inline(step.hint, self._hint_line, self._report)
        if self._is_quiz:
            step.quiz = self._quiz()
        elif not step.blocks and step.image is None and step.kind is not None:
            self._report(step.line, "the step has no text")

    def _quiz(self) -> Quiz:
        options, step, report = self._options, self._step, self._report
        if len(options) < 2:
            report(step.line, "a quiz needs at least two answers, each '- ( ) …' or '- [ ] …'")
        multiple = bool(options) and options[0].multiple
        for option in options:
            if option.multiple != multiple:
                report(option.line, "do not mix ( ) and [ ] answers in one quiz")
                break
        correct = [option for option in options if option.correct]
        if options and not correct:
            mark = "[x] (one or more)" if multiple else "(x)"
            report(step.line, f"the quiz has no correct answer; mark it with {mark}")
        elif not multiple and len(correct) > 1:
            report(
                correct[1].line,
                "a single-choice quiz has one correct answer (x); use [ ] and [x] for several",
            )
        for option in options:
            if option.feedback is None:
                report(
                    option.line,
                    "the answer has no feedback; add a line like '  > Right: …' below it",
                )
        return Quiz(
            multiple,
            tuple(QuizOption(o.text, o.correct, o.feedback or "") for o in options),
        )
