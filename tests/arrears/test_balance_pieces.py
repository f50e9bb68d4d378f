"""The kept allocation pieces (BalancePiece) and the incremental Balance refresh against the
Python ledger: after a first load and its refresh, random later writes (late imports of
contributions and payments, corrections, deletions, a payment's split, an employer removed)
leave balances on any date and the refreshed Balance table equal to ``ledger.balance_on``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears import ledger
from arrears.balance_pieces import pieces_sql
from arrears.balances import balances_as_of, current_balances, refresh_balances
from arrears.models import (
    Balance,
    BalanceChange,
    BalancePiece,
    BalancePrefix,
    BalanceTotal,
    Contribution,
    InterestRate,
    Payment,
)
from participants.models import Employer, Office
from tests.factories import EmployerFactory

DAYS = st.dates(min_value=date(2024, 6, 1), max_value=date(2026, 6, 30))
AMOUNTS = st.integers(min_value=0, max_value=300_000_000)
METHODS = st.sampled_from(list(ledger.PaymentMethod))

# A write after the first load: (kind, employer index, month index, day, amount).
WRITES = st.tuples(
    st.sampled_from(
        ["contribution", "payment", "correct", "delete_payment", "split", "delete_contribution"]
    ),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=0, max_value=20),
    DAYS,
    st.integers(min_value=0, max_value=10**9),
)


def _contribution(employer: Employer, month: int, amount: int, employees: int) -> Contribution:
    period = date(2024 + month // 12, month % 12 + 1, 1)
    return Contribution(
        employer=employer,
        period=period,
        due_on=ledger.due_date(period, employer.payment_method),
        employees=employees,
        wage_fund=0,
        si=amount,
        hi=amount // 3,
        ui=0,
        oaod=amount % 7,
    )


def _expected(on: date, rates: tuple[ledger.Rate, ...]) -> dict[int, tuple]:
    """Each employer's figures by the Python ledger, from the rows as they are now."""
    expected = {}
    for employer in Employer.objects.all():
        contributions = list(employer.contributions.order_by("period"))
        dues = [ledger.Due(c.period, c.total, c.due_on) for c in contributions]
        paid = [
            ledger.Paid(p.paid_on, p.to_contributions)
            for p in employer.payments.order_by("paid_on", "id")
        ]
        balance = ledger.balance_on(dues, paid, on, rates)
        latest = [c.employees for c in contributions if c.period <= ledger.month_start(on)]
        expected[employer.pk] = (
            balance.arrears,
            balance.months_in_arrears,
            balance.oldest_unpaid_period,
            balance.interest,
            balance.bucket,
            latest[-1] if latest else 0,
        )
    return expected


def _figures(on: date) -> dict[int, tuple]:
    return {
        r.employer_id: (
            r.arrears,
            r.months_in_arrears,
            r.oldest_unpaid_period,
            r.interest,
            r.bucket,
            r.employees,
        )
        for r in balances_as_of(on)
    }


def _write(kind: str, employer: Employer, month: int, day: date, amount: int, n: int) -> None:
    if kind == "contribution":  # a late import: a month missing so far, or a later one
        if not employer.contributions.filter(period__month=month % 12 + 1).exists():
            _contribution(employer, month, amount % 300_000_000, n).save()
    elif kind == "payment":  # dated anywhere, before the payments already in too
        Payment.objects.create(employer=employer, paid_on=day, amount=amount + 1, reference=f"L{n}")
    elif kind == "correct":
        Contribution.objects.filter(employer=employer, period__month=month % 12 + 1).update(
            si=amount % 300_000_000
        )
    elif kind == "delete_payment":
        Payment.objects.filter(
            pk__in=employer.payments.order_by("id")[month % 3 : month % 3 + 1]
        ).delete()
    elif kind == "split":  # what resplit writes: a part of a payment paying interest
        for payment in employer.payments.order_by("id")[: month % 3 + 1]:
            payment.interest_part = amount % (payment.amount + 1)
            payment.save(update_fields=["interest_part"])
    else:
        Contribution.objects.filter(employer=employer, period__month=month % 12 + 1).delete()


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    methods=st.lists(METHODS, min_size=1, max_size=3),
    first=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 20), AMOUNTS), max_size=12),
    first_payments=st.lists(st.tuples(st.integers(0, 2), DAYS, AMOUNTS), max_size=10),
    writes=st.lists(WRITES, min_size=1, max_size=8),
    on=DAYS,
    refreshed_on=st.one_of(st.just(None), DAYS),
    rate=st.integers(min_value=1, max_value=100_000),
    remove=st.booleans(),
)
def test_kept_pieces_and_refresh_match_the_ledger(
    methods: list[str],
    first: list[tuple[int, int, int]],
    first_payments: list[tuple[int, date, int]],
    writes: list[tuple[str, int, int, date, int]],
    on: date,
    refreshed_on: date | None,
    rate: int,
    remove: bool,
) -> None:
    refreshed_on = refreshed_on or on  # often the same day: the incremental refresh
    with transaction.atomic():  # undone after each example
        InterestRate.objects.all().delete()
        InterestRate.objects.create(valid_from=date(2025, 1, 1), daily_rate=Decimal(rate) / 10**8)
        rates = InterestRate.table()
        office = Office.objects.create(name="Huyện thử")
        employers = [EmployerFactory(office=office, payment_method=m) for m in methods]
        # The first load (one statement per table, as the imports write), then its refresh.
        loaded = {}
        for index, month, amount in first:
            employer = employers[index % len(employers)]
            loaded[employer.pk, month] = _contribution(employer, month, amount, 10 + month)
        Contribution.objects.bulk_create(loaded.values())
        Payment.objects.bulk_create(
            Payment(
                employer=employers[i % len(employers)], paid_on=d, amount=a + 1, reference=f"F{n}"
            )
            for n, (i, d, a) in enumerate(first_payments)
        )
        refresh_balances(refreshed_on)
        assert not BalanceChange.objects.exists()
        assert _figures(on) == _expected(on, rates)  # every employer from its kept pieces

        for n, (kind, index, month, day, amount) in enumerate(writes):
            _write(kind, employers[index % len(employers)], month, day, amount, n)
        if remove:
            employers[-1].delete()
        expected = _expected(on, rates)
        # Changed employers computed, the others kept: never stale before the refresh.
        assert _figures(on) == expected
        refresh_balances(refreshed_on)
        assert not BalanceChange.objects.exists()
        assert _figures(on) == expected  # every employer from its kept pieces again
        assert set(BalancePiece.objects.values_list("employer_id", flat=True)) <= {
            e.pk for e in Employer.objects.all()
        }
        # The Balance table holds the figures on its day, one row per employer.
        assert Balance.objects.count() == Employer.objects.count()
        assert current_balances(refreshed_on) == balances_as_of(refreshed_on)
        stored = {
            b.employer_id: (b.arrears, b.months_in_arrears, b.oldest_unpaid_period, b.interest)
            for b in Balance.objects.all()
        }
        assert stored == {k: v[:4] for k, v in _expected(refreshed_on, rates).items()}
        assert _kept_totals() == _totals(_expected(refreshed_on, rates))
        transaction.set_rollback(True)


def _kept_totals() -> dict[tuple, tuple]:
    """The totals the refresh kept (arrears.balance_totals), but interest outstanding."""
    return {
        (t.office_id, t.status, t.bucket): (
            t.employers,
            t.in_arrears,
            t.workers,
            t.arrears,
            t.interest,
        )
        for t in BalanceTotal.objects.all()
    }


def _totals(expected: dict[int, tuple]) -> dict[tuple, tuple]:
    """``_expected``'s figures added up per office, status and bucket as BalanceTotal keeps
    them: employers, those in arrears, their workers affected, arrears, interest."""
    totals: dict[tuple, tuple] = {}
    for employer in Employer.objects.all():
        arrears, _months, _oldest, interest, bucket, employees = expected[employer.pk]
        key = (employer.office_id, employer.status, bucket.value)
        n, owing, workers, owed, accrued = totals.get(key, (0, 0, 0, 0, 0))
        totals[key] = (
            n + 1,
            owing + (arrears > 0),
            workers + (employees if arrears > 0 else 0),
            owed + arrears,
            accrued + interest,
        )
    return totals


def test_a_new_rate_refreshes_every_row(db) -> None:  # type: ignore[no-untyped-def]
    employer = EmployerFactory()
    _contribution(employer, 14, 1_000_000, 3).save()
    on = date(2026, 6, 1)
    refresh_balances(on)
    before = Balance.objects.get().interest
    InterestRate.objects.create(valid_from=date(2025, 3, 1), daily_rate=Decimal("0.001"))
    assert not BalanceChange.objects.exists()  # no employer changed, but every figure did
    refresh_balances(on)
    assert Balance.objects.get().interest > before
    assert current_balances(on) == balances_as_of(on)


def test_a_new_employer_gets_its_row_on_the_same_day(db) -> None:  # type: ignore[no-untyped-def]
    on = date(2026, 6, 1)
    EmployerFactory()
    refresh_balances(on)
    EmployerFactory()
    assert refresh_balances(on) == 2
    assert Balance.objects.count() == 2
    assert current_balances(on) == balances_as_of(on) and len(balances_as_of(on)) == 2


def _pieces(sql: str) -> tuple[list[tuple], list[tuple]]:
    """The pieces (contribution, date, amount, parts), and each contribution's one head
    (which of two pieces paid on the same day heads is left to the sort)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT employer_id, period, due_on, paid_on, amount, parts, head, employees, "  # noqa: S608
            f"next_period, settled_on::text FROM ({sql}) AS x"
        )
        rows = cursor.fetchall()
    heads = sorted((r[:2], r[7:]) for r in rows if r[6])
    assert len(heads) == len({r[:2] for r in rows})
    return sorted((r[:6] for r in rows), key=repr), heads


def _kept_pieces() -> tuple[list[tuple], list[tuple]]:
    return _pieces("SELECT * FROM arrears_balancepiece")


def _rebuilt_pieces() -> tuple[list[tuple], list[tuple]]:
    return _pieces(pieces_sql("TRUE", "TRUE"))


# A month of an employer's history: its total, what its payment pays of it (none, part, all,
# more), how many days after its due date, and in how many payments (same day: by id).
MONTHS = st.tuples(
    st.sampled_from([0, 1, 1_000_000, 2_500_000]),
    st.sampled_from([0, 1, 2, 4, 4, 4, 5]),  # quarters of the total
    st.integers(min_value=-20, max_value=60),
    st.integers(min_value=1, max_value=2),
)
# A later write, refreshed or not before the next: appending a month and its payments (the
# monthly import), or a late payment, a deletion, a correction of an old period, a resplit,
# a new rate (every settled prefix's interest changes).
LATER = st.tuples(
    st.sampled_from(
        ["month", "month", "late", "delete_payment", "delete", "correct", "split", "rate"]
    ),
    st.integers(min_value=0, max_value=1),  # employer
    st.integers(min_value=0, max_value=30),  # month or payment index
    MONTHS,
    st.sampled_from([None, 0, 0, 45]),  # refresh after it, on D or that many days later
)


def _month(employer: Employer, month: int, figures: tuple[int, int, int, int], n: str) -> None:
    total, quarters, delay, payments = figures
    contribution = _contribution(employer, month, total, month + 1)
    contribution.save()
    paid = total * quarters // 4 + (quarters == 5)
    for i in range(payments):
        if amount := paid // payments + (i < paid % payments):
            Payment.objects.create(
                employer=employer,
                paid_on=contribution.due_on + timedelta(days=delay),
                amount=amount,
                reference=f"{n}-{i}",
            )


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    histories=st.lists(st.lists(MONTHS, max_size=8), min_size=1, max_size=2),
    later=st.lists(LATER, min_size=1, max_size=10),
    on=st.dates(min_value=date(2024, 3, 1), max_value=date(2025, 6, 30)),
)
def test_refreshing_the_tail_keeps_every_piece_a_rebuild_has(
    histories: list[list[tuple[int, int, int, int]]],
    later: list[tuple[str, int, int, tuple[int, int, int, int], int | None]],
    on: date,
) -> None:
    """Kept pieces after refreshes of tails equal those computed from scratch, and the Balance
    table the ledger's figures, whatever was appended, corrected or removed in between."""
    with transaction.atomic():
        InterestRate.objects.all().delete()
        InterestRate.objects.create(valid_from=date(2024, 1, 1), daily_rate=Decimal("0.0003"))
        rates = InterestRate.table()
        office = Office.objects.create(name="Huyện thử")
        employers = [EmployerFactory(office=office) for _ in histories]
        for employer, history in zip(employers, histories, strict=True):
            for month, figures in enumerate(history):
                _month(employer, month, figures, f"H{employer.pk}-{month}")
        refresh_balances(on)
        for n, (kind, index, number, figures, days) in enumerate(later):
            employer = employers[index % len(employers)]
            periods = list(employer.contributions.order_by("period").values_list("period", flat=1))
            payments = list(employer.payments.order_by("paid_on", "id"))
            if kind == "month":  # the next month and its payments, after every other
                last = periods[-1] if periods else date(2023, 12, 1)
                _month(employer, (last.year - 2024) * 12 + last.month, figures, f"M{n}")
            elif kind == "late" and payments:  # dated with or before the others
                Payment.objects.create(
                    employer=employer,
                    paid_on=payments[number % len(payments)].paid_on,
                    amount=figures[0] // 3 + 1,
                    reference=f"L{n}",
                )
            elif kind == "delete_payment" and payments:
                payments[number % len(payments)].delete()
            elif kind == "delete" and periods:
                employer.contributions.filter(period=periods[number % len(periods)]).delete()
            elif kind == "correct" and periods:
                employer.contributions.filter(period=periods[number % len(periods)]).update(
                    si=figures[0]
                )
            elif kind == "split" and payments:  # resplit and credit moves: to_contributions
                payment = payments[number % len(payments)]
                payment.interest_part = payment.amount * figures[1] // 10
                payment.moved_part = payment.amount // 7 if figures[3] == 2 else 0
                payment.save(update_fields=["interest_part", "moved_part"])
            elif kind == "rate":
                InterestRate.objects.create(
                    valid_from=date(2024, number % 12 + 1, 2 + n), daily_rate=Decimal("0.0005")
                )
                rates = InterestRate.table()
            if days is not None:
                _refresh_and_compare(on + timedelta(days=days), rates)
        _refresh_and_compare(on, rates)
        transaction.set_rollback(True)


def _refresh_and_compare(on: date, rates: tuple[ledger.Rate, ...]) -> None:
    refresh_balances(on)
    assert _kept_pieces() == _rebuilt_pieces()
    stored = {
        b.employer_id: (b.arrears, b.months_in_arrears, b.oldest_unpaid_period, b.interest)
        for b in Balance.objects.all()
    }
    assert stored == {k: v[:4] for k, v in _expected(on, rates).items()}


def test_a_new_rate_reprices_the_settled_prefixes(db) -> None:  # type: ignore[no-untyped-def]
    """A prefix's interest is kept at refresh: a rate changed later is not in it, so a refresh
    after the rate forgets every prefix (an employer changed after it is refreshed alone)."""
    InterestRate.objects.create(valid_from=date(2024, 1, 1), daily_rate=Decimal("0.0003"))
    employer = EmployerFactory()
    for month in range(3):  # each paid 30 days late: interest in the settled prefix
        _month(employer, month, (1_000_000, 4, 30, 1), f"P{month}")
    on = date(2024, 12, 1)
    refresh_balances(on)
    assert BalancePrefix.objects.get().last == date(2024, 2, 1)
    InterestRate.objects.create(valid_from=date(2024, 1, 2), daily_rate=Decimal("0.001"))
    refresh_balances(on)
    _month(employer, 3, (1_000_000, 0, 0, 1), "P3")  # changed after: refreshed alone
    refresh_balances(on)
    expected = _expected(on, InterestRate.table())[employer.pk]
    assert Balance.objects.get().interest == expected[3] > 0
