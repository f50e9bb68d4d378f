"""The report pages for each role: the home page, the report pages and their exports
(streamed CSV, direct XLSX/PDF, background exports for large ones), the audit records, and
who may download what; the coverage page, its exports and ``export_report coverage``. The
dashboard's figures: test_dashboard; the coverage figures: queries/test_coverage."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from participants.models import Commune
from reports.models import ExportRecord
from reports.queries.coverage import Period
from tests.factories import UserFactory
from tests.samples import SampleProvince

AS_OF = {"on": "16/11/2026"}
PAGE = reverse("coverage_report")


def _report(name: str) -> str:
    return reverse(f"report_{name}")


def _streamed(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


# --------------------------------------------------------------------------------------------
# The home page


def test_home_of_each_role(refreshed: SampleProvince, police, client_as, client) -> None:  # type: ignore[no-untyped-def]
    page = client_as(police).get(reverse("home")).content.decode()
    assert "Các hồ sơ được chuyển đến cơ quan của bạn" in page
    assert client.get(reverse("dashboard")).status_code == 404  # still the police liaison
    client.logout()
    assert client.get(reverse("dashboard")).url.startswith("/dang-nhap/")


# --------------------------------------------------------------------------------------------
# Report pages by role


def test_report_pages_open_for_staff(referred: SampleProvince, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    index = client.get(reverse("report_index")).content.decode()
    for name in (
        "employer_balances",
        "aging",
        "recovery_by_agency",
        "case_pipeline",
        "reminders",
        "publication",
        "late_rate",
        "effectiveness",
    ):
        assert _report(name) in index
        response = client.get(_report(name), AS_OF)
        assert response.status_code == 200, name
    page = client.get(_report("aging"), {**AS_OF, "by": "status"}).content.decode()
    assert "Tạm ngừng hoạt động" in page and "Phạm vi: theo trạng thái" in page
    assert "8.548.089.600" in page  # the totals row


def test_an_officer_sees_their_offices(referred: SampleProvince, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(officer_a).get(_report("aging"), AS_OF)
    rows = list(response.context["page"].object_list)
    assert [r.group for r in rows] == ["Lương Sơn"]
    # Another office is not even offered.
    other = referred.employers["HB00005A"].office_id
    response = client_as(officer_a).get(_report("aging"), {**AS_OF, "office": other})
    assert "office" in response.context["form"].errors


def test_a_liaison_reads_recovery_of_their_agency_only(
    referred: SampleProvince, federation, client_as
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(federation)
    for name in ("aging", "employer_balances", "publication", "effectiveness"):
        assert client.get(_report(name), AS_OF).status_code == 404, name
    assert client.get(reverse("certificates")).status_code == 404
    response = client.get(_report("recovery_by_agency"), AS_OF)
    (row,) = response.context["page"].object_list
    assert (row.agency, row.recovered) == ("labour_federation", 158_400_000)
    index = client.get(reverse("report_index")).content.decode()
    assert _report("recovery_by_agency") in index and _report("aging") not in index


def test_anonymous_is_sent_to_login(db, client) -> None:  # type: ignore[no-untyped-def]
    for url in (reverse("dashboard"), _report("aging"), reverse("certificates")):
        assert client.get(url).url.startswith("/dang-nhap/")


def test_a_date_after_today_is_refused(db, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(_report("aging"), {"on": "01/01/2099"})
    assert response.context["form"].errors["on"] == ["Ngày không được sau hôm nay."]


# --------------------------------------------------------------------------------------------
# Exports from the page


def test_csv_is_streamed_and_recorded(referred: SampleProvince, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(_report("recovery_by_agency"), {**AS_OF, "format": "csv"})
    assert response.streaming
    assert response["Content-Disposition"] == (
        'attachment; filename="thu-hoi-theo-co-quan-2026-11-16.csv"'
    )
    header, *rows = csv.reader(io.StringIO(_streamed(response).decode("utf-8-sig")))
    assert header[:4] == ["agency", "agency_kind", "agency_name", "units"]
    *rows, totals = rows
    assert {r[0] for r in rows} == {"iz_board", "labour_federation", "labour_inspectorate"}
    assert totals[0] == "total"
    entry = ExportRecord.objects.get()
    assert (entry.user, entry.report, entry.format, entry.source, entry.status) == (
        manager,
        "recovery_by_agency",
        "csv",
        "page",
        "done",
    )
    # The report's default grouping is recorded with the date.
    assert (entry.params, entry.rows_written) == ({"on": "2026-11-16", "by": "agency"}, 3)


def test_small_xlsx_and_pdf_come_straight_back(
    referred: SampleProvince, officer_a, client_as
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    response = client.get(_report("employer_balances"), {**AS_OF, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=5, max_row=7, values_only=True)]
    assert sorted(codes) == ["HB00000A", "HB00012C", "HB00037C"]  # officer_a's office
    response = client.get(_report("late_rate"), {**AS_OF, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Lương Sơn" in text
    assert ExportRecord.objects.filter(user=officer_a, source="page").count() == 2


def test_large_export_runs_in_the_background_for_its_requester_only(
    referred: SampleProvince, manager, client_as, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.REPORT_BACKGROUND_ROWS = 10  # the samples' 40 employers count as large
    client = client_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_report("employer_balances"), {**AS_OF, "format": "xlsx"})
    entry = ExportRecord.objects.get()
    assert response.url == reverse("export_status", args=[entry.pk])
    assert (entry.source, entry.status, entry.rows_written, entry.expected_rows) == (
        "task",
        "done",
        40,
        40,
    )
    status = client.get(response.url, HTTP_HX_REQUEST="true")
    assert b"hx-get" not in status.content  # finished: no more polling
    download = reverse("export_download", args=[entry.pk])
    assert download.encode() in status.content
    response = client.get(download)
    assert response["Content-Disposition"].endswith('"no-theo-don-vi-2026-11-16.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A5"].value == "HB00018D"  # under the office, title, date, labels

    other = UserFactory(username="manager2", role="manager")
    client.force_login(other)
    assert client.get(download).status_code == 404
    assert client.get(reverse("export_status", args=[entry.pk])).status_code == 404


def test_export_in_progress_is_polled(
    referred: SampleProvince, manager, client_as, settings
) -> None:  # type: ignore[no-untyped-def]
    # publication may list every employer: 40 rows. A PDF of up to 50 is made at once...
    settings.REPORT_BACKGROUND_PDF_ROWS = 50
    client = client_as(manager)
    response = client.get(_report("publication"), {**AS_OF, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert ExportRecord.objects.get().source == "page"
    ExportRecord.objects.all().delete()
    # ... a larger one in the background (queued, not yet run here).
    settings.REPORT_BACKGROUND_PDF_ROWS = 10
    response = client.get(_report("publication"), {**AS_OF, "format": "pdf"})
    entry = ExportRecord.objects.get()
    assert entry.status == "queued"
    page = client.get(response.url).content.decode()
    assert f'hx-get="{response.url}"' in page and "<progress" in page
    assert client.get(reverse("export_download", args=[entry.pk])).status_code == 404


# --------------------------------------------------------------------------------------------
# The coverage page, its exports and ``export_report coverage``


def test_page_for_each_role(coverage_sample, manager, officer_a, police, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE)
    assert response.status_code == 200
    assert response.context["chosen"] == Period(2024)  # the latest closed year
    html = response.content.decode()
    assert "26,70\u00a0%" in html and "93,00\u00a0%" in html and "+6.969" in html
    assert [row.area for row in response.context["rows"]] == ["Lương Sơn", "Tân Lạc", "Toàn tỉnh"]

    rows = client_as(officer_a).get(PAGE, {"ky": "2024"}).context["rows"]
    assert [row.area for row in rows] == ["Lương Sơn", "Toàn tỉnh"]
    assert client_as(police).get(PAGE).status_code == 404


def test_page_exports_csv_and_xlsx(coverage_sample, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    response = client.get(PAGE, {"ky": "2024", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="bao-phu-2024.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    province = rows[-1]
    assert (province["area"], province["si"], province["si_of_labour_force"]) == (
        "Toàn tỉnh",
        "112488",
        "26.70",
    )
    assert (province["hi_of_population"], province["si_change"]) == ("93.00", "6969")
    assert rows[1]["si_change"] == ""  # Tân Lạc: no figure the year before

    response = client.get(PAGE, {"ky": "2024", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert (sheet["A1"].value, sheet["A2"].value, sheet["A3"].value) == (
        "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ",
        "Tình hình bao phủ BHXH, BHTN, BHYT",
        "Năm 2024",
    )
    last = [cell.value for cell in sheet[7]]  # office, heading (2), labels, three areas
    assert (last[1], last[6], last[8]) == ("Toàn tỉnh", 112_488, 0.267)
    assert sheet.cell(7, 9).number_format == "0.00%"


def test_page_exports_pdf(coverage_sample, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE, {"ky": "2024", "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Năm 2024" in text and "Toàn tỉnh" in text and "26,70 %" in text


def test_export_report_command(coverage_sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "coverage.csv"
    call_command("export_report", "coverage", "--as-of", "2025-03-01", "--output", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [(r["period"], r["area"], r["si_of_labour_force"]) for r in rows] == [
        ("Năm 2024", "Lương Sơn", "35.02"),
        ("Năm 2024", "Tân Lạc", "19.90"),
        ("Năm 2024", "Toàn tỉnh", "26.70"),
    ]
    xlsx = tmp_path / "coverage.xlsx"
    call_command(
        "export_report", "coverage", "--as-of", "2025-03-01", "--format", "xlsx",
        "--output", str(xlsx),
    )  # fmt: skip
    assert openpyxl.load_workbook(xlsx).active["B5"].value == "Lương Sơn"


# --------------------------------------------------------------------------------------------
# Areas: office, commune, former province


def test_pages_filter_and_group_by_area(areas: SampleProvince, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    lam_son = Commune.objects.get(name="Lâm Sơn")
    response = client.get(_report("employer_balances"), {**AS_OF, "commune": lam_son.pk})
    rows = list(response.context["page"].object_list)
    assert [(r.unit_code, r.office, r.commune, r.arrears) for r in rows] == [
        ("VP00012C", "Lương Sơn", "Lâm Sơn", 299_520_000),
        ("HB00000A", "Lương Sơn", "Lâm Sơn", 38_720_000),
    ]
    assert response.context["details"] == ["Phạm vi: Xã Lâm Sơn"]
    html = response.content.decode()
    assert '<th scope="col">Xã/phường</th>' in html and "<td>Lâm Sơn</td>" in html
    response = client.get(_report("aging"), {**AS_OF, "by": "former_province"})
    assert [(r.group, r.arrears) for r in response.context["page"].object_list] == [
        ("Hòa Bình", 8_248_569_600),
        ("Vĩnh Phúc", 299_520_000),
    ]
    assert response.context["details"] == ["Phạm vi: theo tỉnh cũ"]
    response = client.get(_report("aging"), {**AS_OF, "former_province": "VP", "by": "commune"})
    assert [(r.group, r.arrears) for r in response.context["page"].object_list] == [
        ("Lâm Sơn", 299_520_000)
    ]
    assert response.context["details"] == ["Phạm vi: theo xã/phường; tỉnh Vĩnh Phúc (cũ)"]
    # The case pipeline and effectiveness group by area only.
    form = client.get(_report("case_pipeline"), AS_OF).context["form"]
    assert [value for value, _label in form.fields["by"].choices] == [
        "office",
        "commune",
        "former_province",
    ]
    response = client.get(_report("case_pipeline"), {**AS_OF, "by": "commune"})
    assert [(r.area, r.cases) for r in response.context["page"].object_list] == [
        ("Lâm Sơn", 1),
        ("Chưa có xã/phường", 5),
    ]
    response = client.get(_report("case_pipeline"), {**AS_OF, "by": "status"})
    assert "by" in response.context["form"].errors
    # The former provinces offered are those of the codes the user's employers carry.
    form = client.get(_report("employer_balances"), AS_OF).context["form"]
    assert form.fields["former_province"].choices == [
        ("", "Tất cả"),
        ("HB", "Hòa Bình"),
        ("VP", "Vĩnh Phúc"),
    ]
    assert list(form.fields["commune"].queryset.order_by("name")) == [
        Commune.objects.get(name="Cư Yên"),
        lam_son,
    ]


def test_an_officer_is_offered_their_own_communes(
    areas: SampleProvince, officer_b, client_as
) -> None:  # type: ignore[no-untyped-def]
    lam_son = Commune.objects.get(name="Lâm Sơn")
    response = client_as(officer_b).get(_report("aging"), {**AS_OF, "commune": lam_son.pk})
    assert "commune" in response.context["form"].errors
    form = response.context["form"]
    assert list(form.fields["commune"].queryset) == []
    assert form.fields["former_province"].choices == [("", "Tất cả"), ("HB", "Hòa Bình")]


def test_recovery_by_kind_on_the_page_and_from_the_command(
    referred: SampleProvince, manager, client_as, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    page = client_as(manager).get(_report("recovery_by_agency"), {**AS_OF, "by": "kind"})
    rows = page.context["page"].object_list
    assert [(r.agency, r.agency_name) for r in rows] == [
        ("labour_inspectorate", "Thanh tra Sở Nội vụ"),
        ("labour_federation", "Công đoàn"),
        ("iz_board", "Ban Quản lý các khu công nghiệp"),
    ]
    assert "Phạm vi: theo loại cơ quan" in page.content.decode()
    path = tmp_path / "theo-loai.csv"
    call_command(
        "export_report",
        "recovery_by_agency",
        "--as-of",
        "2026-11-16",
        "--by",
        "kind",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    _header, *lines = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    *lines, totals = lines
    assert [[line[0], line[2]] for line in lines] == [[r.agency, r.agency_name] for r in rows]
    assert totals[:4] == ["total", "", "Tổng cộng", "6"]
