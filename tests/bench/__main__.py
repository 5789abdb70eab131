"""`make bench`: every performance target, as ratios against baselines measured in this run.

Prints one `name=value` line per figure and, at the end, which targets were missed (exit 1).
"""

from __future__ import annotations

import sys

from tests.bench import startup

# figure -> upper bound
TARGETS = {
    "startup_ratio": 2.0,
    "rss_ratio": 1.6,
}


def main() -> int:
    figures: dict[str, float] = {}
    for name, bench in (("startup", startup.run),):
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
