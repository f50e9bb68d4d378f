"""Who gets a notice and by which channel (arrears/jobs/reminders.py): the e-mail address,
holds, the tolerance, dissolved employers, the policy's invitation months; a batch's letters
read together."""

from __future__ import annotations

from datetime import date, time

import pytest

from arrears.jobs.holds import approve_hold, put_on_hold
from arrears.jobs.reminders import notice_targets, reminder_letter, reminder_letters
from arrears.jobs.runs import run_weekly
from arrears.models import (
    CreditMove,
    DocumentTemplate,
    Hold,
    InterestRate,
    Policy,
    Reminder,
    SessionSlot,
)
from participants.models import Employer
from tests.arrears.jobs.conftest import MONDAY, late, notices
from tests.factories import ContributionFactory, EmployerFactory, PaymentFactory

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


def test_a_batch_of_letters_says_what_each_alone_says(
    office_a, office_b, manager, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    """``reminder_letters`` reads a batch's ledgers, interest paid, sessions, wording and
    letterheads together: each letter is the one composed alone, in a few queries whatever
    the batch's size."""
    InterestRate.objects.create(valid_from=date(2025, 1, 1), daily_rate="0.0003")
    SessionSlot.objects.create(
        office=office_a, day=date(2026, 11, 23), starts_at=time(8), place="Phòng 1", capacity=5
    )
    DocumentTemplate.objects.create(
        kind=DocumentTemplate.Kind.REMINDER_NOTICE,
        title="THÔNG BÁO SỬA\nVề nợ",
        body="Đơn vị {{ ten_don_vi }} nợ {{ so_no }} đồng, đã nộp lãi {{ tien_lai_da_nop }}.",
    )
    paying = late(EmployerFactory(office=office_a), 5, 6, 7, 8, 9)
    PaymentFactory(employer=paying, paid_on=date(2026, 10, 1), amount=20_000, interest_part=20_000)
    CreditMove.objects.create(
        employer=paying, moved_on=date(2026, 10, 2), amount=10_000, by=manager
    )
    for employer in (
        late(EmployerFactory(office=office_a), 7, 8, 9),
        late(EmployerFactory(office=office_b), 5, 6, 7, 8, 9),
        late(EmployerFactory(office=office_b), 8, 9),
    ):
        PaymentFactory(employer=employer, paid_on=date(2026, 9, 1), amount=300_000)
    run_weekly(MONDAY)
    reminders = list(Reminder.objects.select_related("employer__office").order_by("pk"))
    assert {r.kind for r in reminders} == {Reminder.Kind.NOTICE, Reminder.Kind.INVITATION}

    alone = [reminder_letter(r) for r in reminders]
    with django_assert_max_num_queries(12):
        together = reminder_letters(reminders)

    assert together == alone
    notice = next(
        letter
        for r, letter in zip(reminders, together, strict=True)
        if r.employer == paying and r.kind == Reminder.Kind.NOTICE
    )
    assert notice.title == "THÔNG BÁO SỬA\nVề nợ"
    assert notice.paragraphs[0].endswith("đã nộp lãi 30.000.")  # the interest paid, the move
    invited = [
        " ".join(letter.paragraphs)
        for r, letter in zip(reminders, together, strict=True)
        if r.kind == Reminder.Kind.INVITATION
    ]
    # Office A's two are booked; office B has no sessions: its letter says "this week".
    assert sum("vào lúc 08:00 ngày 23/11/2026 tại Phòng 1" in text for text in invited) == 2
    assert sum("tại trụ sở cơ quan trong tuần này" in text for text in invited) == 1
