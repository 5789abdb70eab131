"""Start-up time and peak memory of the kiosk against a bare PySide6 window, in the same run.

Both programs are started the same way (a fresh Python process, offscreen), alternately, and
timed from spawn to the line they print once their first window is shown and the event loop
runs. Peak RSS comes from the kernel's accounting of the finished child (``wait4``). That counts
the memory the child had as a fork of this process, before it started Python anew: run it from
a small process (`python -m tests.bench` runs every bench in its own), or a bare window's peak
reads as this process's size.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import kiosk
from tests.bench.figures import Figure, Ratio, report

# Start-up targets of the product: the kiosk's first frame within twice the time a bare PySide6
# window takes to show (measured 1.4-1.75), its peak memory within 1.6 times the bare window's
# (measured 1.58: 86 MiB against 55 MiB).
STARTUP_TARGET = 2.0
MEMORY_TARGET = 1.6

BASELINE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("ProbierLaden Jena")
label.resize(1280, 800)

class FirstFrame(QObject):
    # Ready once the window has been painted, exactly as the kiosk decides it.
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, ready)
        return False

def ready():
    print("ready", flush=True)
    app.quit()

watcher = FirstFrame()
label.installEventFilter(watcher)
label.show()
app.exec()
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_kib: int


def _measure(argv: list[str], env: dict[str, str]) -> Run:
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    assert child.stdout is not None
    ready_at = None
    for line in child.stdout:
        if line.startswith("ready") and ready_at is None:
            ready_at = time.perf_counter()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if ready_at is None or child.returncode != 0:
        raise RuntimeError(f"{argv[-1]!r} did not become ready (exit {child.returncode})")
    return Run(ready_at - started, usage.ru_maxrss)


def run(rounds: int = 11) -> list[Figure]:
    """Alternate kiosk and baseline starts; medians and their ratios."""
    # A terminal runs compiled bytecode (the installer ships .pyc files); a machine that sets
    # PYTHONDONTWRITEBYTECODE would otherwise make the kiosk recompile itself on every start.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(Path(kiosk.__file__).parent, quiet=1)
    kiosk_runs: list[Run] = []
    baseline_runs: list[Run] = []
    with tempfile.TemporaryDirectory() as home:
        kiosk_argv = [sys.executable, "-m", "kiosk", "run", "--exit-when-ready", "--data-dir", home]
        baseline_argv = [sys.executable, "-c", BASELINE]
        _measure(kiosk_argv, env)  # first start creates the database and warms the disk cache
        _measure(baseline_argv, env)
        for _ in range(rounds):
            kiosk_runs.append(_measure(kiosk_argv, env))
            baseline_runs.append(_measure(baseline_argv, env))

    def median(runs: list[Run], attribute: str) -> float:
        return float(statistics.median(getattr(r, attribute) for r in runs))

    return [
        Ratio(
            "startup",
            median(kiosk_runs, "seconds") * 1000,
            median(baseline_runs, "seconds") * 1000,
            "ms",
            STARTUP_TARGET,
            "a bare PySide6 window started the same way, median of alternating starts",
        ),
        Ratio(
            "startup_memory",
            median(kiosk_runs, "peak_rss_kib") / 1024,
            median(baseline_runs, "peak_rss_kib") / 1024,
            "MiB",
            MEMORY_TARGET,
            "peak RSS of the same bare window",
        ),
    ]


if __name__ == "__main__":
    report(run)
