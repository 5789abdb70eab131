"""The step parser: the small Markdown subset of content/<lang>.md, line by line.

Supported: `## <kind> <step-id>: <title>` step headings, paragraphs, `**bold**`, `- ` bullet lists,
one `![alt](path)` image per step, one `> ` tip in try steps, and quiz answers
`- ( )`/`- (x)` or `- [ ]`/`- [x]`, each followed by one `  > ` feedback line. Everything else
that Markdown would render differently (numbered lists, other headings, links…) is reported,
so that what the author previews is what the kiosk shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.core.courses.inline_markup import check_html, check_inline
from kiosk.core.courses.model import (
    ID_PATTERN,
    Block,
    BulletList,
    Image,
    Paragraph,
    StepText,
)
from kiosk.core.courses.model import StepKind as Kind
from kiosk.core.courses.problems import Message, Report, say, say_counted
from kiosk.core.courses.quiz_answers import Option, read_option, read_quiz
from kiosk.core.i18n import N_

MAX_STEPS = 100
_KINDS = {kind.value: kind for kind in Kind}
# Looking up an enum member costs as much as a dozen other operations; these are read per step.
_QUIZ, _TRY, _SUMMARY = Kind.QUIZ, Kind.TRY, Kind.SUMMARY
# Splits a file into the text before the first step and, per step, its heading and its body
# (which starts with the line end of the heading). A heading written just like the example
# below, with a known kind and a valid id, comes taken apart (kind, id, and the title without
# the blanks after it): of all the checks on a heading only the inline markup of its title is
# left to do. Of any other heading comes what follows its '##'. Searching for the literal
# "\n##" is far faster than a ^ anchor at every position.
_STEP_SPLIT = re.compile(
    rf"\n##(?: ({'|'.join(_KINDS)}) ({ID_PATTERN.pattern}): (\S(?:[^\n]*\S)?)[^\S\n]*(?=\n|\Z)"
    r"|(?!#)([^\n]*))"
)
_HEADING = re.compile(r"##\s*(\S+)\s+([^\s:]+)\s*:\s*(.*)")
# First characters of lines that may be markup; any other line is running text.
_MARKUP_START = frozenset("-*+>!#<`~0123456789")
# Alt text and source are stripped after the match: skipping the blanks around the source in the
# pattern needs a lazy repeat, which tries to end at every character (twice the cost of the match).
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")
# Answers written like the examples: (correct, multiple) by the line's first six characters.
_PLAIN_OPTIONS = {
    "- ( ) ": (False, False),
    "- (x) ": (True, False),
    "- [ ] ": (False, True),
    "- [x] ": (True, True),
}
_NUMBERED = re.compile(r"\d{1,3}[.)]\s")
_HTML = re.compile(r"</?[A-Za-z]")
_OTHER_HEADING = re.compile(r"#{1,6}(?:\s|$)")  # "#hashtag" is text, "# Title" a heading
_HEADING_EXAMPLE = "'## explain what-is: What is a video call?'"
_OPEN_LIST = BulletList(())  # stands for the open bullet list until its last item is read

ImageFor = Callable[[str, str, int], Image]
"""The Image of a reference `(source, alt)` written on a line: the caller knows the folder, and
checks the file (reporting a problem at that line)."""


@dataclass(frozen=True, slots=True)
class ParsedStep:
    """One step of one language file: what the loader compares across languages, and the text
    as the kiosk shows it."""

    kind: Kind | None  # None: the heading named an unknown kind (already reported)
    id: str
    line: int
    text: StepText


def parse_steps(text: str, report: Report, image_for: ImageFor) -> dict[str, ParsedStep]:
    """The steps of a content file by id, in file order (of an id used twice, the first);
    problems go to `report(line, message)`."""
    steps: dict[str, ParsedStep] = {}
    count = 0
    summary_line = 0  # of the step before this one, if it is a summary
    # [text before the first step, then five per step: kind, id and title of a heading written
    # like the example (else None), the rest of any other heading (else None), and the body].
    # A heading on the first line has no line end before it; it gets one.
    heading_first = text.startswith("##")
    parts = _STEP_SPLIT.split("\n" + text if heading_first else text)
    number = parts[0].count("\n") + (0 if heading_first else 1)  # the line before the first step
    per_step = iter(parts[1:])
    for kind_name, step_id, title, other, body in zip(*[per_step] * 5, strict=True):
        number += 1  # the line end before this heading was taken by the split
        if other is None:
            kind: Kind | None = _KINDS[kind_name]
            if "*" in title or "]" in title or "<" in title:
                check_inline(title, number, report)
        else:
            kind, step_id, title = _heading(f"##{other}".rstrip(), number, report)
        first = steps.get(step_id)
        if first is not None:
            report(
                number,
                say(
                    N_("step id {id} is used twice (first on line {line})"),
                    id=repr(step_id),
                    line=str(first.line),
                ),
            )
        if count == MAX_STEPS:
            report(
                number,
                say_counted(
                    "a course has at most {n} step",
                    "a course has at most {n} steps",
                    MAX_STEPS,
                    n=MAX_STEPS,
                ),
            )
        count += 1
        if summary_line:
            report(summary_line, say(N_("a summary step must be the last step")))
        summary_line = number if kind is _SUMMARY else 0
        step, number = _read_body(kind, step_id, title, number, body, report, image_for)
        if first is None:
            steps[step_id] = step
    if not count:
        report(
            1,
            say(
                N_("no steps: a step starts with a heading like {example}"),
                example=_HEADING_EXAMPLE,
            ),
        )
    return steps


def _heading(line: str, number: int, report: Report) -> tuple[Kind | None, str, str]:
    """Kind, id and title of a heading not written like the example; its mistakes reported."""
    match = _HEADING.fullmatch(line)
    if not match:
        report(
            number,
            say(
                N_("a step heading looks like '## <kind> <step-id>: <title>', e.g. {example}"),
                example=_HEADING_EXAMPLE,
            ),
        )
        return None, f"?{number}", ""
    kind_name, step_id, title = match.groups()
    kind = _KINDS.get(kind_name)
    if kind is None:
        report(
            number,
            say(
                N_("unknown step kind {kind} (known: {known})"),
                kind=repr(kind_name),
                known=", ".join(_KINDS),
            ),
        )
    if not ID_PATTERN.fullmatch(step_id):
        report(
            number,
            say(N_("step id {id} must be lowercase letters, digits and '-'"), id=repr(step_id)),
        )
    if not title.strip():
        report(number, say(N_("the step has no title after the ':'")))
    check_inline(title, number, report)
    return kind, step_id, title.strip()


def _read_body(
    kind: Kind | None,
    step_id: str,
    title: str,
    heading_line: int,
    body: str,
    report: Report,
    image_for: ImageFor,
) -> tuple[ParsedStep, int]:
    """Read the lines below a step's heading into its blocks, image, tip and quiz answers;
    return the step and the number of the body's last line.

    `body` starts with the line end of the heading on `heading_line`; that (empty) rest of the
    heading line is read like an empty line, which changes nothing. All state lives in local
    variables: running text, the bulk of every file, costs a few operations a line.
    """
    blocks: list[Block] = []
    is_quiz = kind is _QUIZ
    tips_allowed = kind is _TRY or kind is None  # None: unknown kind, reported
    # The open paragraph, its lines joined by spaces as they are read: most paragraphs are one
    # line, which so needs no list and no join ("" when none is open). `+=` extends the string in
    # place, so that a paragraph of many lines costs no more than the join did.
    paragraph = ""
    paragraph_line = 0
    items: list[str] | None = None  # the open bullet list (its block is _OPEN_LIST till then)
    item_lines: list[int] = []
    hint: str | None = None
    hint_line = 0
    hint_open = False  # plain lines right after a tip continue it, as in Markdown
    after_blank = True
    image: tuple[str, str] | None = None  # (alt, source)
    image_line = 0
    options: list[Option] = []
    feedbacks: list[str | None] = []  # of each answer, once its '  > ' line is read
    number = heading_line
    for number, line in enumerate(body.split("\n"), heading_line):
        stripped = line.strip()
        if not stripped:
            if paragraph:  # (what _add_paragraph does, on the path most paragraphs end by)
                # _check_inline reports only an odd number of '**', a ']' or a '<': bold text,
                # common in paragraphs, is checked here without the call.
                if (
                    "]" in paragraph
                    or "<" in paragraph
                    or ("*" in paragraph and paragraph.count("**") % 2)
                ):
                    check_inline(paragraph, paragraph_line, report)
                blocks.append(Paragraph(paragraph))
                paragraph = ""
            hint_open = False
            after_blank = True
            continue
        first = stripped[0]
        if (
            first not in _MARKUP_START
            and not options
            and not hint_open
            and (items is None or after_blank)
        ):
            if paragraph:
                paragraph += f" {stripped}"
            else:
                if items is not None:
                    blocks[-1] = _bullet_list(items, item_lines, report)
                    items = None
                paragraph, paragraph_line = stripped, number
        elif first == ">":
            if paragraph:
                paragraph = _add_paragraph(blocks, paragraph, paragraph_line, report)
            text = stripped[1:].lstrip()  # (`stripped` ends in a non-blank already)
            if is_quiz:
                if "*" in text or "]" in text or "<" in text:
                    check_inline(text, number, report)
                if not options:
                    report(number, say(N_("feedback ('  > …') belongs right below an answer")))
                elif feedbacks[-1] is not None:
                    report(number, say(N_("each answer has exactly one feedback line")))
                else:
                    if not text:
                        report(number, say(N_("the feedback is empty")))
                    feedbacks[-1] = text
            elif not tips_allowed:
                report(
                    number,
                    say(N_("'> ' tips belong in try steps (in a quiz, '> ' gives feedback)")),
                )
            elif hint_open:
                hint = f"{hint} {text}".strip()
            elif hint is not None:
                report(
                    number,
                    say(
                        N_("a try step has only one tip ('> …'; the first is on line {line})"),
                        line=str(hint_line),
                    ),
                )
            else:
                if items is not None:
                    blocks[-1] = _bullet_list(items, item_lines, report)
                    items = None
                hint, hint_line, hint_open = text, number, True
        elif first == "-" and (len(stripped) == 1 or stripped[1] in " \t"):
            if paragraph:
                paragraph = _add_paragraph(blocks, paragraph, paragraph_line, report)
            hint_open = False
            if is_quiz:
                marks = _PLAIN_OPTIONS.get(stripped[:6])
                if marks is not None:  # what _option finds in such a line, without the call
                    text = stripped[6:].lstrip()
                    if "*" in text or "]" in text or "<" in text:
                        check_inline(text, number, report)
                    options.append((text, marks[0], marks[1], number))
                    feedbacks.append(None)
                elif (option := read_option(stripped, number, report)) is not None:
                    options.append(option)
                    feedbacks.append(None)
            elif line[0] in " \t":
                report(
                    number,
                    say(N_("nested lists are not supported; use one level of '- ' items")),
                )
            else:
                text = stripped[1:].lstrip()
                if not text:
                    report(number, say(N_("empty list item")))
                if items is None:
                    items, item_lines = [text], [number]
                    blocks.append(_OPEN_LIST)
                else:
                    items.append(text)
                    item_lines.append(number)
        elif first == "!" and stripped[1:2] == "[":
            if paragraph:
                paragraph = _add_paragraph(blocks, paragraph, paragraph_line, report)
            hint_open = False
            reference = _image(stripped, number, image_line, report)
            if reference is not None:
                if items is not None:
                    blocks[-1] = _bullet_list(items, item_lines, report)
                    items = None
                image, image_line = reference, number
        elif options:
            report(
                number,
                say(
                    N_("after the answers only more answers ('- ( ) …') and their feedback follow")
                ),
            )
        elif (message := _unsupported(stripped)) is not None:
            report(number, message)
        elif hint_open:
            hint = f"{hint} {stripped}"
        elif items is not None and not after_blank:
            items[-1] = f"{items[-1]} {stripped}"  # an item wrapped onto more lines
        else:
            if items is not None:
                blocks[-1] = _bullet_list(items, item_lines, report)
                items = None
            if paragraph:
                paragraph += f" {stripped}"
            else:
                paragraph, paragraph_line = stripped, number
        after_blank = False
    if paragraph:
        _add_paragraph(blocks, paragraph, paragraph_line, report)
    if items is not None:
        blocks[-1] = _bullet_list(items, item_lines, report)
    if hint is not None and ("*" in hint or "]" in hint or "<" in hint):
        check_inline(hint, hint_line, report)
    quiz = None
    if is_quiz:
        quiz = read_quiz(heading_line, options, feedbacks, report)
    elif not blocks and image is None and kind is not None:
        report(heading_line, say(N_("the step has no text")))
    shown = None if image is None else image_for(image[1], image[0], image_line)
    step_text = StepText(title, tuple(blocks), shown, hint, quiz)
    return ParsedStep(kind, step_id, heading_line, step_text), number


def _add_paragraph(blocks: list[Block], text: str, first_line: int, report: Report) -> str:
    """Add the open paragraph to the blocks; return the next one, none yet ("")."""
    check_inline(text, first_line, report)
    blocks.append(Paragraph(text))
    return ""


def _bullet_list(items: list[str], lines: list[int], report: Report) -> BulletList:
    for item, line in zip(items, lines, strict=True):
        if "*" in item or "]" in item or "<" in item:
            check_inline(item, line, report)
    return BulletList(tuple(items))


def _unsupported(stripped: str) -> Message | None:
    """Why a line that starts like markup cannot be shown, if it is markup the kiosk lacks."""
    first = stripped[0]
    if first == "#" and _OTHER_HEADING.match(stripped):
        return say(N_("only '## ' headings are supported; they start a step (use **bold** inside)"))
    if first in "*+" and stripped[1:2] in (" ", "\t"):
        return say(N_("list items start with '- '"))
    if first.isdigit() and _NUMBERED.match(stripped):
        return say(
            N_("numbered lists are not supported; use '- ' items (or write 'Step {number}: …')"),
            number=1,
        )
    if stripped.startswith(("```", "~~~")) or _HTML.match(stripped):
        return say(N_("code blocks and HTML are not supported; write plain text"))
    return None


def _image(stripped: str, number: int, earlier: int, report: Report) -> tuple[str, str] | None:
    """(alt, source) of the image on this line, if it is well written and the step's first (the
    line of an `earlier` one, else 0)."""
    match = _IMAGE.fullmatch(stripped)
    if not match:
        report(
            number,
            say(N_("an image is written as ![description](images/file.svg), alone on its line")),
        )
        return None
    alt, source = match.groups()
    alt = alt.strip()
    if not alt:
        report(
            number,
            say(N_("describe the image for people who cannot see it: ![description](…)")),
        )
    elif "<" in alt:
        check_html(alt, number, report)
    if earlier:
        report(
            number,
            say(N_("only one image per step (the first is on line {line})"), line=str(earlier)),
        )
        return None
    return alt, source.strip()
