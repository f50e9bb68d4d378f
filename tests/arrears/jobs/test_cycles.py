"""The jobs' cycles (arrears/jobs/cycles.py): the week, month and quarter of a date as the
runs and the URLs spell them."""

from __future__ import annotations

from datetime import date

from arrears.jobs.cycles import CYCLE_PATTERN, month_cycle, quarter_cycle, week_bounds, week_cycle


def test_cycles_of_a_date() -> None:
    assert week_cycle(date(2026, 11, 16)) == "2026-W47"
    assert week_cycle(date(2027, 1, 1)) == "2026-W53"  # the ISO year, not the calendar's
    assert month_cycle(date(2026, 11, 5)) == "2026-11"
    assert quarter_cycle(date(2026, 10, 5)) == "2026-Q4"
    assert quarter_cycle(date(2026, 3, 31)) == "2026-Q1"


def test_week_bounds_are_monday_and_sunday() -> None:
    assert week_bounds(date(2026, 11, 18)) == (date(2026, 11, 16), date(2026, 11, 22))
    assert week_bounds(date(2026, 11, 16)) == (date(2026, 11, 16), date(2026, 11, 22))


def test_cycle_pattern_takes_the_three_spellings_only() -> None:
    for cycle in ("2026-W47", "2026-11", "2026-Q4"):
        assert CYCLE_PATTERN.fullmatch(cycle)
    for other in ("tuan-47", "2026-Q5", "2026-W4", "../2026-11"):
        assert not CYCLE_PATTERN.fullmatch(other)
