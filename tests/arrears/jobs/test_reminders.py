"""Who gets a notice and by which channel (arrears/jobs/reminders.py): the e-mail address,
holds, the tolerance, dissolved employers, the policy's invitation months."""

from __future__ import annotations

from datetime import date

import pytest

from arrears.jobs.holds import approve_hold, put_on_hold
from arrears.jobs.reminders import notice_targets
from arrears.jobs.runs import run_weekly
from arrears.models import Hold, Policy, Reminder
from participants.models import Employer
from tests.arrears.jobs.conftest import MONDAY, late, notices
from tests.factories import ContributionFactory, EmployerFactory

pytestmark = pytest.mark.django_db


def test_channel_follows_the_e_mail_address(sample_province):  # type: ignore[no-untyped-def]
    run_weekly(MONDAY)
    expected = sample_province.expected["employers"]
    assert notices() == {
        code: "email" if expected[code]["email"] else "letter"
        for code, e in expected.items()
        if e["arrears"]
    }
    invited = set(
        Reminder.objects.filter(kind=Reminder.Kind.INVITATION).values_list(
            "employer__unit_code", flat=True
        )
    )
    assert invited == {code for code, e in expected.items() if e["months_in_arrears"] >= 3}


def test_holds_tolerance_and_dissolved_employers_get_no_notice(office_a, manager):  # type: ignore[no-untyped-def]
    reminded = late(EmployerFactory(office=office_a, email="a@example.vn"), 7, 8, 9)
    held = late(EmployerFactory(office=office_a), 7, 8, 9)
    small = EmployerFactory(office=office_a)
    ContributionFactory(employer=small, period=date(2026, 9, 1), si=400_000)  # 600,000 đ
    late(EmployerFactory(office=office_a, status=Employer.Status.DISSOLVED), 9)
    late(EmployerFactory(office=office_a, status=Employer.Status.BANKRUPT), 9)
    suspended = late(EmployerFactory(office=office_a, status=Employer.Status.SUSPENDED), 9)
    hold = put_on_hold(
        employer=held,
        by=manager,
        reason="Tranh chấp số lao động",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31),
    )
    # Not yet approved: no effect.
    assert held.unit_code in {r.unit_code for r in notice_targets(MONDAY)}
    approve_hold(hold=hold, by=manager)
    Policy.objects.filter(pk=Policy.current().pk).update(notice_tolerance=1_000_000)

    summary = run_weekly(MONDAY)

    assert notices() == {reminded.unit_code: "email", suspended.unit_code: "letter"}
    assert (summary["reminders"], summary["reminders_email"], summary["reminders_letter"]) == (
        2,
        1,
        1,
    )
    # 3 months (Jul, Aug, Sep due by 31/10) for the one reminded: invited.
    assert summary["invitations"] == 1
    # The hold over, the held employer is reminded the next week.
    Hold.objects.filter(pk=hold.pk).update(ends_on=date(2026, 11, 22))
    assert run_weekly(date(2026, 11, 23))["reminders"] == 3


def test_invitation_months_is_the_policys(office_a):  # type: ignore[no-untyped-def]
    late(EmployerFactory(office=office_a), 8, 9)  # 2 months in arrears on 16/11
    assert run_weekly(MONDAY)["invitations"] == 0
    Policy.objects.filter(pk=Policy.current().pk).update(invitation_months=2)
    assert run_weekly(date(2026, 11, 23))["invitations"] == 1
