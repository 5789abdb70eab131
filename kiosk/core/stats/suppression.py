"""Statistical disclosure control for count tables: primary and secondary cell suppression.

A published table has cells (rows × columns), a total per row, a total per column and a grand
total. **Primary suppression** hides every count from 1 to k−1: a "2" for Persian speakers on a
Tuesday could point at a person. **Secondary suppression** makes sure no hidden count can be
recomputed from what is shown: in every row and every column (each with its total) either no
value is hidden or at least two are, so subtracting the visible values from the total leaves a
sum of several unknowns rather than one number. Complementary cells are chosen smallest first
(the least information lost), preferring non-zero cells, then totals.

Zero is published: an empty cell says nobody came, which points at no one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Cell = tuple[int, int]


@dataclass(frozen=True)
class ProtectedTable:
    """A table with totals; ``hidden`` lists suppressed positions in the full grid.

    The full grid has ``len(rows) + 1`` rows and ``len(columns) + 1`` columns: the last row
    holds the column totals, the last column the row totals, the corner the grand total.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    grid: tuple[tuple[int, ...], ...]
    hidden: frozenset[Cell]

    def value(self, row: int, column: int) -> int | None:
        """The published count, or None when it is suppressed."""
        return None if (row, column) in self.hidden else self.grid[row][column]


def protect(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    k: int,
) -> ProtectedTable:
    """Add totals to ``counts`` and suppress what must not be published (see module docstring)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    n_rows, n_cols = len(rows), len(columns)
    if len(counts) != n_rows or any(len(line) != n_cols for line in counts):
        raise ValueError("counts must have one line per row and one value per column")
    grid = [[*line, sum(line)] for line in counts]
    grid.append([sum(grid[r][c] for r in range(n_rows)) for c in range(n_cols + 1)])
    hidden = {(r, c) for r in range(n_rows + 1) for c in range(n_cols + 1) if 0 < grid[r][c] < k}
    # Each line: the cells of a row or column plus its total (the last cell of the line).
    lines: list[list[Cell]] = [[(r, c) for c in range(n_cols + 1)] for r in range(n_rows + 1)]
    lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_cols + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [cell for cell in line if cell in hidden]
            if len(inside) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden]
            if not candidates:
                continue
            partner = min(
                candidates,
                key=lambda cell: (
                    grid[cell[0]][cell[1]] == 0,  # a hidden zero hides little: last resort
                    cell[0] == n_rows or cell[1] == n_cols,  # totals after inner cells
                    grid[cell[0]][cell[1]],
                ),
            )
            hidden.add(partner)
            changed = True
    return ProtectedTable(
        rows=tuple(rows),
        columns=tuple(columns),
        grid=tuple(tuple(line) for line in grid),
        hidden=frozenset(hidden),
    )
