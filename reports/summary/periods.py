"""The period of the province's summary (a year, a quarter or any days from-to) and its two
comparison columns: the period before and the same period a year earlier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from desk.periods import Period
from reports.queries import coverage


@dataclass(frozen=True)
class SummaryPeriod:
    """Days ``start`` to ``end`` inclusive; a whole year or quarter knows it is one."""

    start: date
    end: date
    year: int | None = None  # set for a whole year or quarter
    quarter: int | None = None  # set for a whole quarter

    @classmethod
    def of_year(cls, year: int) -> SummaryPeriod:
        return cls(date(year, 1, 1), date(year, 12, 31), year)

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> SummaryPeriod:
        start = date(year, 3 * quarter - 2, 1)
        after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return cls(start, after - timedelta(days=1), year, quarter)

    @classmethod
    def between(cls, start: date, end: date) -> SummaryPeriod:
        """Days ``start`` to ``end``, known as a year or a quarter when they are one."""
        if start.year == end.year and start.day == 1:
            if (start.month, end) == (1, date(end.year, 12, 31)):
                return cls.of_year(start.year)
            if start.month % 3 == 1:
                quarter = cls.of_quarter(start.year, start.month // 3 + 1)
                if quarter.end == end:
                    return quarter
        return cls(start, end)

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Quý %(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.year}
        if self.year:
            return _("Năm %(year)s") % {"year": self.year}
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @property
    def on(self) -> date:
        """The day the as-of reports are read on: the period's last day, or today while the
        period is running."""
        return min(self.end, timezone.localdate())

    @property
    def previous(self) -> SummaryPeriod:
        """The period just before (the reports' rule: the year, the quarter, or as many
        months or days)."""
        before = Period(self.start, self.end).previous()
        return self.between(before.start, before.end)

    @property
    def year_earlier(self) -> SummaryPeriod:
        before = Period(self.start, self.end).year_before()
        return self.between(before.start, before.end)

    @property
    def columns(self) -> tuple[SummaryPeriod, ...]:
        """The summary's columns: this period, the one before, the same a year earlier (a
        year's period before is the year earlier: two columns)."""
        if self.previous == self.year_earlier:
            return (self, self.previous)
        return (self, self.previous, self.year_earlier)

    def coverage_period(self, choices: list[coverage.Period]) -> coverage.Period | None:
        """The coverage figures it reads: a year's or a quarter's own (None when there are
        none: another period's would pass for its own), days from-to the latest period
        closed by their end."""
        if self.year:
            own = coverage.Period(self.year, self.quarter)
            return own if own in choices else None
        return coverage.period_on(self.end + timedelta(days=1), choices)
