"""Certificates of contribution status: issued as a PDF with a verification code and QR,
refused while the employer owes unless they state it, checked on the public page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from arrears.imports.payments import import_payments
from reports.models import CODE_ALPHABET, CODE_LENGTH, Certificate
from tests.samples import SampleProvince

ISSUE = reverse("certificates")


def _issue(client, unit_code: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(ISSUE, {"unit_code": unit_code, "on": "16/11/2026", **extra})


def _pdf_text(certificate: Certificate) -> tuple[str, int]:
    with certificate.file.open("rb") as f:
        page = PdfReader(io.BytesIO(f.read())).pages[0]
    return " ".join(page.extract_text().split()), len(page.images)


def test_an_employer_that_owes_nothing_gets_a_certificate(
    sample_province: SampleProvince, manager, client_as, client
) -> None:  # type: ignore[no-untyped-def]
    response = _issue(client_as(manager), "HB00001B")
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert (certificate.employer.unit_code, certificate.arrears, certificate.issued_by) == (
        "HB00001B",
        0,
        manager,
    )
    assert len(certificate.code) == CODE_LENGTH and set(certificate.code) <= set(CODE_ALPHABET)
    text, images = _pdf_text(certificate)
    assert "GIẤY XÁC NHẬN" in text and "Hợp tác xã Trường Sơn 1" in text
    assert "Tính đến ngày 16/11/2026, đơn vị không còn nợ" in text
    # From the employer's managing office, under the provincial office.
    assert "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ" in text and "BHXH CƠ SỞ TÂN LẠC" in text
    assert "BHXH cơ sở Tân Lạc xác nhận" in text
    assert certificate.printed_code in text
    assert f"http://testserver/xac-minh/{certificate.code}/" in text.replace(" ", "")
    assert images == 1  # the QR code
    listed = client.get(ISSUE).content.decode()
    assert certificate.printed_code in listed

    # The public page: anyone, no login; only the name, the date and the position.
    client.logout()
    page = client.get(reverse("verify_certificate", args=[certificate.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mã xác minh hợp lệ" in body and "Hợp tác xã Trường Sơn 1" in body
    assert "16/11/2026" in body and "Không nợ tiền đóng" in body
    assert sample_province.employers["HB00001B"].tax_code not in body
    # As printed (groups of four), in lower case: the same certificate.
    printed = certificate.printed_code.lower()
    assert client.get(reverse("verify_certificate", args=[printed])).status_code == 200
    forged = client.get(reverse("verify_certificate", args=["A" * CODE_LENGTH]))
    assert forged.status_code == 404
    assert "Không có giấy xác nhận nào mang mã này" in forged.content.decode()


def test_refused_while_the_employer_owes_unless_stated(
    sample_province: SampleProvince, manager, client_as, client
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    response = _issue(client, "HB00018D")
    assert response.status_code == 200
    assert (
        "Đơn vị còn nợ 2.914.560.000 đồng (3 tháng) tính đến ngày 16/11/2026: chỉ cấp giấy "
        "xác nhận có ghi rõ số nợ." in response.content.decode()
    )
    assert not Certificate.objects.exists()

    assert _issue(client, "HB00018D", state_arrears="on").status_code == 302
    certificate = Certificate.objects.get()
    assert (certificate.arrears, certificate.months_in_arrears, certificate.interest) == (
        2_914_560_000,
        3,
        834_243_840,
    )
    text, _images = _pdf_text(certificate)
    assert "còn nợ tiền đóng" in text and "2.914.560.000" in text and "(từ kỳ 07/2026)" in text
    client.logout()
    body = client.get(reverse("verify_certificate", args=[certificate.code])).content.decode()
    assert "Còn nợ 2.914.560.000" in body and "(3 tháng)" in body


def test_a_day_after_today_is_refused(db, employer_a, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).post(
        ISSUE, {"unit_code": employer_a.unit_code, "on": "01/01/2099"}
    )
    assert "Ngày không được sau hôm nay." in response.content.decode()
    assert not Certificate.objects.exists()


def test_officers_issue_and_read_certificates_of_their_offices(
    sample_province: SampleProvince, manager, officer_a, officer_b, client_as
) -> None:  # type: ignore[no-untyped-def]
    # HB00001B is in Tân Lạc: officer_b's, not officer_a's.
    client = client_as(officer_a)
    response = _issue(client, "HB00001B")
    assert "Không tìm thấy đơn vị có mã này." in response.content.decode()
    assert not Certificate.objects.exists()

    assert _issue(client_as(officer_b), "HB00001B").status_code == 302
    certificate = Certificate.objects.get()
    url = reverse("certificate_file", args=[certificate.pk])
    assert client_as(officer_b).get(url)["Content-Type"] == "application/pdf"
    assert client_as(officer_a).get(url).status_code == 404
    assert certificate.printed_code not in client_as(officer_a).get(ISSUE).content.decode()


def test_liaisons_issue_nothing(sample_province: SampleProvince, police, client_as) -> None:  # type: ignore[no-untyped-def]
    assert _issue(client_as(police), "HB00001B").status_code == 404
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("code", ["", "   "])
def test_an_empty_code_is_no_certificate(db, client, code: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"/xac-minh/{code}/").status_code == 404


def test_no_arrears_certificate_refused_while_interest_is_owed(
    sample_province: SampleProvince, manager, client_as
) -> None:  # type: ignore[no-untyped-def]
    """Rule 12: HB00009E paid every contribution, late; its interest is still owed."""
    client = client_as(manager)
    response = _issue(client, "HB00009E")
    assert response.status_code == 200
    assert (
        "Đơn vị còn nợ 3.571.392 đồng tiền lãi chậm đóng tính đến ngày 16/11/2026: chưa cấp "
        "được giấy xác nhận không nợ; chỉ cấp giấy xác nhận có ghi rõ số nợ."
    ) in response.content.decode()
    assert not Certificate.objects.exists()

    # Stated, the certificate says what is owed.
    assert _issue(client, "HB00009E", state_arrears="on").status_code == 302
    stated = Certificate.objects.get()
    assert (stated.arrears, stated.interest, stated.interest_outstanding) == (
        0,
        3_571_392,
        3_571_392,
    )
    text, _images = _pdf_text(stated)
    assert "còn nợ tiền lãi chậm đóng 3.571.392" in text
    stated.delete()

    # Once the interest is paid (docs/samples/payments_interest.csv), no arrears at all.
    with (Path(settings.BASE_DIR) / "docs" / "samples" / "payments_interest.csv").open("rb") as f:
        import_payments(f)
    assert _issue(client, "HB00009E").status_code == 302
    certificate = Certificate.objects.get()
    assert (certificate.arrears, certificate.interest_outstanding) == (0, 0)
    text, _images = _pdf_text(certificate)
    assert "không còn nợ tiền đóng" in text and "và tiền lãi chậm đóng" in text
    # HB00020A paid 4,000,000 of its 4,524,998: still refused, naming what is left.
    response = _issue(client, "HB00020A")
    assert "Đơn vị còn nợ 524.998 đồng tiền lãi chậm đóng" in response.content.decode()
