"""The demo's made-up persons (demo.persons, no database): the share of persons by headcount."""

from __future__ import annotations

from demo.persons import share_out


def test_share_out_by_headcount_never_more_than_it() -> None:
    assert share_out(10, [1, 3, 6]) == [1, 3, 6]
    assert share_out(5, [1, 3, 6]) == [1, 1, 3]
    assert share_out(100, [1, 3, 6]) == [1, 3, 6]
    assert sum(share_out(7, [5, 5, 5, 5])) == 7
