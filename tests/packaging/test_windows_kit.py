"""The Windows setup script and Shell Launcher script, read as text (no Windows here): the data
folder is not open to every user, and a config that fails its check stops the rollout visibly."""

from __future__ import annotations

import re
from pathlib import Path

WINDOWS = Path(__file__).resolve().parents[2] / "packaging" / "windows"


def sections(text: str) -> dict[str, list[str]]:
    """The lines of each [Section] of an Inno Setup script, comments and blank lines left out,
    continuation lines (ending in a backslash) joined."""
    found: dict[str, list[str]] = {}
    current: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        heading = re.fullmatch(r"\[(\w+)\]", line)
        if heading and not pending:
            current = found.setdefault(heading.group(1), [])
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        current.append(pending + line)
        pending = ""
    return found


def test_the_data_folder_is_not_writable_by_every_local_user() -> None:
    setup = sections((WINDOWS / "kiosk.iss").read_text())
    (data_dir,) = [line for line in setup["Dirs"] if "\\data" in line]
    assert "Permissions" not in data_dir  # was users-modify: every local user could write
    (acl,) = [line for line in setup["Run"] if "icacls.exe" in line]
    assert "/inheritance:r" in acl and "/grant:r" in acl
    granted = re.findall(r"(\*S-[\d-]+|\w[\w ]*\w):\(OI\)\(CI\)([FM])", acl)
    assert {who.strip() for who, _ in granted} == {
        "*S-1-5-32-544",  # Administrators
        "*S-1-5-18",  # SYSTEM
        "Probierladen Kiosk",  # the kiosk account's group
    }
    assert "waituntilterminated" in acl
    (group,) = [line for line in setup["Run"] if "net.exe" in line]
    assert setup["Run"].index(group) < setup["Run"].index(acl)


def test_the_config_check_is_visible_and_its_failure_ends_the_setup() -> None:
    setup = sections((WINDOWS / "kiosk.iss").read_text())
    code = "\n".join(setup["Code"])
    assert not [line for line in setup["Run"] if "kiosk.exe" in line and "runhidden" in line]
    check = re.search(r"Exec\(.*?\) or \(ResultCode <> 0\) then", code, re.DOTALL)
    assert check is not None, "the check's exit status must be looked at"
    assert "SW_SHOW" in check.group(0) and "ewWaitUntilTerminated" in check.group(0)
    assert "check --config" in check.group(0)
    assert re.search(r"CurStep = ssPostInstall then\s+CheckSiteConfig\(\)", code)
    assert re.search(r"if ConfigCheckFailed then\s+Result := 1", code)


def test_shell_launcher_refuses_a_config_that_fails_its_check() -> None:
    script = (WINDOWS / "shell-launcher.ps1").read_text()
    check = script.index('kiosk.exe" check --config')
    refuse = script.index("if ($LASTEXITCODE -ne 0)")
    apply = script.index("$bridge.ShellLauncher = [System.Net.WebUtility]")
    assert check < refuse < apply
    assert "throw" in script[refuse:apply]
