"""Disclosure control: no small count is published and none can be recomputed from totals."""

from __future__ import annotations

import random

import pytest

from kiosk.core.stats import protect
from kiosk.core.stats.suppression import ProtectedTable

K = 5


def lines(table: ProtectedTable) -> list[list[tuple[int, int]]]:
    n_rows, n_cols = len(table.rows) + 1, len(table.columns) + 1
    rows = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    return rows + [[(r, c) for r in range(n_rows)] for c in range(n_cols)]


def assert_safe(table: ProtectedTable, k: int = K) -> None:
    for r, line in enumerate(table.grid):
        for c in range(len(line)):
            shown = table.value(r, c)
            assert shown is None or not 0 < shown < k, (r, c, shown)
    for line in lines(table):
        hidden = [cell for cell in line if cell in table.hidden]
        # One hidden value in a row or column = total minus the others: recomputable.
        assert len(hidden) != 1, line


def recompute_attack(table: ProtectedTable) -> dict[tuple[int, int], int]:
    """What an attacker learns: repeatedly solve lines with exactly one unknown."""
    known = {
        (r, c): v
        for r, line in enumerate(table.grid)
        for c, v in enumerate(line)
        if (r, c) not in table.hidden
    }
    learned: dict[tuple[int, int], int] = {}
    changed = True
    while changed:
        changed = False
        for line in lines(table):
            unknown = [cell for cell in line if cell not in known]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            total_cell = line[-1]
            inner = line[:-1]
            if cell == total_cell:
                value = sum(known[x] for x in inner)
            else:
                value = known[total_cell] - sum(known[x] for x in inner if x != cell)
            known[cell] = learned[cell] = value
            changed = True
    return learned


def test_a_lone_small_cell_takes_a_partner_in_its_row_and_column() -> None:
    table = protect(["mon", "tue"], ["de", "fa"], [[20, 2], [30, 40]], K)
    assert table.value(0, 1) is None  # the 2
    assert_safe(table)
    assert recompute_attack(table) == {}
    assert table.value(2, 2) == 92  # the grand total stays published


def test_zeros_and_large_counts_stay_published() -> None:
    table = protect(["w1"], ["a", "b"], [[0, 17]], K)
    assert table.hidden == frozenset()
    assert table.value(0, 0) == 0


def test_a_small_total_is_hidden_too() -> None:
    table = protect(["mon", "tue"], ["all"], [[3], [9]], K)
    assert_safe(table)
    assert table.value(0, 0) is None and table.value(0, 1) is None


@pytest.mark.parametrize("seed", range(300))
def test_random_tables_never_leak(seed: int) -> None:
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 6), rng.randint(1, 6)
    counts = [
        [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _ in range(cols)] for _ in range(rows)
    ]
    table = protect([f"r{i}" for i in range(rows)], [f"c{j}" for j in range(cols)], counts, K)
    assert_safe(table)
    assert recompute_attack(table) == {}, counts  # no hidden value can be worked out


def test_the_attack_finds_what_primary_suppression_alone_would_leak() -> None:
    # The checker itself must be able to fail: hiding only the small cell leaks it.
    naive = ProtectedTable(
        rows=("mon", "tue"),
        columns=("de", "fa"),
        grid=((20, 2, 22), (30, 40, 70), (50, 42, 92)),
        hidden=frozenset({(0, 1)}),
    )
    assert recompute_attack(naive) == {(0, 1): 2}
