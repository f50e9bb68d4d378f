"""The session cycle's services: attendance to commitment in one step, signed minutes that
satisfy the police dossier, two missed sessions proposing the next step, slots refused on
holidays, a kept plan closing its case."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arrears.cases import services as cases
from arrears.cases.dossier import dossier_missing
from arrears.cases.errors import CaseError
from arrears.models import (
    Agreement,
    Booking,
    BookingStatus,
    CaseEvent,
    CommitmentKind,
    EventKind,
    LadderProposal,
    ProposalStatus,
    ReferralPurpose,
    SessionSlot,
    Stage,
)
from arrears.sessions import services
from participants.models import Holiday
from tests.factories import EmployerFactory, PaymentFactory, agency

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% signed\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _slot(office, day: date, capacity: int = 3) -> SessionSlot:  # type: ignore[no-untyped-def]
    return SessionSlot.objects.create(
        office=office, day=day, starts_at=time(8, 30), place="Phòng họp", capacity=capacity
    )


def test_attendance_then_minutes_make_the_plan_in_one_step(office_a, officer_a):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(office=office_a)
    case = cases.open_case(employer=employer, by=officer_a, on=date(2026, 11, 2))
    booking = Booking.objects.create(slot=_slot(office_a, date(2026, 11, 20)), employer=employer)
    with pytest.raises(CaseError, match="người đến làm việc"):
        services.record_attendance(booking=booking, came=True, by=officer_a)

    services.record_attendance(
        booking=booking,
        came=True,
        by=officer_a,
        attendee_name="Bùi Văn Thắng",
        attendee_role="Giám đốc",
    )
    # A plan for more than the debt acknowledged is refused, and nothing is written.
    with pytest.raises(CaseError, match=r"\(6.000.001 đồng\) vượt số nợ đơn vị thừa nhận"):
        services.record_minutes(
            booking=booking,
            by=officer_a,
            arrears_acknowledged=6_000_000,
            reasons="Khách hàng chậm thanh toán",
            agreement=Agreement.PLAN,
            instalments=[(date(2026, 12, 31), 2_000_001), (date(2027, 1, 31), 4_000_000)],
        )
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.WORKING_SESSION).exists()
    minutes = services.record_minutes(
        booking=booking,
        by=officer_a,
        arrears_acknowledged=6_000_000,
        reasons="Khách hàng chậm thanh toán",
        agreement=Agreement.PLAN,
        instalments=[(date(2026, 12, 31), 2_000_000), (date(2027, 1, 31), 4_000_000)],
    )

    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    assert booking.case == case
    commitment = minutes.commitment
    assert commitment.case == case
    assert commitment.kind == CommitmentKind.PLAN
    assert commitment.signed_on == date(2026, 11, 20)
    assert [(i.due_on, i.amount) for i in commitment.instalments.all()] == [
        (date(2026, 12, 31), 2_000_000),
        (date(2027, 1, 31), 4_000_000),
    ]
    event = CaseEvent.objects.get(case=case, kind=EventKind.WORKING_SESSION)
    assert "Số nợ đơn vị thừa nhận: 6.000.000 đồng." in event.minutes
    assert "Bùi Văn Thắng (Giám đốc)" in event.text
    assert CaseEvent.objects.filter(case=case, kind=EventKind.COMMITMENT).count() == 1
    with pytest.raises(CaseError, match="đã có biên bản"):
        services.record_minutes(
            booking=booking,
            by=officer_a,
            arrears_acknowledged=1,
            reasons="x",
            agreement=Agreement.NONE,
        )


def test_signed_minutes_are_the_dossier_minutes_uploaded_once(office_a, officer_a, manager):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(office=office_a)
    case = cases.open_case(employer=employer, by=officer_a, on=date(2026, 11, 2))
    referral = cases.create_referral(
        case=case, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=manager
    )
    assert "minutes" in dict(dossier_missing(referral))
    booking = Booking.objects.create(slot=_slot(office_a, date(2026, 11, 20)), employer=employer)
    services.record_attendance(
        booking=booking,
        came=True,
        by=officer_a,
        attendee_name="Bùi Thị Hoa",
        attendee_role="Kế toán trưởng, được ủy quyền",
    )
    minutes = services.record_minutes(
        booking=booking,
        by=officer_a,
        arrears_acknowledged=3_000_000,
        reasons="Thiếu vốn",
        agreement=Agreement.NONE,
    )
    assert minutes.commitment is None

    services.sign_minutes(
        minutes=minutes, by=officer_a, scan=SimpleUploadedFile("bien-ban-ky.pdf", PDF)
    )

    referral.refresh_from_db()
    missing = dict(dossier_missing(referral))
    assert "minutes" not in missing
    assert len(missing) == 6
    with pytest.raises(CaseError, match="không tải lên lần hai"):
        services.sign_minutes(minutes=minutes, by=officer_a)


def test_generated_minutes_pdf_counts_too(office_a, officer_a, manager):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(office=office_a)
    case = cases.open_case(employer=employer, by=officer_a, on=date(2026, 11, 2))
    referral = cases.create_referral(
        case=case, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=manager
    )
    booking = Booking.objects.create(slot=_slot(office_a, date(2026, 11, 20)), employer=employer)
    services.record_attendance(
        booking=booking, came=True, by=officer_a, attendee_name="A", attendee_role="Giám đốc"
    )
    minutes = services.record_minutes(
        booking=booking,
        by=officer_a,
        arrears_acknowledged=1_000_000,
        reasons="Thiếu vốn",
        agreement=Agreement.PROMISE,
        instalments=[(date(2026, 12, 15), 1_000_000)],
    )
    services.sign_minutes(minutes=minutes, by=officer_a)
    minutes.refresh_from_db()
    assert minutes.signed.content_type == "application/pdf"
    assert minutes.signed.file.read(4) == b"%PDF"
    assert "minutes" not in dict(dossier_missing(referral))


def test_two_missed_sessions_propose_the_next_step(office_a, officer_a):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(office=office_a)
    case = cases.open_case(employer=employer, by=officer_a, on=date(2026, 11, 2))
    first = Booking.objects.create(slot=_slot(office_a, date(2026, 11, 9)), employer=employer)
    services.record_attendance(booking=first, came=False, by=officer_a)
    assert not LadderProposal.objects.exists()
    second = Booking.objects.create(slot=_slot(office_a, date(2026, 11, 16)), employer=employer)
    services.record_attendance(booking=second, came=False, by=officer_a)

    proposal = LadderProposal.objects.get()
    assert proposal.case == case
    assert proposal.to_stage == Stage.INSPECTION
    assert proposal.reason == "Vắng mặt 2 buổi làm việc liền: 09/11/2026, 16/11/2026."
    assert not proposal.needs_approval
    assert CaseEvent.objects.filter(case=case, text__startswith="Đề xuất chuyển sang").count() == 1

    services.decide_proposal(proposal=proposal, accept=True, by=officer_a)
    case.refresh_from_db()
    assert case.stage == Stage.INSPECTION
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


def test_a_step_to_the_police_needs_the_approval(office_a, officer_a):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(office=office_a)
    case = cases.open_case(employer=employer, by=officer_a, on=date(2026, 11, 2))
    case.stage = Stage.SANCTIONED
    case.save()
    proposal = services.propose(case=case, cause="broken", source="commitment:1", reason="Vi phạm.")
    assert proposal.to_stage == Stage.CRIMINAL_REFERRAL
    assert proposal.needs_approval
    with pytest.raises(CaseError, match="lãnh đạo phê duyệt"):
        services.decide_proposal(proposal=proposal, accept=True, by=officer_a)
    assert services.propose(case=case, cause="broken", source="commitment:1", reason="x") is None


def test_no_slot_on_a_holiday(office_a, officer_a):  # type: ignore[no-untyped-def]
    Holiday.objects.create(day=date(2027, 1, 1), name="Tết Dương lịch")
    with pytest.raises(CaseError, match="ngày nghỉ"):
        services.add_slot(
            office=office_a,
            day=date(2027, 1, 1),
            starts_at=time(8),
            place="P1",
            online_link="",
            capacity=2,
            officers=[officer_a],
        )


def test_a_kept_plan_closes_the_case_when_nothing_is_owed(office_a, officer_a):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(office=office_a)
    case = cases.open_case(employer=employer, by=officer_a, on=date(2026, 11, 2))
    booking = Booking.objects.create(slot=_slot(office_a, date(2026, 11, 5)), employer=employer)
    services.record_attendance(
        booking=booking, came=True, by=officer_a, attendee_name="A", attendee_role="Giám đốc"
    )
    services.record_minutes(
        booking=booking,
        by=officer_a,
        arrears_acknowledged=1_000_000,
        reasons="Thiếu vốn",
        agreement=Agreement.PROMISE,
        instalments=[(date(2026, 11, 30), 1_000_000)],
    )
    PaymentFactory(employer=employer, paid_on=date(2026, 11, 20), amount=1_000_000)
    assert services.close_kept_plans(date(2026, 12, 7), {employer.pk: 1}) == 0
    assert services.close_kept_plans(date(2026, 12, 7), {employer.pk: 0}) == 1
    case.refresh_from_db()
    assert case.stage == Stage.RESOLVED
    assert case.closed_on == date(2026, 12, 7)
