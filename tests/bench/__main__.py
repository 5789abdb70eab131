"""`make bench`: every performance target, as ratios against baselines measured in this run.

Prints one `name=value` line per figure and, at the end, which targets were missed (exit 1).
"""

from __future__ import annotations

import sys

from tests.bench import bookings, courses, lesson, startup, stats

# figure -> upper bound
TARGETS = {
    "startup_ratio": 2.0,
    "rss_ratio": 1.6,
    "courses_load_validate_s": 1.0,  # 1,000 packages x 8 languages
    "courses_search_worst_keystroke_ms": 16.0,  # one frame at 60 Hz
    "step_switch_ms": 16.0,  # median, tap on Next to the new step painted
    "bookings_free_day_ms": 16.0,  # median, 50 devices with a year of bookings
    "booking_commit_ms": 10.0,  # median, checks + insert + durable commit (synchronous=FULL)
    "stats_export_ratio": 2.0,  # 1M events: export / one plain GROUP BY over the same rows
}


def main() -> int:
    figures: dict[str, float] = {}
    benches = (
        ("startup", startup.run),
        ("courses", courses.run),
        ("lesson", lesson.run),
        ("bookings", bookings.run),
        ("stats", stats.run),
    )
    for name, bench in benches:
        print(f"# {name}", flush=True)
        results = bench()
        for key, value in results.items():
            print(f"{key}={value:.2f}", flush=True)
        figures.update(results)
    missed = [
        f"{key}={figures[key]:.2f} > {limit}"
        for key, limit in TARGETS.items()
        if key in figures and figures[key] > limit
    ]
    for line in missed:
        print(f"MISSED {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
