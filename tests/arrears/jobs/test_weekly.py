"""Cases the weekly run opens and broken commitments it flags (arrears/jobs/weekly.py)."""

from __future__ import annotations

from datetime import date

import pytest

from arrears.cases import services as cases
from arrears.cases.errors import CaseError
from arrears.jobs import weekly
from arrears.jobs.runs import run_weekly
from arrears.models import CaseEvent, EventKind, Instalment, JobRun, RecoveryCase
from tests.arrears.jobs.conftest import MONDAY, late
from tests.factories import CommuneFactory, EmployerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_cases_open_past_the_thresholds_once(office_a, officer_a):  # type: ignore[no-untyped-def]
    three = late(EmployerFactory(office=office_a), 7, 8, 9)
    late(EmployerFactory(office=office_a), 8, 9)  # 2 months: below auto_case_months
    assert run_weekly(MONDAY)["cases_opened"] == 1
    case = RecoveryCase.objects.get()
    assert (case.employer, case.officer, case.opened_on) == (three, officer_a, MONDAY)
    assert case.arrears_at_opening == 3_000_000
    assert "3 tháng, 3.000.000 đồng" in case.events.get().text
    assert run_weekly(date(2026, 11, 23))["cases_opened"] == 0
    # Ended by the office for these arrears: not reopened every Monday.
    RecoveryCase.objects.filter(pk=case.pk).update(stage="closed", closed_on=date(2026, 11, 20))
    assert run_weekly(date(2026, 11, 30))["cases_opened"] == 0


def test_automatic_cases_go_to_an_officer_who_sees_the_employer(office_a, head_a):  # type: ignore[no-untyped-def]
    lam_son = CommuneFactory(name="Xã Lâm Sơn", office=office_a)
    cu_yen = CommuneFactory(name="Xã Cư Yên", office=office_a)
    # The first officer of the office is narrowed to Lâm Sơn; the second serves it whole.
    narrowed = UserFactory(username="lam_son", offices=[office_a])
    narrowed.communes.add(lam_son)
    whole = UserFactory(username="whole", offices=[office_a])
    in_lam_son = late(EmployerFactory(office=office_a, commune=lam_son), 7, 8, 9)
    in_cu_yen = late(EmployerFactory(office=office_a, commune=cu_yen), 7, 8, 9)
    nowhere = late(EmployerFactory(office=office_a), 7, 8, 9)
    assert run_weekly(MONDAY)["cases_opened"] == 3
    officers = dict(RecoveryCase.objects.values_list("employer", "officer"))
    assert officers == {in_lam_son.pk: narrowed.pk, in_cu_yen.pk: whole.pk, nowhere.pk: whole.pk}


def test_broken_instalment_flagged_once(employer_a, officer_a):  # type: ignore[no-untyped-def]
    late(employer_a, 7, 8, 9)
    case = cases.open_case(employer=employer_a, by=officer_a, on=date(2026, 11, 2))
    cases.add_commitment(
        case=case,
        kind="plan",
        signed_on=date(2026, 11, 2),
        instalments=[(date(2026, 11, 10), 1_500_000), (date(2026, 12, 10), 1_500_000)],
        by=officer_a,
    )
    assert run_weekly(MONDAY)["commitments_broken"] == 1
    first, second = Instalment.objects.order_by("due_on")
    assert (first.broken_flagged_on, second.broken_flagged_on) == (MONDAY, None)
    event = CaseEvent.objects.get(case=case, kind=EventKind.COMMITMENT, occurred_on=MONDAY)
    assert "đợt hạn 10/11/2026, 1.500.000 đồng" in event.text
    assert run_weekly(MONDAY)["commitments_broken"] == 0
    assert run_weekly(date(2026, 11, 23))["commitments_broken"] == 0
    assert CaseEvent.objects.filter(kind=EventKind.COMMITMENT, occurred_on=MONDAY).count() == 1


def test_cases_open_together_and_one_opened_by_hand_meanwhile_fails_alone(
    office_a, officer_a, monkeypatch
):  # type: ignore[no-untyped-def]
    """A commit's cases go in together; when one employer's case was opened by hand since
    the candidates were read, the others open one by one and that one counts as failed."""
    second = UserFactory(username="second", offices=[office_a])
    employers = [late(EmployerFactory(office=office_a), 7, 8, 9) for _ in range(4)]
    candidates = weekly.case_candidates
    by_hand = employers[1]

    def opened_meanwhile(**kwargs):  # type: ignore[no-untyped-def]
        found = candidates(**kwargs)
        cases.open_case(employer=by_hand, by=officer_a, on=MONDAY)
        return found

    monkeypatch.setattr(weekly, "case_candidates", opened_meanwhile)
    summary = run_weekly(MONDAY)

    assert (summary["cases_opened"], RecoveryCase.objects.count()) == (3, 4)
    automatic = RecoveryCase.objects.exclude(employer=by_hand).order_by("employer")
    assert {c.officer for c in automatic} == {officer_a, second}
    assert all(c.events.get().text.startswith("Mở tự động: nợ 3 tháng") for c in automatic)


def test_cases_opened_together_are_those_opened_one_by_one(office_a, officer_a, monkeypatch):  # type: ignore[no-untyped-def]
    """The same cases, officers and notes as opening each alone."""
    UserFactory(username="second", offices=[office_a])
    for months in ((7, 8, 9), (6, 7, 8, 9), (7, 8, 9), (5, 6, 7, 8, 9), (7, 8, 9)):
        late(EmployerFactory(office=office_a), *months)

    def opened() -> list[tuple]:  # type: ignore[type-arg]
        return [
            (c.employer_id, c.officer_id, c.stage, c.arrears_at_opening, c.events.get().text)
            for c in RecoveryCase.objects.order_by("employer")
        ]

    run_weekly(MONDAY)
    together = opened()
    RecoveryCase.objects.all().delete()
    JobRun.objects.all().delete()
    monkeypatch.setattr(cases, "open_cases_together", _refuse)
    run_weekly(MONDAY)
    assert opened() == together
    assert len(together) == 5


def _refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise CaseError("one by one")
