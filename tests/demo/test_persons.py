"""The demo's made-up persons (demo.persons, no database): the share of persons by headcount,
and their social insurance numbers."""

from __future__ import annotations

from demo.persons import share_out, social_insurance_number


def test_share_out_by_headcount_never_more_than_it() -> None:
    assert share_out(10, [1, 3, 6]) == [1, 3, 6]
    assert share_out(5, [1, 3, 6]) == [1, 1, 3]
    assert share_out(100, [1, 3, 6]) == [1, 3, 6]
    assert sum(share_out(7, [5, 5, 5, 5])) == 7


def test_social_insurance_numbers_start_with_the_former_province() -> None:
    assert social_insurance_number(0, "HB") == "1700000000"
    assert social_insurance_number(1, "VP") == "2600007919"
    assert social_insurance_number(1, "PT") == "2500007919"
    numbers = {social_insurance_number(k, prefix) for k in range(500) for prefix in ("HB", "PT")}
    assert len(numbers) == 1000
