"""Recovery in a period (DOMAIN.md rule 8): the referrals sent from F to T, what they
recovered up to T, added up per row referral by referral as the as-of report does, each
employer once in the totals, at its first referral; and the ranges the rule keeps whatever
the data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Agency
from participants.models import Office
from reports.queries.recovery_by_agency import recovery_by_agency, recovery_totals
from tests.factories import EmployerFactory, PaymentFactory, agency
from tests.reports.conftest import World, owing, refer

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def _figures(row) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    return (
        row.agency,
        row.units,
        row.workers,
        row.arrears_at_referral,
        row.recovered,
        row.recovery_rate,
    )


def test_a_quarter_counts_its_referrals_and_each_employer_once(world: World) -> None:
    start, end = Q1
    rows = recovery_by_agency(on=end, start=start, user=None)
    assert [_figures(r) for r in rows] == [
        # E5 owes nothing: no rate.
        ("iz_board", 1, 4, 0, 0, None),
        # E1 2,500,000 -> 1,200,000 (20/01 and 31/03, not the payment of the referral day);
        # E3 700,000 -> 0 (its payment is of the referral day, the 01/04 one after the end).
        ("labour_federation", 2, 17, 2_400_000, 400_000, Decimal("0.1667")),
        # E1 2,500,000 -> 1,200,000; E2 at 01/02: 2,000,000 -> 600,000 and again at 15/03:
        # 1,400,000 -> 0 (one unit, its 7 workers once). E4 was sent before the period.
        ("labour_inspectorate", 2, 19, 5_900_000, 1_800_000, Decimal("0.3051")),
    ]
    assert [(r.agency_kind, r.agency_name) for r in rows] == [
        ("iz_board", agency("iz_board").name),
        ("labour_federation", agency("labour_federation").name),
        ("labour_inspectorate", agency("labour_inspectorate").name),
    ]
    total = recovery_totals(rows)
    # E1 once, at the inspectorate (its first referral): 2,500,000 -> 1,200,000; E2, E3, E5.
    assert _figures(total) == ("total", 4, 28, 5_200_000, 1_800_000, Decimal("0.3462"))
    assert (total.agency_kind, total.agency_name, total.is_total) == ("", "Tổng cộng", True)
    # The rows add E1 twice and E2's second referral: the totals row is less.
    assert sum(r.arrears_at_referral for r in rows) == 8_300_000
    assert sum(r.units for r in rows) == 5


def test_two_periods_and_the_days_that_bound_them(world: World) -> None:
    # Last year: E4 alone, sent 31/12/2025 (the period's last day); nothing came back by then.
    (row,) = recovery_by_agency(on=date(2025, 12, 31), start=date(2025, 1, 1), user=None)
    assert _figures(row) == ("labour_inspectorate", 1, 9, 1_000_000, 0, Decimal(0))
    # The second quarter: no referral, nothing to report, whatever was paid in it.
    assert recovery_by_agency(on=date(2026, 6, 30), start=date(2026, 4, 1), user=None) == []
    # A period starting on E3's referral day holds it; one ending the day before does not.
    days = recovery_by_agency(on=date(2026, 3, 31), start=date(2026, 3, 31), user=None)
    assert [_figures(r) for r in days] == [("labour_federation", 1, 5, 700_000, 0, Decimal(0))]
    before = recovery_by_agency(on=date(2026, 3, 30), start=date(2026, 3, 15), user=None)
    # E2's second referral (15/03) alone: its arrears then, 1,400,000; nothing paid after.
    assert [_figures(r) for r in before] == [
        ("labour_inspectorate", 1, 7, 1_400_000, 0, Decimal(0))
    ]
    # The payment of 01/04 counts once the period reaches it: E1's federation referral
    # recovers its 1,700,000 by the end of April.
    april = recovery_by_agency(on=date(2026, 4, 30), start=Q1[0], user=None)
    federation = next(r for r in april if r.agency == "labour_federation")
    assert (federation.arrears_at_referral, federation.recovered) == (2_400_000, 1_700_000)


def test_as_of_keeps_its_meaning_with_totals_counted_once(world: World) -> None:
    # Up to 31/03/2026: every referral sent by then (E4's of 2025 too), recovered by then.
    rows = recovery_by_agency(on=date(2026, 3, 31), user=None)
    inspectorate = next(r for r in rows if r.agency == "labour_inspectorate")
    assert _figures(inspectorate) == (
        "labour_inspectorate",
        3,
        28,
        6_900_000,  # E4 1,000,000, E1 2,500,000, E2 2,000,000 and 1,400,000
        2_800_000,
        Decimal("0.4058"),
    )
    total = recovery_totals(rows)
    # E4 (1,000,000 -> 1,000,000) with the quarter's employers, E1 still once.
    assert _figures(total) == ("total", 5, 37, 6_200_000, 2_800_000, Decimal("0.4516"))


def test_by_kind_counts_each_employer_once_per_kind(world: World) -> None:
    # A second organisation of the federation's kind gets E1 on 01/03 (1,700,000 owed then,
    # 400,000 back by 31/03): the kind's row adds that referral but counts the unit once, and
    # the totals are those of the organisations.
    union = Agency.objects.create(code="cd_thu", kind=Agency.Kind.LABOUR_FEDERATION, name="CĐ")
    refer(world.e1, "cd_thu", date(2026, 3, 1))
    by_agency = recovery_by_agency(on=Q1[1], start=Q1[0], user=None)
    by_kind = recovery_by_agency(on=Q1[1], start=Q1[0], user=None, by="kind")
    unions = next(r for r in by_kind if r.agency == "labour_federation")
    assert _figures(unions)[:5] == ("labour_federation", 2, 17, 4_100_000, 800_000)
    mine = next(r for r in by_agency if r.agency == union.code)
    assert (mine.agency_kind, mine.units) == ("labour_federation", 1)
    assert recovery_totals(by_kind) == recovery_totals(by_agency)


# --------------------------------------------------------------------------------------------
# The rule's ranges, on random referrals and payments

DAY0 = date(2026, 1, 1)
days = st.integers(min_value=0, max_value=120)
codes = st.sampled_from(["labour_inspectorate", "labour_federation", "iz_board", "police"])


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[int, list[tuple[int, int]], list[tuple[str, int]]]]:
    """Per employer: months owed (1 to 4), payments (day, amount), referrals (agency, day)."""
    return draw(
        st.lists(
            st.tuples(
                st.integers(min_value=1, max_value=4),
                st.lists(st.tuples(days, st.integers(1, 3_000_000)), max_size=4),
                st.lists(st.tuples(codes, days), min_size=1, max_size=3),
            ),
            min_size=1,
            max_size=4,
        )
    )


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(histories(), days, days, days)
def test_the_rule_keeps_its_ranges(
    history: list[tuple[int, list[tuple[int, int]], list[tuple[str, int]]]],
    first: int,
    second: int,
    cut: int,
) -> None:
    start, end = sorted((DAY0 + timedelta(days=first), DAY0 + timedelta(days=second)))
    split = min(max(start, DAY0 + timedelta(days=cut)), end)
    with transaction.atomic():  # undone after each example
        office = Office.objects.create(name="Thử ngẫu nhiên")
        for months, payments, referrals in history:
            employer = EmployerFactory(office=office)
            owing(employer, months, 10)
            for day, amount in payments:
                PaymentFactory(employer=employer, paid_on=DAY0 + timedelta(days=day), amount=amount)
            for code, day in referrals:
                refer(employer, code, DAY0 + timedelta(days=day))

        rows = recovery_by_agency(on=end, start=start, user=None)
        for row in rows:
            assert 0 <= row.recovered <= row.arrears_at_referral
            assert row.recovery_rate is None or Decimal(0) <= row.recovery_rate <= Decimal(1)
        total = recovery_totals(rows)
        if total is None:
            assert rows == []
        else:
            assert 0 <= total.recovered <= total.arrears_at_referral
            for figure in ("units", "workers", "arrears_at_referral", "recovered"):
                assert getattr(total, figure) <= sum(getattr(r, figure) for r in rows)
            # Every employer of a row is in the totals (its arrears may differ: the totals
            # take them at its first referral, a row at its first there).
            assert total.units >= max(r.units for r in rows)
            assert total.workers >= max(r.workers for r in rows)
        # Units split over two periods: the referrals sent in each, counted per period,
        # never fewer than in the whole, and the same when no employer straddles the cut.
        early = recovery_by_agency(on=split, start=start, user=None)
        late = (
            recovery_by_agency(on=end, start=split + timedelta(days=1), user=None)
            if split < end
            else []
        )
        whole = sum(r.units for r in rows)
        assert sum(r.units for r in early) + sum(r.units for r in late) >= whole
        # Arrears at referral are fixed when sent: the first part's are those of the whole
        # for the same first referrals, so they never exceed the whole's.
        assert sum(r.arrears_at_referral for r in early) <= sum(r.arrears_at_referral for r in rows)
        transaction.set_rollback(True)
