"""The set-based balances (arrears.balances) against the samples and against the Python ledger;
the Balance table refresh and its Celery task; reports reading the table only while current."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears import ledger
from arrears.balances import (
    balances_as_of,
    current_balances,
    refresh_balances,
    request_balance_refresh,
    stored_is_current,
)
from arrears.ledger import Paid
from arrears.models import Balance, BalanceState, Contribution, InterestRate, Payment
from arrears.tasks import refresh_balances_task
from participants.models import Employer, Office
from reports.queries.aging import aging
from tests.factories import EmployerFactory
from tests.samples import SAMPLE_DAY, SampleProvince


def _month_text(day: date | None) -> str | None:
    return day.strftime("%Y-%m") if day else None


# --------------------------------------------------------------------------------------------
# The sample province: the office's ground truth


def test_samples_match_expected(sample_province: SampleProvince) -> None:
    expected = sample_province.expected
    assert date.fromisoformat(expected["as_of"]) == SAMPLE_DAY
    rows = balances_as_of(SAMPLE_DAY)

    got = {
        r.unit_code: {
            "arrears": r.arrears,
            "months_in_arrears": r.months_in_arrears,
            "oldest_unpaid_period": _month_text(r.oldest_unpaid_period),
            "interest": r.interest,
            "employees": r.employees,
            "status": r.status,
        }
        for r in rows
    }
    want = {
        unit: {key: figures[key] for key in got[unit]}
        for unit, figures in expected["employers"].items()
    }
    assert got == want
    for r in rows:
        assert r.bucket is ledger.aging_bucket(r.months_in_arrears)
        assert r.employer_id == sample_province.employers[r.unit_code].pk

    totals = expected["totals"]
    assert sum(r.arrears for r in rows) == totals["arrears"] == 8_548_089_600
    assert sum(r.interest for r in rows) == totals["interest"] == 1_277_264_801
    assert sum(1 for r in rows if r.arrears) == totals["employers_in_arrears"] == 19
    # Largest arrears first, ties by unit code.
    assert rows[0].unit_code == "HB00018D"
    keys = [(-r.arrears, r.unit_code) for r in rows]
    assert keys == sorted(keys)


def test_samples_scoped_to_a_queryset(sample_province: SampleProvince) -> None:
    chosen = Employer.objects.filter(office__name="Lương Sơn")
    rows = balances_as_of(SAMPLE_DAY, employers=chosen)
    assert {r.unit_code for r in rows} == set(chosen.values_list("unit_code", flat=True))
    assert len(rows) == 3
    for r in rows:
        assert r.arrears == sample_province.expected["employers"][r.unit_code]["arrears"]
        assert r.office == "Lương Sơn"


def test_an_employer_with_nothing_has_zeros(db) -> None:  # type: ignore[no-untyped-def]
    employer = EmployerFactory()
    (row,) = balances_as_of(SAMPLE_DAY)
    assert (row.employer_id, row.arrears, row.months_in_arrears, row.interest) == (
        employer.pk,
        0,
        0,
        0,
    )
    assert (row.oldest_unpaid_period, row.bucket, row.employees) == (None, ledger.Bucket.NONE, 0)


# --------------------------------------------------------------------------------------------
# Property: the SQL computes what the Python ledger computes, for any small province

DAYS = st.dates(min_value=date(2024, 6, 1), max_value=date(2027, 6, 30))


# One employer's ledger: payment method, periods with their four fund amounts, payments.
Ledger = tuple[str, list[tuple[date, tuple[int, ...]]], list[Paid]]


@st.composite
def small_ledgers(draw: st.DrawFn) -> Ledger:
    """0-8 consecutive periods for one payment method, 0-8 payments on a few dates, so that
    same-day payments are common."""
    method = draw(st.sampled_from(list(ledger.PaymentMethod)))
    start = draw(st.integers(min_value=0, max_value=24))
    funds = st.tuples(*[st.integers(min_value=0, max_value=300_000_000)] * 4)
    periods = []
    for k in range(start, start + draw(st.integers(min_value=0, max_value=8))):
        periods.append((date(2024 + k // 12, k % 12 + 1, 1), draw(funds)))
    dates = draw(st.lists(DAYS, min_size=1, max_size=4))
    payments = draw(
        st.lists(
            st.builds(Paid, st.sampled_from(dates), st.integers(min_value=1, max_value=10**9)),
            max_size=8,
        )
    )
    return method, periods, payments


@st.composite
def provinces(draw: st.DrawFn) -> tuple[list[Ledger], date, list[ledger.Rate]]:
    """A few employers, a date and a two-rate table; the date and the rates' start dates
    often fall on the edges that matter: a deadline, the day after, a payment date."""
    employers = draw(st.lists(small_ledgers(), min_size=1, max_size=3))
    edges = [p.paid_on for _, _, payments in employers for p in payments]
    for method, periods, _ in employers:
        for period, _funds in periods:
            due_on = ledger.due_date(period, method)
            edges += [due_on, due_on + timedelta(days=1)]
    some_day = st.one_of(DAYS, st.sampled_from(edges)) if edges else DAYS
    on = draw(some_day)
    first = draw(some_day)
    second = first + timedelta(days=draw(st.integers(min_value=1, max_value=500)))
    daily = st.integers(min_value=0, max_value=100_000).map(lambda k: Decimal(k) / 10**8)
    return employers, on, [ledger.Rate(first, draw(daily)), ledger.Rate(second, draw(daily))]


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(provinces())
def test_sql_matches_the_ledger(province: tuple[list[Ledger], date, list[ledger.Rate]]) -> None:
    employers, on, rates = province
    with transaction.atomic():  # undone after each example
        InterestRate.objects.all().delete()
        InterestRate.objects.bulk_create(
            InterestRate(valid_from=r.valid_from, daily_rate=r.daily_rate) for r in rates
        )
        office = Office.objects.create(name="Huyện thử")
        expected = {}
        for index, (method, periods, payments) in enumerate(employers):
            employer = EmployerFactory(office=office, payment_method=method)
            contributions = [
                Contribution(
                    employer=employer,
                    period=period,
                    due_on=ledger.due_date(period, method),
                    employees=10 + k,
                    wage_fund=0,
                    si=si,
                    hi=hi,
                    ui=ui,
                    oaod=oaod,
                )
                for k, (period, (si, hi, ui, oaod)) in enumerate(periods)
            ]
            Contribution.objects.bulk_create(contributions)
            Payment.objects.bulk_create(  # ids in list order: the ledger's tie order
                Payment(
                    employer=employer, paid_on=p.paid_on, amount=p.amount, reference=f"R{index}-{n}"
                )
                for n, p in enumerate(payments)
            )
            dues = [
                ledger.Due(c.period, c.si + c.hi + c.ui + c.oaod, c.due_on) for c in contributions
            ]
            latest = [c.employees for c in contributions if c.period <= ledger.month_start(on)]
            expected[employer.pk] = (
                ledger.balance_on(dues, payments, on, rates),
                latest[-1] if latest else 0,
            )

        rows = balances_as_of(on)
        assert {r.employer_id for r in rows} == set(expected)
        for r in rows:
            balance, employees = expected[r.employer_id]
            assert (
                r.arrears,
                r.months_in_arrears,
                r.oldest_unpaid_period,
                r.interest,
                r.bucket,
                r.employees,
            ) == (
                balance.arrears,
                balance.months_in_arrears,
                balance.oldest_unpaid_period,
                balance.interest,
                balance.bucket,
                employees,
            )
        transaction.set_rollback(True)


# --------------------------------------------------------------------------------------------
# The Balance table


def _table() -> dict[str, tuple]:
    return {
        b.employer.unit_code: (
            b.as_of,
            b.arrears,
            b.months_in_arrears,
            b.oldest_unpaid_period,
            b.interest,
            b.bucket,
            b.workers_affected,
        )
        for b in Balance.objects.select_related("employer")
    }


def test_refresh_writes_one_row_per_employer_and_is_idempotent(
    sample_province: SampleProvince,
) -> None:
    idle = EmployerFactory(unit_code="HB99999Z")  # no contributions at all
    assert refresh_balances(SAMPLE_DAY) == 41
    table = _table()
    assert len(table) == Employer.objects.count() == 41
    assert table["HB99999Z"] == (SAMPLE_DAY, 0, 0, None, 0, "none", 0)
    for unit, want in sample_province.expected["employers"].items():
        as_of, arrears, months, oldest, interest, bucket, workers = table[unit]
        assert (as_of, arrears, months, _month_text(oldest), interest, workers) == (
            SAMPLE_DAY,
            want["arrears"],
            want["months_in_arrears"],
            want["oldest_unpaid_period"],
            want["interest"],
            want["employees"],
        )
        assert bucket == ledger.aging_bucket(months)
    assert table["HB00005A"][5] == "6_to_12"  # 11 months
    computed = Balance.objects.get(employer=idle).refreshed_at
    stamp = BalanceState.objects.get().refreshed_at

    assert refresh_balances(SAMPLE_DAY) == 41
    assert _table() == table
    # Nothing changed: no row is rewritten, the refresh itself is recorded.
    assert Balance.objects.get(employer=idle).refreshed_at == computed
    assert BalanceState.objects.get().refreshed_at > stamp


def test_refresh_defaults_to_today_in_the_province(db) -> None:  # type: ignore[no-untyped-def]
    EmployerFactory()
    assert refresh_balances() == 1
    assert Balance.objects.get().as_of == timezone.localdate()


def test_employer_list_by_arrears_shows_the_largest_first(
    sample_province: SampleProvince, manager, client_as
) -> None:  # type: ignore[no-untyped-def]
    refresh_balances(SAMPLE_DAY)
    response = client_as(manager).get(reverse("employer_list"), {"sort": "arrears"})
    assert response.status_code == 200
    listed = [e.unit_code for e in response.context["page"].object_list]
    assert listed[:3] == ["HB00018D", "HB00005A", "HB00036B"]


# --------------------------------------------------------------------------------------------
# Refresh after commit, in a worker


def test_request_balance_refresh_queues_the_task_after_commit(
    db, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    queued = []
    monkeypatch.setattr(refresh_balances_task, "delay", lambda: queued.append(True))
    with django_capture_on_commit_callbacks(execute=True):
        request_balance_refresh()
        assert queued == []  # nothing before the commit
    assert queued == [True]


def test_refresh_task_refreshes(db) -> None:  # type: ignore[no-untyped-def]
    EmployerFactory()
    EmployerFactory()
    assert refresh_balances_task.apply().get() == 2
    assert Balance.objects.count() == 2


# --------------------------------------------------------------------------------------------
# Reports read the Balance table only while it holds exactly what the ledger computes: the
# ledger stamp is raised by triggers on every table the balances come from, and a refresh
# records the stamp it saw. Whatever changes, a report never shows figures the ledger would not.


@pytest.fixture
def refreshed(sample_province: SampleProvince) -> SampleProvince:
    refresh_balances(SAMPLE_DAY)
    return sample_province


def test_a_fresh_refresh_serves_the_reports(refreshed: SampleProvince) -> None:
    assert stored_is_current(SAMPLE_DAY)
    assert current_balances(SAMPLE_DAY) == balances_as_of(SAMPLE_DAY)
    lam_son = Office.objects.get(name="Lương Sơn")
    scoped = Employer.objects.filter(office=lam_son)
    assert current_balances(SAMPLE_DAY, employers=scoped) == balances_as_of(
        SAMPLE_DAY, employers=scoped
    )
    # The aging report from the table equals the one computed from the ledger.
    stored = aging(on=SAMPLE_DAY, user=None)
    Payment.objects.filter(pk=0).update(amount=1)  # a statement changing no row still counts
    assert not stored_is_current(SAMPLE_DAY)
    assert aging(on=SAMPLE_DAY, user=None) == stored


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


def _office(sample: SampleProvince) -> None:
    Office.objects.filter(name="Lương Sơn").update(name="Huyện Lương Sơn")


@pytest.mark.parametrize("change", [_payment, _contribution, _rate, _employer, _office])
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
