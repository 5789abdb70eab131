"""The edge of primary suppression: a count of exactly k is published, k−1 is hidden, 0 shown.

The cell under test sits among large counts, so whether it is shown is the primary rule's
verdict alone (where it is hidden, secondary suppression adds partners; other tests cover those).
Tests kiosk.core.stats.suppression.protect directly.
"""

from __future__ import annotations

import pytest

from kiosk.core.stats.suppression import protect


@pytest.mark.parametrize("k", [2, 3, 5, 10])
def test_a_count_of_exactly_k_is_published(k: int) -> None:
    table = protect(["a", "b"], ["x", "y"], [[k, 100], [100, 100]], k)
    assert table.hidden == frozenset()
    assert table.value(0, 0) == k


@pytest.mark.parametrize("k", [2, 3, 5, 10])
def test_a_count_of_k_minus_one_is_hidden(k: int) -> None:
    table = protect(["a", "b"], ["x", "y"], [[k - 1, 100], [100, 100]], k)
    assert (0, 0) in table.hidden
    assert table.value(0, 0) is None


def test_every_count_from_one_to_k_minus_one_is_hidden_and_k_on_is_shown() -> None:
    k = 5
    for count in range(0, 3 * k):
        table = protect(["a", "b"], ["x", "y"], [[count, 100], [100, 100]], k)
        published = table.value(0, 0) is not None
        assert published is (count == 0 or count >= k), count


def test_totals_follow_the_same_boundary() -> None:
    """A row total of exactly k is published; of k−1 it is hidden."""
    k = 5
    at_k = protect(["a", "b"], ["x", "y", "z"], [[0, 0, k], [50, 50, 50]], k)
    assert at_k.hidden == frozenset()
    assert at_k.value(0, 3) == k
    below = protect(["a", "b"], ["x", "y", "z"], [[0, 0, k - 1], [50, 50, 50]], k)
    assert (0, 3) in below.hidden and (0, 2) in below.hidden


def test_zero_is_published_whatever_k_is() -> None:
    table = protect(["a", "b"], ["x", "y"], [[0, 100], [100, 100]], 5)
    assert table.hidden == frozenset()
    assert table.value(0, 0) == 0


def test_k_of_one_hides_nothing() -> None:
    table = protect(["a", "b"], ["x", "y"], [[1, 2], [0, 3]], 1)
    assert table.hidden == frozenset()


def test_k_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        protect(["a"], ["x"], [[1]], 0)


def test_k_below_one_is_refused_with_its_reason() -> None:
    with pytest.raises(ValueError, match=r"^k must be at least 1$"):
        protect(["a"], ["x"], [[1]], 0)


@pytest.mark.parametrize(
    "counts",
    [[[1, 2]], [[1, 2], [3]], [[1, 2], [3, 4, 5]], [[1, 2], [3, 4], [5, 6]]],
)
def test_counts_of_the_wrong_shape_are_refused(counts: list[list[int]]) -> None:
    message = r"^counts must have one line per row and one value per column$"
    with pytest.raises(ValueError, match=message):
        protect(["a", "b"], ["x", "y"], counts, 5)


# Which partner secondary suppression picks: the smallest non-zero inner cell of the line.


def test_the_partner_is_a_non_zero_cell_before_a_zero() -> None:
    # Row a hides 2 and takes 10 (not 40, not the total); column x then needs a partner for 10
    # and takes 30, not the 0 below it (a hidden zero would protect nothing).
    table = protect(["a", "b", "c"], ["x", "y", "z"], [[10, 40, 2], [30, 20, 50], [0, 60, 70]], 5)
    assert table.hidden == frozenset({(0, 2), (0, 0), (1, 2), (1, 0)})


def test_the_partner_is_the_smallest_count_wherever_it_sits() -> None:
    table = protect(["a", "b", "c"], ["x", "y", "z"], [[40, 10, 2], [30, 20, 50], [0, 60, 70]], 5)
    assert table.hidden == frozenset({(0, 2), (0, 1), (1, 2), (1, 1)})


def test_inner_cells_are_partners_before_totals_in_a_wide_table() -> None:
    table = protect(["a", "b"], ["x", "y", "z"], [[2, 40, 10], [30, 20, 50]], 5)
    assert table.hidden == frozenset({(0, 0), (0, 2), (1, 0), (1, 2)})
