"""The weekly digests (arrears/jobs/digests.py), once per week and recipient."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from accounts.models import User
from arrears.cases import services as cases
from arrears.jobs.runs import run_weekly
from arrears.models import RecoveryCase
from tests.arrears.jobs.conftest import MONDAY, late

pytestmark = pytest.mark.django_db


def test_digests_once_per_week(employer_a, officer_a, officer_b, manager):  # type: ignore[no-untyped-def]
    User.objects.filter(pk__in=[officer_a.pk, manager.pk]).update(email="x@bhxh.example.vn")
    late(employer_a, 7, 8, 9)
    case = cases.open_case(employer=employer_a, by=officer_a, on=date(2026, 11, 2))
    RecoveryCase.objects.filter(pk=case.pk).update(follow_up_on=date(2026, 11, 18))

    assert run_weekly(MONDAY)["digests"] == 2  # officer_b has no address
    manager_mail, officer_mail = sorted(mail.outbox, key=lambda m: m.subject)
    assert manager_mail.subject == "Số liệu thu nợ tuần 2026-W47"
    assert "Đơn vị chậm đóng: 1" in manager_mail.body
    assert "Số tiền chậm đóng: 3.000.000" in manager_mail.body
    assert officer_mail.subject == "Việc cần làm tuần 2026-W47"
    assert f"18/11/2026  {employer_a.unit_code} {employer_a.name}" in officer_mail.body

    assert run_weekly(MONDAY)["digests"] == 0
    assert len(mail.outbox) == 2
    assert run_weekly(date(2026, 11, 23))["digests"] == 2


def test_the_managers_digest_counts_overdue_referrals(employer_a, officer_a, manager):  # type: ignore[no-untyped-def]
    from arrears.models import ReferralPurpose
    from tests.factories import agency

    User.objects.filter(pk=manager.pk).update(email="x@bhxh.example.vn")
    late(employer_a, 7, 8, 9)
    case = cases.open_case(employer=employer_a, by=officer_a, on=date(2026, 10, 1))
    referral = cases.create_referral(
        case=case, agency=agency("tax"), purpose=ReferralPurpose.OTHER, by=officer_a
    )
    # Sent 01/10/2026: fifteen working days for the tax office, due 22/10/2026.
    cases.send_referral(
        referral=referral, by=officer_a, reference="3/BHXH", sent_on=date(2026, 10, 1)
    )
    run_weekly(MONDAY)
    (manager_mail,) = mail.outbox
    assert "Đề nghị phối hợp quá hạn trả lời: 1" in manager_mail.body
