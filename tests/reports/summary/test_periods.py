"""reports/summary/periods.py: a year, a quarter or days from-to, and the comparison columns."""

from __future__ import annotations

from datetime import date

import pytest

from reports.queries.coverage import Period
from reports.summary.periods import SummaryPeriod


def test_a_quarter_compares_with_the_quarter_before_and_a_year_earlier() -> None:
    q1 = SummaryPeriod.of_quarter(2026, 1)
    assert (q1.start, q1.end, q1.label) == (date(2026, 1, 1), date(2026, 3, 31), "Quý 1/2026")
    assert [c.label for c in q1.columns] == ["Quý 1/2026", "Quý 4/2025", "Quý 1/2025"]
    assert SummaryPeriod.of_quarter(2026, 4).end == date(2026, 12, 31)


def test_a_year_compares_with_the_year_before_once() -> None:
    year = SummaryPeriod.of_year(2025)
    assert [c.label for c in year.columns] == ["Năm 2025", "Năm 2024"]


def test_days_from_to() -> None:
    days = SummaryPeriod.between(date(2024, 2, 10), date(2024, 2, 29))
    assert days.label == "10/02/2024 – 29/02/2024"
    before, earlier = days.columns[1:]
    assert (before.start, before.end) == (date(2024, 1, 21), date(2024, 2, 9))
    assert (earlier.start, earlier.end) == (date(2023, 2, 10), date(2023, 2, 28))


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), "Năm 2026"),
        (date(2026, 7, 1), date(2026, 9, 30), "Quý 3/2026"),
        (date(2026, 7, 1), date(2026, 9, 29), "01/07/2026 – 29/09/2026"),
        (date(2026, 8, 1), date(2026, 10, 31), "01/08/2026 – 31/10/2026"),
    ],
)
def test_whole_years_and_quarters_are_known(start: date, end: date, label: str) -> None:
    assert SummaryPeriod.between(start, end).label == label


def test_coverage_figures_of_the_period_or_the_latest_before() -> None:
    choices = [Period(2025), Period(2025, 4), Period(2025, 3)]
    assert SummaryPeriod.of_quarter(2025, 3).coverage_period(choices) == Period(2025, 3)
    assert SummaryPeriod.of_year(2026).coverage_period(choices) is None  # not 2025's
    days = SummaryPeriod.between(date(2025, 10, 5), date(2025, 12, 30))
    assert days.coverage_period(choices) == Period(2025, 3)
    assert SummaryPeriod.of_year(2020).coverage_period(choices) is None
