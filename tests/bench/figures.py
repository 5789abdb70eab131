"""What a bench reports: ratios against baselines measured in the same run, and absolute limits.

A ratio passes or fails: the kiosk and its baseline run on the same machine at the same time,
so a slower or busier machine slows both. An absolute limit (a frame at 60 Hz is 16 ms) is a
real product limit, but on a shared or slow machine its figure is noise: it is always printed
and fails the bench only with ``KIOSK_BENCH_STRICT=1`` (on the terminal hardware, say).

Clocks: for its ratio, an operation of a few milliseconds (a step switch, a keystroke's
search, a day's free slots) is timed as the CPU time of its thread (`time.thread_time`, figures
marked "cpu"), and so is its baseline: on a busy machine the scheduler interrupts a 5 ms step
switch far more often than a 0.2 ms baseline, and wall times would compare interruptions, not
work. Longer operations, and those whose waiting is part of the work (a durable commit, a
process start), are timed on the wall clock, taken in turn with their baseline. Absolute
limits are always wall time: what the visitor waits.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass

FRAME_MS = 16.0  # one frame at 60 Hz: what a tap or keystroke may take before it shows
STRICT = os.environ.get("KIOSK_BENCH_STRICT") == "1"


def _amount(value: float, unit: str) -> str:
    if value >= 1000:
        return f"{value:,.0f} {unit}"
    return f"{value:.3f} {unit}" if value < 10 else f"{value:.1f} {unit}"


@dataclass(frozen=True)
class Ratio:
    """A figure divided by its baseline from the same run; within target when not above it."""

    name: str
    value: float
    baseline: float
    unit: str
    target: float
    baseline_is: str  # what the baseline does, in a few words

    @property
    def ratio(self) -> float:
        return self.value / self.baseline

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target

    @property
    def enforced(self) -> bool:
        return True

    def line(self) -> str:
        verdict = "ok" if self.ok else "MISSED"
        return (
            f"{self.name:<26} {_amount(self.value, self.unit):>10}  "
            f"baseline {_amount(self.baseline, self.unit):>10}  "
            f"ratio {self.ratio:6.2f} (target <= {self.target:.2f})  {verdict:<6}  "
            f"[baseline: {self.baseline_is}]"
        )


@dataclass(frozen=True)
class Limit:
    """An absolute time the visitor would notice; it fails the bench only when strict."""

    name: str
    value: float
    unit: str
    limit: float
    why: str  # where the limit comes from, in a few words

    @property
    def ok(self) -> bool:
        return self.value <= self.limit

    @property
    def enforced(self) -> bool:
        return STRICT

    def line(self) -> str:
        verdict = "ok" if self.ok else ("OVER" if STRICT else "over (not enforced)")
        return (
            f"{self.name:<26} {_amount(self.value, self.unit):>10}  "
            f"limit {_amount(self.limit, self.unit):>13}  {verdict:<20}  [{self.why}]"
        )


@dataclass(frozen=True)
class Info:
    """A figure shown for context only (a worst case, a count): never passes or fails."""

    name: str
    value: float
    unit: str

    ok = True
    enforced = False

    def line(self) -> str:
        return f"{self.name:<26} {_amount(self.value, self.unit):>10}"


Figure = Ratio | Limit | Info


_KINDS: dict[str, type[Ratio] | type[Limit] | type[Info]] = {
    kind.__name__: kind for kind in (Ratio, Limit, Info)
}


def to_json(figure: Figure) -> str:
    """One line that `from_json` turns back into the figure (how a bench process reports)."""
    return json.dumps({"kind": type(figure).__name__, **asdict(figure)}, ensure_ascii=False)


def from_json(line: str) -> Figure:
    fields = json.loads(line)
    return _KINDS[fields.pop("kind")](**fields)


def report(run: Callable[[], list[Figure]]) -> None:
    """What a bench module does when run: its figures as readable lines, or with --json one
    JSON line each (for `python -m tests.bench`)."""
    as_json = "--json" in sys.argv[1:]
    for figure in run():
        print(to_json(figure) if as_json else figure.line(), flush=True)
