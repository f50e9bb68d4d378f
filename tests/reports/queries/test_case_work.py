"""case_work: what was done on the cases in a period, each thing on its day, within the
user's scope (an officer their offices', a liaison their organisation's referrals)."""

from __future__ import annotations

from datetime import date

from arrears.cases import services as cases
from arrears.models import CaseEvent, EventKind, ReferralPurpose
from reports.queries.case_work import case_work
from tests.factories import agency

START, END = date(2026, 10, 1), date(2026, 10, 31)


def test_counted_in_the_period_and_the_scope(employer_a, employer_b, officer_a, police) -> None:  # type: ignore[no-untyped-def]
    mine = cases.open_case(employer=employer_a, by=None, on=date(2026, 9, 1))
    theirs = cases.open_case(employer=employer_b, by=None, on=date(2026, 9, 1))
    for case, day, kind, fine in (
        (mine, date(2026, 10, 1), EventKind.PENALTY_DECISION, 20_000_000),
        (mine, date(2026, 11, 1), EventKind.PENALTY_DECISION, 1_000_000),  # after
        (theirs, date(2026, 10, 31), EventKind.PENALTY_DECISION, 7_500_000),
        (theirs, date(2026, 10, 15), EventKind.INSPECTION, None),
    ):
        CaseEvent.objects.create(case=case, kind=kind, occurred_on=day, penalty_amount=fine)
    for case, kind, day in (
        (mine, "police", date(2026, 10, 5)),
        (theirs, "tax", date(2026, 9, 30)),
    ):
        cases.record_imported_referral(
            employer=case.employer,
            agency=agency(kind),
            purpose=ReferralPurpose.INVESTIGATE,
            reference=f"CV-{case.pk}",
            sent_on=day,
        )

    province = case_work(start=START, end=END, user=None)
    assert (province.penalty_decisions, province.fines, province.inspections) == (
        2,
        27_500_000,
        1,
    )
    assert (province.referrals, province.police_referrals) == (1, 1)
    own = case_work(start=START, end=END, user=officer_a)
    assert (own.penalty_decisions, own.fines, own.inspections, own.referrals) == (
        1,
        20_000_000,
        0,
        1,
    )
    liaison = case_work(start=START, end=END, user=police)
    assert (liaison.referrals, liaison.police_referrals) == (1, 1)
