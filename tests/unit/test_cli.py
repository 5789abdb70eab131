"""The command line as the frozen bundle starts it: its first run-time hook pauses the cyclic
garbage collector (packaging/rthook_gc_paused.py), and `kiosk.cli.main` must resume it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.cli import EXIT_OK, main


@pytest.fixture
def paused_collector() -> Iterator[None]:
    """The collector as the bundle hands it over (and as it was, afterwards)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.usefixtures("paused_collector")
@pytest.mark.parametrize(
    "argv",
    [
        ["courses", "check", str(resources.COURSES)],
        ["check", "--data-dir", "{data}"],
    ],
)
def test_every_command_but_run_resumes_the_collector(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([arg.format(data=tmp_path) for arg in argv]) == EXIT_OK
    assert gc.isenabled()


@pytest.mark.usefixtures("paused_collector")
def test_help_and_version_resume_the_collector(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert gc.isenabled()
