"""A run without a bundle says that the installer tests did not run, and where they do."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO
from tests.packaging.installer_gate import INSTALLER_TESTS, installer_test_count, report_line


def test_a_run_without_a_bundle_reports_the_installer_tests_it_did_not_run() -> None:
    """`make test` has no bundle: its output names the installer tests it left out, their
    number and the command that runs them (test_admin_guide.py checks CI runs that command)."""
    env = {key: value for key, value in os.environ.items() if key != "KIOSK_BUNDLE"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            str(REPO / "tests" / "packaging" / "test_installer_gate.py"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    count = installer_test_count()
    line = f"installer tests: {count} in tests/packaging/test_installer.py NOT run here"
    # Once in the header, once in the summary at the end.
    assert result.stdout.count(line) == 2, result.stdout
    assert "`make test-installer`" in result.stdout
    assert "test_installer.py::" not in result.stdout  # not collected, not skipped


def test_the_count_is_the_number_of_installer_tests() -> None:
    text = INSTALLER_TESTS.read_text(encoding="utf-8")
    assert installer_test_count() == text.count("\ndef test_") > 10


def test_with_a_bundle_the_line_says_they_run(monkeypatch) -> None:
    monkeypatch.setenv("KIOSK_BUNDLE", "dist/probierladen-kiosk")
    assert report_line() == "installer tests: run against KIOSK_BUNDLE=dist/probierladen-kiosk"
