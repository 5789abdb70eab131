"""systemd's watchdog is fed from the UI thread's event loop: pings stop when the loop hangs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.shell.watchdog import WatchdogPinger


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A real datagram socket standing in for systemd's NOTIFY_SOCKET."""
    path = tmp_path / "notify.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.setblocking(False)
    yield receiver, str(path)
    receiver.close()


def drain(receiver: socket.socket) -> list[bytes]:
    """Every datagram waiting now, without waiting for more."""
    found = []
    while True:
        try:
            found.append(receiver.recv(4096))
        except BlockingIOError:
            return found


def test_pings_arrive_while_the_loop_turns_and_stop_while_it_is_blocked(
    qtbot: QtBot, listener: tuple[socket.socket, str]
) -> None:
    receiver, path = listener
    # WatchdogSec=0.2 s: a ping every 100 ms.
    pinger = WatchdogPinger(environ={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"})
    assert pinger.interval_ms == 100
    pinger.start()
    qtbot.wait(650)
    assert pinger.pinging
    turning = drain(receiver)
    assert turning and set(turning) == {b"WATCHDOG=1"}
    assert len(turning) >= 4

    time.sleep(0.6)  # a hung slot: the UI thread does not return to its event loop
    assert drain(receiver) == [], "a blocked loop must not feed the watchdog"

    qtbot.wait(350)
    assert b"WATCHDOG=1" in drain(receiver), "pings resume once the loop turns again"
    pinger.stopping()
    assert drain(receiver) == [b"STOPPING=1"]
    qtbot.wait(300)
    assert drain(receiver) == [], "no pings after stopping"


def test_ready_is_sent_once(qtbot: QtBot, listener: tuple[socket.socket, str]) -> None:
    receiver, path = listener
    pinger = WatchdogPinger(environ={"NOTIFY_SOCKET": path})
    pinger.ready()
    pinger.ready()
    assert drain(receiver) == [b"READY=1"]


def test_without_notify_socket_no_timer_runs(qtbot: QtBot) -> None:
    pinger = WatchdogPinger(environ={})
    pinger.start()
    pinger.ready()
    assert not pinger.pinging


@pytest.mark.slow
def test_the_running_kiosk_says_ready_pings_and_says_stopping(
    data_dir: Path, listener: tuple[socket.socket, str]
) -> None:
    """`kiosk run` under a service manager: READY=1 after the first frame, WATCHDOG=1 from the
    loop, STOPPING=1 when it ends."""
    receiver, path = listener
    env = {**os.environ, "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--exit-when-ready", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    said = drain(receiver)
    assert b"READY=1" in said
    assert b"WATCHDOG=1" in said
    assert said[-1] == b"STOPPING=1"
