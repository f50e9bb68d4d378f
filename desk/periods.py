"""Reporting periods: a span of calendar days [start, end], the presets offices report in
(this month, this quarter, this year, last year) and the periods a report is compared with
(the one before, the same one a year earlier)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# The presets of the period picker, in its order.
PRESETS = ("this_month", "this_quarter", "this_year", "last_year")


def months_before(on: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    month += 1
    return date(year, month, min(on.day, _month_end(year, month).day))


def _month_end(year: int, month: int) -> date:
    if month == 12:  # (so that December 9999 has an end too)
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _is_month_end(day: date) -> bool:
    return day == _month_end(day.year, day.month)


@dataclass(frozen=True, order=True)
class Period:
    """Every day from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period from {self.start} after its end {self.end}")

    @property
    def whole_months(self) -> int:
        """How many calendar months it spans when it runs from a month's first day to a
        month's last; 0 otherwise."""
        if self.start.day != 1 or not _is_month_end(self.end):
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def shifted(self, months: int) -> Period:
        """The period ``months`` calendar months earlier; a period ending on a month's last
        day ends on that month's last day (February included)."""
        end = months_before(self.end, months)
        if _is_month_end(self.end):
            end = _month_end(end.year, end.month)
        return Period(months_before(self.start, months), end)

    def previous(self) -> Period:
        """The period before: for one starting on a month's first day, the same days as many
        months earlier as it spans (the quarter before a quarter; 1-15 November before 1-15
        December); otherwise as many days, ending the day before ``start``."""
        if self.start.day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
            return self.shifted(months + 1)
        days = self.end - self.start
        end = self.start - timedelta(days=1)
        return Period(end - days, end)

    def year_before(self) -> Period:
        """The same period a year earlier."""
        return self.shifted(12)


def preset(name: str, today: date) -> Period:
    """A preset of the picker (a name of PRESETS) seen on ``today``: the current month,
    quarter or year up to its end, or the whole of last year."""
    if name == "this_month":
        return Period(today.replace(day=1), _month_end(today.year, today.month))
    if name == "this_quarter":
        first = (today.month - 1) // 3 * 3 + 1
        return Period(date(today.year, first, 1), _month_end(today.year, first + 2))
    if name == "this_year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    if name == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    raise ValueError(f"period preset {name!r}")
