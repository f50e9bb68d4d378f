"""Answer deadlines in working days (weekends, the province's and the office's holidays
skipped) and the overdue referrals."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Agency
from arrears.models import Policy, Referral, ReferralStatus
from arrears.partners.selectors import answer_deadline, overdue_referrals
from desk.workdays import is_working_day, working_days_between
from participants.models import Holiday
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

SENT = date(2026, 2, 11)  # a Wednesday before Tết (17/02/2026)


def test_every_agency_kind_has_its_days_on_the_policy():  # type: ignore[no-untyped-def]
    policy = Policy.current()
    assert {kind: policy.answer_days(kind) for kind in Agency.Kind.values} == {
        "police": 20,
        "labour_inspectorate": 15,
        "labour_federation": 10,
        "iz_board": 10,
        "tax": 15,
        "peoples_committee": 15,
        "court": 30,
        "procuracy": 30,
    }


def test_deadline_skips_weekends_and_the_provinces_holidays(office_a):  # type: ignore[no-untyped-def]
    assert answer_deadline(SENT, "labour_federation", office_a) == date(2026, 2, 25)
    for day in range(16, 21):  # Tết: Monday 16 to Friday 20 February
        Holiday.objects.create(day=date(2026, 2, day), name="Tết Nguyên đán")
    # 12, 13 February, then 23 February to 4 March: ten working days.
    assert answer_deadline(SENT, "labour_federation", office_a) == date(2026, 3, 4)


def test_deadline_skips_the_offices_own_holidays_not_anothers(office_a, office_b):  # type: ignore[no-untyped-def]
    Holiday.objects.create(day=date(2026, 2, 24), name="Ngày nghỉ riêng", office=office_b)
    assert answer_deadline(SENT, "labour_federation", office_a) == date(2026, 2, 25)
    Holiday.objects.create(day=date(2026, 2, 24), name="Ngày nghỉ riêng", office=office_a)
    assert answer_deadline(SENT, "labour_federation", office_a) == date(2026, 2, 26)


def test_the_policy_sets_the_days_per_kind(office_a):  # type: ignore[no-untyped-def]
    policy = Policy.current()
    policy.answer_days_police = 5
    policy.save()
    assert answer_deadline(SENT, "police", office_a) == date(2026, 2, 18)


@settings(max_examples=40, deadline=None)
@given(
    sent=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    days=st.integers(1, 40),
    off=st.sets(st.integers(0, 90), max_size=12),
)
def test_a_deadline_is_that_many_working_days_after_sending(sent, days, off):  # type: ignore[no-untyped-def]
    """Property: the deadline is a working day, exactly ``days`` working days after sending."""
    office = OfficeFactory(name="Tân Lạc")
    Holiday.objects.all().delete()
    holidays = {sent + timedelta(days=n) for n in off}
    Holiday.objects.bulk_create(Holiday(day=d, name="nghỉ") for d in holidays)
    policy = Policy.current()
    policy.answer_days_tax = days
    due = answer_deadline(sent, "tax", office, policy)
    assert is_working_day(due, holidays)
    assert working_days_between(sent, due, holidays) == days


def test_overdue_is_sent_unanswered_and_past_its_deadline(case_a, officer_a, manager, police):  # type: ignore[no-untyped-def]
    from tests.arrears.cases.helpers import send

    referral = send(case_a, "labour_federation", "1/LĐLĐ", officer_a)
    due = referral.answer_due_on
    assert due is not None
    assert list(overdue_referrals(manager, due)) == []
    assert list(overdue_referrals(manager, due + timedelta(days=1))) == [referral]
    assert list(overdue_referrals(police, due + timedelta(days=1))) == []  # not theirs
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.ACKNOWLEDGED)
    assert list(overdue_referrals(manager, due + timedelta(days=1))) == []
