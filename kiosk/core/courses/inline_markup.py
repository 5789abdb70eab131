"""Inline markup in course text that the kiosk cannot show (links, inline images, unmatched
bold, HTML tags), reported at its line; shared by the step reader and the quiz reader."""

from __future__ import annotations

import re

from kiosk.core.courses.problems import Report, say
from kiosk.core.i18n import N_

_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
# An HTML tag or comment inside a line: Markdown previews render it, the kiosk would show it as
# typed. "a < b" or "<3" are text.
_INLINE_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|!--)")


def check_inline(text: str, number: int, report: Report) -> str:
    """Report inline Markdown and HTML the kiosk cannot show; return the text unchanged.

    Only a text with a '*', a ']' or a '<' can have any: looking for one character is many
    times faster than for two, and most texts have none (the busiest callers look first and
    save the call).
    """
    if "*" in text and text.count("**") % 2:
        report(number, say(N_("unmatched '**': bold text needs '**' before and after it")))
    if "]" in text and "](" in text:
        if "![" in text:
            report(
                number,
                say(
                    N_("an image must stand on a line of its own: ![description](images/file.svg)")
                ),
            )
        elif _LINK.search(text):
            report(
                number,
                say(N_("links cannot be opened on the kiosk; write the address as plain text")),
            )
    if "<" in text:
        check_html(text, number, report)
    return text


def check_html(text: str, number: int, report: Report) -> None:
    tag = _INLINE_HTML.search(text)
    if tag is not None:
        shown = tag.group() if len(tag.group()) <= 30 else f"{tag.group()[:29]}…"
        report(
            number,
            say(
                N_("code blocks and HTML are not supported; write plain text (found {found})"),
                found=repr(shown),
            ),
        )
