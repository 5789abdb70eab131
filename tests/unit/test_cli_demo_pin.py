"""The demo's public PIN never reaches a real site: a copied demo config is refused by
`kiosk check` and `kiosk run` at its line, unless a demonstration in a window asks with --demo."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.cli import EXIT_OK, EXIT_USAGE, main
from kiosk.config import load_config
from kiosk.config.demo_pin import DEMO_PIN_HASH, is_demo_pin_hash
from kiosk.core.staff_auth import DEMO_PIN, hash_pin, verify_pin
from kiosk.speech import languages_with_voice_here


def line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(start))


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """The demo config as an administrator copies it for a site, its name changed."""
    path = tmp_path / "site.toml"
    text = resources.DEMO_CONFIG.read_text(encoding="utf-8")
    path.write_text(text.replace("Probierladen Jena", "Stadtbibliothek"), encoding="utf-8")
    return path


NO_ENGINE = "Speech: no speech engine on this terminal (install espeak-ng); nothing is read aloud"
VOICES = re.compile(r"Speech: voices for (?P<have>.+?)(?:; none for (?P<missing>.+))?")


def assert_checked_ok(out: str, path: Path) -> None:
    """`kiosk check` said `PATH: ok` after its speech line: each language the site enables, in
    the config's order, is named once, as having a voice here or not, as this machine's speech
    engine says (or the line says there is no engine at all)."""
    speech, ok = out.splitlines()
    assert out.endswith("\n")
    assert ok == f"{path}: ok"
    enabled = load_config(path).languages.enabled
    here = languages_with_voice_here()
    if here is None:
        assert speech == NO_ENGINE
        return
    said = VOICES.fullmatch(speech)
    assert said is not None, speech
    have = [] if said["have"] == "no language" else said["have"].split(", ")
    missing = said["missing"].split(", ") if said["missing"] else []
    assert have == [code for code in enabled if code in here], speech
    assert missing == [code for code in enabled if code not in here], speech


def refusal(path: Path) -> str:
    return f"{path}:{line_of(path, 'pin_hash')}: staff.pin_hash: this is the demo's PIN hash"


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_copied_demo_config_is_refused_at_its_line(
    command: str, copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, "--config", str(copied), "--data-dir", str(tmp_path / "data")]
    assert main(argv) == EXIT_USAGE
    captured = capsys.readouterr()
    [said] = captured.err.splitlines()
    assert said.startswith(refusal(copied)), said
    assert "kiosk set-pin" in said
    assert captured.out == ""
    assert not (tmp_path / "data").exists()  # refused before anything was written


def test_the_refusal_also_comes_from_kiosk_with_only_options(
    copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kiosk --kiosk --config FILE` is what the terminal's unit runs."""
    argv = ["--kiosk", "--config", str(copied), "--data-dir", str(tmp_path / "data")]
    assert main(argv) == EXIT_USAGE
    assert capsys.readouterr().err.startswith(refusal(copied))


def test_with_demo_the_copied_config_checks_ok(
    copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--demo", "--config", str(copied), "--data-dir", str(tmp_path / "data")]
    assert main(argv) == EXIT_OK
    assert_checked_ok(capsys.readouterr().out, copied)


def test_demo_and_kiosk_together_are_refused(
    copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["run", "--kiosk", "--demo", "--config", str(copied)],
        ["--kiosk", "--demo"],  # the embedded demo too: --demo is never for a terminal
    ):
        assert main([*argv, "--data-dir", str(tmp_path / "data")]) == EXIT_USAGE
        said = capsys.readouterr().err
        assert "--demo and --kiosk together are refused" in said, said
    assert not (tmp_path / "data").exists()


def test_a_sites_own_pin_and_an_empty_one_pass(
    copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = copied.read_text(encoding="utf-8").split("\n")
    for pin_line in (f'pin_hash = "{hash_pin("8642")}"', 'pin_hash = ""'):
        edited = [pin_line if line.startswith("pin_hash") else line for line in lines]
        copied.write_text("\n".join(edited), encoding="utf-8")
        assert main(["check", "--config", str(copied), "--data-dir", str(tmp_path)]) == EXIT_OK
        assert_checked_ok(capsys.readouterr().out, copied)


def test_the_embedded_demo_keeps_working(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["check"], ["check", "--config", str(resources.DEMO_CONFIG)]):
        assert main([*argv, "--data-dir", str(tmp_path)]) == EXIT_OK
        assert_checked_ok(capsys.readouterr().out, resources.DEMO_CONFIG)


def test_check_names_only_the_languages_the_site_enables(
    copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = copied.read_text(encoding="utf-8")
    enabled = 'enabled = ["de", "de-x-ls", "en", "uk", "ar", "ru", "tr", "fa"]'
    assert enabled in text
    copied.write_text(text.replace(enabled, 'enabled = ["fa", "de"]'), encoding="utf-8")
    argv = ["check", "--demo", "--config", str(copied), "--data-dir", str(tmp_path / "data")]
    assert main(argv) == EXIT_OK
    assert_checked_ok(capsys.readouterr().out, copied)  # fa and de named, in that order, no other


@pytest.mark.slow
def test_kiosk_run_with_demo_starts_on_a_copied_config(copied: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "run",
            "--demo",
            "--config",
            str(copied),
            "--exit-when-ready",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ready startup_ms=")


def test_the_known_demo_hash_is_the_demo_configs_and_its_pin_is_2468() -> None:
    configured = load_config(resources.DEMO_CONFIG).staff.pin_hash
    assert configured == DEMO_PIN_HASH
    assert verify_pin(DEMO_PIN, DEMO_PIN_HASH)
    assert is_demo_pin_hash(f"  {DEMO_PIN_HASH}  ")
    assert not is_demo_pin_hash(hash_pin(DEMO_PIN))  # another salt: not the published hash
    assert not is_demo_pin_hash("")
