"""Cases the weekly run opens and broken commitments it flags (arrears/jobs/weekly.py)."""

from __future__ import annotations

from datetime import date

import pytest

from arrears.cases import services as cases
from arrears.jobs.runs import run_weekly
from arrears.models import CaseEvent, EventKind, Instalment, RecoveryCase
from tests.arrears.jobs.conftest import MONDAY, late
from tests.factories import EmployerFactory

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
