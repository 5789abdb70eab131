"""Site configuration: the demo loads, and every kind of mistake is reported as FILE:LINE: key."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.config import (
    SECTIONS,
    TABLE_ARRAYS,
    ConfigError,
    Device,
    SiteConfig,
    load_config,
    parse_config,
)
from kiosk.config.reference import declared_keys
from kiosk.tools.config_reference import toml_value


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "site.toml")
    return [str(p) for p in caught.value.problems]


def test_embedded_demo_site_is_valid() -> None:
    config = load_config(resources.DEMO_CONFIG)
    assert config.site.name == "Probierladen Jena"
    assert len(config.devices) >= 4
    assert config.languages.default == "de"
    assert config.opening_hours.mon == ""


def test_empty_file_means_all_defaults() -> None:
    config = parse_config("")
    assert config.session.idle_timeout_s == 90
    assert config.ui.onscreen_keyboard == "auto"
    assert len(config.languages.enabled) == 8


def test_unknown_key_names_its_line() -> None:
    text = '[site]\nname = "X"\n\n[session]\nidle_timeout = 30\n'
    assert problems_of(text) == [
        "site.toml:5: session.idle_timeout: unknown key "
        "(known: idle_timeout_s, lesson_idle_timeout_s, warning_s, notice_s, speech_hint_s)"
    ]


def test_unknown_section() -> None:
    (line,) = problems_of("[colours]\nbackground = 'red'\n")
    assert line.startswith("site.toml:1: colours: unknown key")


def test_wrong_type_and_bool_is_not_a_number() -> None:
    text = '[session]\nidle_timeout_s = "90"\nwarning_s = true\n'
    assert problems_of(text) == [
        "site.toml:2: session.idle_timeout_s: expected integer, got string",
        "site.toml:3: session.warning_s: expected integer, got boolean",
    ]


def test_out_of_range_and_bad_choice() -> None:
    text = '[session]\nidle_timeout_s = 1\n[ui]\nonscreen_keyboard = "sometimes"\n'
    lines = problems_of(text)
    assert lines[0] == "site.toml:2: session.idle_timeout_s: must be at least 15; got 1"
    assert lines[1].startswith("site.toml:4: ui.onscreen_keyboard: must be one of auto, always")


def test_toml_syntax_error_reports_its_line() -> None:
    (line,) = problems_of('[site]\nname = "unterminated\n')
    assert line.startswith("site.toml:2: syntax: ")


def test_absurdly_nested_toml_is_a_syntax_problem_not_a_crash() -> None:
    (line,) = problems_of("[site]\nname = " + "[" * 5000 + "]" * 5000 + "\n")
    assert line == "site.toml:1: syntax: lists or tables are nested far too deeply"


def test_every_problem_is_reported_at_once() -> None:
    text = "[session]\nidle_timeout_s = 2\nwarning_s = 1000\n[site]\nnam = 'x'\n"
    assert len(problems_of(text)) == 3


def test_device_tables_are_checked() -> None:
    text = (
        '[[devices]]\nid = "tablet-1"\nkind = "tablet"\nname = "A"\n\n'
        '[[devices]]\nid = "tablet-1"\nkind = "Tablet!"\n'
    )
    lines = problems_of(text)
    assert "site.toml:8: devices[1].kind: use 1-40 lowercase letters, digits and '-'" in lines
    assert "site.toml:6: devices[1].name: required key is missing" in lines


def test_duplicate_device_ids() -> None:
    device = '[[devices]]\nid = "a"\nkind = "t"\nname = "{}"\n'
    text = device.format("A") + device.format("B")
    assert problems_of(text) == ["site.toml:6: devices[1].id: device id 'a' is used twice"]


def test_opening_hours_format() -> None:
    lines = problems_of('[opening_hours]\nmon = "10-18"\ntue = "14:00-12:00"\n')
    assert lines[0].startswith("site.toml:2: opening_hours.mon: expected 'HH:MM-HH:MM'")
    assert lines[1] == "site.toml:3: opening_hours.tue: range '14:00-12:00' ends before it starts"


def test_default_language_must_be_enabled() -> None:
    (line,) = problems_of('[languages]\nenabled = ["en", "ar"]\ndefault = "de"\n')
    assert (
        line
        == "site.toml:3: languages.default: the default language must be one of languages.enabled"
    )


def test_plain_pin_is_refused() -> None:
    (line,) = problems_of('[staff]\npin_hash = "1234"\n')
    assert "never a plain PIN" in line


def test_not_utf8_and_unreadable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'[site]\nname = "\xff"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    assert str(caught.value.problems[0]) == f"{bad}:2: file: not UTF-8 text"
    with pytest.raises(ConfigError):
        load_config(tmp_path / "missing.toml")


def test_every_key_is_declared_with_a_description() -> None:
    keys = list(declared_keys())
    assert len({k.path for k in keys}) == len(keys)
    assert all(k.description.strip() for k in keys)
    assert {"site.name", "session.idle_timeout_s", "devices[].id"} <= {k.path for k in keys}


def test_every_default_is_a_valid_value() -> None:
    """A file writing out every default reads as an empty file does (and as a device giving only
    its required keys): the declared defaults pass their own checks."""
    device = Device(id="tablet-1", kind="tablet", name="Tablet")
    lines: list[str] = []
    for section in [*SECTIONS, *TABLE_ARRAYS]:
        lines.append(f"[[{section}]]" if section in TABLE_ARRAYS else f"[{section}]")
        for key in declared_keys():
            prefix, name = key.path.split(".")
            if prefix.removesuffix("[]") == section:
                value = getattr(device, name) if key.required else key.default
                lines.append(f"{name} = {toml_value(value)}")
    assert parse_config("\n".join(lines)) == SiteConfig(devices=(device,))
    assert parse_config("") == SiteConfig()


def test_the_config_is_read_only() -> None:
    config = load_config(resources.DEMO_CONFIG)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.session.idle_timeout_s = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.devices[0].name = "Other"  # type: ignore[misc]
    assert isinstance(config.devices, tuple)
    assert isinstance(config.languages.enabled, tuple)
    longer = dataclasses.replace(config.session, idle_timeout_s=300)
    assert (longer.idle_timeout_s, longer.warning_s) == (300, config.session.warning_s)


def test_learning_section_defaults_and_demo() -> None:
    learning = parse_config("").learning
    assert learning.courses_dir == ""
    assert learning.fallback_languages == ("en", "de")
    assert learning.resume_code_days == 180
    assert dict(learning.help_text) == {}
    demo = load_config(resources.DEMO_CONFIG).learning
    assert demo.help_text["de"].startswith("Digitalsprechstunde: Dienstag 10–12 Uhr")
    assert demo.help_text["en"].startswith("Digital consultation: Tuesday 10 am–12 noon")
    with pytest.raises(TypeError):
        demo.help_text["fr"] = "non"  # type: ignore[index]


def test_learning_help_text_is_a_table_of_languages() -> None:
    config = parse_config('[learning.help_text]\nde = "Hilfe"\nuk = "Допомога"\n')
    assert dict(config.learning.help_text) == {"de": "Hilfe", "uk": "Допомога"}
    inline = parse_config('[learning]\nhelp_text = { en = "Help" }\n')
    assert dict(inline.learning.help_text) == {"en": "Help"}


def test_learning_section_problems() -> None:
    text = (
        "[learning]\n"
        'fallback_languages = ["en", "klingon"]\n'
        "resume_code_days = 0\n"
        "courses_dir = 7\n"
        "\n"
        "[learning.help_text]\n"
        'xx = "Hilfe"\n'
    )
    assert problems_of(text) == [
        "site.toml:2: learning.fallback_languages: unknown language 'klingon'; shipped: "
        "de, de-x-ls, en, uk, ar, ru, tr, fa",
        "site.toml:3: learning.resume_code_days: must be at least 1; got 0",
        "site.toml:4: learning.courses_dir: expected string, got integer",
        "site.toml:6: learning.help_text: unknown language 'xx'; shipped: "
        "de, de-x-ls, en, uk, ar, ru, tr, fa",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"Hilfe"', "expected a table, got string"),
        ("{ de = 3 }", "de: expected string, got integer"),
        ('{ de = " " }', "de: the text is empty (leave the language out instead)"),
        (f'{{ en = "{"x" * 501}" }}', "en: at most 500 characters; got 501"),
        (
            '{ en = "Help\\u202Eplease" }',
            "en: the invisible character U+202E is not allowed; delete it",
        ),
    ],
)
def test_learning_help_text_checks(value: str, message: str) -> None:
    text = f"[learning]\nresume_code_days = 3650\nhelp_text = {value}\n"
    assert problems_of(text) == [f"site.toml:3: learning.help_text: {message}"]


def test_table_keys_are_documented() -> None:
    (key,) = [k for k in declared_keys() if k.path == "learning.help_text"]
    assert key.type_name == "table of string"
    assert dict(key.default) == {}


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", ["check", "run"])
def test_cli_bad_config_exits_2_without_traceback(
    command: str, tmp_path: Path, data_dir: Path
) -> None:
    config = tmp_path / "site.toml"
    config.write_text('[session]\nidle_timeout_s = "soon"\n[nope]\n')
    result = run_cli(command, "--config", str(config), data_dir=data_dir)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{config}:2: session.idle_timeout_s: expected integer, got string",
        f"{config}:3: nope: unknown key (known sections: site, languages, session, staff, ui, "
        "storage, opening_hours, learning, bookings, stats, hub, power, devices)",
    ]


def test_cli_check_accepts_the_demo(data_dir: Path) -> None:
    result = run_cli("check", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(": ok")


DEVICE = '[[devices]]\nid = "tablet-1"\nkind = "tablet"\nname = "Tablet"\n'


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('photo = "nope.png"\n', "devices[0].photo: no such file: "),
        ('photo = "tablet.gif"\n', "devices[0].photo: the photo must be PNG, JPEG or SVG"),
        ("min_minutes = 90\nmax_minutes = 60\n", "devices[0].min_minutes: min_minutes is longer"),
        ('blackouts = ["2026-12-32"]\n', "devices[0].blackouts: '2026-12-32': day is out of range"),
        ('blackouts = ["2026-12-01 18:00-10:00"]\n', "ends before it starts"),
        ("buffer_minutes = 500\n", "devices[0].buffer_minutes: must be at most 240; got 500"),
        ('names = { xx = "Tablet" }\n', "devices[0].names: unknown language 'xx'"),
    ],
)
def test_device_rules_are_checked(lines: str, message: str) -> None:
    problems = problems_of(DEVICE + lines)
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('closures = ["2026-12-24..2026-12-20"]\n', "the range ends before it starts"),
        ('closures = ["24.12.2026"]\n', "expected 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD'"),
        ('public_holidays = "Thuringia"\n', "expected a country code with an optional region"),
        ("no_show_minutes = 0\n", "must be at least 1; got 0"),
        ('offline_bookings = "queue"\n', "bookings.offline_bookings: must be one of"),
    ],
)
def test_booking_rules_are_checked(lines: str, message: str) -> None:
    problems = problems_of("[bookings]\n" + lines)
    assert len(problems) == 1 and message in problems[0], problems


def test_the_offline_policies_are_the_ones_the_booking_service_knows() -> None:
    # Declared in the config as plain words: the booking rules load only after the first frame.
    from kiosk.core.bookings import OFFLINE_POLICIES

    (key,) = [key for key in declared_keys() if key.path == "bookings.offline_bookings"]
    assert key.choices == OFFLINE_POLICIES
    assert key.default == "provisional" == OFFLINE_POLICIES[0]
    text = '[bookings]\noffline_bookings = "refuse"\n'
    assert parse_config(text, "site.toml").bookings.offline_bookings == "refuse"


def test_an_unknown_time_zone_is_reported() -> None:
    assert problems_of('[site]\ntimezone = "Europe/Jena"\n') == [
        "site.toml:2: site.timezone: unknown time zone 'Europe/Jena'"
    ]
