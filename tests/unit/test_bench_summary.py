"""`make bench` judges what its benches report: a missed target fails, and so does a figure
with a target that was not reported at all (a bench that silently stopped measuring it)."""

from __future__ import annotations

from tests.bench.__main__ import EXPECTED, summary
from tests.bench.figures import Info, Limit, Ratio


def every_expected_figure(ratio: float = 1.0) -> list[Ratio | Limit | Info]:
    return [
        Ratio(name, ratio, 1.0, "s", 2.0, "a baseline")
        for names in EXPECTED.values()
        for name in names
    ]


def test_all_figures_within_target_pass() -> None:
    lines = summary(every_expected_figure())
    assert lines[-1] == "bench: ok"
    assert not any(line.startswith("missing:") for line in lines)


def test_a_missed_target_fails() -> None:
    figures = every_expected_figure()
    figures[0] = Ratio(figures[0].name, 3.0, 1.0, "s", 2.0, "a baseline")
    assert summary(figures)[-1] == "bench: FAILED"


def test_a_missing_figure_fails_and_is_named() -> None:
    for names in EXPECTED.values():
        for name in names:
            figures = [figure for figure in every_expected_figure() if figure.name != name]
            lines = summary(figures)
            assert lines[-1] == "bench: FAILED", name
            assert f"missing: {name} (its bench did not report it)" in lines


def test_an_empty_run_fails() -> None:
    assert summary([])[-1] == "bench: FAILED"


def test_every_bench_has_a_target() -> None:
    assert all(EXPECTED.values())
