"""Whether this run has a bundle for the installer tests, and the line that says so.

The installer tests (test_installer.py) need a built bundle: `make test-installer` builds it and
runs them with KIOSK_BUNDLE set, and CI does that after `make test` (.ci/run). Without a bundle
they are not collected — a skipped test could hide a failure, and a run that skips them all
would look green for the wrong reason — but the run says so in its header and its summary
(tests/conftest.py), so nobody takes a green `make test` for a tested installer.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

INSTALLER_TESTS = Path(__file__).with_name("test_installer.py")


def bundle_given() -> bool:
    return bool(os.environ.get("KIOSK_BUNDLE"))


def installer_test_count() -> int:
    """How many installer tests there are (each a top-level ``def test_`` of the module)."""
    text = INSTALLER_TESTS.read_text(encoding="utf-8")
    return len(re.findall(r"^def test_", text, re.MULTILINE))


def report_line() -> str:
    """One line for the run's header and summary: where the installer tests run."""
    if bundle_given():
        return f"installer tests: run against KIOSK_BUNDLE={os.environ['KIOSK_BUNDLE']}"
    return (
        f"installer tests: {installer_test_count()} in tests/packaging/test_installer.py NOT run "
        "here (KIOSK_BUNDLE unset); `make test-installer` builds the bundle and runs them, "
        "as CI does after `make test` (.ci/run)"
    )
