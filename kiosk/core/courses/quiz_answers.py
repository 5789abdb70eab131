"""The answers of a quiz step as written ('- ( )', '- (x)', '- [ ]', '- [x]') and the quiz they
make, with every problem an author can write into one reported at its line."""

from __future__ import annotations

import re

from kiosk.core.courses.inline_markup import check_inline
from kiosk.core.courses.model import Quiz, QuizOption
from kiosk.core.courses.problems import Report, say
from kiosk.core.i18n import N_

_OPTION = re.compile(r"-\s+(?:\(([ xX]?)\)|\[([ xX]?)\])(?:\s+(.*))?")
# A quiz answer as read: text, correct, multiple (a [ ] answer), line. A plain tuple, built in a
# tenth of the time of a dataclass; its feedback, read on a later line, is kept beside it.
Option = tuple[str, bool, bool, int]


def read_option(stripped: str, number: int, report: Report) -> Option | None:
    """A quiz answer not written like the examples (those are read by the step reader)."""
    match = _OPTION.fullmatch(stripped)
    if not match:
        report(number, say(N_("a quiz answer starts with '- ( )', '- (x)', '- [ ]' or '- [x]'")))
        return None
    single, multiple, text = match.groups()
    mark = single if single is not None else multiple
    text = check_inline((text or "").strip(), number, report)
    if not text:
        report(number, say(N_("the answer has no text")))
    return (text, mark in ("x", "X"), multiple is not None, number)


def read_quiz(
    heading_line: int, options: list[Option], feedbacks: list[str | None], report: Report
) -> Quiz:
    if len(options) < 2:
        report(
            heading_line,
            say(N_("a quiz needs at least two answers, each '- ( ) …' or '- [ ] …'")),
        )
    multiple = bool(options) and options[0][2]
    mixed = False
    correct_lines: list[int] = []
    answers: list[QuizOption] = []
    for (text, correct, option_multiple, line), feedback in zip(options, feedbacks, strict=True):
        if option_multiple is not multiple and not mixed:
            report(line, say(N_("do not mix ( ) and [ ] answers in one quiz")))
            mixed = True
        if correct:
            correct_lines.append(line)
        if feedback is None:
            report(
                line,
                say(N_("the answer has no feedback; add a line like '  > Right: …' below it")),
            )
            feedback = ""
        answers.append(QuizOption(text, correct, feedback))
    if options and not correct_lines:
        report(
            heading_line,
            say(N_("the quiz has no correct answer; mark it with [x] (one or more)"))
            if multiple
            else say(N_("the quiz has no correct answer; mark it with (x)")),
        )
    elif not multiple and len(correct_lines) > 1:
        report(
            correct_lines[1],
            say(N_("a single-choice quiz has one correct answer (x); use [ ] and [x] for several")),
        )
    return Quiz(multiple, tuple(answers))
