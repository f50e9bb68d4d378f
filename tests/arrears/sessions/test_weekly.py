"""The weekly job's session cycle: booking into the coming week's slots (capacity, holidays,
who waits), the targeting rules as the Policy says, and a second run that books nothing."""

from __future__ import annotations

from datetime import date, time

import pytest

from arrears.jobs.runs import run_weekly
from arrears.models import (
    Booking,
    CommitmentKind,
    Hold,
    Policy,
    RecoveryCase,
    Reminder,
    SessionPattern,
    SessionSlot,
    Stage,
)
from arrears.sessions.services import add_pattern
from participants.models import Holiday
from tests.arrears.jobs.conftest import MONDAY, late
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

CYCLE = "2026-W47"
NEXT_MONDAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _invited() -> set[str]:
    return set(
        Reminder.objects.filter(cycle=CYCLE, kind=Reminder.Kind.INVITATION).values_list(
            "employer__unit_code", flat=True
        )
    )


def test_booking_respects_capacity_and_holidays_then_a_second_run_books_nothing(
    office_a, office_b, officer_a
):  # type: ignore[no-untyped-def]
    # Monday 08:00 for two, Tuesday 08:00 for two (Tuesday 24/11 is the office's holiday),
    # and a one-off Wednesday slot for one: three seats in the coming week.
    for weekday in (0, 1):
        add_pattern(
            office=office_a,
            weekday=weekday,
            starts_at=time(8),
            starts_on=date(2026, 11, 1),
            ends_on=None,
            place="Phòng họp tầng 2",
            online_link="",
            capacity=2,
            officers=[officer_a],
        )
    Holiday.objects.create(day=date(2026, 11, 24), name="Nghỉ bù", office=office_a)
    SessionSlot.objects.create(
        office=office_a, day=date(2026, 11, 25), starts_at=time(14), place="Phòng 3", capacity=1
    )
    six = late(EmployerFactory(office=office_a, unit_code="A6"), 4, 5, 6, 7, 8, 9)
    five = late(EmployerFactory(office=office_a, unit_code="A5"), 5, 6, 7, 8, 9)
    four = late(EmployerFactory(office=office_a, unit_code="A4"), 6, 7, 8, 9)
    late(EmployerFactory(office=office_a, unit_code="A3"), 7, 8, 9)
    late(EmployerFactory(office=office_a, unit_code="A3b"), 7, 8, 9)
    late(EmployerFactory(office=office_b, unit_code="B6"), 4, 5, 6, 7, 8, 9)  # no slots

    first = run_weekly(MONDAY)

    assert first["sessions_booked"] == 3
    assert first["sessions_waiting"] == 2
    assert first["invitations"] == 4  # three booked, and office B's as before (no slots)
    assert first["reminders"] == 6
    assert _invited() == {"A6", "A5", "A4", "B6"}
    booked = {
        b.employer.unit_code: (b.slot.day, b.slot.starts_at)
        for b in Booking.objects.select_related("slot", "employer")
    }
    assert booked == {
        "A6": (NEXT_MONDAY, time(8)),
        "A5": (NEXT_MONDAY, time(8)),
        "A4": (date(2026, 11, 25), time(14)),
    }
    assert not SessionSlot.objects.filter(day=date(2026, 11, 24)).exists()
    assert {six.pk, five.pk, four.pk} == set(Booking.objects.values_list("employer", flat=True))
    assert all(b.cycle == CYCLE for b in Booking.objects.all())
    # The booked letter names the session; office B's still says "this week".
    from arrears.jobs.reminders import reminder_letter

    letter = reminder_letter(Reminder.objects.get(employer=six, kind=Reminder.Kind.INVITATION))
    text = " ".join(letter.paragraphs)
    assert "vào lúc 08:00 ngày 23/11/2026 tại Phòng họp tầng 2" in text
    assert "bảng đối chiếu C12-TS, bảng lương và chứng từ nộp tiền" in text
    assert "Cán bộ liên hệ: " in text and "—" not in text.split("Cán bộ liên hệ: ")[1]

    second = run_weekly(MONDAY)
    assert second["sessions_booked"] == 0
    assert second["sessions_waiting"] == 0
    assert second["invitations"] == 0
    assert second["left_out"] == 0
    assert Booking.objects.count() == 3


def test_targeting_rules_leave_out_what_they_name(office_a, officer_a, manager):  # type: ignore[no-untyped-def]
    months = (4, 5, 6, 7, 8, 9)
    police = late(EmployerFactory(office=office_a, unit_code="POL"), *months)
    keeping = late(EmployerFactory(office=office_a, unit_code="KEEP"), *months)
    held = late(EmployerFactory(office=office_a, unit_code="HOLD"), *months)
    booked = late(EmployerFactory(office=office_a, unit_code="BOOK"), *months)
    late(EmployerFactory(office=office_a, unit_code="PLAIN"), *months)
    RecoveryCase.objects.create(
        employer=police, stage=Stage.CRIMINAL_REFERRAL, opened_on=date(2026, 6, 1)
    )
    case = RecoveryCase.objects.create(
        employer=keeping, stage=Stage.SUMMONED, opened_on=date(2026, 6, 1)
    )
    from arrears.cases.services import add_commitment

    add_commitment(
        case=case,
        kind=CommitmentKind.PROMISE,
        signed_on=date(2026, 11, 10),
        instalments=[(date(2026, 12, 31), 6_000_000)],
        by=officer_a,
    )
    Hold.objects.create(
        employer=held,
        reason="Tranh chấp",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31),
        requested_by=manager,
        approved_by=manager,
    )
    slot = SessionSlot.objects.create(
        office=office_a, day=NEXT_MONDAY, starts_at=time(9), place="Phòng 1", capacity=5
    )
    Booking.objects.create(slot=slot, employer=booked)  # booked by hand before the run

    summary = run_weekly(MONDAY)

    assert _invited() == {"PLAIN"}
    assert summary["invitations"] == 1
    assert summary["sessions_booked"] == 1
    assert summary["left_out"] == 4
    assert (
        summary["left_out_police_court"],
        summary["left_out_commitment"],
        summary["left_out_hold"],
        summary["left_out_booked"],
    ) == (1, 1, 1, 1)
    # Notices: by default only the hold leaves an employer out, as before.
    notices = set(
        Reminder.objects.filter(kind=Reminder.Kind.NOTICE).values_list(
            "employer__unit_code", flat=True
        )
    )
    assert notices == {"POL", "KEEP", "BOOK", "PLAIN"}


def test_notice_rules_are_settings(office_a):  # type: ignore[no-untyped-def]
    police = late(EmployerFactory(office=office_a, unit_code="POL"), 7, 8, 9)
    late(EmployerFactory(office=office_a, unit_code="PLAIN"), 7, 8, 9)
    RecoveryCase.objects.create(employer=police, stage=Stage.PROSECUTION, opened_on=MONDAY)
    Policy.objects.update_or_create(id=1, defaults={"notice_skip_police_court": True})

    summary = run_weekly(MONDAY)

    assert summary["reminders"] == 1
    assert summary["invitations"] == 1
    assert summary["left_out_police_court"] == 1
    assert not SessionPattern.objects.exists()


def test_a_broken_commitment_proposes_the_next_step_once(office_a, officer_a):  # type: ignore[no-untyped-def]
    from arrears.cases.services import add_commitment
    from arrears.models import LadderProposal

    employer = late(EmployerFactory(office=office_a), 6, 7, 8, 9)
    case = RecoveryCase.objects.create(
        employer=employer, stage=Stage.SUMMONED, opened_on=date(2026, 9, 1)
    )
    add_commitment(
        case=case,
        kind=CommitmentKind.PROMISE,
        signed_on=date(2026, 10, 1),
        instalments=[(date(2026, 11, 1), 1_000_000)],
        by=officer_a,
    )
    assert run_weekly(MONDAY)["commitments_broken"] == 1
    proposal = LadderProposal.objects.get()
    assert (proposal.case, proposal.cause, proposal.to_stage) == (case, "broken", Stage.INSPECTION)
    assert proposal.reason == "Vi phạm cam kết trả nợ ký ngày 01/10/2026."
    run_weekly(date(2026, 11, 23))
    assert LadderProposal.objects.count() == 1


def test_session_counts(office_a, officer_a):  # type: ignore[no-untyped-def]
    from arrears.models import Agreement, BookingStatus
    from arrears.sessions import services
    from participants.models import Employer
    from tests.factories import PaymentFactory

    slot = SessionSlot.objects.create(
        office=office_a, day=date(2026, 11, 2), starts_at=time(8), place="P1", capacity=5
    )
    came_paid, came_late, absent, cancelled = (EmployerFactory(office=office_a) for _ in range(4))
    for employer in (came_paid, came_late):
        booking = Booking.objects.create(slot=slot, employer=employer)
        services.record_attendance(
            booking=booking, came=True, by=officer_a, attendee_name="A", attendee_role="GĐ"
        )
    services.record_minutes(
        booking=Booking.objects.get(employer=came_paid),
        by=officer_a,
        arrears_acknowledged=1_000_000,
        reasons="Thiếu vốn",
        agreement=Agreement.PROMISE,
        instalments=[(date(2026, 11, 30), 1_000_000)],
    )
    PaymentFactory(employer=came_paid, paid_on=date(2026, 12, 2), amount=1_000_000)  # day 30
    PaymentFactory(employer=came_late, paid_on=date(2026, 12, 3), amount=1_000_000)  # day 31
    Booking.objects.create(slot=slot, employer=absent, status=BookingStatus.ABSENT)
    Booking.objects.create(slot=slot, employer=cancelled, status=BookingStatus.CANCELLED)
    counts = Booking.objects.filter(employer__in=Employer.objects.all()).counts(
        date(2026, 11, 1), date(2026, 11, 30)
    )
    assert (counts.invited, counts.came, counts.committed, counts.paid_within_30_days) == (
        3,
        2,
        1,
        1,
    )


def test_the_weekly_run_closes_a_case_whose_session_plan_was_kept(office_a, officer_a):  # type: ignore[no-untyped-def]
    from arrears.models import Agreement
    from arrears.sessions import services
    from tests.factories import PaymentFactory

    employer = late(EmployerFactory(office=office_a), 8, 9)  # 2.000.000 owed
    case = RecoveryCase.objects.create(
        employer=employer, stage=Stage.SUMMONED, opened_on=date(2026, 10, 1)
    )
    slot = SessionSlot.objects.create(
        office=office_a, day=date(2026, 10, 20), starts_at=time(8), place="P1"
    )
    booking = Booking.objects.create(slot=slot, employer=employer, case=case)
    services.record_attendance(
        booking=booking, came=True, by=officer_a, attendee_name="A", attendee_role="GĐ"
    )
    services.record_minutes(
        booking=booking,
        by=officer_a,
        arrears_acknowledged=2_000_000,
        reasons="Thiếu vốn",
        agreement=Agreement.PLAN,
        instalments=[(date(2026, 10, 31), 1_000_000), (date(2026, 11, 10), 1_000_000)],
    )
    PaymentFactory(employer=employer, paid_on=date(2026, 10, 30), amount=1_000_000)
    PaymentFactory(employer=employer, paid_on=date(2026, 11, 9), amount=1_000_000)

    run_weekly(MONDAY)

    case.refresh_from_db()
    assert (case.stage, case.closed_on) == (Stage.RESOLVED, MONDAY)
    assert case.outcome == "Đơn vị thực hiện đúng cam kết, đã trả hết nợ."
