"""The CSV, XLSX and PDF writers: the XLSX reads back as the CSV, the PDF carries Vietnamese
text, the letterhead and the signatures, formulas are defused, the writers know no report."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import factory
import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl.utils import get_column_letter
from pypdf import PdfReader

from accounts.models import Agency
from arrears.jobs.cycles import week_cycle
from arrears.models import Reminder
from participants.models import Employer
from reports.registry import REPORTS
from reports.writers import people_columns, write_csv, write_xlsx
from tests.factories import EmployerFactory
from tests.reports.export_files import (
    export_report,
    pdf_layout,
    pdf_text,
    read_csv,
    read_xlsx,
)
from tests.samples import SampleProvince


@pytest.mark.parametrize(
    ("name", "extra"), [("aging", ["--by", "ownership"]), ("recovery_by_agency", [])]
)
def test_xlsx_reads_back_as_the_csv(
    referred: SampleProvince, tmp_path: Path, name: str, extra: list[str]
) -> None:
    header, *csv_rows = read_csv(export_report(tmp_path, name, "csv", *extra))
    if REPORTS[name].csv_totals:  # recovery_by_agency's CSV ends with its totals row
        *csv_rows, csv_totals = csv_rows
        assert csv_totals[0] == "total"
    assert header == [c.key for c in REPORTS[name].columns]
    book = openpyxl.load_workbook(export_report(tmp_path, name, "xlsx", *extra))
    sheet = book.active
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    office, title, as_of, *rest = lines
    assert office[0] == "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ"
    assert title[0] == str(REPORTS[name].title)
    assert as_of[0] == "Tính đến ngày 16/11/2026"
    if extra:
        assert rest.pop(0)[0] == "Phạm vi: theo loại hình"
    labels, *rows = rest
    # The columns for people: a code whose name is another column stays in the CSV.
    shown = people_columns(REPORTS[name].columns)
    assert labels == [str(c.label) for c in shown]
    keep = [header.index(c.key) for c in shown]
    # XLSX shows a code as its Vietnamese label (the agency's kind), the CSV the code itself.
    csv_rows = [
        [
            str(c.labels.get(row[i], row[i])) if c.labels else row[i]
            for c, i in zip(shown, keep, strict=True)
        ]
        for row in csv_rows
    ]
    body, totals = rows[: len(csv_rows)], rows[len(csv_rows)]
    kinds = [c.kind for c in shown]

    def as_csv(value: object, kind: str) -> str:
        if value is None:
            return ""
        if kind == "percent":
            return f"{value * 100:.2f}"  # type: ignore[operator]
        return str(value)

    assert [[as_csv(v, k) for v, k in zip(row, kinds, strict=True)] for row in body] == csv_rows
    # The totals row adds the money up (it is not in the CSV).
    for index, kind in enumerate(kinds):
        if kind == "money":
            assert totals[index] == sum(int(row[index]) for row in csv_rows)
    assert "Tổng cộng" in totals
    header_row = len(lines) - len(rest) + 1
    assert sheet.freeze_panes == f"A{header_row + 1}"
    last = get_column_letter(len(kinds))
    assert sheet.auto_filter.ref == f"A{header_row}:{last}{header_row + len(csv_rows)}"


def test_recovery_xlsx_has_the_expected_figures(referred: SampleProvince, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(export_report(tmp_path, "recovery_by_agency", "xlsx")).active
    # People read the organisation's name; its code is in the CSV only.
    assert [c.value for c in sheet[4]][:3] == ["Loại cơ quan", "Cơ quan phối hợp", "Số đơn vị"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]}
    for code, want in referred.expected["by_agency"].items():
        assert rows[Agency.objects.get(code=code).name][2:6] == (
            want["units"],
            want["workers"],
            want["arrears_at_referral"],
            want["recovered"],
        )
    assert sheet["E5"].number_format == "#,##0" and sheet["G5"].number_format == "0.00%"
    assert sheet["C5"].number_format == "#,##0"  # counts grouped too: 12,374


def test_pdf_renders_vietnamese(referred: SampleProvince, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(export_report(tmp_path, "aging", "pdf"))
    assert "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ" in text  # the letterhead, upper-cased by CSS
    assert "TUỔI NỢ CHẬM ĐÓNG BHXH, BHYT, BHTN" in text
    assert "Tính đến ngày 16/11/2026" in text
    assert "Lương Sơn" in text and "Đà Bắc" in text
    assert "8.548.089.600" in text  # the total, written as documents write money
    for signer in ("NGƯỜI LẬP BIỂU", "KẾ TOÁN TRƯỞNG", "GIÁM ĐỐC"):
        assert signer in text
    assert "Trang 1/1" in text
    page = PdfReader(tmp_path / "aging.pdf").pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape

    text = pdf_text(export_report(tmp_path, "recovery_by_agency", "pdf"))
    assert "Liên đoàn Lao động tỉnh" in text and "TRƯỞNG PHÒNG" in text


def test_balances_xlsx_reads_back_as_the_csv(
    sample_province: SampleProvince, tmp_path: Path
) -> None:
    columns = REPORTS["employer_balances"].columns
    csv_rows = read_csv(export_report(tmp_path, "employer_balances", "csv", rows=40))
    path = export_report(tmp_path, "employer_balances", "xlsx", rows=40)
    office, title, as_of, labels, *rows, totals, _gap, note = read_xlsx(path)
    assert office[0] == "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ"
    assert title[0] == "Số tiền chậm đóng BHXH, BHYT, BHTN theo đơn vị"
    assert as_of[0] == "Tính đến ngày 16/11/2026"
    assert labels == [str(column.label) for column in columns]
    assert labels[0] == "Mã đơn vị"

    # The CSV keeps the codes, the XLSX shows their Vietnamese labels; months are dates.
    def shown(row: list[str]) -> list[str]:
        return [
            str(column.shown(value)) if column.labels else value
            for column, value in zip(columns, row, strict=True)
        ]

    def as_text(row: list[object]) -> list[str]:
        return [
            "" if cell is None else f"{cell:%Y-%m}" if isinstance(cell, datetime) else str(cell)
            for cell in row
        ]

    assert [as_text(row) for row in rows] == [shown(row) for row in csv_rows[1:]]
    statuses = {row[4] for row in rows}
    assert statuses <= {"Đang hoạt động", "Tạm ngừng hoạt động", "Chờ giải thể", "Đã giải thể",
                        "Phá sản", "Chủ bỏ trốn"} and "Đang hoạt động" in statuses  # fmt: skip
    assert {row[4] for row in csv_rows[1:]} >= {"active"}
    assert {row[10] for row in rows} >= {"Dưới 3 tháng"}
    # Then the totals (not in the CSV) and what the figures mean.
    employees = sum(int(row[5]) for row in csv_rows[1:])
    assert totals[:7] == [None, "Tổng cộng", None, None, None, employees, 8_548_089_600]
    assert totals[7:] == [None, None, 1_277_264_801, None]
    assert note[0].startswith("Số tiền chậm đóng: phần chưa nộp")

    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:K44"
    assert sheet["G5"].value == 2_914_560_000  # a number, shown in đồng
    assert sheet["G5"].number_format == "#,##0"
    assert sheet["F5"].number_format == "#,##0"
    assert sheet["I5"].is_date and sheet["I5"].number_format == "mm/yyyy"  # 07/2026
    assert sheet["G45"].font.b  # the totals row in bold


def test_formula_injection_is_defused(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    payload = '=HYPERLINK("http://evil.example","Bấm vào đây")'
    EmployerFactory(unit_code="HB0000X1", name=payload)
    EmployerFactory(unit_code="HB0000X2", name="+84 Công ty", address="-")

    path = tmp_path / "balances.csv"
    call_command("export_report", "employer_balances", "--output", str(path), stdout=io.StringIO())
    names = {row[0]: row[1] for row in read_csv(path)[1:]}
    assert names == {"HB0000X1": "'" + payload, "HB0000X2": "'+84 Công ty"}

    path = tmp_path / "balances.xlsx"
    call_command(
        "export_report",
        "employer_balances",
        "--format",
        "xlsx",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    sheet = openpyxl.load_workbook(path).active
    cells = {sheet.cell(row, 1).value: sheet.cell(row, 2) for row in (5, 6)}
    # As written, a string (never a formula), marked so that editing keeps it text.
    assert cells["HB0000X1"].value == payload
    assert cells["HB0000X1"].data_type == "s" and cells["HB0000X1"].quotePrefix
    assert cells["HB0000X2"].value == "+84 Công ty" and cells["HB0000X2"].quotePrefix


def test_writers_are_generic(db) -> None:  # type: ignore[no-untyped-def]
    columns = REPORTS["employer_balances"].columns[:2]
    rows = [{"unit_code": "A1", "name": None}]
    out = io.BytesIO()
    write_csv(out, columns, rows)
    assert out.getvalue() == "\ufeffunit_code,name\r\nA1,\r\n".encode()
    out = io.BytesIO()
    write_xlsx(out, columns, rows, heading=["Tiêu đề"])
    out.seek(0)
    sheet = openpyxl.load_workbook(out).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ", None],
        ["Tiêu đề", None],
        ["Mã đơn vị", "Tên đơn vị"],
        ["A1", None],
    ]


# --------------------------------------------------------------------------------------------
# Files fit to hand over: labels, layout, empty reports, totals


def test_codes_are_labels_for_people_and_codes_for_machines(
    referred: SampleProvince, tmp_path: Path
) -> None:
    header, *rows = read_csv(export_report(tmp_path, "case_pipeline", "csv"))
    stages = {row[header.index("stage")] for row in rows}
    assert "detected" in stages  # the CSV keeps the codes
    lines = read_xlsx(export_report(tmp_path, "case_pipeline", "xlsx"))
    labels = lines[3]
    assert "Mã bước" not in labels and "Bước" in labels  # the code column is for machines
    shown = {line[labels.index("Bước")] for line in lines[4:]}
    assert "Phát hiện" in shown
    text = pdf_text(export_report(tmp_path, "case_pipeline", "pdf"))
    assert "Phát hiện" in text and "detected" not in text


def test_pdf_orientation_follows_the_table(referred: SampleProvince, tmp_path: Path) -> None:
    narrow = PdfReader(export_report(tmp_path, "case_pipeline", "pdf")).pages[0]
    assert narrow.mediabox.width < narrow.mediabox.height  # portrait: six columns
    wide = PdfReader(export_report(tmp_path, "employer_balances", "pdf")).pages[0]
    assert wide.mediabox.width > wide.mediabox.height


def test_balances_pdf_has_about_25_rows_a_page_and_totals_on_one_line(
    sample_province: SampleProvince, tmp_path: Path
) -> None:
    office = Employer.objects.get(unit_code="HB00000A").office
    EmployerFactory.create_batch(
        110,
        office=office,
        name=factory.Sequence(
            lambda n: f"Doanh nghiệp tư nhân Chế biến nông sản Kim Ngân Phú Thọ số {n}"
        ),
    )
    path = export_report(tmp_path, "employer_balances", "pdf", rows=150)
    pages = len(PdfReader(path).pages)
    assert 150 / 30 <= pages <= 150 / 20, pages
    (totals,) = [line for line in pdf_layout(path).splitlines() if "Tổng cộng" in line]
    assert "8.548.089.600" in totals and "1.277.264.801" in totals


def test_an_empty_report_says_so_and_still_offers_its_files(
    db, manager, client_as, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    empty = "Không có số liệu nào khớp điều kiện đã chọn."
    assert read_csv(export_report(tmp_path, "employer_balances", "csv", rows=0)) == [
        [c.key for c in REPORTS["employer_balances"].columns]
    ]
    lines = read_xlsx(export_report(tmp_path, "employer_balances", "xlsx", rows=0))
    assert lines[4][0] == empty and not any("Tổng cộng" in str(v) for v in lines[5])
    assert empty in pdf_text(export_report(tmp_path, "employer_balances", "pdf", rows=0))

    page = client_as(manager).get(reverse("report_employer_balances"), {"on": "16/11/2026"})
    html = page.content.decode()
    assert empty in html
    for fmt in ("csv", "xlsx", "pdf"):
        assert f"format={fmt}" in html


def test_reminders_have_totals(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monday = date(2026, 11, 16)
    first, second = EmployerFactory.create_batch(2)
    for employer, kind, arrears in (
        (first, Reminder.Kind.NOTICE, 5_000_000),
        (first, Reminder.Kind.INVITATION, 5_000_000),
        (second, Reminder.Kind.NOTICE, 7_250_000),
    ):
        Reminder.objects.create(
            employer=employer,
            cycle=week_cycle(monday),
            kind=kind,
            channel=Reminder.Channel.LETTER,
            as_of=monday,
            arrears=arrears,
            interest=100_000,
            months_in_arrears=3,
        )
    *_rows, totals, _gap, _note = read_xlsx(export_report(tmp_path, "reminders", "xlsx", rows=3))
    columns = [c.key for c in REPORTS["reminders"].columns]
    assert totals[columns.index("name")] == "Tổng cộng: 3 văn bản, 2 đơn vị"
    assert totals[columns.index("arrears")] == 17_250_000
    assert totals[columns.index("interest")] == 300_000
    # The kinds and channels are Vietnamese, in the XLSX as on the page.
    assert {row[columns.index("kind")] for row in _rows[4:]} == {
        "Thông báo đôn đốc",
        "Mời làm việc",
    }
