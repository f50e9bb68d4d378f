"""Recovery work services (arrears/cases/services.py): the stage rules, events, referrals and
commitments, on small ledgers with exact figures."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arrears.cases import services as cases
from arrears.cases.errors import CaseError
from arrears.cases.selectors import case_figures
from arrears.law import InstalmentStatus
from arrears.models import (
    CommitmentKind,
    Decision,
    EventKind,
    ReferralPurpose,
    ReferralStatus,
    Stage,
)
from participants.models import Employer, Office
from tests.arrears.cases.helpers import DAY, ledger
from tests.factories import EmployerFactory, PaymentFactory, agency

pytestmark = pytest.mark.django_db


def test_open_case_fixes_arrears_at_opening(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    # Aug, Sep, Oct unpaid and past due on 15/01/2026.
    assert case.arrears_at_opening == 3_000_000
    assert case.officer == officer_a
    assert case.stage == Stage.DETECTED
    assert case.events.get().kind == EventKind.NOTE


def test_one_open_case_per_employer(late_employer, officer_a):  # type: ignore[no-untyped-def]
    cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError, match="đã có hồ sơ"):
        cases.open_case(employer=late_employer, by=officer_a, on=DAY)


def test_officer_moves_forward_not_back(late_employer, officer_a, manager):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    event = cases.move_stage(case=case, to=Stage.SUMMONED, by=officer_a, note="Mời làm việc")
    assert (event.from_stage, event.to_stage) == (Stage.DETECTED, Stage.SUMMONED)
    with pytest.raises(CaseError, match="Chỉ lãnh đạo"):
        cases.move_stage(case=case, to=Stage.REMINDED, by=officer_a, note="nhầm")
    cases.move_stage(case=case, to=Stage.REMINDED, by=manager, note="Lùi lại")
    case.refresh_from_db()
    assert case.stage == Stage.REMINDED


def test_a_move_needs_a_note(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError, match="lý do"):
        cases.move_stage(case=case, to=Stage.REMINDED, by=officer_a, note="  ")


def test_criminal_referral_needs_a_manager(late_employer, officer_a, manager):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError, match="phê duyệt"):
        cases.move_stage(case=case, to=Stage.CRIMINAL_REFERRAL, by=officer_a, note="Chuyển")
    with pytest.raises(CaseError):
        cases.approve_criminal_referral(case=case, by=officer_a)
    cases.approve_criminal_referral(case=case, by=manager)
    cases.move_stage(case=case, to=Stage.CRIMINAL_REFERRAL, by=officer_a, note="Đã duyệt")
    case.refresh_from_db()
    assert case.stage == Stage.CRIMINAL_REFERRAL
    assert case.criminal_referral_approved_by == manager


def test_resolved_only_when_arrears_are_zero(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError, match="còn nợ"):
        cases.move_stage(case=case, to=Stage.RESOLVED, by=officer_a, note="xong")
    PaymentFactory(employer=late_employer, paid_on=DAY, amount=3_000_000)
    assert case_figures(case, DAY).offered_for_resolution
    cases.move_stage(case=case, to=Stage.RESOLVED, by=officer_a, note="Đã nộp đủ", on=DAY)
    case.refresh_from_db()
    assert (case.stage, case.closed_on, case.outcome) == (Stage.RESOLVED, DAY, "Đã nộp đủ")


def test_hard_to_collect_needs_such_a_status(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError, match="khó thu"):
        cases.move_stage(case=case, to=Stage.HARD_TO_COLLECT, by=officer_a, note="?")
    Employer.objects.filter(pk=late_employer.pk).update(status=Employer.Status.ABSCONDED)
    case.employer.refresh_from_db()
    cases.move_stage(case=case, to=Stage.HARD_TO_COLLECT, by=officer_a, note="Chủ bỏ trốn")


def test_only_a_manager_reopens(late_employer, officer_a, manager):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    cases.move_stage(case=case, to=Stage.CLOSED, by=officer_a, note="Sai đối tượng")
    with pytest.raises(CaseError, match="mở lại"):
        cases.move_stage(case=case, to=Stage.REMINDED, by=officer_a, note="mở lại")
    cases.move_stage(case=case, to=Stage.REMINDED, by=manager, note="Mở lại")
    case.refresh_from_db()
    assert case.is_open and case.closed_on is None


def test_reopening_refused_when_another_case_is_open(late_employer, officer_a, manager):  # type: ignore[no-untyped-def]
    first = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    cases.move_stage(case=first, to=Stage.CLOSED, by=officer_a, note="đóng")
    cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError, match="hồ sơ khác"):
        cases.move_stage(case=first, to=Stage.REMINDED, by=manager, note="mở lại")


def test_liaison_may_log_only_its_kinds(late_employer, officer_a, police):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    event = cases.log_event(case=case, kind=EventKind.VISIT, by=police, text="Xác minh")
    assert event.agency == police.agency
    with pytest.raises(CaseError):
        cases.log_event(case=case, kind=EventKind.LETTER, by=police, text="x")
    with pytest.raises(CaseError):
        cases.move_stage(case=case, to=Stage.REMINDED, by=police, note="x")


def test_event_follow_up_sets_the_case_follow_up(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    cases.log_event(
        case=case, kind=EventKind.CALL, by=officer_a, text="Hẹn nộp", follow_up_on=date(2026, 1, 20)
    )
    case.refresh_from_db()
    assert case.follow_up_on == date(2026, 1, 20)


def test_penalty_decision_needs_number_and_amount(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError, match="số quyết định"):
        cases.log_event(case=case, kind=EventKind.PENALTY_DECISION, by=officer_a)
    cases.log_event(
        case=case,
        kind=EventKind.PENALTY_DECISION,
        by=officer_a,
        penalty_amount=360_000,
        decision_number="12/QĐ-XPVPHC",
    )
    assert case_figures(case, DAY).sanctioned


def test_referral_fixes_arrears_at_sending(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    referral = cases.create_referral(
        case=case,
        agency=agency("labour_inspectorate"),
        purpose=ReferralPurpose.INSPECT,
        by=officer_a,
    )
    cases.send_referral(referral=referral, by=officer_a, reference="7/BHXH-QLT", sent_on=DAY)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.arrears_at_referral == 3_000_000
    assert referral.employees_at_referral == 10
    with pytest.raises(CaseError, match="đã được gửi"):
        cases.send_referral(referral=referral, by=officer_a, reference="8/BHXH-QLT")


def test_only_the_agency_answers_its_referral(late_employer, officer_a, police, federation):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    referral = cases.create_referral(
        case=case, agency=agency("labour_federation"), purpose=ReferralPurpose.SUE, by=officer_a
    )
    cases.send_referral(referral=referral, by=officer_a, reference="10/BHXH-QLT", sent_on=DAY)
    with pytest.raises(CaseError, match="Chỉ cơ quan nhận"):
        cases.answer_referral(referral=referral, by=police, status="acknowledged", response="?")
    with pytest.raises(CaseError, match="kết quả"):
        cases.answer_referral(referral=referral, by=federation, status="concluded", response="x")
    cases.answer_referral(
        referral=referral,
        by=federation,
        status="concluded",
        response="Đã khởi kiện",
        outcome="Thắng kiện",
    )
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.CONCLUDED, "Thắng kiện")


def test_an_answer_never_erases_the_recorded_outcome(late_employer, officer_a, federation):  # type: ignore[no-untyped-def]
    """A later answer without an outcome keeps the one recorded; a concluded referral reopens
    only with a reason, which the timeline, the audit log and the history keep."""
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    referral = cases.create_referral(
        case=case, agency=agency("labour_federation"), purpose=ReferralPurpose.SUE, by=officer_a
    )
    cases.send_referral(referral=referral, by=officer_a, reference="11/BHXH-QLT", sent_on=DAY)
    cases.answer_referral(
        referral=referral, by=federation, status="concluded", response="Xong", outcome="Thắng kiện"
    )
    # Concluded again with no outcome given: the outcome stays.
    cases.answer_referral(referral=referral, by=federation, status="concluded", response="Bổ sung")
    referral.refresh_from_db()
    assert (referral.response, referral.outcome) == ("Bổ sung", "Thắng kiện")
    # Reopening needs a reason.
    for reason in ("", "   "):
        with pytest.raises(CaseError, match="lý do để mở lại"):
            cases.answer_referral(
                referral=referral, by=federation, status="in_progress", response="?", reason=reason
            )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONCLUDED
    cases.answer_referral(
        referral=referral,
        by=federation,
        status="in_progress",
        response="Đơn vị kháng cáo",
        reason="Bản án bị kháng cáo",
    )
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.IN_PROGRESS, "Thắng kiện")
    last = case.events.filter(kind=EventKind.REFERRAL_ANSWER).order_by("-id").first()
    assert "Lý do: Bản án bị kháng cáo" in last.text
    statuses = [e.status for e in referral.history.order_by("pgh_id")]
    assert statuses[-2:] == [ReferralStatus.CONCLUDED, ReferralStatus.IN_PROGRESS]


def test_commitment_instalments_from_the_ledger(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    commitment = cases.add_commitment(
        case=case,
        kind=CommitmentKind.PLAN,
        signed_on=DAY,
        instalments=[(date(2026, 1, 31), 1_500_000), (date(2026, 2, 28), 1_500_000)],
        by=officer_a,
    )
    PaymentFactory(employer=late_employer, paid_on=date(2026, 1, 30), amount=1_500_000)
    checks = cases.check_commitment(commitment, on=date(2026, 3, 2))
    assert [c.status for c in checks] == [InstalmentStatus.KEPT, InstalmentStatus.BROKEN]


def test_commitment_validation(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError):
        cases.add_commitment(case=case, kind="plan", signed_on=DAY, instalments=[], by=officer_a)
    with pytest.raises(CaseError, match="trước ngày cam kết"):
        cases.add_commitment(
            case=case,
            kind="promise",
            signed_on=DAY,
            instalments=[(date(2026, 1, 1), 5)],
            by=officer_a,
        )


# --------------------------------------------------------------------------------------------
# The head of a grassroots office gives the ladder's approvals in their office, not elsewhere


def test_a_head_moves_back_and_reopens_in_their_office_only(  # type: ignore[no-untyped-def]
    late_employer, officer_a, head_a, head_b
):
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    cases.move_stage(case=case, to=Stage.SUMMONED, by=officer_a, note="Mời làm việc")
    with pytest.raises(CaseError, match="Chỉ lãnh đạo"):
        cases.move_stage(case=case, to=Stage.REMINDED, by=head_b, note="Lùi lại")
    cases.move_stage(case=case, to=Stage.REMINDED, by=head_a, note="Lùi lại")
    cases.move_stage(case=case, to=Stage.CLOSED, by=officer_a, note="Sai đối tượng")
    with pytest.raises(CaseError, match="mở lại"):
        cases.move_stage(case=case, to=Stage.REMINDED, by=head_b, note="Mở lại")
    cases.move_stage(case=case, to=Stage.REMINDED, by=head_a, note="Mở lại")
    case.refresh_from_db()
    assert case.stage == Stage.REMINDED and case.is_open


def test_a_head_approves_the_criminal_referral_in_their_office_only(  # type: ignore[no-untyped-def]
    late_employer, officer_a, head_a, head_b
):
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    with pytest.raises(CaseError, match="phê duyệt"):
        cases.approve_criminal_referral(case=case, by=head_b)
    with pytest.raises(CaseError, match="phê duyệt"):
        cases.move_stage(case=case, to=Stage.CRIMINAL_REFERRAL, by=head_b, note="Chuyển")
    cases.approve_criminal_referral(case=case, by=head_a)
    case.refresh_from_db()
    assert case.criminal_referral_approved_by == head_a


def test_a_head_sends_to_the_police_without_a_prior_approval(  # type: ignore[no-untyped-def]
    late_employer, officer_a, head_a
):
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    cases.move_stage(case=case, to=Stage.CRIMINAL_REFERRAL, by=head_a, note="Đủ căn cứ")
    case.refresh_from_db()
    assert (case.stage, case.criminal_referral_approved_by) == (Stage.CRIMINAL_REFERRAL, head_a)


def test_a_head_approves_a_police_dossier_in_their_office_only(  # type: ignore[no-untyped-def]
    late_employer, officer_a, head_a, head_b, manager
):
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    referral = cases.create_referral(
        case=case, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=officer_a
    )
    for user in (officer_a, head_b):
        with pytest.raises(CaseError, match="Chỉ lãnh đạo"):
            cases.approve_referral(referral=referral, by=user)
    cases.approve_referral(referral=referral, by=head_a)
    referral.refresh_from_db()
    assert referral.approved_by == head_a and referral.approved_at is not None
    cases.approve_referral(referral=referral, by=manager)  # managers approve everywhere


def test_a_head_decides_force_majeure_in_their_office_only(  # type: ignore[no-untyped-def]
    late_employer, officer_a, head_a, head_b, media_root
):
    claim = cases.claim_force_majeure(
        employer=late_employer,
        by=officer_a,
        first_period=date(2025, 9, 1),
        last_period=date(2025, 10, 1),
        reason="Lũ quét",
        proof=SimpleUploadedFile("lu.pdf", b"%PDF-1.4\n% proof\n"),
    )
    for user in (officer_a, head_b):
        with pytest.raises(CaseError, match="Chỉ lãnh đạo"):
            cases.decide_force_majeure(claim=claim, by=user, accept=True)
    cases.decide_force_majeure(claim=claim, by=head_a, accept=True)
    claim.refresh_from_db()
    assert (claim.decision, claim.decided_by) == (Decision.ACCEPTED, head_a)


def test_no_head_approves_for_an_employer_the_province_manages(officer_a, head_a, manager):  # type: ignore[no-untyped-def]
    province = Office.objects.get(kind=Office.Kind.PROVINCE)  # added by the migration
    large = ledger(EmployerFactory(office=province))
    case = cases.open_case(employer=large, by=manager, on=DAY)
    with pytest.raises(CaseError, match="Chỉ lãnh đạo"):
        cases.approve_criminal_referral(case=case, by=head_a)
    cases.approve_criminal_referral(case=case, by=manager)
