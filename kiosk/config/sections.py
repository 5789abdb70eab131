"""The site config's schema: one frozen dataclass per TOML section, each field one declared key.

A field *is* the key's declaration: `key: type = setting(default, description, limits…)`. So
validation, the typed object the app uses and the generated reference for administrators can
never disagree. The config is shared by the whole app, hence frozen (lists are tuples, tables
read-only mappings).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk import resources
from kiosk.config.checks import (
    check_closures,
    check_enabled_languages,
    check_holiday_region,
    check_hub_url,
    check_language_codes,
    check_language_texts,
    check_municipality_key,
    check_opening_hours,
    check_pin_hash,
    check_site_id,
)
from kiosk.config.devices import Device
from kiosk.config.export_folder import check_export_folder
from kiosk.config.keyboard import check_keyboard_layout
from kiosk.config.settings import NO_TEXTS, setting
from kiosk.core.i18n import LANGUAGE_CODES


@dataclass(frozen=True)
class SiteSection:
    """The place the terminal stands in."""

    name: str = setting("Probierladen", "Name of the site, shown on the attract screen.")
    logo: str = setting(
        "", "Logo image (PNG or SVG), relative to the config file; empty = the shipped logo."
    )
    timezone: str = setting("Europe/Berlin", "IANA time zone of the site.")


@dataclass(frozen=True)
class LanguagesSection:
    """Which interface languages the language bar offers."""

    enabled: tuple[str, ...] = setting(
        LANGUAGE_CODES,
        "Languages offered, in the order of the language bar.",
        check=check_enabled_languages,
    )
    default: str = setting("de", "Language every new session starts in.", choices=LANGUAGE_CODES)


@dataclass(frozen=True)
class SessionSection:
    """When an unattended visitor session is wiped."""

    idle_timeout_s: int = setting(
        90, "Seconds without input before the 'still here?' warning.", minimum=15, maximum=3600
    )
    lesson_idle_timeout_s: int = setting(
        180,
        "Seconds without input before the 'still here?' warning while a lesson is shown: "
        "reading a long step (in Leichte Sprache, or slowly) takes longer than tapping.",
        minimum=15,
        maximum=3600,
    )
    warning_s: int = setting(
        30,
        "Seconds the warning counts down before the session is wiped.",
        minimum=5,
        maximum=300,
    )
    notice_s: int = setting(
        8, "Seconds the attract screen says that the data was deleted.", minimum=2, maximum=60
    )
    speech_hint_s: int = setting(
        60,
        "Seconds between the quiet spoken hints of the attract screen that say how blind "
        "visitors start speech mode (hold a finger on the screen for two seconds, or press F1), "
        "in the default language and in English; the first comes after that long with nobody "
        "at the kiosk. 0 = never (a quiet room may find it too much).",
        minimum=0,
        maximum=3600,
    )


@dataclass(frozen=True)
class StaffSection:
    """Staff mode: how it is opened and how long it stays open."""

    pin_hash: str = setting(
        "",
        "scrypt hash of the staff PIN (from 'kiosk set-pin --print-hash'); "
        "a PIN set with 'kiosk set-pin' on the terminal takes precedence.",
        check=check_pin_hash,
    )
    idle_timeout_s: int = setting(
        600, "Seconds without input before staff mode closes.", minimum=60, maximum=7200
    )
    long_press_s: float = setting(
        3.0, "Seconds to hold the site logo to open the PIN pad.", minimum=1.0, maximum=10.0
    )


@dataclass(frozen=True)
class UiSection:
    """Screen and input behaviour."""

    onscreen_keyboard: str = setting(
        "auto",
        "On-screen keyboard: 'auto' (unless a physical keyboard is typing), 'always' or 'never'.",
        choices=("auto", "always", "never"),
    )
    keyboard_layout: str = setting(
        "de",
        "Keyboard layout of the terminal's keyboards and barcode scanners in the Linux kiosk "
        "session (XKB), e.g. 'de', 'us' or 'de(nodeadkeys)'; on Windows, Windows' own layout.",
        check=check_keyboard_layout,
    )


@dataclass(frozen=True)
class StorageSection:
    """The database in the data directory."""

    backups_keep: int = setting(
        7,
        "Days of daily database backups kept (the newest backup of each day).",
        minimum=1,
        maximum=365,
    )
    export_folder: str = setting(
        "",
        "A fixed folder staff can export to besides USB sticks (absolute path, never inside the "
        "data folder); empty = USB sticks only.",
        check=check_export_folder,
    )


@dataclass(frozen=True)
class OpeningHoursSection:
    """Opening hours per weekday: '10:00-18:00', several ranges comma-separated, '' = closed."""

    mon: str = setting("", "Monday.", check=check_opening_hours)
    tue: str = setting("", "Tuesday.", check=check_opening_hours)
    wed: str = setting("", "Wednesday.", check=check_opening_hours)
    thu: str = setting("", "Thursday.", check=check_opening_hours)
    fri: str = setting("", "Friday.", check=check_opening_hours)
    sat: str = setting("", "Saturday.", check=check_opening_hours)
    sun: str = setting("", "Sunday.", check=check_opening_hours)


@dataclass(frozen=True)
class LearningSection:
    """Learning modules: where the course packages are and what visitors see around them."""

    courses_dir: str = setting(
        "",
        "Folder of course packages, relative to the config file; "
        "empty = the courses shipped with the kiosk.",
    )
    fallback_languages: tuple[str, ...] = setting(
        ("en", "de"),
        "Languages tried in this order when a course step is not translated into the "
        "visitor's language (the course's own main language is the last resort).",
        check=check_language_codes,
    )
    resume_code_days: int = setting(
        180,
        "Days a printed resume code keeps a visitor's anonymous progress.",
        minimum=1,
        maximum=3650,
    )
    card_paper: str = setting(
        "a6",
        "Paper of the printed resume card: 'a6' (card stock, office printer) or 'receipt' "
        "(80 mm thermal roll).",
        choices=("a6", "receipt"),
    )
    help_text: Mapping[str, str] = setting(
        NO_TEXTS,
        "Where to get help from a person, shown at the end of a course: a table of "
        "language code = text (at most 500 characters); "
        "other languages use fallback_languages.",
        check=check_language_texts,
    )


@dataclass(frozen=True)
class BookingsSection:
    """Device-trial bookings: the rules for the whole site."""

    public_holidays: str = setting(
        "",
        "Closed on the public holidays of this country and region (ISO 3166, e.g. 'DE-TH' for "
        "Thuringia); empty = none.",
        check=check_holiday_region,
    )
    closures: tuple[str, ...] = setting(
        (),
        "Further days the site is closed: 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD'.",
        check=check_closures,
    )
    no_show_minutes: int = setting(
        15,
        "A booking not checked in this many minutes after its start is released for others.",
        minimum=1,
        maximum=240,
    )
    purge_days: int = setting(
        7, "Days after the slot when the visitor's name is deleted.", minimum=0, maximum=90
    )
    house_rules: Mapping[str, str] = setting(
        NO_TEXTS,
        "House rules printed on the booking slip: a table of language code = text (at most "
        "500 characters); other languages use [learning] fallback_languages.",
        check=check_language_texts,
    )
    reception: Mapping[str, str] = setting(
        NO_TEXTS,
        "Where visitors show their booking code, said on the booked page (e.g. de = 'Empfang im "
        "Erdgeschoss'): a table of language code = text (at most 500 characters); other "
        "languages use [learning] fallback_languages; none = 'the desk'.",
        check=check_language_texts,
    )
    slip_paper: str = setting(
        "a6",
        "Paper of the printed booking slip: 'a6' or 'receipt' (80 mm thermal roll).",
        choices=("a6", "receipt"),
    )
    # The choices are kiosk.core.bookings.OFFLINE_POLICIES (a test keeps them equal): the
    # booking rules load after the kiosk's first frame, the config before it.
    offline_bookings: str = setting(
        "provisional",
        "What a terminal joined to a hub does with a booking when the hub does not answer "
        "within [hub] timeout_s: 'provisional' books it on this terminal and says so on screen "
        "and slip; the hub confirms it once the terminal is back online, or, if the time was "
        "given to someone else meanwhile, staff see a conflict to move to a free time. "
        "'refuse' books nothing and sends the visitor to the desk. A terminal without a hub "
        "always books.",
        choices=("provisional", "refuse"),
    )
    max_open_per_name_per_day: int = setting(
        2,
        "A visitor cannot book at a terminal for a name that already has this many open "
        "bookings (booked or checked in, not yet ended) on that day; names are compared "
        "ignoring case and spaces. Staff may book more. 0 = no limit.",
        minimum=0,
        maximum=100,
    )
    cooldown_s: int = setting(
        30,
        "Seconds a terminal waits after a visitor's booking before it takes the next one "
        "(the visitor is told how long). Staff bookings are not limited. 0 = off.",
        minimum=0,
        maximum=3600,
    )


@dataclass(frozen=True)
class StatsSection:
    """Anonymised usage statistics for the city and its open-data portal."""

    k: int = setting(
        5,
        "Counts from 1 to k-1 are never published (nor cells they could be recomputed from).",
        minimum=2,
        maximum=100,
    )
    retention_days: int = setting(
        90,
        "Days raw usage events are kept; after that only the daily counts remain.",
        minimum=1,
        maximum=3650,
    )
    publisher: str = setting("", "Who publishes the figures; empty = the site name.")
    publisher_uri: str = setting(
        "", "A URI for the publisher in the DCAT-AP.de metadata (optional)."
    )
    contact_email: str = setting("", "Contact e-mail for the open-data portal (optional).")
    municipality_key: str = setting(
        "16053000",
        "Amtlicher Gemeindeschlüssel of the place (spatial coverage), e.g. 16053000 for Jena.",
        check=check_municipality_key,
    )
    publish_url: str = setting(
        "",
        "Web address the exported files will be published under (for the metadata); empty = "
        "the export folder.",
    )


@dataclass(frozen=True)
class HubSection:
    """Joining the city's hub (terminal-local: never part of a config pushed to the hub)."""

    url: str = setting(
        "",
        "Address of the hub, e.g. 'https://hub.example.org/'; empty = this terminal stands "
        "alone (plain http:// is accepted only on localhost).",
        check=check_hub_url,
    )
    site: str = setting(
        "",
        "This terminal's site on the hub, as enrolled ('kiosk hub enrol --site').",
        check=check_site_id,
    )
    token_file: str = setting(
        "hub-token",
        "File holding the terminal's token from 'kiosk hub enrol', relative to the config "
        "file; readable by the kiosk's user only.",
    )
    ca_file: str = setting(
        "",
        "Certificate authority (PEM file, relative to the config file) the hub's certificate is "
        "checked against, for a city-internal authority; empty = the public ones shipped with "
        "the kiosk.",
    )
    interval_s: int = setting(
        5, "Seconds between two syncs with the hub while all is well.", minimum=1, maximum=3600
    )
    timeout_s: float = setting(
        2.0,
        "Seconds a visitor waits for the hub's answer to a booking or about a resume code "
        "taken elsewhere (background syncs wait longer); no answer by then: see [bookings] "
        "offline_bookings.",
        minimum=0.5,
        maximum=30.0,
    )


@dataclass(frozen=True)
class PowerSection:
    """What the terminal does outside opening hours ([opening_hours], closures, holidays)."""

    # The choices are kiosk.core.night.NIGHT_MODES (a test keeps them equal).
    night: str = setting(
        "off",
        "Outside opening hours and with nobody at the kiosk: 'off' stays on; 'blank' shows a "
        "black screen and lets the display sleep (a touch shows the kiosk for a minute); "
        "'shutdown' powers the terminal off at closing (switching it on again is the BIOS's or "
        "a timer plug's job: see the guide). Without any opening hours the kiosk stays on.",
        choices=("off", "blank", "shutdown"),
    )
    wake_before_opening_min: int = setting(
        15, "Minutes before opening when the screen wakes.", minimum=0, maximum=240
    )
    sleep_after_closing_min: int = setting(
        15,
        "Minutes after closing when the screen sleeps (or the terminal powers off).",
        minimum=0,
        maximum=240,
    )


@dataclass(frozen=True)
class SiteConfig:
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
    hub: HubSection = HubSection()
    power: PowerSection = PowerSection()
    devices: tuple[Device, ...] = ()
    source: Path | None = None  # not a key: where this configuration was read from

    def courses_root(self) -> Path:
        """The folder of course packages: [learning] courses_dir, else the shipped courses."""
        if self.learning.courses_dir:
            return self.resolve(self.learning.courses_dir)
        return resources.COURSES

    @property
    def joined_hub(self) -> bool:
        """Whether this terminal syncs with a hub (a [hub] url); else it stands alone."""
        return bool(self.hub.url)

    def resolve(self, relative: str) -> Path:
        """A path from the config file, relative to the file's folder."""
        base = self.source.parent if self.source else Path.cwd()
        return (base / relative).resolve()


# The sections of the file by name, in the order of the reference; each [[devices]] table of
# the file is one Device.
SECTIONS: dict[str, type] = {
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
    "hub": HubSection,
    "power": PowerSection,
}
TABLE_ARRAYS: dict[str, type] = {"devices": Device}
