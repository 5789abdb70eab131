"""The [[devices]] tables of the site config: one Device for each device visitors can try out."""

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.config.checks import check_blackouts, check_identifier, check_language_texts, check_names
from kiosk.config.settings import NO_TEXTS, required, setting


@dataclass(frozen=True)
class Device:
    """A device visitors can try out (one [[devices]] table each)."""

    id: str = required("Unique short id, e.g. 'tablet-1'.", check=check_identifier)
    kind: str = required("Kind of device, e.g. 'tablet', 'vr-headset'.", check=check_identifier)
    name: str = required("Name shown to visitors.")
    names: Mapping[str, str] = setting(
        NO_TEXTS,
        "The name in other languages: a table of language code = name.",
        check=check_names,
    )
    description: Mapping[str, str] = setting(
        NO_TEXTS,
        "Short description per language (at most 500 characters): a table of language code = text.",
        check=check_language_texts,
    )
    photo: str = setting(
        "",
        "Photo (PNG, JPEG or SVG), relative to the config file; empty = a picture of its kind.",
    )
    location: Mapping[str, str] = setting(
        NO_TEXTS,
        "Where in the room it is, shown to visitors and staff in their language: a table of "
        "language code = text (at most 500 characters; e.g. de = 'Tisch 1', en = 'Table 1'), or "
        "one plain string for every language; other languages use German for Leichte Sprache, "
        "then [learning] fallback_languages.",
        check=check_language_texts,
        plain_text=True,
    )
    staff_help: bool = setting(False, "A member of staff helps with this device.")
    approval: bool = setting(
        False, "Bookings wait for a member of staff to approve them (e.g. VR for children)."
    )
    min_minutes: int = setting(15, "Shortest booking in minutes.", minimum=5, maximum=480)
    max_minutes: int = setting(60, "Longest booking in minutes.", minimum=5, maximum=480)
    step_minutes: int = setting(
        15, "Slots start every this many minutes from opening.", minimum=5, maximum=120
    )
    buffer_minutes: int = setting(
        10,
        "Turnaround after each use (charging, wiping) during which it is not lent.",
        minimum=0,
        maximum=240,
    )
    lead_minutes: int = setting(
        0, "How long before its start a slot can still be booked.", minimum=0, maximum=10080
    )
    advance_days: int = setting(
        14, "How many days ahead visitors can book.", minimum=0, maximum=365
    )
    blackouts: tuple[str, ...] = setting(
        (),
        "Times it is not lent: 'YYYY-MM-DD' (all day) or 'YYYY-MM-DD HH:MM-HH:MM'.",
        check=check_blackouts,
    )
