"""The audit trail: logins, failed logins, imports, exports, stage moves and referral changes
are recorded with who and when; managers read them on /nhat-ky/; nobody changes them."""

from datetime import date

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.test import RequestFactory

from arrears.cases import services as cases
from arrears.models import ReferralPurpose, ReferralStatus, Stage
from audit.models import AuditEntry
from tests.factories import agency

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_login_and_failed_login_are_recorded_with_ip(client, manager):  # type: ignore[no-untyped-def]
    client.post("/dang-nhap/", {"username": "manager", "password": "nope"})
    client.post("/dang-nhap/", {"username": "manager", "password": "pw-for-tests-only"})
    [failed] = _entries(Action.LOGIN_FAILED)
    assert (failed.user_id, failed.username, failed.ip) == (None, "manager", "127.0.0.1")
    [login] = _entries(Action.LOGIN)
    assert (login.user_id, login.username, login.ip) == (manager.pk, "manager", "127.0.0.1")
    assert login.at >= failed.at
    client.post("/dang-xuat/")
    [logout] = _entries(Action.LOGOUT)
    assert logout.user_id == manager.pk


def test_an_import_from_the_page_and_a_refused_one_are_recorded(client_as, manager, office_a):  # type: ignore[no-untyped-def]
    client = client_as(manager)
    good = (
        "unit_code,tax_code,name,address,office,industrial_zone,ownership,status,employees,"
        "email,phone,legal_representative,payment_method\n"
        "HB9000001,5400000001,Công ty A,Số 1,Lương Sơn,,non_state,active,10,,,,monthly\n"
    )
    client.post(
        "/nhap-du-lieu/",
        {"kind": "employers", "file": SimpleUploadedFile("don-vi.csv", good.encode())},
    )
    client.post(
        "/nhap-du-lieu/",
        {"kind": "employers", "file": SimpleUploadedFile("hong.csv", b"foo,bar\n1,2\n")},
    )
    [done] = _entries(Action.IMPORT)
    assert done.username == "manager"
    assert done.detail.startswith("employers «don-vi.csv»: 1 dòng: 1 thêm mới")
    [refused] = _entries(Action.IMPORT_REFUSED)
    # Two reasons: the unknown columns, the missing ones.
    # unknown columns, missing columns, and neither office nor the older district
    assert refused.detail == "employers «hong.csv»: 3 lỗi, không ghi gì"


def test_an_import_command_is_recorded(tmp_path, office_a):  # type: ignore[no-untyped-def]
    path = tmp_path / "payments.csv"
    path.write_text("unit_code,paid_on,amount,reference\nNOPE,2025-01-01,1,X\n")
    with pytest.raises(Exception, match="Tệp bị từ chối"):
        call_command("import_payments", str(path))
    [entry] = _entries(Action.IMPORT_REFUSED)
    assert entry.username == "manage.py"
    assert entry.detail == f"import_payments «{path}»: 1 lỗi, không ghi gì"


def test_an_export_is_recorded(client_as, manager, employer_a):  # type: ignore[no-untyped-def]
    response = client_as(manager).get("/bao-cao/no-theo-don-vi/", {"format": "xlsx"})
    assert response.status_code == 200
    [entry] = _entries(Action.EXPORT)
    assert entry.username == "manager"
    assert entry.target_type == "reports.exportrecord"
    assert entry.detail.startswith("employer_balances.xlsx (Trang báo cáo)")


def test_stage_moves_and_referral_changes_are_recorded(officer_a, manager, police, employer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=employer_a, by=officer_a, on=date(2026, 1, 5))
    cases.move_stage(case=case, to=Stage.REMINDED, by=officer_a, note="Đã gọi điện")
    referral = cases.create_referral(
        case=case,
        agency=agency("labour_inspectorate"),
        purpose=ReferralPurpose.INSPECT,
        by=officer_a,
    )
    cases.approve_referral(referral=referral, by=manager)
    cases.send_referral(
        referral=referral, by=officer_a, reference="9/BHXH", sent_on=date(2026, 1, 6)
    )
    cases.approve_criminal_referral(case=case, by=manager)
    [move] = _entries(Action.STAGE_MOVE)
    assert (move.username, move.target_label) == ("officer_a", f"#{case.pk} {employer_a.unit_code}")
    assert move.detail == "Phát hiện → Đã đôn đốc: Đã gọi điện"
    assert [e.username for e in _entries(Action.REFERRAL_CREATED)] == ["officer_a"]
    assert [e.username for e in _entries(Action.REFERRAL_APPROVED)] == ["manager"]
    [sent] = _entries(Action.REFERRAL_SENT)
    assert sent.detail == "9/BHXH 06/01/2026"
    assert [e.username for e in _entries(Action.CRIMINAL_APPROVAL)] == ["manager"]


def test_a_refused_move_leaves_no_entry(officer_a, employer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=employer_a, by=officer_a, on=date(2026, 1, 5))
    with pytest.raises(cases.CaseError):
        cases.move_stage(case=case, to=Stage.RESOLVED, by=officer_a, note="")
    assert not AuditEntry.objects.exists()


def test_an_answer_by_the_liaison_is_recorded(officer_a, police, employer_a):  # type: ignore[no-untyped-def]
    referral = cases.record_imported_referral(
        employer=employer_a,
        agency=agency("police"),
        purpose=ReferralPurpose.INVESTIGATE,
        reference="1/BHXH-CA",
        sent_on=date(2026, 1, 5),
    )
    cases.answer_referral(
        referral=referral, by=police, status=ReferralStatus.ACKNOWLEDGED, response="Đã nhận"
    )
    [answer] = _entries(Action.REFERRAL_ANSWERED)
    assert answer.username == "police"
    assert answer.detail.startswith(f"{ReferralStatus.ACKNOWLEDGED.label}: Đã nhận")


def test_the_page_is_for_managers_with_filters_and_pages(  # type: ignore[no-untyped-def]
    client_as, manager, officer_a, police, federation
):
    from audit import record

    for _n in range(55):
        record(officer_a, Action.LOGIN)
    record(None, Action.LOGIN_FAILED, username="mallory")
    for user in (officer_a, police, federation):
        assert client_as(user).get("/nhat-ky/").status_code == 404
    client = client_as(manager)  # force_login is a login too: 55 + 1 + 4 = 60 entries
    page = client.get("/nhat-ky/").context["page"]
    assert (page.paginator.count, len(page.object_list)) == (60, 50)
    assert len(client.get("/nhat-ky/", {"page": 2}).context["page"].object_list) == 10
    only = client.get("/nhat-ky/", {"action": "login_failed"})
    assert [e.username for e in only.context["page"]] == ["mallory"]
    assert "mallory" in only.content.decode()
    who = client.get("/nhat-ky/", {"who": "OFFICER"}).context["page"]
    assert who.paginator.count == 56
    today = AuditEntry.objects.first().at.astimezone().strftime("%d/%m/%Y")
    assert client.get("/nhat-ky/", {"since": today}).context["page"].paginator.count == 60
    assert client.get("/nhat-ky/", {"until": "01/01/2020"}).context["page"].paginator.count == 0


def test_entries_cannot_be_changed_or_deleted(officer_a, manager):  # type: ignore[no-untyped-def]
    from audit import record

    entry = record(officer_a, Action.LOGIN)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(username="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).username == "officer_a"
    # An account removed later leaves its entries as they were.
    officer_a.delete()
    assert AuditEntry.objects.get(pk=entry.pk).username == "officer_a"
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/admin/")
    request.user = manager
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
