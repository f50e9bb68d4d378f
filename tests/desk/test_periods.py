"""Reporting periods: the picker's presets, the period before, the same period a year
earlier."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.periods import PRESETS, Period, preset

TODAY = date(2026, 11, 16)


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("this_month", date(2026, 11, 1), date(2026, 11, 30)),
        ("this_quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("this_year", date(2026, 1, 1), date(2026, 12, 31)),
        ("last_year", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_presets_on_a_day(name: str, start: date, end: date) -> None:
    assert preset(name, TODAY) == Period(start, end)


def test_quarters_and_february() -> None:
    assert preset("this_quarter", date(2026, 2, 28)) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert preset("this_month", date(2028, 2, 3)) == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert preset("this_month", date(9999, 12, 5)).end == date(9999, 12, 31)
    with pytest.raises(ValueError, match="preset 'next_year'"):
        preset("next_year", TODAY)


def test_previous_and_year_before() -> None:
    quarter = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert quarter.previous() == Period(date(2025, 10, 1), date(2025, 12, 31))
    assert quarter.year_before() == Period(date(2025, 1, 1), date(2025, 3, 31))
    february = Period(date(2028, 2, 1), date(2028, 2, 29))
    assert february.previous() == Period(date(2028, 1, 1), date(2028, 1, 31))
    assert february.year_before() == Period(date(2027, 2, 1), date(2027, 2, 28))
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    assert year.previous() == year.year_before() == Period(date(2025, 1, 1), date(2025, 12, 31))
    # A month so far: the same days of the month before, and of a year before.
    so_far = Period(date(2026, 12, 1), date(2026, 12, 3))
    assert so_far.previous() == Period(date(2026, 11, 1), date(2026, 11, 3))
    assert so_far.year_before() == Period(date(2025, 12, 1), date(2025, 12, 3))
    year_so_far = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert year_so_far.previous() == Period(date(2025, 10, 1), date(2025, 12, 31))
    # Dates that do not start a month: as many days, just before.
    days = Period(date(2026, 3, 10), date(2026, 3, 19))
    assert days.previous() == Period(date(2026, 2, 28), date(2026, 3, 9))
    assert days.year_before() == Period(date(2025, 3, 10), date(2025, 3, 19))
    with pytest.raises(ValueError, match="after its end"):
        Period(date(2026, 3, 2), date(2026, 3, 1))


spans = st.builds(
    lambda start, length: Period(start, start + timedelta(days=length)),
    st.dates(min_value=date(1996, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=0, max_value=800),
)


@given(spans)
def test_the_period_before_is_as_long_and_before_it(
    period: Period,
) -> None:
    before = period.previous()
    if period.start.day != 1:
        assert before.end == period.start - timedelta(days=1)
        assert before.end - before.start == period.end - period.start
    else:
        assert before.start.day == 1 and before.end < period.start
    if period.whole_months:  # the month, quarter or year before: no gap
        assert before.end == period.start - timedelta(days=1)
        assert before.whole_months == period.whole_months


@given(st.sampled_from(PRESETS), st.dates(min_value=date(1996, 1, 1)))
def test_every_preset_holds_whole_months(name: str, today: date) -> None:
    period = preset(name, today)
    assert period.whole_months in (1, 3, 12)
    assert (period.start <= today <= period.end) or name == "last_year"
    assert period.year_before().whole_months == period.whole_months
