"""Every message that counts something has plural forms: no English source with a count in it is
translated through plain gettext (Russian, Ukrainian and Arabic need several forms per count).

Each placeholder of each marked message is classified below. A count placeholder in a message
without a plural fails; so does a placeholder nobody has classified yet (whoever adds one decides
what it holds), and a digit written into a message unless the number is a fixed fact listed here.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog, Message

from kiosk.tools.catalogues import extract

# Placeholders that hold a count of something: the words around them agree with the number.
COUNTS = frozenset({"n", "minutes", "days", "seconds", "right", "shown"})
# Placeholders holding a number that counts nothing the sentence names ("page 2 of 5",
# "numbers below 5"): no word agrees with it, so no plural form is needed.
NUMBERS = frozenset(
    {"page", "pages", "number", "total", "k", "line", "level", "low", "high", "limit"}
)
# Placeholders holding text: names, dates, times, codes, formatted sizes, lists.
TEXTS = frozenset(
    {
        "booking", "check", "closes", "code", "course", "courses", "date", "day", "details",
        "device", "example", "exception", "file", "first", "folder", "language", "languages",
        "last", "name", "opens", "paper", "path", "place", "printer", "reason", "resume", "size",
        "slot", "status", "text", "time", "title", "when", "start", "end", "command",
        # course problems: keys, ids, quoted values, nested messages, formatted sizes
        "actual", "allowed", "declaration", "element", "encoding", "expected", "found", "here",
        "id", "key", "kind", "known", "megapixels", "other", "problem", "target", "there", "value",
    }
)  # fmt: skip
# Messages where a placeholder with a count's name holds a number that counts nothing.
NOT_COUNTING = {
    "version {n}": "a version number",
    "{course} (version {n})": "a version number",
    "Site settings: version {n} from the city network": "a version number",
    "Site settings version {n} not taken (the last good one stays): {reason}": "a version number",
    "Step {n} of {total}": "a position, 'step 3 of 9'",
}
# Messages with numbers written in (a digit inside a name like "A4" or "F1" is no number): fixed
# facts, so the translator writes the right form and the language's digits; never a count the
# program fills in.
FIXED_NUMBERS = {
    "The PIN must have 4 to 12 digits.": "the PIN's length limits",
    "The PIN may only contain the digits 0 to 9.": "the digits themselves",
    "This PIN is too easy to guess. Do not use a run like 1234 or 4321.": "an example PIN",
    "Please give a reason of up to 80 characters, for example “Workshop”.": "a fixed limit",
    "First name, part of the code, device or time (14:30)": "an example time",
    "Weeks: 1 blocks this day only; 4 blocks the same time on this weekday for four weeks.": (
        "the values of a field"
    ),
    "Codes never contain O, 0, I, 1, L, S, 5, Z, 2, B, 8, U or V.": "characters of codes",
    "Type part of a first name or of the code, a device or a time (14:00), or tap a filter.": (
        "an example time"
    ),
    "receipt roll, 80 mm wide": "a paper size",
    "A6 (105 × 148 mm)": "a paper size",
    "+1 consultation": "the counter's step, always one",
}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^{}]*)?\}")
NUMBER = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?![A-Za-z0-9])")


def placeholder_names(message: Message) -> set[str]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    return {name for text in ids for name in PLACEHOLDER.findall(str(text))}


def singular_id(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, tuple) else message.id)


def plural_problems(catalog: Catalog) -> list[str]:
    """What is wrong with the counting messages of ``catalog``, one line each."""
    found: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        msgid, plural = singular_id(message), isinstance(message.id, tuple)
        names = placeholder_names(message)
        unknown = names - COUNTS - NUMBERS - TEXTS
        if unknown:
            found.append(f"placeholder not classified ({', '.join(sorted(unknown))}): {msgid!r}")
        counts = names & COUNTS if msgid not in NOT_COUNTING else set()
        if counts and not plural:
            found.append(f"counts {{{', '.join(sorted(counts))}}} without ngettext: {msgid!r}")
        if plural and not counts:
            found.append(f"plural without a count placeholder: {msgid!r}")
        if NUMBER.search(msgid) and msgid not in FIXED_NUMBERS:
            found.append(f"digits written into the message: {msgid!r}")
    return found


def test_every_message_that_counts_has_plural_forms() -> None:
    assert plural_problems(extract()) == []


def test_the_tables_list_only_messages_that_exist() -> None:
    """An entry left behind after its message changed would excuse nothing and hide nothing."""
    ids = {singular_id(message) for message in extract() if message.id}
    assert set(NOT_COUNTING) - ids == set()
    assert set(FIXED_NUMBERS) - ids == set()


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        (Message("{minutes} minutes"), "counts {minutes} without ngettext"),
        (Message("last {days} days"), "counts {days} without ngettext"),
        (Message("{n} course packages"), "counts {n} without ngettext"),
        (Message("1 conflict"), "digits written into the message"),
        (Message("Wait 30 seconds."), "digits written into the message"),
        (Message("Min. {minutes}"), "counts {minutes} without ngettext"),
        (Message("{count} bookings"), "placeholder not classified (count)"),
        (Message(("{day} closed", "{day} closed")), "plural without a count placeholder"),
    ],
)
def test_a_counting_message_without_plural_forms_is_found(message: Message, problem: str) -> None:
    catalog = Catalog()
    catalog[message.id] = message
    assert [line.split(":")[0] for line in plural_problems(catalog)] == [problem]


def test_plural_messages_pass() -> None:
    catalog = Catalog()
    catalog.add(("{n} minute", "{n} minutes"))
    catalog.add(("{n} in the last {days} day", "{n} in the last {days} days"))
    catalog.add("Step {n} of {total}")
    catalog.add("Bookings on {day}")
    assert plural_problems(catalog) == []


def test_the_extractor_keeps_plural_pairs_from_python_and_templates() -> None:
    by_id = {singular_id(message): message for message in extract() if message.id}
    python = by_id["{n} minute"]  # kiosk/ui/bookings: tr.ngettext(...)
    assert python.id == ("{n} minute", "{n} minutes")
    template = by_id["{n} terminal"]  # the web desk's Jinja templates
    assert template.id == ("{n} terminal", "{n} terminals")
    assert any(path.endswith(".html") for path, _line in template.locations)
