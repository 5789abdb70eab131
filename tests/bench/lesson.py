"""Step switch in the lesson player: from a tap on Next to the new step painted.

Measured on the real window (offscreen) against a baseline in the same run: a bare
QStackedWidget of the same size switching between two full-screen labels, repainted the same
way. The ratio says what the lesson player adds to the cheapest possible page change.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QStackedWidget

from kiosk import resources
from kiosk.app import build_app
from kiosk.config import load_config


def _baseline_ms(rounds: int) -> float:
    stack = QStackedWidget()
    stack.resize(1280, 800)
    pages = [QLabel(f"Seite {i}", stack) for i in range(2)]
    for page in pages:
        stack.addWidget(page)
    stack.show()
    QApplication.processEvents()
    times = []
    for i in range(rounds):
        started = time.perf_counter()
        stack.setCurrentIndex(i % 2)
        pages[i % 2].setText(f"Schritt {i}")
        stack.repaint()
        times.append((time.perf_counter() - started) * 1000)
    stack.close()
    return statistics.median(times)


def run(passes: int = 3) -> dict[str, float]:
    """Median time per step switch over every step of every shipped course."""
    with tempfile.TemporaryDirectory() as home:
        app = build_app(load_config(resources.DEMO_CONFIG), Path(home), open_storage_now=True)
        window = app.window
        window.resize(1280, 800)
        window.show()
        window.start_session("de")
        times: list[float] = []
        for _ in range(passes):
            for course in window.catalogue:
                window.open_course(course.id, course.steps[0].id)
                QApplication.processEvents()
                for _step in course.steps[1:]:
                    started = time.perf_counter()
                    window.lesson.go_next()
                    window.repaint()
                    times.append((time.perf_counter() - started) * 1000)
        window.close()
        if app.desk.storage is not None:
            app.desk.storage.close()
    step_ms = statistics.median(times)
    baseline = _baseline_ms(len(times))
    return {
        "step_switch_ms": step_ms,
        "step_switch_worst_ms": max(times),
        "step_switch_baseline_ms": baseline,
        "step_switch_ratio": step_ms / baseline,
    }
