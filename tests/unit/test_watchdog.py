"""The systemd notify protocol: datagrams to NOTIFY_SOCKET, abstract names, the ping interval."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.watchdog import DEFAULT_PING_MS, notify, ping_interval_ms, supervised


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A real datagram socket where systemd's would be."""
    path = tmp_path / "notify.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.settimeout(2)
    yield receiver, str(path)
    receiver.close()


def test_a_state_arrives_as_one_datagram(listener: tuple[socket.socket, str]) -> None:
    receiver, path = listener
    assert notify("READY=1", {"NOTIFY_SOCKET": path})
    assert receiver.recv(4096) == b"READY=1"


def test_an_abstract_socket_name_is_reached_through_its_nul_byte() -> None:
    name = f"probierladen-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as receiver:
        receiver.bind("\0" + name)
        receiver.settimeout(2)
        assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": "@" + name})
        assert receiver.recv(4096) == b"WATCHDOG=1"


def test_without_a_service_manager_nothing_is_sent() -> None:
    assert not supervised({})
    assert not notify("READY=1", {})


def test_a_socket_that_is_gone_is_logged_and_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert not notify("WATCHDOG=1", {"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})
    assert "WATCHDOG=1" in caplog.text


@pytest.mark.parametrize(
    ("usec", "expected_ms"),
    [
        ("30000000", 15_000),
        ("", DEFAULT_PING_MS),
        ("nonsense", DEFAULT_PING_MS),
        ("0", DEFAULT_PING_MS),
        ("1000", 50),
    ],
)
def test_the_ping_comes_at_half_the_watchdog_time(usec: str, expected_ms: int) -> None:
    assert ping_interval_ms({"WATCHDOG_USEC": usec}) == expected_ms
