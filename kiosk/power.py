"""The display's and the terminal's power, through the operating system's own commands.

Linux under cage: `wlopm` (wlr output power management, Debian's package of that name) puts
the screen to sleep and wakes it; without it, or without a Wayland session, the kiosk only
shows black (an LCD then still glows, but burns nothing in). `systemctl poweroff` switches the
terminal off: logind allows it to the user of the active local session, which the kiosk's is
(the unit opens one with PAMName=); with an administrator logged in too it is refused, and the
kiosk blanks instead. Windows: black only; powering off is left to the system's own schedule.

No Qt here; a command's failure is logged, never raised.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence

log = logging.getLogger(__name__)
Runner = Callable[[Sequence[str]], bool]


def run_command(command: Sequence[str]) -> bool:
    """Start ``command`` without waiting for it; False when it cannot be started."""
    try:
        subprocess.Popen(  # noqa: S603 - fixed commands, no shell, nothing typed by anyone
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        log.warning("%s could not be started: %s", command[0], error.strerror)
        return False
    return True


def run_and_wait(command: Sequence[str]) -> bool:
    """Run ``command`` (at most 10 s); True when it succeeded."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed commands, no shell, nothing typed by anyone
            list(command), capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("%s failed: %s", command[0], type(error).__name__)
        return False
    if done.returncode != 0:
        log.warning("%s refused (exit %d): %s", command[0], done.returncode, done.stderr.strip())
        return False
    return True


class DisplayPower:
    """Sends the screen to sleep and wakes it, where the system offers a way."""

    def __init__(
        self,
        *,
        environ: Mapping[str, str] = os.environ,
        which: Callable[[str], str | None] = shutil.which,
        run: Runner = run_command,
    ) -> None:
        wayland = sys.platform.startswith("linux") and bool(environ.get("WAYLAND_DISPLAY"))
        self._wlopm = which("wlopm") if wayland else None
        self._run = run

    @property
    def can_sleep(self) -> bool:
        return self._wlopm is not None

    def sleep(self) -> None:
        if self._wlopm is not None:
            self._run([self._wlopm, "--off", "*"])

    def wake(self) -> None:
        if self._wlopm is not None:
            self._run([self._wlopm, "--on", "*"])


def power_off(run: Runner = run_and_wait, *, platform: str = sys.platform) -> bool:
    """Ask the system to switch the terminal off (Linux only); False when it was refused or
    cannot be asked (the caller blanks the screen instead)."""
    if not platform.startswith("linux") or shutil.which("systemctl") is None:
        return False
    log.info("powering off for the night")
    return run(["systemctl", "poweroff"])
