"""Joint disclosure control for per-site count tables and the city table that sums them.

The hub publishes one table per site and the city table, the cell-wise sum over all sites.
Protecting each table on its own (kiosk.core.stats.suppression) is not enough: a count hidden in
one site's table is the city's count minus the other sites' counts. Here the tables are protected
together, as one cube of rows × columns × sites (the last "site" being the city), with totals
along all three axes:

- **Primary suppression**: every count from 1 to k−1 in any table, totals included, is hidden.
- **Secondary suppression** (line rule): along each axis, every line (its cells plus its total) has
  no hidden cell or at least two. Complementary cells are chosen as ``protect`` chooses them:
  non-zero before zero, inner cells before totals, smaller first.
- **Exact audit**: the line rule alone can leave a hidden count determined, e.g. one that bridges
  two cycles of hidden cells. A hidden cell is determined when the published values pin it down
  through the linear relations (every row sum, column sum and site-to-city sum), that is when
  its unit vector lies in the row space of those relations restricted to the hidden cells. The
  audit decides this exactly, with integer Gauss-Jordan elimination (no floating point), and
  every determined cell gets one more complementary cell until none is left.

``determined_cells`` and ``determined_in_table`` run the same audit on a finished result, for
tests and for anyone who wants to check a table protected elsewhere.

Limit: the audit is linear. It does not use that counts are non-negative integers, and in dense
cubes of tiny counts (seen with 3 rows × 3 columns × 3 sites of counts 0-6, about 1 cube in 200)
that can pin down a count the relations leave open over the rationals: every integer move of it
would push a hidden 1 below zero. Tables with one row, one column or one site are not affected:
there every undetermined hidden count lies on a cycle of hidden counts that can all move by one.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import gcd
from types import MappingProxyType

from kiosk.core.stats.suppression import Cell, ProtectedTable

CITY = "city"
"""The name of the city table in ``determined_cells``' answer (so no site may be called so)."""

Position = tuple[str, int, int]
"""A position in the published tables: site id or CITY, row, column (totals included)."""

# A line of the cube or of one table: indices of its cells, the line's total last.
_Line = tuple[int, ...]
# What hiding a cell costs, compared as a tuple (see _suppress).
_Cost = Callable[[int], tuple[bool, int, int, int]]


@dataclass(frozen=True)
class JointTables:
    """Every site's table and the city table, protected together."""

    sites: Mapping[str, ProtectedTable]  # per site id, in id order; same rows/columns as city
    city: ProtectedTable


def protect_jointly(
    rows: Sequence[str],
    columns: Sequence[str],
    counts_by_site: Mapping[str, Sequence[Sequence[int]]],
    k: int,
) -> JointTables:
    """Add totals to every site's counts and to their sum, the city, and suppress jointly.

    Raises ValueError for k < 1, no sites, an empty site id (or one called "city"), a count
    grid that does not have one line per row and one value per column, or a negative count.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if not counts_by_site:
        raise ValueError("at least one site is needed")
    for site_id in counts_by_site:
        if not site_id.strip():
            raise ValueError("site ids must not be empty")
        if site_id == CITY:
            raise ValueError(f"{CITY!r} names the city table and cannot be a site id")
    site_ids = sorted(counts_by_site)
    n_rows, n_cols = len(rows), len(columns)
    for site_id in site_ids:
        counts = counts_by_site[site_id]
        if len(counts) != n_rows or any(len(line) != n_cols for line in counts):
            raise ValueError(
                f"site {site_id!r}: counts must have one line per row and one value per column"
            )
        if any(value < 0 for line in counts for value in line):
            raise ValueError(f"site {site_id!r}: counts must not be negative")

    site_grids = [_with_totals(counts_by_site[site_id], n_cols) for site_id in site_ids]
    city_grid = [
        [sum(grid[r][c] for grid in site_grids) for c in range(n_cols + 1)]
        for r in range(n_rows + 1)
    ]
    if len(site_grids) == 1:
        # The city is the site: the site-to-city relation says nothing new, so one table is
        # protected and both publish it identically.
        values = [value for line in city_grid for value in line]
        hidden = _suppress(values, _table_lines(n_rows, n_cols), _table_weights(n_rows, n_cols), k)
        layers = [hidden, hidden]
    else:
        values = [value for grid in (*site_grids, city_grid) for line in grid for value in line]
        n_layers = len(site_grids) + 1
        lines = _cube_lines(n_rows, n_cols, n_layers)
        hidden = _suppress(values, lines, _cube_weights(n_rows, n_cols, n_layers), k)
        size = (n_rows + 1) * (n_cols + 1)
        layers = [
            {index - layer * size for index in hidden if index // size == layer}
            for layer in range(n_layers)
        ]
    tables = [
        _table(rows, columns, grid, layer, n_cols)
        for grid, layer in zip((*site_grids, city_grid), layers, strict=True)
    ]
    return JointTables(
        sites=MappingProxyType(dict(zip(site_ids, tables[:-1], strict=True))), city=tables[-1]
    )


def protect_audited(
    rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]], k: int
) -> ProtectedTable:
    """One table protected like ``protect`` and then audited: no hidden count is determined by
    the table's published values (``protect``'s line rule alone can leave one, see above)."""
    return protect_jointly(rows, columns, {"table": counts}, k).city


def determined_cells(tables: JointTables) -> set[Position]:
    """Hidden positions whose value the published tables determine (empty when safe).

    Runs the audit over every row, column and site-to-city relation of ``tables``; positions
    are (site id or CITY, row, column) in the full grids with totals.
    """
    site_ids = sorted(tables.sites)
    ordered = [*(tables.sites[site_id] for site_id in site_ids), tables.city]
    n_rows, n_cols = len(tables.city.rows), len(tables.city.columns)
    size = (n_rows + 1) * (n_cols + 1)
    hidden = {
        layer * size + r * (n_cols + 1) + c
        for layer, table in enumerate(ordered)
        for r, c in table.hidden
    }
    names = [*site_ids, CITY]
    return {
        (names[index // size], *divmod(index % size, n_cols + 1))
        for index in _determined(_cube_lines(n_rows, n_cols, len(ordered)), hidden)
    }


def determined_in_table(table: ProtectedTable) -> set[Cell]:
    """Hidden cells of one table (e.g. a ``protect`` result) its published values determine."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    hidden = {r * (n_cols + 1) + c for r, c in table.hidden}
    return {
        divmod(index, n_cols + 1) for index in _determined(_table_lines(n_rows, n_cols), hidden)
    }


def _with_totals(counts: Sequence[Sequence[int]], n_cols: int) -> list[list[int]]:
    grid = [[*line, sum(line)] for line in counts]
    grid.append([sum(line[c] for line in grid) for c in range(n_cols + 1)])
    return grid


def _table(
    rows: Sequence[str],
    columns: Sequence[str],
    grid: list[list[int]],
    hidden: set[int],
    n_cols: int,
) -> ProtectedTable:
    return ProtectedTable(
        rows=tuple(rows),
        columns=tuple(columns),
        grid=tuple(tuple(line) for line in grid),
        hidden=frozenset(divmod(index, n_cols + 1) for index in hidden),
    )


def _table_lines(n_rows: int, n_cols: int) -> list[_Line]:
    """Rows, then columns, of a table with totals, indexed row-major (``protect``'s order)."""
    width = n_cols + 1
    lines = [tuple(r * width + c for c in range(width)) for r in range(n_rows + 1)]
    lines += [tuple(r * width + c for r in range(n_rows + 1)) for c in range(width)]
    return lines


def _table_weights(n_rows: int, n_cols: int) -> list[int]:
    return [(r == n_rows) + (c == n_cols) for r in range(n_rows + 1) for c in range(n_cols + 1)]


def _cube_lines(n_rows: int, n_cols: int, n_layers: int) -> list[_Line]:
    """Every table's rows and columns, then the site lines (the city last) at each position."""
    size = (n_rows + 1) * (n_cols + 1)
    lines = [
        tuple(layer * size + index for index in line)
        for layer in range(n_layers)
        for line in _table_lines(n_rows, n_cols)
    ]
    lines += [tuple(layer * size + index for layer in range(n_layers)) for index in range(size)]
    return lines


def _cube_weights(n_rows: int, n_cols: int, n_layers: int) -> list[int]:
    table = _table_weights(n_rows, n_cols)
    return [weight + (layer == n_layers - 1) for layer in range(n_layers) for weight in table]


def _suppress(values: list[int], lines: list[_Line], weights: list[int], k: int) -> set[int]:
    """Primary suppression, the line rule, then audit and repair until nothing is determined.

    ``weights`` counts the totals a cell is (row, column, city): fewer is preferred.
    """

    def cost(index: int) -> tuple[bool, int, int, int]:
        # A hidden zero hides little: last resort; then inner before totals, smaller first.
        return values[index] == 0, weights[index], values[index], index

    hidden = {index for index, value in enumerate(values) if 0 < value < k}
    if not hidden:
        return hidden
    lines_of: list[list[_Line]] = [[] for _ in values]
    for line in lines:
        for index in line:
            lines_of[index].append(line)
    while True:
        _apply_line_rule(lines, hidden, cost)
        determined = _determined(lines, hidden)
        if not determined:
            return hidden
        # One repair per round and per group of determined cells sharing lines: a repair often
        # frees its neighbours too, and every round is audited again.
        touched: set[int] = set()
        for index in sorted(determined):
            if index in touched:
                continue
            partner = _nearest_partner(index, lines_of, hidden, cost)
            hidden.add(partner)
            for line in (*lines_of[index], *lines_of[partner]):
                touched.update(line)


def _apply_line_rule(lines: list[_Line], hidden: set[int], cost: _Cost) -> None:
    """Until every line has 0 or at least 2 hidden cells, give lone ones their cheapest partner."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = 0
            for index in line:
                if index in hidden:
                    inside += 1
                    if inside > 1:
                        break
            if inside != 1:
                continue
            candidates = [index for index in line if index not in hidden]
            if candidates:
                hidden.add(min(candidates, key=cost))
                changed = True


def _nearest_partner(start: int, lines_of: list[list[_Line]], hidden: set[int], cost: _Cost) -> int:
    """The cheapest published non-zero cell on a line through ``start``.

    When those lines offer only zeros or nothing, the search widens through the hidden cells
    on them; a zero is taken only when no non-zero cell is reachable at all.
    """
    seen = {start}
    frontier = [start]
    first_zero: int | None = None
    while frontier:
        candidates: set[int] = set()
        reached: list[int] = []
        for index in frontier:
            for line in lines_of[index]:
                for other in line:
                    if other in seen:
                        continue
                    seen.add(other)
                    if other in hidden:
                        reached.append(other)
                    else:
                        candidates.add(other)
        if candidates:
            best = min(candidates, key=cost)
            if not cost(best)[0]:
                return best
            if first_zero is None:
                first_zero = best
        frontier = reached
    if first_zero is None:
        # Cannot happen: a component without published neighbours is the whole grid, and a
        # fully hidden grid determines nothing.
        raise RuntimeError("no cell left to hide next to a determined cell")
    return first_zero


def _determined(lines: Iterable[_Line], hidden: set[int]) -> set[int]:
    """Hidden cells the published values determine through the lines' sum relations.

    Each line says: sum of its cells = its total. Restricted to hidden cells (published values
    go to the right-hand side, which does not matter here), a cell x is determined exactly when
    the unit vector of x lies in the row space, i.e. when the reduced row echelon form has a row
    with x alone. Elimination runs per connected component of hidden cells, over sparse integer
    rows, fraction-free, so the answer is exact.
    """
    relations: list[dict[int, int]] = []
    for line in lines:
        relation = {index: 1 for index in line[:-1] if index in hidden}
        if line[-1] in hidden:
            relation[line[-1]] = -1
        if relation:
            relations.append(relation)
    determined: set[int] = set()
    for component in _components(relations):
        determined |= _singleton_pivots(component)
    return determined


def _components(relations: list[dict[int, int]]) -> list[list[dict[int, int]]]:
    """Group relations that share hidden cells (directly or through others)."""
    parent: dict[int, int] = {}

    def root(index: int) -> int:
        while parent.setdefault(index, index) != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for relation in relations:
        first, *rest = relation
        for index in rest:
            a, b = root(first), root(index)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[dict[int, int]]] = {}
    for relation in relations:
        groups.setdefault(root(next(iter(relation))), []).append(relation)
    return list(groups.values())


def _singleton_pivots(relations: list[dict[int, int]]) -> set[int]:
    """Gauss-Jordan over the integers: the pivots whose reduced row holds nothing else."""
    rows = [dict(relation) for relation in relations]
    holders: dict[int, set[int]] = {}
    for number, row in enumerate(rows):
        for index in row:
            holders.setdefault(index, set()).add(number)
    # Shortest rows first, re-queued when fill-in has made them longer (Markowitz-like order
    # keeps the rows sparse).
    queue = [(len(row), number) for number, row in enumerate(rows)]
    heapq.heapify(queue)
    pivot_rows: dict[int, int] = {}
    while queue:
        length, number = heapq.heappop(queue)
        row = rows[number]
        if length != len(row):
            if row:
                heapq.heappush(queue, (len(row), number))
            continue
        pivot = min(row, key=lambda index: (abs(row[index]) != 1, len(holders[index]), index))
        pivot_rows[pivot] = number
        a = row[pivot]
        for other_number in sorted(holders[pivot] - {number}):
            other = rows[other_number]
            b = other[pivot]
            if abs(a) == 1:
                scale, factor = 1, b * a  # other − (b / a) · row, and 1 / a = a
            else:
                divisor = gcd(a, b)
                scale, factor = a // divisor, b // divisor
            if scale != 1:
                for index in other:
                    other[index] *= scale
            for index, value in row.items():
                new = other.get(index, 0) - factor * value
                if new:
                    if index not in other:
                        holders[index].add(other_number)
                    other[index] = new
                elif index in other:
                    del other[index]
                    holders[index].discard(other_number)
            if scale != 1 and other:
                common = 0
                for value in other.values():
                    common = gcd(common, value)
                if common > 1:
                    for index in other:
                        other[index] //= common
    return {pivot for pivot, number in pivot_rows.items() if len(rows[number]) == 1}
