"""The statement upload page, for each role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arrears import balances
from arrears.models import Contribution
from participants.models import Commune, Employer
from tests.participants.imports.test_employers import (
    HEADER,
    WITH_DISTRICT,
    district_line,
    employer_line,
)

pytestmark = pytest.mark.django_db

URL = "/nhap-du-lieu/"


@pytest.fixture(autouse=True)
def _no_refresh(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(balances, "request_balance_refresh", lambda: None)


def upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join(lines).encode("utf-8"), content_type="text/csv")


def test_url_and_nav_link(client_as, officer_a):  # type: ignore[no-untyped-def]
    assert reverse("import_statement") == URL
    response = client_as(officer_a).get("/")
    assert f'href="{URL}"' in response.content.decode()


@pytest.mark.parametrize("liaison", ["police", "federation"])
def test_liaisons_get_404(liaison, client_as, request, employer_a):  # type: ignore[no-untyped-def]
    client = client_as(request.getfixturevalue(liaison))
    assert client.get(URL).status_code == 404
    file = upload("employers.csv", HEADER, employer_line("HB00001"))
    assert client.post(URL, {"kind": "employers", "file": file}).status_code == 404
    assert f'href="{URL}"' not in client.get("/").content.decode()
    assert Employer.objects.count() == 1


@pytest.mark.parametrize("role", ["officer_a", "manager"])
def test_staff_see_the_form(role, client_as, request):  # type: ignore[no-untyped-def]
    response = client_as(request.getfixturevalue(role)).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "Danh sách đơn vị" in page and "Số phải đóng" in page and "Khoản nộp" in page
    assert "unit_code, period, employees, wage_fund, si, hi, ui, oaod" in page
    # The employers' and communes' formats, with the older employers' format.
    assert (
        "unit_code, tax_code, name, address, office, commune, industrial_zone, ownership, "
        "status, employees, email, phone, legal_representative, payment_method" in page
    )
    assert "Có thể không có cột: <code>commune</code>" in page
    assert "Tệp theo mẫu cũ có cột <code>district</code> thay cho <code>office</code>." in page
    assert "code, name, kind, office, former_district, former_province" in page


def test_manager_uploads_employers(client_as, manager, office_a):  # type: ignore[no-untyped-def]
    file = upload(
        "employers.csv",
        ",".join(WITH_DISTRICT),
        district_line("HB00001", "Lương Sơn"),
        district_line("HB00002", "Mai Châu"),
    )
    response = client_as(manager).post(URL, {"kind": "employers", "file": file})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.created, result.updated, result.unchanged, result.new_offices) == (2, 0, 0, 1)
    page = response.content.decode()
    assert "Đã nhập xong: Danh sách đơn vị" in page
    assert "BHXH cơ sở mới" in page
    assert set(Employer.objects.values_list("unit_code", flat=True)) == {"HB00001", "HB00002"}


def test_refused_upload_lists_rows_and_writes_nothing(client_as, manager, employer_a):  # type: ignore[no-untyped-def]
    file = upload(
        "contributions.csv",
        "unit_code,period,employees,wage_fund,si,hi,ui,oaod",
        f"{employer_a.unit_code},2025-12,10,1,1,1,1,1",
        f"{employer_a.unit_code},2025-13,10,1,1,1,1,1",
        "NOPE,2025-12,10,1,1.5,1,1,1",
    )
    response = client_as(manager).post(URL, {"kind": "contributions", "file": file})
    assert response.status_code == 200
    refused = response.context["refused"]
    assert [(e.line, e.column) for e in refused.errors] == [
        (3, "period"),
        (4, "unit_code"),
        (4, "si"),
    ]
    page = response.content.decode()
    assert "Tệp bị từ chối (Số phải đóng): không có dữ liệu nào được ghi." in page
    assert "Kỳ đóng «2025-13» không hợp lệ" in page
    assert "Mã đơn vị «NOPE» chưa có trong danh sách đơn vị." in page
    assert not Contribution.objects.exists()


def test_officer_upload_outside_own_offices_is_refused(client_as, officer_a, employer_b):  # type: ignore[no-untyped-def]
    file = upload(
        "payments.csv",
        "unit_code,paid_on,amount,reference",
        f"{employer_b.unit_code},2025-09-15,10,UNC1",
    )
    response = client_as(officer_a).post(URL, {"kind": "payments", "file": file})
    assert "không thuộc địa bàn bạn phụ trách" in response.content.decode()
    assert not employer_b.payments.exists()


def test_officer_uploads_own_payments(client_as, officer_a, employer_a):  # type: ignore[no-untyped-def]
    file = upload(
        "payments.csv",
        "unit_code,paid_on,amount,reference",
        f"{employer_a.unit_code},2025-09-15,10,UNC1",
    )
    response = client_as(officer_a).post(URL, {"kind": "payments", "file": file})
    assert response.context["result"].created == 1
    assert employer_a.payments.get().amount == 10


def test_file_over_the_size_cap_is_refused(client_as, manager, settings, office_a):  # type: ignore[no-untyped-def]
    settings.STATEMENT_UPLOAD_MAX_BYTES = 100
    file = upload("employers.csv", HEADER, employer_line("HB00001"))
    response = client_as(manager).post(URL, {"kind": "employers", "file": file})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Tệp lớn hơn giới hạn 100\xa0byte."]
    assert not Employer.objects.exists()


def test_kind_and_file_are_required(client_as, manager):  # type: ignore[no-untyped-def]
    response = client_as(manager).post(URL, {})
    assert set(response.context["form"].errors) == {"kind", "file"}


COMMUNES = "code,name,kind,office,former_district,former_province"


def test_manager_uploads_communes(client_as, manager, office_a):  # type: ignore[no-untyped-def]
    file = upload("communes.csv", COMMUNES, "04378,Lâm Sơn,xa,LUONG_SON,Lương Sơn,Hòa Bình")
    response = client_as(manager).post(URL, {"kind": "communes", "file": file})
    assert response.context["result"].created == 1
    assert "Đã nhập xong: Xã/phường" in response.content.decode()
    assert Commune.objects.get().office == office_a


def test_officer_is_refused_communes(client_as, officer_a):  # type: ignore[no-untyped-def]
    file = upload("communes.csv", COMMUNES, "04378,Lâm Sơn,xa,LUONG_SON,Lương Sơn,Hòa Bình")
    response = client_as(officer_a).post(URL, {"kind": "communes", "file": file})
    assert [e.message for e in response.context["refused"].errors] == [
        "Chỉ lãnh đạo được nhập danh mục xã/phường."
    ]
    assert not Commune.objects.exists()
