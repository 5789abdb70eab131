"""Site configuration: one TOML file, every key declared once with type, default and description.

Each section is a named tuple (immutable, as the whole app shares it); its fields *are* the
schema: `key: Annotated[type, Setting(description, limits…)] = default`. So validation, the typed
object the app uses and the generated reference for administrators can never disagree. (Named
tuples rather than frozen dataclasses: a dataclass compiles its methods when the module loads,
some 5 ms for these sections at every start of the kiosk.)

The annotations are evaluated when the module loads (no `from __future__ import annotations`):
validation reads them from `__annotations__` instead of evaluating strings at every start.
"""

import re
import types
import typing
import zoneinfo
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from kiosk.core.hidden_text import hidden_character
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.core.staff_auth import is_pin_hash
from kiosk.core.toml_text import KeyLines, TomlSyntaxError, read_toml

Check = Callable[[Any], str | None]


class Setting(NamedTuple):
    """What a configuration key means and allows, beside its type and default:
    `key: Annotated[int, Setting("…", minimum=1)] = 7` in a section."""

    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    check: Check | None = None


# The default of every table of texts (immutable, so one object serves them all).
_NO_TEXTS: Mapping[str, str] = types.MappingProxyType({})


# The patterns of the checks are compiled at their first use (`re` keeps them), like the inline
# ones below: a config without closures or blackouts, say, never needs theirs.
_HOURS = r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$"


def check_opening_hours(value: str) -> str | None:
    """'' means closed; otherwise comma-separated 'HH:MM-HH:MM' ranges, in order."""
    if not value.strip():
        return None
    previous_end = -1
    for part in value.split(","):
        match = re.match(_HOURS, part.strip())
        if not match:
            return f"expected 'HH:MM-HH:MM' (e.g. '10:00-18:00'), got {part.strip()!r}"
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end > 24 * 60 or start >= end:
            return f"range {part.strip()!r} ends before it starts"
        if start < previous_end:
            return f"range {part.strip()!r} overlaps the one before"
        previous_end = end
    return None


def _check_languages(value: tuple[str, ...]) -> str | None:
    unknown = [code for code in value if code not in LANGUAGE_CODES]
    if unknown:
        return f"unknown language {unknown[0]!r}; shipped: {', '.join(LANGUAGE_CODES)}"
    if not value:
        return "at least one language is needed"
    if len(set(value)) != len(value):
        return "a language is listed twice"
    return None


def _check_fallback_languages(value: tuple[str, ...]) -> str | None:
    unknown = [code for code in value if code not in LANGUAGE_CODES]
    if unknown:
        return f"unknown language {unknown[0]!r}; shipped: {', '.join(LANGUAGE_CODES)}"
    if len(set(value)) != len(value):
        return "a language is listed twice"
    return None


HELP_TEXT_MAX = 500


def _check_help_text(value: Mapping[str, str]) -> str | None:
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            return f"unknown language {code!r}; shipped: {', '.join(LANGUAGE_CODES)}"
        if not text.strip():
            return f"{code}: the text is empty (leave the language out instead)"
        if len(text) > HELP_TEXT_MAX:
            return f"{code}: at most {HELP_TEXT_MAX} characters; got {len(text)}"
        hidden = hidden_character(text)
        if hidden:
            return f"{code}: the invisible character U+{ord(hidden):04X} is not allowed; delete it"
    return None


def _check_names(value: Mapping[str, str]) -> str | None:
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            return f"unknown language {code!r}; shipped: {', '.join(LANGUAGE_CODES)}"
        if not text.strip() or len(text) > 60:
            return f"{code}: a name has 1 to 60 characters"
        hidden = hidden_character(text)
        if hidden:
            return f"{code}: the invisible character U+{ord(hidden):04X} is not allowed; delete it"
    return None


def _check_pin_hash(value: str) -> str | None:
    if value and not is_pin_hash(value):
        return "must be a hash printed by 'kiosk set-pin --print-hash', never a plain PIN"
    return None


def _check_identifier(value: str) -> str | None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", value):
        return "use 1-40 lowercase letters, digits and '-'"
    return None


class SiteSection(NamedTuple):
    """The place the terminal stands in."""

    name: Annotated[str, Setting("Name of the site, shown on the attract screen.")] = "Probierladen"
    logo: Annotated[
        str,
        Setting("Logo image (PNG or SVG), relative to the config file; empty = the shipped logo."),
    ] = ""
    timezone: Annotated[str, Setting("IANA time zone of the site.")] = "Europe/Berlin"


class LanguagesSection(NamedTuple):
    """Which interface languages the language bar offers."""

    enabled: Annotated[
        tuple[str, ...],
        Setting("Languages offered, in the order of the language bar.", check=_check_languages),
    ] = tuple(LANGUAGE_CODES)
    default: Annotated[
        str, Setting("Language every new session starts in.", choices=LANGUAGE_CODES)
    ] = "de"


class SessionSection(NamedTuple):
    """When an unattended visitor session is wiped."""

    idle_timeout_s: Annotated[
        int,
        Setting(
            "Seconds without input before the 'still here?' warning.", minimum=15, maximum=3600
        ),
    ] = 90
    warning_s: Annotated[
        int,
        Setting(
            "Seconds the warning counts down before the session is wiped.", minimum=5, maximum=300
        ),
    ] = 30
    notice_s: Annotated[
        int,
        Setting(
            "Seconds the attract screen says that the data was deleted.", minimum=2, maximum=60
        ),
    ] = 8


class StaffSection(NamedTuple):
    """Staff mode: how it is opened and how long it stays open."""

    pin_hash: Annotated[
        str,
        Setting(
            "scrypt hash of the staff PIN (from 'kiosk set-pin --print-hash'); "
            "a PIN set with 'kiosk set-pin' on the terminal takes precedence.",
            check=_check_pin_hash,
        ),
    ] = ""
    idle_timeout_s: Annotated[
        int, Setting("Seconds without input before staff mode closes.", minimum=60, maximum=7200)
    ] = 600
    long_press_s: Annotated[
        float,
        Setting("Seconds to hold the site logo to open the PIN pad.", minimum=1.0, maximum=10.0),
    ] = 3.0


class UiSection(NamedTuple):
    """Screen and input behaviour."""

    onscreen_keyboard: Annotated[
        str,
        Setting(
            "On-screen keyboard: 'auto' (unless a physical keyboard is typing), "
            "'always' or 'never'.",
            choices=("auto", "always", "never"),
        ),
    ] = "auto"


class StorageSection(NamedTuple):
    """The database in the data directory."""

    backups_keep: Annotated[
        int, Setting("Number of daily database backups kept.", minimum=1, maximum=365)
    ] = 7


class OpeningHoursSection(NamedTuple):
    """Opening hours per weekday: '10:00-18:00', several ranges comma-separated, '' = closed."""

    mon: Annotated[str, Setting("Monday.", check=check_opening_hours)] = ""
    tue: Annotated[str, Setting("Tuesday.", check=check_opening_hours)] = ""
    wed: Annotated[str, Setting("Wednesday.", check=check_opening_hours)] = ""
    thu: Annotated[str, Setting("Thursday.", check=check_opening_hours)] = ""
    fri: Annotated[str, Setting("Friday.", check=check_opening_hours)] = ""
    sat: Annotated[str, Setting("Saturday.", check=check_opening_hours)] = ""
    sun: Annotated[str, Setting("Sunday.", check=check_opening_hours)] = ""


class LearningSection(NamedTuple):
    """Learning modules: where the course packages are and what visitors see around them."""

    courses_dir: Annotated[
        str,
        Setting(
            "Folder of course packages, relative to the config file; "
            "empty = the courses shipped with the kiosk."
        ),
    ] = ""
    fallback_languages: Annotated[
        tuple[str, ...],
        Setting(
            "Languages tried in this order when a course step is not translated into the "
            "visitor's language (the course's own main language is the last resort).",
            check=_check_fallback_languages,
        ),
    ] = ("en", "de")
    resume_code_days: Annotated[
        int,
        Setting(
            "Days a printed resume code keeps a visitor's anonymous progress.",
            minimum=1,
            maximum=3650,
        ),
    ] = 180
    card_paper: Annotated[
        str,
        Setting(
            "Paper of the printed resume card: 'a6' (card stock, office printer) or 'receipt' "
            "(80 mm thermal roll).",
            choices=("a6", "receipt"),
        ),
    ] = "a6"
    help_text: Annotated[
        Mapping[str, str],
        Setting(
            "Where to get help from a person, shown at the end of a course: a table of "
            "language code = text (at most 500 characters); "
            "other languages use fallback_languages.",
            check=_check_help_text,
        ),
    ] = _NO_TEXTS


_DAY = r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$"
_BLACKOUT = r"^(\d{4}-\d{2}-\d{2})(?: ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d))?$"


def _check_closures(value: tuple[str, ...]) -> str | None:
    """Days the site is closed: 'YYYY-MM-DD' or a range 'YYYY-MM-DD..YYYY-MM-DD'."""
    for item in value:
        match = re.match(_DAY, item.strip())
        problem = None if match else "expected 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD'"
        if match:
            try:
                first = date.fromisoformat(match.group(1))
                last = date.fromisoformat(match.group(2) or match.group(1))
            except ValueError as error:
                problem = str(error)
            else:
                problem = "the range ends before it starts" if last < first else None
        if problem:
            return f"{item!r}: {problem}"
    return None


def _check_blackouts(value: tuple[str, ...]) -> str | None:
    """Times a device is not lent: 'YYYY-MM-DD' (all day) or 'YYYY-MM-DD HH:MM-HH:MM'."""
    for item in value:
        match = re.match(_BLACKOUT, item.strip())
        problem = None if match else "expected 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM-HH:MM'"
        if match:
            try:
                date.fromisoformat(match.group(1))
            except ValueError as error:
                problem = str(error)
            if match.group(2) and problem is None:
                problem = check_opening_hours(item.strip().split(" ", 1)[1])
        if problem:
            return f"{item!r}: {problem}"
    return None


def _check_language_texts(value: Mapping[str, str]) -> str | None:
    return _check_help_text(value)


def _check_holiday_region(value: str) -> str | None:
    if value and not re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", value):
        return "expected a country code with an optional region, e.g. 'DE-TH' (Thuringia)"
    return None


class BookingsSection(NamedTuple):
    """Device-trial bookings: the rules for the whole site."""

    public_holidays: Annotated[
        str,
        Setting(
            "Closed on the public holidays of this country and region (ISO 3166, e.g. 'DE-TH' for "
            "Thuringia); empty = none.",
            check=_check_holiday_region,
        ),
    ] = ""
    closures: Annotated[
        tuple[str, ...],
        Setting(
            "Further days the site is closed: 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD'.",
            check=_check_closures,
        ),
    ] = ()
    no_show_minutes: Annotated[
        int,
        Setting(
            "A booking not checked in this many minutes after its start is released for others.",
            minimum=1,
            maximum=240,
        ),
    ] = 15
    purge_days: Annotated[
        int,
        Setting("Days after the slot when the visitor's name is deleted.", minimum=0, maximum=90),
    ] = 7
    house_rules: Annotated[
        Mapping[str, str],
        Setting(
            "House rules printed on the booking slip: a table of language code = text (at most "
            "500 characters); other languages use [learning] fallback_languages.",
            check=_check_language_texts,
        ),
    ] = _NO_TEXTS
    slip_paper: Annotated[
        str,
        Setting(
            "Paper of the printed booking slip: 'a6' or 'receipt' (80 mm thermal roll).",
            choices=("a6", "receipt"),
        ),
    ] = "a6"


class StatsSection(NamedTuple):
    """Anonymised usage statistics for the city and its open-data portal."""

    k: Annotated[
        int,
        Setting(
            "Counts from 1 to k-1 are never published (nor cells they could be recomputed from).",
            minimum=2,
            maximum=100,
        ),
    ] = 5
    retention_days: Annotated[
        int,
        Setting(
            "Days raw usage events are kept; after that only the daily counts remain.",
            minimum=1,
            maximum=3650,
        ),
    ] = 90
    publisher: Annotated[str, Setting("Who publishes the figures; empty = the site name.")] = ""
    publisher_uri: Annotated[
        str, Setting("A URI for the publisher in the DCAT-AP.de metadata (optional).")
    ] = ""
    contact_email: Annotated[
        str, Setting("Contact e-mail for the open-data portal (optional).")
    ] = ""
    municipality_key: Annotated[
        str,
        Setting(
            "Amtlicher Gemeindeschlüssel of the place (spatial coverage), e.g. 16053000 for Jena.",
            check=lambda value: (
                None
                if re.fullmatch(r"\d{8}|", value)
                else "expected the 8 digits of the Amtlicher Gemeindeschlüssel"
            ),
        ),
    ] = "16053000"
    publish_url: Annotated[
        str,
        Setting(
            "Web address the exported files will be published under (for the metadata); empty = "
            "the export folder."
        ),
    ] = ""


class Device(NamedTuple):
    """A device visitors can try out (one [[devices]] table each)."""

    id: Annotated[str, Setting("Unique short id, e.g. 'tablet-1'.", check=_check_identifier)]
    kind: Annotated[
        str, Setting("Kind of device, e.g. 'tablet', 'vr-headset'.", check=_check_identifier)
    ]
    name: Annotated[str, Setting("Name shown to visitors.")]
    names: Annotated[
        Mapping[str, str],
        Setting(
            "The name in other languages: a table of language code = name.", check=_check_names
        ),
    ] = _NO_TEXTS
    description: Annotated[
        Mapping[str, str],
        Setting(
            "Short description per language (at most 500 characters): "
            "a table of language code = text.",
            check=_check_language_texts,
        ),
    ] = _NO_TEXTS
    photo: Annotated[
        str,
        Setting(
            "Photo (PNG, JPEG or SVG), relative to the config file; empty = a picture of its kind."
        ),
    ] = ""
    location: Annotated[str, Setting("Where in the room it is.")] = ""
    staff_help: Annotated[bool, Setting("A member of staff helps with this device.")] = False
    approval: Annotated[
        bool, Setting("Bookings wait for a member of staff to approve them (e.g. VR for children).")
    ] = False
    min_minutes: Annotated[int, Setting("Shortest booking in minutes.", minimum=5, maximum=480)] = (
        15
    )
    max_minutes: Annotated[int, Setting("Longest booking in minutes.", minimum=5, maximum=480)] = 60
    step_minutes: Annotated[
        int, Setting("Slots start every this many minutes from opening.", minimum=5, maximum=120)
    ] = 15
    buffer_minutes: Annotated[
        int,
        Setting(
            "Turnaround after each use (charging, wiping) during which it is not lent.",
            minimum=0,
            maximum=240,
        ),
    ] = 10
    lead_minutes: Annotated[
        int,
        Setting("How long before its start a slot can still be booked.", minimum=0, maximum=10080),
    ] = 0
    advance_days: Annotated[
        int, Setting("How many days ahead visitors can book.", minimum=0, maximum=365)
    ] = 14
    blackouts: Annotated[
        tuple[str, ...],
        Setting(
            "Times it is not lent: 'YYYY-MM-DD' (all day) or 'YYYY-MM-DD HH:MM-HH:MM'.",
            check=_check_blackouts,
        ),
    ] = ()


class SiteConfig(NamedTuple):
    """The whole site configuration."""

    site: SiteSection = SiteSection()
    languages: LanguagesSection = LanguagesSection()
    session: SessionSection = SessionSection()
    staff: StaffSection = StaffSection()
    ui: UiSection = UiSection()
    storage: StorageSection = StorageSection()
    opening_hours: OpeningHoursSection = OpeningHoursSection()
    learning: LearningSection = LearningSection()
    bookings: BookingsSection = BookingsSection()
    stats: StatsSection = StatsSection()
    devices: tuple[Device, ...] = ()
    source: Path | None = None  # not a key: where this configuration was read from

    def courses_root(self) -> Path:
        """The folder of course packages: [learning] courses_dir, else the shipped courses."""
        from kiosk import resources

        if self.learning.courses_dir:
            return self.resolve(self.learning.courses_dir)
        return resources.COURSES

    def resolve(self, relative: str) -> Path:
        """A path from the config file, relative to the file's folder."""
        base = self.source.parent if self.source else Path.cwd()
        return (base / relative).resolve()


SECTIONS: dict[str, type[NamedTuple]] = {
    "site": SiteSection,
    "languages": LanguagesSection,
    "session": SessionSection,
    "staff": StaffSection,
    "ui": UiSection,
    "storage": StorageSection,
    "opening_hours": OpeningHoursSection,
    "learning": LearningSection,
    "bookings": BookingsSection,
    "stats": StatsSection,
}
TABLE_ARRAYS: dict[str, type[NamedTuple]] = {"devices": Device}


class Problem(NamedTuple):
    """One thing wrong in a config file, printed as FILE:LINE: key: message."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


class ConfigError(Exception):
    """The configuration cannot be used; `problems` says why, one line each."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class KeyInfo(NamedTuple):
    """One declared key, for the generated reference and its tests."""

    path: str
    type_name: str
    default: Any
    description: str
    minimum: float | None
    maximum: float | None
    choices: tuple[str, ...] | None
    required: bool


def declared_keys() -> Iterator[KeyInfo]:
    """Every key the config file may contain, in declaration order."""
    for section, cls in [*SECTIONS.items(), *TABLE_ARRAYS.items()]:
        prefix = f"{section}[]" if section in TABLE_ARRAYS else section
        defaults = cls._field_defaults
        for name, (hint, meta) in _schema(cls).items():
            yield KeyInfo(
                path=f"{prefix}.{name}",
                type_name=_type_name(hint),
                default=defaults.get(name),
                description=meta.description,
                minimum=meta.minimum,
                maximum=meta.maximum,
                choices=meta.choices,
                required=name not in defaults,
            )


def _schema(cls: Any) -> dict[str, tuple[Any, Setting]]:
    """Per key of a section: its value type and its Setting (from `Annotated[type, Setting]`)."""
    return {
        name: (hint.__origin__, hint.__metadata__[0]) for name, hint in cls.__annotations__.items()
    }


def _type_name(hint: Any) -> str:
    if typing.get_origin(hint) is tuple:
        return "list of " + _type_name(typing.get_args(hint)[0])
    if typing.get_origin(hint) is Mapping:
        return "table of " + _type_name(typing.get_args(hint)[1])
    return {str: "string", int: "integer", float: "number", bool: "boolean"}.get(hint, str(hint))


def _type_error(value: Any, hint: Any) -> str | None:
    """Strict TOML type check: booleans are not numbers, integers are accepted as numbers."""
    if typing.get_origin(hint) is tuple:
        if not isinstance(value, list):
            return f"expected a list, got {_toml_type(value)}"
        for item in value:
            problem = _type_error(item, typing.get_args(hint)[0])
            if problem:
                return f"list item {item!r}: {problem}"
        return None
    if typing.get_origin(hint) is Mapping:
        if not isinstance(value, dict):
            return f"expected a table, got {_toml_type(value)}"
        for key, item in value.items():
            problem = _type_error(item, typing.get_args(hint)[1])
            if problem:
                return f"{key}: {problem}"
        return None
    ok = {
        str: isinstance(value, str),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, int | float) and not isinstance(value, bool),
        bool: isinstance(value, bool),
    }[hint]
    return None if ok else f"expected {_type_name(hint)}, got {_toml_type(value)}"


def _toml_type(value: Any) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list"}
    return names.get(type(value), "table" if isinstance(value, dict) else type(value).__name__)


def load_config(path: Path) -> SiteConfig:
    """Read and validate a site config file; raises ConfigError listing every problem."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError([Problem(name, 1, "file", f"cannot read: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError([Problem(name, line, "file", "not UTF-8 text")]) from None
    return parse_config(text, name, source=path)


def parse_config(text: str, name: str = "<config>", source: Path | None = None) -> SiteConfig:
    """Validate TOML text; raises ConfigError listing every problem."""
    try:
        data = read_toml(text)
    except TomlSyntaxError as error:
        raise ConfigError([Problem(name, error.line, "syntax", error.message)]) from None
    problems: list[Problem] = []
    lines: KeyLines | None = None  # indexed at the first problem: a good file needs none

    def report(message: str, *path: str) -> None:
        nonlocal lines
        if lines is None:
            lines = KeyLines(text)
        display = ".".join(p if not p.isdigit() else f"[{p}]" for p in path).replace(".[", "[")
        problems.append(Problem(name, lines.line(*path), display, message))

    sections: dict[str, Any] = {}
    for key, value in data.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                report(f"expected a table [{key}], got {_toml_type(value)}", key)
                continue
            sections[key] = _build(SECTIONS[key], value, (key,), report)
        elif key in TABLE_ARRAYS:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                report(f"expected [[{key}]] tables, got {_toml_type(value)}", key)
                continue
            items = [
                _build(TABLE_ARRAYS[key], item, (key, str(i)), report)
                for i, item in enumerate(value)
            ]
            sections[key] = tuple(item for item in items if item is not None)
        else:
            known = ", ".join([*SECTIONS, *TABLE_ARRAYS])
            report(f"unknown key (known sections: {known})", key)

    config = SiteConfig(**{k: v for k, v in sections.items() if v is not None}, source=source)
    _cross_checks(config, report)
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line))
    return config


def _build(
    cls: Any, values: Mapping[str, Any], path: tuple[str, ...], report: Callable[..., None]
) -> Any:
    declared = _schema(cls)
    accepted: dict[str, Any] = {}
    failed = False
    for key, value in values.items():
        if key not in declared:
            report(f"unknown key (known: {', '.join(declared)})", *path, key)
            failed = True
            continue
        hint, meta = declared[key]
        problem = _type_error(value, hint) or _range_error(value, meta)
        if problem:
            report(problem, *path, key)
            failed = True
            continue
        accepted[key] = _frozen(value)
    for key in declared:
        if key not in cls._field_defaults and key not in values:
            report("required key is missing", *path, key)
            failed = True
    return None if failed else cls(**accepted)


def _frozen(value: Any) -> Any:
    """TOML lists and tables as immutable values (the config is shared by the whole app)."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return types.MappingProxyType(dict(value))
    return value


def _range_error(value: Any, meta: Setting) -> str | None:
    if meta.choices is not None and value not in meta.choices:
        return f"must be one of {', '.join(meta.choices)}; got {value!r}"
    if meta.minimum is not None and value < meta.minimum:
        return f"must be at least {meta.minimum:g}; got {value!r}"
    if meta.maximum is not None and value > meta.maximum:
        return f"must be at most {meta.maximum:g}; got {value!r}"
    return meta.check(value) if meta.check else None


def _cross_checks(config: SiteConfig, report: Callable[..., None]) -> None:
    if config.languages.default not in config.languages.enabled:
        report("the default language must be one of languages.enabled", "languages", "default")
    seen: set[str] = set()
    for index, device in enumerate(config.devices):
        if device.id in seen:
            report(f"device id {device.id!r} is used twice", "devices", str(index), "id")
        seen.add(device.id)
        if device.photo:
            photo = config.resolve(device.photo)
            if photo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
                report("the photo must be PNG, JPEG or SVG", "devices", str(index), "photo")
            elif not photo.is_file():
                report(f"no such file: {photo}", "devices", str(index), "photo")
        if device.min_minutes > device.max_minutes:
            report("min_minutes is longer than max_minutes", "devices", str(index), "min_minutes")
    try:
        zoneinfo.ZoneInfo(config.site.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        report(f"unknown time zone {config.site.timezone!r}", "site", "timezone")
