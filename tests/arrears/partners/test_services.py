"""What reaches a partner's liaisons: a notice in the inbox and an e-mail when a referral is
sent to them, and the reminders before and after the deadline (once each, however often
the daily job runs)."""

from datetime import date

import pytest
from django.core import mail

from accounts.models import User
from arrears.cases import services as cases
from arrears.models import Referral, ReferralNotice, ReferralPurpose, ReferralStatus
from arrears.partners.services import remind_deadlines
from participants.models import Holiday
from tests.factories import UserFactory, agency

pytestmark = pytest.mark.django_db

SENT = date(2026, 2, 11)  # Wednesday; ten working days for the federation: 25/02/2026
Kind = ReferralNotice.Kind


@pytest.fixture
def federation_staff(federation):  # type: ignore[no-untyped-def]
    """Two liaisons of the federation (one without an e-mail address), one of the police."""
    federation.email = "lan@congdoan.vn"
    federation.save()
    second = UserFactory(
        username="federation2", role=User.Role.LIAISON, agency=agency("labour_federation")
    )
    return federation, second


def _send(case, by, execute):  # type: ignore[no-untyped-def]
    referral = cases.create_referral(
        case=case,
        agency=agency("labour_federation"),
        purpose=ReferralPurpose.MEDIATE,
        by=by,
        note="Đề nghị đôn đốc.",
    )
    with execute(execute=True):
        return cases.send_referral(referral=referral, by=by, sent_on=SENT)


def test_sending_a_referral_notifies_its_organisations_liaisons(
    case_a, officer_a, federation_staff, police, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    federation, second = federation_staff
    referral = _send(case_a, officer_a, django_capture_on_commit_callbacks)
    assert referral.answer_due_on == date(2026, 2, 25)
    notices = ReferralNotice.objects.filter(referral=referral)
    assert {(n.recipient.username, n.kind) for n in notices} == {
        ("federation", Kind.RECEIVED),
        ("federation2", Kind.RECEIVED),
    }
    assert not ReferralNotice.objects.filter(recipient=police).exists()
    # One e-mail, to the liaison with an address, naming the employer and the deadline.
    assert [m.to for m in mail.outbox] == [["lan@congdoan.vn"]]
    body = mail.outbox[0].body
    assert case_a.employer.name in body and "25/02/2026" in body and referral.number in body
    assert notices.get(recipient=federation).emailed_at is not None
    assert notices.get(recipient=second).emailed_at is None


def test_reminders_before_and_after_the_deadline_once_each(
    case_a, officer_a, federation_staff, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    federation, _second = federation_staff
    Holiday.objects.create(day=date(2026, 2, 23), name="Nghỉ bù")  # the deadline moves a day
    referral = _send(case_a, officer_a, django_capture_on_commit_callbacks)
    assert referral.answer_due_on == date(2026, 2, 26)
    mail.outbox.clear()

    def run(on):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return remind_deadlines(on)

    # Four working days before (the policy reminds three before): nothing yet.
    assert run(date(2026, 2, 19)) == {"due_soon": 0, "overdue": 0}
    # Three working days before (20, 24, 25 February; the 23rd is off): both liaisons.
    assert run(date(2026, 2, 20)) == {"due_soon": 2, "overdue": 0}
    assert run(date(2026, 2, 20)) == {"due_soon": 0, "overdue": 0}
    assert run(date(2026, 2, 26)) == {"due_soon": 0, "overdue": 0}  # the deadline itself
    assert run(date(2026, 2, 27)) == {"due_soon": 0, "overdue": 2}
    assert run(date(2026, 3, 2)) == {"due_soon": 0, "overdue": 0}
    kinds = ReferralNotice.objects.filter(referral=referral, recipient=federation)
    assert sorted(kinds.values_list("kind", flat=True)) == ["due_soon", "overdue", "received"]
    assert [m.to for m in mail.outbox] == [["lan@congdoan.vn"], ["lan@congdoan.vn"]]
    assert "Quá hạn trả lời" in mail.outbox[1].subject


def test_an_answered_referral_is_not_reminded(
    case_a, officer_a, federation_staff, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    federation, _second = federation_staff
    referral = _send(case_a, officer_a, django_capture_on_commit_callbacks)
    cases.answer_referral(
        referral=referral, by=federation, status=ReferralStatus.ACKNOWLEDGED, response="Đã nhận."
    )
    assert remind_deadlines(date(2026, 3, 30)) == {"due_soon": 0, "overdue": 0}
    assert Referral.objects.get(pk=referral.pk).is_overdue(date(2026, 3, 30)) is False


def test_the_daily_task_runs_the_reminders(
    case_a, officer_a, federation_staff, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    from arrears.tasks import referral_deadlines_task

    _send(case_a, officer_a, django_capture_on_commit_callbacks)
    assert referral_deadlines_task.delay("2026-03-02").get() == {"due_soon": 0, "overdue": 2}
    assert referral_deadlines_task.delay("2026-03-02").get() == {"due_soon": 0, "overdue": 0}
