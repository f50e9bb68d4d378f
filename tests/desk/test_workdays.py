from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from desk.workdays import add_working_days, is_working_day, working_days_between

# 2026-04-30 (Thursday) and 2026-05-01 (Friday): Reunification Day and Labour Day.
HOLIDAYS = {date(2026, 4, 30), date(2026, 5, 1)}


def test_weekend_and_holidays_are_skipped():
    # Wednesday 29 April + 1 working day skips Thu, Fri (holidays) and the weekend.
    assert add_working_days(date(2026, 4, 29), 1, HOLIDAYS) == date(2026, 5, 4)
    assert add_working_days(date(2026, 4, 29), 1, set()) == date(2026, 4, 30)
    # Friday + 5 working days is the next Friday.
    assert add_working_days(date(2026, 12, 4), 5, set()) == date(2026, 12, 11)


def test_zero_days_is_the_day_or_the_next_working_day():
    assert add_working_days(date(2026, 12, 2), 0, set()) == date(2026, 12, 2)
    assert add_working_days(date(2026, 5, 1), 0, HOLIDAYS) == date(2026, 5, 4)


def test_days_between_counts_working_days_both_ways():
    assert working_days_between(date(2026, 4, 29), date(2026, 5, 4), HOLIDAYS) == 1
    assert working_days_between(date(2026, 5, 4), date(2026, 4, 29), HOLIDAYS) == -1
    assert working_days_between(date(2026, 12, 4), date(2026, 12, 4), set()) == 0


@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    days=st.integers(min_value=1, max_value=60),
    holidays=st.sets(st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 6, 30))),
)
def test_add_and_between_agree(start, days, holidays):
    end = add_working_days(start, days, holidays)
    assert is_working_day(end, holidays)
    assert working_days_between(start, end, holidays) == days
    assert working_days_between(start, end - timedelta(days=1), holidays) == days - 1
