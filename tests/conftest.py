"""Shared test setup: GUI tests are marked automatically and every test gets its own data dir."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Tests never need a display; a test that wants a real X server starts Xvfb itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """With output capture off (-s), pytest-qt no longer takes Qt's messages: print them, but
    not the offscreen platform's harmless ones (kiosk.app.HARMLESS_QT_MESSAGES)."""
    if config.getoption("capture") != "no":
        return
    from PySide6.QtCore import (
        QMessageLogContext,
        QtMsgType,
        qFormatLogMessage,
        qInstallMessageHandler,
    )

    from kiosk.app import HARMLESS_QT_MESSAGES

    def print_unless_harmless(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message not in HARMLESS_QT_MESSAGES:
            print(qFormatLogMessage(kind, context, message), file=sys.stderr)

    qInstallMessageHandler(print_unless_harmless)


@pytest.fixture(autouse=True)
def clean_kiosk_logger() -> Iterator[None]:
    """Handlers a test adds to the kiosk's logger (the early-records buffer, stderr, the log
    file) leave with it, so no test sees another's records."""
    root = logging.getLogger("kiosk")
    before, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def pytest_report_header() -> str:
    """Say at the top whether the installer tests run in this run (they need a bundle)."""
    from tests.packaging.installer_gate import report_line

    return report_line()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say it again at the end, beside the counts, where a reader looks for what did not run."""
    from tests.packaging.installer_gate import bundle_given, report_line

    if not bundle_given():
        terminalreporter.write_line(report_line(), yellow=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in item.path.as_posix():
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, empty data directory (what KIOSK_HOME points to on a terminal)."""
    path = tmp_path / "kiosk-home"
    path.mkdir()
    return path
