"""The systemd notify protocol: tell the service manager the kiosk is ready, alive or stopping.

systemd's unit sets NOTIFY_SOCKET (and WATCHDOG_USEC when it has WatchdogSec=); a process in
the unit sends plain-text datagrams such as "READY=1" or "WATCHDOG=1" to that socket. Names
that start with '@' are Linux abstract sockets. Without NOTIFY_SOCKET (Windows, development, a
unit without watchdog) every call does nothing.

The kiosk runs as a child of cage, not as the unit's main process, so WATCHDOG_PID (the main
process) is not checked here: the unit allows notifications from every process in it
(NotifyAccess=all). No Qt here: the screen's timer that calls `notify` is in kiosk.ui.shell.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

log = logging.getLogger(__name__)
# Without WATCHDOG_USEC (the unit sets no WatchdogSec): ping this often anyway, it is cheap.
DEFAULT_PING_MS = 10_000
SHORTEST_PING_MS = 50  # a floor against a nonsensical WatchdogSec


def notify(state: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Send ``state`` (e.g. "READY=1") to the service manager; False when there is none or it
    could not be reached (logged once per call, never raised: the kiosk runs on without)."""
    address = environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    # Loaded only under a service manager: the socket module is not on the way to the first
    # frame otherwise (see kiosk.logs).
    import socket

    if not hasattr(socket, "AF_UNIX"):
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # an abstract socket's name starts with a NUL byte
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            sender.connect(address)
            sender.sendall(state.encode("utf-8"))
    except OSError as error:
        log.warning("the service manager could not be told %s: %s", state, error.strerror)
        return False
    return True


def ping_interval_ms(environ: Mapping[str, str] = os.environ) -> int:
    """How often to send WATCHDOG=1: half the unit's WatchdogSec (systemd's advice), else 10 s."""
    text = environ.get("WATCHDOG_USEC", "")
    try:
        microseconds = int(text)
    except ValueError:
        return DEFAULT_PING_MS
    if microseconds <= 0:
        return DEFAULT_PING_MS
    return max(SHORTEST_PING_MS, microseconds // 2000)


def supervised(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a service manager listens (NOTIFY_SOCKET is set)."""
    return bool(environ.get("NOTIFY_SOCKET"))
