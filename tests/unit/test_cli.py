"""The command line's entry point: exit codes, and what each command loads (and must not)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kiosk
from kiosk import resources
from kiosk.cli import COMMANDS, EXIT_OK, _command, _parser, main

SHIPPED_COURSES = [path for path in resources.COURSES.iterdir() if path.is_dir()]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["courses", "check", str(resources.COURSES)], f"{len(SHIPPED_COURSES)} courses OK\n"),
        (
            ["check", "--data-dir", "{data}"],
            "Speech: voices for de, de-x-ls, en, uk, ar, ru, tr, fa\n"
            f"{resources.DEMO_CONFIG}: ok\n",
        ),
    ],
    ids=["courses check", "check"],
)
def test_commands_return_their_exit_code(
    argv: list[str], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([arg.format(data=tmp_path) for arg in argv]) == EXIT_OK
    assert capsys.readouterr().out == said


def test_version_exits_through_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"kiosk {kiosk.__version__}\n"


def _loaded_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``code``."""
    shown = "import sys; print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\n{shown}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(result.stdout.split())


@pytest.mark.slow
def test_courses_check_runs_without_qt_or_the_database() -> None:
    loaded = _loaded_after(
        "from kiosk.cli import main\n"
        f"assert main(['courses', 'check', {str(resources.COURSES)!r}]) == 0"
    )
    assert "kiosk" in loaded
    assert not {"PySide6", "shiboken6", "sqlite_utils"} & loaded


@pytest.mark.slow
def test_kiosk_run_loads_neither_the_database_nor_openssl_before_its_window() -> None:
    # The database and the staff PIN gate open after the first frame (kiosk.app); the command
    # that starts the kiosk must not load sqlite-utils or OpenSSL (~60 ms together) first.
    loaded = _loaded_after("import kiosk.commands.run")
    assert "PySide6" in loaded
    assert not {"sqlite_utils", "_hashlib"} & loaded


def test_every_command_the_parser_offers_has_a_module_that_carries_it_out() -> None:
    offered = set(_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert offered == set(COMMANDS)
    for name in COMMANDS:
        assert callable(_command(name)), name
