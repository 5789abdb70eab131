"""Site configuration: one TOML file, every key declared once with type, default and description.

settings.py   how a key is declared (Setting, setting()) and read back from a section
checks.py     the rules of values beyond type and range
sections.py   the schema: one frozen dataclass per section, and SiteConfig
devices.py    the schema of each [[devices]] table
loading.py    reading and validating a file, problems as FILE:LINE: key: message
reference.py  every declared key as data, for the administrators' reference (imported by the tool)
"""

from kiosk.config.checks import HELP_TEXT_MAX, check_opening_hours
from kiosk.config.devices import Device
from kiosk.config.loading import ConfigError, Problem, load_config, parse_config
from kiosk.config.sections import (
    SECTIONS,
    TABLE_ARRAYS,
    BookingsSection,
    HubSection,
    LanguagesSection,
    LearningSection,
    OpeningHoursSection,
    SessionSection,
    SiteConfig,
    SiteSection,
    StaffSection,
    StatsSection,
    StorageSection,
    UiSection,
)
from kiosk.config.settings import Check, Setting

__all__ = [
    "HELP_TEXT_MAX",
    "SECTIONS",
    "TABLE_ARRAYS",
    "BookingsSection",
    "Check",
    "ConfigError",
    "Device",
    "HubSection",
    "LanguagesSection",
    "LearningSection",
    "OpeningHoursSection",
    "Problem",
    "SessionSection",
    "Setting",
    "SiteConfig",
    "SiteSection",
    "StaffSection",
    "StatsSection",
    "StorageSection",
    "UiSection",
    "check_opening_hours",
    "load_config",
    "parse_config",
]
