"""The administrator guide (packaging/README.md) matches the config schema and the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main as kiosk_main
from kiosk.config import SECTIONS, TABLE_ARRAYS
from kiosk.config.reference import declared_keys
from kiosk.tools.config_reference import END, START, reference, replace_block

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "packaging" / "README.md"
# Verbs with their own sub-verbs: `kiosk stats export`, not just `kiosk stats`.
GROUPS = {"courses", "bookings", "stats"}


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def generated_part() -> str:
    return guide_text().split(START, 1)[1].split(END, 1)[0]


def test_config_reference_in_the_guide_is_up_to_date() -> None:
    text = guide_text()
    assert replace_block(text, reference()) == text, (
        "the config reference in packaging/README.md is out of date: "
        "run python -m kiosk.tools.config_reference --write"
    )


def test_every_declared_key_is_in_the_guide() -> None:
    keys_by_section: dict[str, set[str]] = {}
    section = ""
    for line in generated_part().splitlines():
        heading = re.fullmatch(r"#### `\[\[?([a-z_]+)\]\]?`", line)
        if heading:
            section = heading.group(1)
            keys_by_section[section] = set()
        row = re.match(r"\| `([a-z_]+)` \|", line)
        if row:
            keys_by_section[section].add(row.group(1))
    assert set(keys_by_section) == {*SECTIONS, *TABLE_ARRAYS}
    missing = []
    for key in declared_keys():
        section_name, name = key.path.replace("[]", "").split(".", 1)
        if name not in keys_by_section.get(section_name, set()):
            missing.append(key.path)
    assert missing == []


def test_every_table_row_has_five_cells() -> None:
    rows = [line for line in generated_part().splitlines() if line.startswith("| `")]
    assert rows
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)[1:-1]
        assert len(cells) == 5, row


def test_tool_prints_the_reference_and_checks_a_guide(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "kiosk.tools.config_reference"]
    printed = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
    assert printed.stdout == reference()
    stale = tmp_path / "README.md"
    stale.write_text(f"# Guide\n\n{START}\nold\n{END}\n", encoding="utf-8")
    check = [*command, "--check", "--guide", str(stale)]
    assert subprocess.run(check, capture_output=True, check=False, cwd=REPO).returncode == 1
    subprocess.run([*command, "--write", "--guide", str(stale)], check=True, cwd=REPO)
    assert subprocess.run(check, capture_output=True, check=False, cwd=REPO).returncode == 0
    assert stale.read_text(encoding="utf-8").startswith("# Guide\n\n")


def documented_commands() -> set[tuple[str, ...]]:
    """Every `kiosk VERB [SUBVERB]` the guide shows in code (also via the admin command)."""
    code = re.findall(r"```.*?```|`[^`\n]+`", guide_text(), re.DOTALL)
    found: set[tuple[str, ...]] = set()
    pattern = re.compile(
        r"(?:^|[\s/\"\\])(?:kiosk(?:\.exe)?|probierladen-kiosk-admin)\s+([a-z][a-z-]*)(?:\s+([a-z]+))?"
    )
    for snippet in code:
        for verb, sub in pattern.findall(snippet):
            found.add((verb, sub) if verb in GROUPS and sub else (verb,))
    return found


@pytest.mark.parametrize("command", sorted(documented_commands()), ids=" ".join)
def test_documented_commands_exist(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        kiosk_main([*command, "--help"])
    assert done.value.code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.startswith("usage: kiosk")


def test_the_guide_documents_the_admin_tasks() -> None:
    commands = documented_commands()
    for needed in [
        ("set-pin",),
        ("check",),
        ("selftest",),
        ("courses", "check"),
        ("stats", "export"),
        ("bookings", "export"),
    ]:
        assert needed in commands, f"the guide never shows kiosk {' '.join(needed)}"
    text = guide_text()
    for topic in ("KIOSK_HOME", "--data-dir", "backups/", "courses_dir", "Shell Launcher", "cage"):
        assert topic in text


def test_ci_builds_and_tests_the_installer() -> None:
    """As the guide says, CI runs `make test-installer`, which builds the bundle and runs
    tests/packaging/test_installer.py on it (that module is skipped without a bundle)."""
    ci_steps = [
        line.strip()
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip().startswith("make ")
    ]
    assert "make test-installer" in ci_steps, ".ci/run must run the installer tests"
    assert ci_steps.index("make test-installer") > ci_steps.index("make test")
    makefile = (REPO / "Makefile").read_text()
    target = re.search(r"^test-installer:.*?(?=^\S|\Z)", makefile, re.MULTILINE | re.DOTALL)
    assert target is not None, "the Makefile has no test-installer target"
    recipe = target.group(0)
    assert "packaging/build.py" in recipe
    assert "KIOSK_BUNDLE=dist/probierladen-kiosk" in recipe
    assert "tests/packaging/test_installer.py" in recipe


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def test_every_link_inside_the_guide_finds_its_section() -> None:
    text = guide_text()
    anchors = {anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}
    missing = sorted(set(re.findall(r"\]\(#([a-z0-9-]+)\)", text)) - anchors)
    assert missing == []


def test_a_newcomer_finds_every_rollout_step_in_order() -> None:
    headings = [h for h in re.findall(r"^## (.+)$", guide_text(), re.MULTILINE)]
    steps = [
        "Build the installer",
        "Install on Linux",
        "Install on Windows",
        "Staff PIN",
        "Configure a site",
        "Printers",
        "Barcode scanner",
        "Exports and USB drives",
        "Night mode and power",
        "Updates",
        "Data, backups and restore",
        "Logs",
        "Health check and watchdog",
        "Uninstall",
        "Security",
    ]
    assert [h for h in headings if h in steps] == steps
    text = guide_text()
    for topic in (
        "sudo apt-get install make python3-venv",  # before the first make
        '"SSH server"',
        "sha256sum --check",
        "probierladen-kiosk-uninstall --purge",
        "keyboard_layout",
        "unattended-upgrades",
        "timedatectl set-ntp true",
        "Power on",
        "IoT Enterprise",
    ):
        assert topic in text, topic
    assert text.index("sudo apt-get install make python3-venv") < text.index("make installer  ")
