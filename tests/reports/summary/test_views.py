"""The summary page (/bao-cao/tong-hop/): managers only, the period picker (a year, a
quarter, days from-to; by default the last quarter closed), bad choices named, the DOCX and
PDF downloads."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ExportRecord
from reports.summary.forms import last_quarter
from tests.samples import SampleProvince

PAGE = "/bao-cao/tong-hop/"


def test_the_url() -> None:
    assert reverse("province_summary") == PAGE


def test_managers_only(db, officer_a, head_a, police, client_as) -> None:  # type: ignore[no-untyped-def]
    for user in (officer_a, head_a, police):
        assert client_as(user).get(PAGE).status_code == 404


def test_the_last_quarter_by_default(referred: SampleProvince, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE)
    assert response.status_code == 200
    period = last_quarter(timezone.localdate())
    assert response.context["summary"].period == period
    html = response.content.decode()
    assert f"Kỳ báo cáo: {period.label}" in html
    assert "2. Nợ đóng và tỷ lệ chậm đóng" in html and "format=docx" in html


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"ky": "nam", "nam": "2026"}, "Năm 2026"),
        ({"ky": "quy", "nam": "2026", "quy": "3"}, "Quý 3/2026"),
        ({"ky": "khoang", "tu": "01/10/2026", "den": "16/11/2026"}, "01/10/2026 – 16/11/2026"),
        ({"ky": "khoang", "tu": "01/04/2026", "den": "30/06/2026"}, "Quý 2/2026"),
    ],
)
def test_the_period_picker(
    referred: SampleProvince, manager, client_as, query: dict[str, str], label: str
) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE, query)
    assert response.context["summary"].period.label == label
    assert f"Kỳ báo cáo: {label}" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ky": "quy", "nam": "2026"}, "Chọn quý."),
        ({"ky": "nam"}, "Chọn năm."),
        ({"ky": "nam", "nam": "1999"}, "2000"),
        ({"ky": "nam", "nam": "99999999999999999999"}, "9999"),
        ({"ky": "nam", "nam": "²"}, "Năm phải là một số, ví dụ 2026."),
        ({"ky": "nam", "nam": "2999"}, "Năm không được sau năm nay."),
        ({"ky": "khoang", "tu": "01/10/2026"}, "Chọn cả từ ngày và đến ngày."),
        ({"ky": "khoang", "tu": "02/10/2026", "den": "01/10/2026"}, "Từ ngày phải trước"),
        ({"ky": "khoang", "tu": "31/02/2026", "den": "01/10/2026"}, "Nhập một ngày hợp lệ."),
        ({"ky": "khoang", "tu": "01/10/1990", "den": "01/10/2026"}, "Từ ngày phải từ năm 2000."),
        ({"ky": "tuan"}, "Hãy chọn một lựa chọn hợp lệ."),
    ],
)
def test_bad_choices_are_named(db, manager, client_as, query: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE, {**query, "format": "docx"})
    assert response.status_code == 200 and "summary" not in response.context
    assert message in response.content.decode()


def test_downloads(referred: SampleProvince, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    query = {"ky": "quy", "nam": "2026", "quy": "3"}
    response = client.get(PAGE, {**query, "format": "docx"})
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-tong-hop-20260701-20260930.docx"'
    )
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text.startswith("BÁO CÁO TÌNH HÌNH THU")
    response = client.get(PAGE, {**query, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    records = ExportRecord.objects.order_by("pk")
    assert list(records.values_list("report", "format", "source", "user")) == [
        ("province_summary", "docx", "page", manager.pk),
        ("province_summary", "pdf", "page", manager.pk),
    ]
