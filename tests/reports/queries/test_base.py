"""The shared parts of the reports: the year's figures and calendar months."""

from __future__ import annotations

from datetime import date

from arrears.balances import balances_as_of
from arrears.models import Payment
from reports.queries.base import YearFigures, months_before, year_figures
from tests.samples import SAMPLE_DAY, SampleProvince


def test_year_opening_and_recovery(sample_province: SampleProvince) -> None:
    figures = sum(year_figures(SAMPLE_DAY).values(), YearFigures())
    opening = {r.employer_id: r.arrears for r in balances_as_of(date(2025, 12, 31))}
    paid = {
        e: sum(
            Payment.objects.filter(
                employer_id=e, paid_on__gt=date(2025, 12, 31), paid_on__lte=SAMPLE_DAY
            ).values_list("amount", flat=True)
        )
        for e in opening
    }
    assert figures.opening_arrears == sum(opening.values()) == 5_388_176_000
    assert figures.recovered == sum(min(opening[e], paid[e]) for e in opening)
    assert figures.employers_in_arrears == 19


def test_months_before_keeps_the_day_or_the_month_end() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)
    assert months_before(date(2026, 11, 16), 12) == date(2025, 11, 16)
