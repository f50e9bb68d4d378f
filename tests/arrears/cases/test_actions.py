"""The quick actions on a case (arrears/cases/actions.py) per role: what a liaison may do,
the stage rules through the pages, referrals and the police dossier, events, commitments,
force majeure, the fine calculator, and opening a case from the employer page."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from arrears.cases.dossier import POLICE_DOSSIER, dossier_missing
from arrears.models import CommitmentKind, EventKind, RecoveryCase, Referral, ReferralStatus, Stage
from tests.arrears.cases.helpers import HTMX, PDF, detail, ledger, page_messages, send
from tests.factories import PaymentFactory, agency

pytestmark = pytest.mark.django_db


def test_liaison_is_read_only_except_answers_and_its_events(client_as, case_a, officer_a, police):  # type: ignore[no-untyped-def]
    referral = send(case_a, "police", "1/BHXH-CA", officer_a)
    client = client_as(police)
    pk = case_a.pk
    for name, args, data in [
        ("case_move", [pk], {"to": "reminded", "note": "x", "on": "2026-01-16"}),
        ("case_refer", [pk], {"agency": agency("tax").pk, "purpose": "other"}),
        ("case_commit", [pk], {"kind": "promise", "signed_on": "2026-01-16"}),
        ("case_approve_criminal", [pk], {}),
        ("case_referral_approve", [pk, referral.pk], {}),
        ("case_referral_send", [pk, referral.pk], {"reference": "x", "sent_on": "2026-01-16"}),
        ("case_claim", [pk], {}),
        ("case_open", [case_a.employer.unit_code], {}),
    ]:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    assert client.get(reverse("case_document", args=[pk, "reminder_notice"])).status_code == 404
    assert client.get(reverse("case_week")).status_code == 404

    response = client.post(
        reverse("case_referral_answer", args=[pk, referral.pk]),
        {"status": "concluded", "response": "Đã xác minh", "outcome": "Khởi tố vụ án"},
        follow=True,
    )
    assert "Đã ghi phản hồi." in page_messages(response)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.CONCLUDED, "Khởi tố vụ án")

    client.post(
        reverse("case_log_event", args=[pk]),
        {"kind": "visit", "occurred_on": "2026-01-20", "text": "Làm việc tại trụ sở đơn vị"},
    )
    event = case_a.events.get(kind=EventKind.VISIT)
    assert (event.author, event.agency.code) == (police, "police")
    # A letter is the office's, not the agency's: not among the choices offered.
    response = client.post(
        reverse("case_log_event", args=[pk]),
        {"kind": "letter", "occurred_on": "2026-01-20", "text": "x"},
        **HTMX,
    )
    assert "kind" in response.context["form"].errors
    assert not case_a.events.filter(kind=EventKind.LETTER).exists()


def test_the_answer_form_shows_what_is_saved_and_reopens_with_a_reason(
    client_as, case_a, officer_a, police
):  # type: ignore[no-untyped-def]
    referral = send(case_a, "police", "1/BHXH-CA", officer_a)
    client = client_as(police)
    url = reverse("case_referral_answer", args=[case_a.pk, referral.pk])
    client.post(url, {"status": "concluded", "response": "Đã xác minh", "outcome": "Khởi tố"})
    row = client.get(detail(case_a)).context["referrals"][0]
    form = row.answer_form
    assert (form["status"].value(), form["outcome"].value()) == ("concluded", "Khởi tố")
    # No reason: refused with its message, nothing changed.
    response = client.post(url, {"status": "in_progress", "response": "Tiếp tục"}, follow=True)
    assert "Đề nghị đã có kết luận; cần ghi lý do để mở lại." in page_messages(response)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.CONCLUDED, "Khởi tố")
    response = client.post(
        url,
        {"status": "in_progress", "response": "Tiếp tục", "reason": "Có tài liệu mới"},
        follow=True,
    )
    assert "Đã ghi phản hồi." in page_messages(response)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.IN_PROGRESS, "Khởi tố")


def test_officer_cannot_move_back_manager_can(client_as, case_a, officer_a, manager):  # type: ignore[no-untyped-def]
    url = reverse("case_move", args=[case_a.pk])
    client = client_as(officer_a)
    response = client.post(
        url, {"to": "summoned", "note": "Mời làm việc", "on": "2026-01-16"}, follow=True
    )
    assert "Đã chuyển bước hồ sơ." in page_messages(response)
    response = client.post(url, {"to": "reminded", "note": "Nhầm", "on": "2026-01-17"}, follow=True)
    assert "Chỉ lãnh đạo được chuyển hồ sơ về bước trước." in page_messages(response)
    case_a.refresh_from_db()
    assert case_a.stage == Stage.SUMMONED
    # With htmx, the form comes back with the service's reason.
    response = client.post(url, {"to": "reminded", "note": "Nhầm", "on": "2026-01-17"}, **HTMX)
    assert "Chỉ lãnh đạo được chuyển hồ sơ về bước trước." in response.content.decode()
    assert response.content.decode().startswith("<form")  # swapped in place of the form

    response = client_as(manager).post(
        url, {"to": "reminded", "note": "Lùi lại", "on": "2026-01-17"}, **HTMX
    )
    assert response["HX-Retarget"] == "#case-body"
    assert "Đã chuyển bước hồ sơ." in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.stage == Stage.REMINDED


def test_criminal_referral_needs_approval(client_as, case_a, officer_a, manager):  # type: ignore[no-untyped-def]
    move = reverse("case_move", args=[case_a.pk])
    data = {"to": "criminal_referral", "note": "Đủ dấu hiệu", "on": "2026-01-20"}
    response = client_as(officer_a).post(move, data, follow=True)
    assert "Chuyển hồ sơ sang cơ quan công an cần lãnh đạo phê duyệt." in page_messages(response)
    approve = reverse("case_approve_criminal", args=[case_a.pk])
    response = client_as(officer_a).post(approve, follow=True)
    assert "Chỉ lãnh đạo được phê duyệt chuyển hồ sơ sang công an." in page_messages(response)
    page = client_as(manager).get(detail(case_a)).content.decode()
    assert "Phê duyệt chuyển hồ sơ sang công an" in page
    client_as(manager).post(approve)
    response = client_as(officer_a).post(move, data, follow=True)
    assert "Đã chuyển bước hồ sơ." in page_messages(response)
    case_a.refresh_from_db()
    assert (case_a.stage, case_a.criminal_referral_approved_by) == (
        Stage.CRIMINAL_REFERRAL,
        manager,
    )


def test_police_referral_needs_complete_dossier_and_approval(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, manager, police, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    officer = client_as(officer_a)
    officer.post(
        reverse("case_refer", args=[case_a.pk]),
        {"agency": agency("police").pk, "purpose": "investigate", "note": "Đề nghị điều tra"},
    )
    referral = Referral.objects.get(case=case_a)
    assert referral.status == ReferralStatus.DRAFT
    send = reverse("case_referral_send", args=[case_a.pk, referral.pk])
    data = {"reference": "15/BHXH-CA", "sent_on": "2026-01-20"}
    response = officer.post(send, data, follow=True)
    assert any(m.startswith("Hồ sơ chuyển công an còn thiếu:") for m in page_messages(response))
    assert len(response.context["referrals"][0].missing) == 7

    for item, _label in POLICE_DOSSIER:
        upload = reverse("case_dossier_upload", args=[case_a.pk, referral.pk, item])
        officer.post(upload, {"file": SimpleUploadedFile(f"{item}.pdf", PDF)})
    assert dossier_missing(referral) == []
    response = officer.post(send, data, follow=True)
    assert "Hồ sơ chuyển công an cần lãnh đạo phê duyệt trước khi gửi." in page_messages(response)
    approve = reverse("case_referral_approve", args=[case_a.pk, referral.pk])
    response = officer.post(approve, follow=True)
    assert "Chỉ lãnh đạo được phê duyệt đề nghị chuyển hồ sơ." in page_messages(response)
    client_as(manager).post(approve)
    response = officer.post(send, data, follow=True)
    assert f"Đã gửi đề nghị đến {agency('police').name}." in page_messages(response)
    referral.refresh_from_db()
    assert (referral.status, referral.reference, referral.arrears_at_referral) == (
        ReferralStatus.SENT,
        "15/BHXH-CA",
        3_000_000,
    )
    # Now the police see the case and its dossier.
    response = client_as(police).get(detail(case_a))
    assert response.status_code == 200
    dossier_file = referral.attachments.first()
    download = reverse("case_attachment", args=[case_a.pk, dossier_file.pk])
    assert client_as(police).get(download).status_code == 200


def test_create_referral_form_errors_come_back_in_place(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    response = client_as(officer_a).post(
        reverse("case_refer", args=[case_a.pk]), {"purpose": "investigate"}, **HTMX
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agency"]
    assert not Referral.objects.exists()


def test_log_a_penalty_decision_with_follow_up(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    response = client_as(officer_a).post(
        reverse("case_log_event", args=[case_a.pk]),
        {
            "kind": "penalty_decision",
            "occurred_on": "2026-01-20",
            "text": "Xử phạt chậm đóng",
            "penalty_amount": "1.500.000",
            "decision_number": "12/QĐ-XPVPHC",
            "follow_up_on": "2026-02-01",
        },
        **HTMX,
    )
    assert response["HX-Retarget"] == "#case-body"
    event = case_a.events.get(kind=EventKind.PENALTY_DECISION)
    assert (event.penalty_amount, event.decision_number) == (1_500_000, "12/QĐ-XPVPHC")
    case_a.refresh_from_db()
    assert case_a.follow_up_on == date(2026, 2, 1)
    assert "Quyết định số 12/QĐ-XPVPHC, phạt 1.500.000" in response.content.decode()

    response = client_as(officer_a).post(
        reverse("case_log_event", args=[case_a.pk]),
        {"kind": "penalty_decision", "occurred_on": "2026-01-20", "text": "Thiếu số"},
        **HTMX,
    )
    assert "Quyết định xử phạt cần số quyết định và số tiền phạt." in response.content.decode()


def test_commitment_kept_and_broken_on_the_case_and_the_list(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    today = timezone.localdate()
    signed = today - timedelta(days=60)
    first, second = today - timedelta(days=40), today - timedelta(days=10)
    client.post(
        reverse("case_commit", args=[case_a.pk]),
        {
            "kind": "plan",
            "signed_on": signed.isoformat(),
            "instalments": f"{first:%d/%m/%Y} 1.500.000\n{second:%d/%m/%Y} 1.500.000",
        },
    )
    commitment = case_a.commitments.get()
    assert commitment.kind == CommitmentKind.PLAN
    PaymentFactory(employer=case_a.employer, paid_on=first - timedelta(days=1), amount=1_500_000)
    rows = client.get(detail(case_a)).context["commitments"]
    assert [c.status for c in rows[0].checks] == ["kept", "broken"]
    assert rows[0].broken
    # The list's filter and flag agree with the ledger's rule.
    response = client.get(reverse("case_list"), {"commitment_broken": "on"})
    assert [c.pk for c in response.context["page"].object_list] == [case_a.pk]
    assert response.context["broken"] == {case_a.pk}
    PaymentFactory(employer=case_a.employer, paid_on=second, amount=1_500_000)
    response = client.get(reverse("case_list"), {"commitment_broken": "on"})
    assert list(response.context["page"].object_list) == []


def test_commitment_lines_are_checked(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    response = client_as(officer_a).post(
        reverse("case_commit", args=[case_a.pk]),
        {"kind": "plan", "signed_on": "2026-01-15", "instalments": "31/01/2026 1.500.000\nmai"},
        **HTMX,
    )
    assert "Dòng 2 «mai»: cần ngày dd/mm/yyyy rồi số tiền." in response.content.decode()


def test_force_majeure_recorded_and_decided_by_a_manager(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client_as(officer_a).post(
        reverse("case_claim", args=[case_a.pk]),
        {
            "first_period": "2025-08",
            "last_period": "2025-09",
            "reason": "Lũ lụt",
            "proof": SimpleUploadedFile("bien-ban.pdf", PDF),
        },
    )
    claim = case_a.claims.get()
    assert (claim.first_period, claim.last_period) == (date(2025, 8, 1), date(2025, 9, 1))
    decide = reverse("case_claim_decide", args=[case_a.pk, claim.pk])
    response = client_as(officer_a).post(decide, {"decision": "accept"}, follow=True)
    assert "Chỉ lãnh đạo quyết định đề nghị bất khả kháng." in page_messages(response)
    client_as(manager).post(decide, {"decision": "accept"})
    claim.refresh_from_db()
    assert (claim.decision, claim.decided_by) == ("accepted", manager)
    proof = client_as(officer_a).get(reverse("case_claim_proof", args=[case_a.pk, claim.pk]))
    assert proof["Content-Type"] == "application/pdf"
    assert b"".join(proof.streaming_content) == PDF


def test_fine_calculator(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    page = client_as(officer_a).get(detail(case_a)).content.decode()
    # 12-15 % of 3,000,000.
    assert "360.000" in page and "450.000" in page
    response = client_as(officer_a).get(
        reverse("case_fines", args=[case_a.pk]), {"payable": "1.000.000.000"}, **HTMX
    )
    ranges = {str(k): (v.low, v.high) for k, v in response.context["ranges"].items()}
    assert ranges == {
        "late": (75_000_000, 75_000_000),
        "none_paid": (75_000_000, 75_000_000),
        "evasion": (50_000_000, 75_000_000),
    }


def test_open_a_case_from_the_employer_page(client_as, employer_a, officer_a, officer_b):  # type: ignore[no-untyped-def]
    ledger(employer_a)
    page = reverse("employer_detail", args=[employer_a.unit_code])
    client = client_as(officer_a)
    content = client.get(page).content.decode()
    assert "Hồ sơ thu nợ" in content and "Mở hồ sơ" in content
    open_url = reverse("case_open", args=[employer_a.unit_code])
    assert client_as(officer_b).post(open_url).status_code == 404
    response = client_as(officer_a).post(open_url, follow=True)
    case = RecoveryCase.objects.get(employer=employer_a)
    assert response.redirect_chain[-1][0] == detail(case)
    assert (case.officer, case.arrears_at_opening) == (officer_a, 3_000_000)
    content = client.get(page).content.decode()
    assert f"#{case.pk}" in content and "Mở hồ sơ" not in content


def test_a_head_gives_the_approvals_of_their_office_through_the_pages(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, head_a, head_b
):
    referral = Referral.objects.create(case=case_a, agency=agency("police"), purpose="investigate")
    claim_pk = case_a.claims.create(
        employer=case_a.employer,
        claimed_on=date(2026, 1, 15),
        first_period=date(2025, 9, 1),
        last_period=date(2025, 10, 1),
        reason="Lũ quét",
        proof="force_majeure/lu.pdf",
    ).pk
    posts = [
        ("case_referral_approve", [case_a.pk, referral.pk], {}),
        ("case_approve_criminal", [case_a.pk], {}),
        ("case_claim_decide", [case_a.pk, claim_pk], {"decision": "accept"}),
        ("case_move", [case_a.pk], {"to": "closed", "note": "Sai đối tượng", "on": "2026-01-16"}),
        ("case_move", [case_a.pk], {"to": "reminded", "note": "Mở lại", "on": "2026-01-17"}),
    ]
    # Another office's head: as if the case did not exist.
    for name, args, data in posts:
        assert client_as(head_b).post(reverse(name, args=args), data).status_code == 404, name
    client = client_as(head_a)
    for name, args, data in posts:
        response = client.post(reverse(name, args=args), data, follow=True)
        assert response.status_code == 200 and not [
            m for m in response.context["messages"] if m.level_tag == "error"
        ], name
    referral.refresh_from_db()
    case_a.refresh_from_db()
    assert referral.approved_by == head_a
    assert case_a.criminal_referral_approved_by == head_a
    assert case_a.claims.get().decided_by == head_a
    assert (case_a.stage, case_a.closed_on) == (Stage.REMINDED, None)
