"""`make bench`: every performance figure, with its baseline, ratio and target, and a summary.

Each bench runs in a fresh interpreter, so that what one leaves behind (a thousand courses, a
million events, a Qt application) does not slow the next. Exit status 1 only if a ratio misses
its target, if a figure with a target or a limit was not reported at all (EXPECTED), or, with
KIOSK_BENCH_STRICT=1, if an absolute limit (a frame at 60 Hz) is exceeded; figures.py says why
absolute times count only then.
"""

from __future__ import annotations

import subprocess
import sys

from tests.bench.figures import STRICT, Figure, Limit, Ratio, from_json

# Every figure with a target or a limit, per bench: one that does not arrive (a bench that
# stopped reporting it, a renamed figure) fails the bench instead of passing unnoticed.
EXPECTED: dict[str, tuple[str, ...]] = {
    "startup": ("startup", "startup_memory"),
    "courses": ("courses_load", "courses_search", "courses_search_worst_key"),
    "lesson": ("lesson_step_switch", "lesson_step_switch_frame"),
    "bookings": (
        "bookings_free_day",
        "bookings_free_day_frame",
        "booking_commit",
        "booking_commit_time",
    ),
    "stats": ("stats_export",),
    "hub": ("hub_ingest",),
    "hub_bookings": ("hub_booking_p99",),
    "soak": ("soak_rss_growth",),
}
BENCHES = tuple(EXPECTED)


def run_bench(name: str) -> list[Figure]:
    """Run one bench module in its own process; its figures as it reported them."""
    result = subprocess.run(
        [sys.executable, "-m", f"tests.bench.{name}", "--json"],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return [from_json(line) for line in result.stdout.splitlines() if line.startswith("{")]


def summary(figures: list[Figure], expected: dict[str, tuple[str, ...]] = EXPECTED) -> list[str]:
    """What passed and what did not; the last line says whether the bench failed.

    A figure named in ``expected`` that is not among ``figures`` fails the bench.
    """
    names = {figure.name for figure in figures}
    missing = [name for names_ in expected.values() for name in names_ if name not in names]
    ratios = [figure for figure in figures if isinstance(figure, Ratio)]
    limits = [figure for figure in figures if isinstance(figure, Limit)]
    missed = [figure for figure in figures if figure.enforced and not figure.ok]
    kept = sum(figure.ok for figure in limits)
    how = "enforced" if STRICT else "printed only; KIOSK_BENCH_STRICT=1 enforces them"
    lines = [
        f"ratios: {sum(figure.ok for figure in ratios)} of {len(ratios)} within target",
        f"absolute limits: {kept} of {len(limits)} kept ({how})",
    ]
    lines += [f"missed: {figure.line()}" for figure in missed]
    lines += [f"missing: {name} (its bench did not report it)" for name in missing]
    lines.append("bench: FAILED" if missed or missing else "bench: ok")
    return lines


def main() -> int:
    figures: list[Figure] = []
    for name in BENCHES:
        print(f"# {name}", flush=True)
        for figure in run_bench(name):
            print(figure.line(), flush=True)
            figures.append(figure)
    print("# summary")
    lines = summary(figures)
    for line in lines:
        print(line)
    return 1 if lines[-1] == "bench: FAILED" else 0


if __name__ == "__main__":
    raise SystemExit(main())
