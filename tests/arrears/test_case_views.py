"""The case pages per role: what an officer (in and out of district), a manager and the
police and federation liaisons see and may do, the stage rules through the pages, the police
dossier, commitments kept and broken, "this week", history, and the letters' templates."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from arrears.cases import services as cases
from arrears.models import (
    Attachment,
    CaseEvent,
    CommitmentKind,
    DocumentTemplate,
    EventKind,
    RecoveryCase,
    Referral,
    ReferralPurpose,
    ReferralStatus,
    Stage,
)
from tests.factories import ContributionFactory, PaymentFactory, agency

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 15)
PDF = b"%PDF-1.4\n% a test file\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _ledger(employer):  # type: ignore[no-untyped-def]
    """Four months of 1,000,000 đ (07-10/2025), July paid on time: 3,000,000 đ in arrears."""
    for month in (7, 8, 9, 10):
        ContributionFactory(employer=employer, period=date(2025, month, 1))
    PaymentFactory(employer=employer, paid_on=date(2025, 8, 20), amount=1_000_000)
    return employer


@pytest.fixture
def case_a(employer_a, officer_a):  # type: ignore[no-untyped-def]
    return cases.open_case(employer=_ledger(employer_a), by=officer_a, on=DAY)


@pytest.fixture
def case_b(employer_b, officer_b):  # type: ignore[no-untyped-def]
    return cases.open_case(employer=_ledger(employer_b), by=officer_b, on=DAY)


def _send(case, code, reference, by, purpose=ReferralPurpose.INSPECT):  # type: ignore[no-untyped-def]
    """A referral sent without the pages (a police one recorded as imported)."""
    if code == "police":
        return cases.record_imported_referral(
            employer=case.employer,
            agency=agency(code),
            purpose=ReferralPurpose.INVESTIGATE,
            reference=reference,
            sent_on=DAY,
        )
    referral = cases.create_referral(case=case, agency=agency(code), purpose=purpose, by=by)
    return cases.send_referral(referral=referral, by=by, reference=reference, sent_on=DAY)


def _detail(case):  # type: ignore[no-untyped-def]
    return reverse("case_detail", args=[case.pk])


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


# --------------------------------------------------------------------------------------------
# Who sees what


def test_list_per_role(
    client_as, case_a, case_b, officer_a, officer_b, manager, police, federation
):  # type: ignore[no-untyped-def]
    url = reverse("case_list")

    def listed(user):  # type: ignore[no-untyped-def]
        return {c.pk for c in client_as(user).get(url).context["page"].object_list}

    assert listed(officer_a) == {case_a.pk}
    assert listed(officer_b) == {case_b.pk}
    assert listed(manager) == {case_a.pk, case_b.pk}
    assert listed(police) == set()
    _send(case_a, "police", "1/BHXH-CA", officer_a)
    assert listed(police) == {case_a.pk}
    assert listed(federation) == set()


def test_detail_per_role(
    client_as, case_a, case_b, officer_a, officer_b, manager, police, federation
):  # type: ignore[no-untyped-def]
    assert client_as(officer_a).get(_detail(case_a)).status_code == 200
    assert client_as(officer_b).get(_detail(case_a)).status_code == 404
    assert client_as(manager).get(_detail(case_a)).status_code == 200
    assert client_as(police).get(_detail(case_a)).status_code == 404  # not referred yet
    # A draft is not yet the agency's.
    cases.create_referral(
        case=case_a, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=officer_a
    )
    assert client_as(police).get(_detail(case_a)).status_code == 404
    _send(case_a, "police", "1/BHXH-CA", officer_a)
    response = client_as(police).get(_detail(case_a))
    assert response.status_code == 200
    assert "Công ty TNHH Minh Phát" in response.content.decode()
    # The police liaison sees its referral only, not the other agencies' or the draft.
    _send(case_a, "labour_federation", "2/BHXH-LĐLĐ", officer_a, ReferralPurpose.SUE)
    rows = client_as(police).get(_detail(case_a)).context["referrals"]
    assert [row.referral.reference for row in rows] == ["1/BHXH-CA"]
    assert client_as(police).get(_detail(case_b)).status_code == 404
    assert client_as(federation).get(_detail(case_b)).status_code == 404
    # The employers behind: the referred one's page, not the other's.
    employer_page = "employer_detail"
    assert (
        client_as(police).get(reverse(employer_page, args=[case_a.employer.unit_code])).status_code
        == 200
    )
    assert (
        client_as(police).get(reverse(employer_page, args=[case_b.employer.unit_code])).status_code
        == 404
    )
    # The federation sees case A (referred to it) but not the police's referral on it.
    federation_rows = client_as(federation).get(_detail(case_a)).context["referrals"]
    assert [row.referral.agency.code for row in federation_rows] == ["labour_federation"]


def test_liaison_is_read_only_except_answers_and_its_events(client_as, case_a, officer_a, police):  # type: ignore[no-untyped-def]
    referral = _send(case_a, "police", "1/BHXH-CA", officer_a)
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
    assert "Đã ghi phản hồi." in _messages(response)
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


# --------------------------------------------------------------------------------------------
# The stage rules through the pages


def test_officer_cannot_move_back_manager_can(client_as, case_a, officer_a, manager):  # type: ignore[no-untyped-def]
    url = reverse("case_move", args=[case_a.pk])
    client = client_as(officer_a)
    response = client.post(
        url, {"to": "summoned", "note": "Mời làm việc", "on": "2026-01-16"}, follow=True
    )
    assert "Đã chuyển bước hồ sơ." in _messages(response)
    response = client.post(url, {"to": "reminded", "note": "Nhầm", "on": "2026-01-17"}, follow=True)
    assert "Chỉ lãnh đạo được chuyển hồ sơ về bước trước." in _messages(response)
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


def test_officer_is_offered_forward_moves_only(client_as, case_a, officer_a, manager):  # type: ignore[no-untyped-def]
    cases.move_stage(case=case_a, to=Stage.SUMMONED, by=officer_a, note="Mời")
    offered = client_as(officer_a).get(_detail(case_a)).context["move_form"]
    values = [v for v, _label in offered.fields["to"].widget.choices if v]
    assert values == [
        "inspection",
        "sanctioned",
        "criminal_referral",
        "prosecution",
        "resolved",
        "hard_to_collect",
        "closed",
    ]
    offered = client_as(manager).get(_detail(case_a)).context["move_form"]
    assert "detected" in [v for v, _label in offered.fields["to"].widget.choices]


def test_criminal_referral_needs_approval(client_as, case_a, officer_a, manager):  # type: ignore[no-untyped-def]
    move = reverse("case_move", args=[case_a.pk])
    data = {"to": "criminal_referral", "note": "Đủ dấu hiệu", "on": "2026-01-20"}
    response = client_as(officer_a).post(move, data, follow=True)
    assert "Chuyển hồ sơ sang cơ quan công an cần lãnh đạo phê duyệt." in _messages(response)
    approve = reverse("case_approve_criminal", args=[case_a.pk])
    response = client_as(officer_a).post(approve, follow=True)
    assert "Chỉ lãnh đạo được phê duyệt chuyển hồ sơ sang công an." in _messages(response)
    page = client_as(manager).get(_detail(case_a)).content.decode()
    assert "Phê duyệt chuyển hồ sơ sang công an" in page
    client_as(manager).post(approve)
    response = client_as(officer_a).post(move, data, follow=True)
    assert "Đã chuyển bước hồ sơ." in _messages(response)
    case_a.refresh_from_db()
    assert (case_a.stage, case_a.criminal_referral_approved_by) == (
        Stage.CRIMINAL_REFERRAL,
        manager,
    )


def test_resolution_offered_when_arrears_are_zero(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    assert "Đơn vị đã hết nợ" not in client.get(_detail(case_a)).content.decode()
    PaymentFactory(employer=case_a.employer, paid_on=DAY, amount=3_000_000)
    page = client.get(_detail(case_a)).content.decode()
    assert "Đơn vị đã hết nợ" in page
    # The payment since opening is on the timeline.
    assert "3.000.000" in page and "Nhận tiền nộp" in page
    client.post(reverse("case_resolve", args=[case_a.pk]))
    case_a.refresh_from_db()
    assert case_a.stage == Stage.RESOLVED


# --------------------------------------------------------------------------------------------
# Referrals and the police dossier


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
    assert any(m.startswith("Hồ sơ chuyển công an còn thiếu:") for m in _messages(response))
    assert len(response.context["referrals"][0].missing) == 7

    for item, _label in cases.POLICE_DOSSIER:
        upload = reverse("case_dossier_upload", args=[case_a.pk, referral.pk, item])
        officer.post(upload, {"file": SimpleUploadedFile(f"{item}.pdf", PDF)})
    assert cases.dossier_missing(referral) == []
    response = officer.post(send, data, follow=True)
    assert "Hồ sơ chuyển công an cần lãnh đạo phê duyệt trước khi gửi." in _messages(response)
    approve = reverse("case_referral_approve", args=[case_a.pk, referral.pk])
    response = officer.post(approve, follow=True)
    assert "Chỉ lãnh đạo được phê duyệt đề nghị chuyển hồ sơ." in _messages(response)
    client_as(manager).post(approve)
    response = officer.post(send, data, follow=True)
    assert f"Đã gửi đề nghị đến {agency('police').name}." in _messages(response)
    referral.refresh_from_db()
    assert (referral.status, referral.reference, referral.arrears_at_referral) == (
        ReferralStatus.SENT,
        "15/BHXH-CA",
        3_000_000,
    )
    # Now the police see the case and its dossier.
    response = client_as(police).get(_detail(case_a))
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


# --------------------------------------------------------------------------------------------
# Events, commitments, force majeure


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
    rows = client.get(_detail(case_a)).context["commitments"]
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
    assert "Chỉ lãnh đạo quyết định đề nghị bất khả kháng." in _messages(response)
    client_as(manager).post(decide, {"decision": "accept"})
    claim.refresh_from_db()
    assert (claim.decision, claim.decided_by) == ("accepted", manager)
    proof = client_as(officer_a).get(reverse("case_claim_proof", args=[case_a.pk, claim.pk]))
    assert proof["Content-Type"] == "application/pdf"
    assert b"".join(proof.streaming_content) == PDF


def test_fine_calculator(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    page = client_as(officer_a).get(_detail(case_a)).content.decode()
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


# --------------------------------------------------------------------------------------------
# Opening from the employer page, the board, this week, history


def test_open_a_case_from_the_employer_page(client_as, employer_a, officer_a, officer_b):  # type: ignore[no-untyped-def]
    _ledger(employer_a)
    page = reverse("employer_detail", args=[employer_a.unit_code])
    client = client_as(officer_a)
    content = client.get(page).content.decode()
    assert "Hồ sơ thu nợ" in content and "Mở hồ sơ" in content
    open_url = reverse("case_open", args=[employer_a.unit_code])
    assert client_as(officer_b).post(open_url).status_code == 404
    response = client_as(officer_a).post(open_url, follow=True)
    case = RecoveryCase.objects.get(employer=employer_a)
    assert response.redirect_chain[-1][0] == _detail(case)
    assert (case.officer, case.arrears_at_opening) == (officer_a, 3_000_000)
    content = client.get(page).content.decode()
    assert f"#{case.pk}" in content and "Mở hồ sơ" not in content


def test_board_counts_and_cards(client_as, case_a, case_b, officer_a, manager):  # type: ignore[no-untyped-def]
    cases.move_stage(case=case_b, to=Stage.SUMMONED, by=manager, note="Mời")
    columns = client_as(manager).get(reverse("case_board")).context["columns"]
    by_stage = {c.stage: (c.count, [card.pk for card in c.cards]) for c in columns}
    assert [c.stage for c in columns] == list(Stage)[:7]
    assert by_stage[Stage.DETECTED] == (1, [case_a.pk])
    assert by_stage[Stage.SUMMONED] == (1, [case_b.pk])
    columns = client_as(officer_a).get(reverse("case_board")).context["columns"]
    assert sum(c.count for c in columns) == 1


def test_list_filters_and_sorting_keep_each_other(client_as, case_a, case_b, manager):  # type: ignore[no-untyped-def]
    client = client_as(manager)
    cases.log_event(case=case_b, kind=EventKind.CALL, by=manager, follow_up_on=timezone.localdate())
    response = client.get(reverse("case_list"), {"follow_up_due": "on", "sort": "arrears"})
    assert [c.pk for c in response.context["page"].object_list] == [case_b.pk]
    assert "follow_up_due=on" in response.content.decode()  # sort links keep the filter
    response = client.get(reverse("case_list"), {"district": case_a.employer.district_id})
    assert [c.pk for c in response.context["page"].object_list] == [case_a.pk]
    _send(case_a, "labour_inspectorate", "9/BHXH", manager)
    response = client.get(reverse("case_list"), {"agency": agency("labour_inspectorate").pk})
    assert [c.pk for c in response.context["page"].object_list] == [case_a.pk]


def test_this_week(client_as, case_a, case_b, officer_a, officer_b, manager):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    cases.log_event(
        case=case_a, kind=EventKind.CALL, by=officer_a, follow_up_on=today - timedelta(days=3)
    )
    cases.log_event(
        case=case_b, kind=EventKind.CALL, by=officer_b, follow_up_on=today + timedelta(days=60)
    )
    cases.add_commitment(
        case=case_b,
        kind=CommitmentKind.PLAN,
        signed_on=today - timedelta(days=30),
        instalments=[(today - timedelta(days=20), 500_000), (today, 500_000)],
        by=officer_b,
    )
    mine = client_as(officer_a).get(reverse("case_week")).context
    assert [c.pk for c in mine["follow_ups"]] == [case_a.pk]
    assert mine["broken"] == [] and mine["due"] == []
    theirs = client_as(officer_b).get(reverse("case_week")).context
    assert list(theirs["follow_ups"]) == []
    assert [(i.amount, i.status) for i in theirs["broken"]] == [(500_000, "broken")]
    assert [(i.due_on, i.status) for i in theirs["due"]] == [(today, "pending")]
    everyone = client_as(manager).get(reverse("case_week")).context
    assert [c.pk for c in everyone["follow_ups"]] == [case_a.pk]
    assert len(everyone["broken"]) == 1
    one = client_as(manager).get(reverse("case_week"), {"officer": officer_a.pk}).context
    assert one["broken"] == []


def test_history_shows_who_changed_what(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    officer_a.first_name, officer_a.last_name = "Bùi Văn", "Thắng"
    officer_a.save()
    # A set-based write outside any request (a job, a command) is the system's. (The test
    # runs in one transaction, where a request's history context stays set: so it goes first.)
    RecoveryCase.objects.filter(pk=case_a.pk).update(follow_up_on=date(2026, 2, 2))
    client = client_as(officer_a)
    client.post(
        reverse("case_move", args=[case_a.pk]),
        {"to": "reminded", "note": "Đã gửi thông báo", "on": "2026-01-16"},
    )
    history = client.get(_detail(case_a)).context["history"]
    moved = next(e for e in history if any(c.new == "Đã đôn đốc" for c in e.changes))
    assert moved.who == "Bùi Văn Thắng" and moved.what == "Hồ sơ"
    assert any(c.old == "Phát hiện" for c in moved.changes)
    follow_up = next(e for e in history if any(c.new == "02/02/2026" for c in e.changes))
    assert follow_up.who == "Hệ thống"


def test_case_detail_queries_do_not_grow_with_rows(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, manager, django_assert_max_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(officer_a)
    for n in range(8):
        cases.log_event(
            case=case_a,
            kind=EventKind.CALL,
            by=officer_a,
            text=f"Cuộc gọi {n}",
            attachments=[SimpleUploadedFile(f"ghi-am-{n}.pdf", PDF)],
        )
        PaymentFactory(employer=case_a.employer, paid_on=DAY + timedelta(days=n), amount=1000)
        cases.add_commitment(
            case=case_a,
            kind=CommitmentKind.PROMISE,
            signed_on=DAY,
            instalments=[(DAY + timedelta(days=10 + n), 100_000)],
            by=officer_a,
        )
    for code in ("labour_inspectorate", "labour_federation", "iz_board", "tax"):
        _send(case_a, code, f"{code}/BHXH", officer_a)
    police = cases.create_referral(
        case=case_a, agency=agency("police"), purpose="investigate", by=officer_a
    )
    for item, _label in cases.POLICE_DOSSIER:
        cases.add_attachment(
            case=case_a,
            file=SimpleUploadedFile(f"{item}.pdf", PDF),
            by=officer_a,
            referral=police,
            dossier_item=item,
        )
    cases.move_stage(case=case_a, to=Stage.REMINDED, by=officer_a, note="Gửi thông báo")
    with django_assert_max_num_queries(36):
        response = client.get(_detail(case_a))
    context = response.context
    assert (
        len([t for t in context["timeline"] if t.event])
        == CaseEvent.objects.filter(case=case_a).count()
    )
    assert len(context["referrals"]) == 5 and len(context["commitments"]) == 8
    assert Attachment.objects.filter(case=case_a).count() == 15


# --------------------------------------------------------------------------------------------
# The letters' templates


def test_templates_page_is_for_managers_only(client_as, officer_a, police, manager):  # type: ignore[no-untyped-def]
    for user in (officer_a, police):
        assert client_as(user).get(reverse("case_templates")).status_code == 404
        url = reverse("case_template_edit", args=["reminder_notice"])
        assert client_as(user).get(url).status_code == 404
    response = client_as(manager).get(reverse("case_templates"))
    assert [k.value for k, _title, _edited in response.context["kinds"]] == list(
        DocumentTemplate.Kind.values
    )


def test_manager_edits_a_template(client_as, manager):  # type: ignore[no-untyped-def]
    client = client_as(manager)
    url = reverse("case_template_edit", args=["reminder_notice"])
    page = client.get(url)
    assert "{{ ten_don_vi }}" in page.content.decode()  # the variables are listed
    response = client.post(url, {"title": "THÔNG BÁO", "body": "Kính gửi {{ ten_cong_ty }}."})
    assert "Biến không có trong văn bản này: ten_cong_ty." in response.content.decode()
    response = client.post(url, {"title": "THÔNG BÁO", "body": "Kính gửi {% if %}."})
    assert "Mẫu không hợp lệ" in response.content.decode()
    client.post(
        url, {"title": "THÔNG BÁO NỢ", "body": "Kính gửi {{ ten_don_vi }}: nợ {{ so_no }}."}
    )
    template = DocumentTemplate.objects.get(kind="reminder_notice")
    assert (template.title, template.updated_by) == ("THÔNG BÁO NỢ", manager)
    preview = client.get(reverse("case_template_preview", args=["reminder_notice"]))
    assert preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF")
    client.post(reverse("case_template_reset", args=["reminder_notice"]))
    assert not DocumentTemplate.objects.exists()


# --------------------------------------------------------------------------------------------
# The demo's cases


def test_load_demo_makes_cases_at_every_stage(settings, tmp_path, client):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("load_demo", employers=200, as_of=date(2026, 11, 16), stdout=out)
    stages = set(RecoveryCase.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values), out.getvalue()
    sent = Referral.objects.exclude(status=ReferralStatus.DRAFT)
    assert set(sent.values_list("agency__code", flat=True)) == {
        "police",
        "labour_inspectorate",
        "labour_federation",
        "iz_board",
        "tax",
        "peoples_committee",
        "court",
        "procuracy",
    }
    assert sent.filter(status=ReferralStatus.CONCLUDED).exclude(outcome="").exists()
    police_case = sent.filter(agency__code="police").first().case
    assert cases.dossier_missing(police_case.referrals.get(agency__code="police")) == []
    client.force_login(User.objects.get(username="police"))
    assert client.get(_detail(police_case)).status_code == 200
    statuses = set()
    for commitment in cases.Commitment.objects.all():
        statuses |= {c.status for c in cases.check_commitment(commitment, date(2026, 11, 16))}
    assert {"kept", "broken"} <= statuses
