"""late_rate against the Python ledger and the samples."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum

from arrears import ledger
from arrears.balances import balances_as_of
from arrears.models import Contribution
from arrears.selectors import employer_ledger
from participants.models import Employer
from reports.queries.base import HARD_TO_COLLECT, months_before
from reports.queries.late_rate import late_rate, late_rate_totals
from tests.samples import SAMPLE_DAY, SampleProvince


def _ledger_under_one_month(on: date) -> int:
    """The unpaid parts of contributions due in [on - 1 month, on), by the Python ledger, of
    employers not hard to collect."""
    month_ago = months_before(on, 1)
    total = 0
    for employer in Employer.objects.exclude(status__in=Employer.HARD_TO_COLLECT):
        dues, payments = employer_ledger(employer)
        for settlement in ledger.settle_on(dues, payments, on):
            if month_ago <= settlement.due.due_on < on:
                total += settlement.unpaid
    return total


def test_late_rate_figures(sample_province: SampleProvince) -> None:
    rows = late_rate(on=SAMPLE_DAY, user=None)
    province = late_rate_totals(rows)
    receivable = Contribution.objects.filter(
        due_on__gte=date(2025, 12, 31), due_on__lt=SAMPLE_DAY
    ).aggregate(total=Sum("total"))["total"]
    hard = sum(r.arrears for r in balances_as_of(SAMPLE_DAY) if r.status in HARD_TO_COLLECT)
    assert province.receivable == receivable == 36_915_712_000
    assert province.arrears == 8_548_089_600
    assert province.hard_to_collect == hard == 311_120_000
    assert province.under_one_month == _ledger_under_one_month(SAMPLE_DAY) == 2_366_816_000
    assert province.actionable == 8_548_089_600 - 2_366_816_000 - 311_120_000
    assert str(province.late_rate) == "0.2316"
    assert province.area == "Tổng cộng" and province.is_total
    assert sum(r.arrears for r in rows) == province.arrears
