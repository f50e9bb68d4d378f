"""Reports read the Balance table only while it holds exactly what the ledger computes.

The ledger stamp is raised by triggers on every table the balances come from; a refresh
records the stamp it saw. Whatever changes, a report never shows figures the ledger would not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from arrears.balances import (
    balances_as_of,
    current_balances,
    refresh_balances,
    stored_is_current,
)
from arrears.models import Contribution, InterestRate, Payment
from participants.models import District, Employer
from reports import queries
from tests.samples import SAMPLE_DAY, SampleProvince


@pytest.fixture
def refreshed(sample_province: SampleProvince) -> SampleProvince:
    refresh_balances(SAMPLE_DAY)
    return sample_province


def test_a_fresh_refresh_serves_the_reports(refreshed: SampleProvince) -> None:
    assert stored_is_current(SAMPLE_DAY)
    assert current_balances(SAMPLE_DAY) == balances_as_of(SAMPLE_DAY)
    lam_son = District.objects.get(name="Lương Sơn")
    scoped = Employer.objects.filter(district=lam_son)
    assert current_balances(SAMPLE_DAY, employers=scoped) == balances_as_of(
        SAMPLE_DAY, employers=scoped
    )
    # The aging report from the table equals the one computed from the ledger.
    stored = queries.aging(on=SAMPLE_DAY, user=None)
    Payment.objects.filter(pk=0).update(amount=1)  # a statement changing no row still counts
    assert not stored_is_current(SAMPLE_DAY)
    assert queries.aging(on=SAMPLE_DAY, user=None) == stored


def test_another_day_is_computed(refreshed: SampleProvince) -> None:
    other = SAMPLE_DAY - timedelta(days=40)
    assert not stored_is_current(other)
    assert current_balances(other) == balances_as_of(other)


def _payment(sample: SampleProvince) -> None:
    Payment.objects.create(
        employer=sample.employers["HB00005A"],
        paid_on=SAMPLE_DAY - timedelta(days=1),
        amount=1_000_000,
        reference="NEW-1",
    )


def _contribution(sample: SampleProvince) -> None:
    Contribution.objects.filter(employer=sample.employers["HB00005A"]).update(si=1)


def _rate(sample: SampleProvince) -> None:
    InterestRate.objects.create(valid_from=date(2026, 1, 1), daily_rate=Decimal("0.0005"))


def _employer(sample: SampleProvince) -> None:
    Employer.objects.filter(unit_code="HB00005A").update(status=Employer.Status.DISSOLVED)


def _district(sample: SampleProvince) -> None:
    District.objects.filter(name="Lương Sơn").update(name="Huyện Lương Sơn")


@pytest.mark.parametrize("change", [_payment, _contribution, _rate, _employer, _district])
def test_any_change_to_the_ledger_sends_reports_back_to_it(
    refreshed: SampleProvince, change: Callable[[SampleProvince], None]
) -> None:
    before = balances_as_of(SAMPLE_DAY)
    change(refreshed)
    assert not stored_is_current(SAMPLE_DAY)
    after = current_balances(SAMPLE_DAY)
    assert after == balances_as_of(SAMPLE_DAY)
    assert after != before
    refresh_balances(SAMPLE_DAY)
    assert stored_is_current(SAMPLE_DAY)
    assert current_balances(SAMPLE_DAY) == after
