"""Invisible characters that have no place in text people type or authors write.

Control characters other than tab and line feed, including C1 controls (U+0080-U+009F: NEL
would split lines differently in Qt), and explicit bidi embeddings, overrides and isolates,
which reorder text invisibly ("Trojan Source"). The implicit marks U+200E/U+200F/U+061C and
the Persian zero-width non-joiner stay allowed: right-to-left writing needs them.

A module of its own (no imports beyond `re`), so the site config can use it without loading the
course package at start-up.
"""

from __future__ import annotations

import re

HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hidden_character(text: str) -> str | None:
    """The first control or text-direction override character in `text`, if there is one."""
    match = HIDDEN.search(text)
    return match.group() if match else None
