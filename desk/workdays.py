"""Working days: Monday to Friday, less the holidays the office keeps in its table.

Plain dates in, plain dates out, so deadlines and session calendars share one rule.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta

SATURDAY = 5


def is_working_day(day: date, holidays: Container[date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: date, days: int, holidays: Container[date]) -> date:
    """The working day ``days`` working days after ``start`` (``start`` itself not counted);
    with ``days`` 0, ``start`` or the next working day after it."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
        return day
    while days:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            days -= 1
    return day


def working_days_between(start: date, end: date, holidays: Container[date]) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is
    before ``start``): how far a deadline is, or how late."""
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return sign * count
