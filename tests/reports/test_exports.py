"""Every report through ``manage.py export_report`` in every format; the XLSX read back agrees
with the CSV; the PDF carries Vietnamese text, the letterhead and the signatures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from arrears.imports.referrals import import_referrals
from reports.exports import REPORTS, WRITERS
from reports.models import ExportRecord
from tests.samples import SAMPLES, SampleProvince


@pytest.fixture
def referred(sample_province: SampleProvince) -> SampleProvince:
    import_referrals(SAMPLES / "referrals.csv")
    return sample_province


def _export(tmp_path: Path, name: str, fmt: str, *extra: str) -> Path:
    path = tmp_path / f"{name}.{fmt}"
    out = io.StringIO()
    call_command(
        "export_report",
        name,
        "--as-of",
        "2026-11-16",
        "--format",
        fmt,
        "--output",
        str(path),
        *extra,
        stdout=out,
    )
    assert out.getvalue().startswith("Đã ghi ")
    return path


def _csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_every_report_in_every_format(referred: SampleProvince, tmp_path: Path) -> None:
    for name in REPORTS:
        for fmt in WRITERS:
            path = _export(tmp_path, name, fmt)
            assert path.stat().st_size > 0, (name, fmt)
    recorded = ExportRecord.objects.filter(source=ExportRecord.Source.COMMAND)
    assert recorded.count() == len(REPORTS) * len(WRITERS)
    entry = recorded.get(report="aging", format="pdf")
    assert (entry.user, entry.status, entry.params) == (
        None,
        "done",
        {"on": "2026-11-16"},
    )


@pytest.mark.parametrize(
    ("name", "extra"), [("aging", ["--by", "ownership"]), ("recovery_by_agency", [])]
)
def test_xlsx_reads_back_as_the_csv(
    referred: SampleProvince, tmp_path: Path, name: str, extra: list[str]
) -> None:
    header, *csv_rows = _csv(_export(tmp_path, name, "csv", *extra))
    assert header == [c.key for c in REPORTS[name].columns]
    book = openpyxl.load_workbook(_export(tmp_path, name, "xlsx", *extra))
    sheet = book.active
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    title, as_of, *rest = lines
    assert title[0] == str(REPORTS[name].title)
    assert as_of[0] == "Tính đến ngày 16/11/2026"
    if extra:
        assert rest.pop(0)[0] == "Phạm vi: theo loại hình"
    labels, *rows = rest
    assert labels == [str(c.label) for c in REPORTS[name].columns]
    body, totals = rows[: len(csv_rows)], rows[len(csv_rows)]
    kinds = [c.kind for c in REPORTS[name].columns]

    def as_csv(value: object, kind: str) -> str:
        if value is None:
            return ""
        if kind == "percent":
            return f"{value * 100:.1f}"
        return str(value)

    assert [[as_csv(v, k) for v, k in zip(row, kinds, strict=True)] for row in body] == csv_rows
    # The totals row adds the money up (it is not in the CSV).
    for index, kind in enumerate(kinds):
        if kind == "money":
            assert totals[index] == sum(int(row[index]) for row in csv_rows)
    assert "Tổng cộng" in totals
    assert sheet.freeze_panes == f"A{len(lines) - len(rest) + 2}"


def test_recovery_xlsx_has_the_expected_figures(referred: SampleProvince, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(_export(tmp_path, "recovery_by_agency", "xlsx")).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    for code, want in referred.expected["by_agency"].items():
        assert rows[code][2:6] == (
            want["units"],
            want["workers"],
            want["arrears_at_referral"],
            want["recovered"],
        )
    assert sheet["E4"].number_format == "#,##0" and sheet["G4"].number_format == "0.0%"


def test_pdf_renders_vietnamese(referred: SampleProvince, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    text = _pdf_text(_export(tmp_path, "aging", "pdf"))
    assert "BẢO HIỂM XÃ HỘI TỈNH HÒA BÌNH" in text  # the letterhead, upper-cased by CSS
    assert "TUỔI NỢ CHẬM ĐÓNG BHXH, BHYT, BHTN" in text
    assert "Tính đến ngày 16/11/2026" in text
    assert "Lương Sơn" in text and "Đà Bắc" in text
    assert "8.548.089.600" in text  # the total, written as documents write money
    for signer in ("NGƯỜI LẬP BIỂU", "KẾ TOÁN TRƯỞNG", "GIÁM ĐỐC"):
        assert signer in text
    assert "Trang 1/1" in text
    page = PdfReader(tmp_path / "aging.pdf").pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape

    text = _pdf_text(_export(tmp_path, "recovery_by_agency", "pdf"))
    assert "Liên đoàn Lao động tỉnh" in text and "TRƯỞNG PHÒNG" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["recovery_by_agency", "--by", "status"],
            "Báo cáo “recovery_by_agency” không nhóm theo --by.",
        ),
        (
            ["aging", "--by", "tax_code"],
            "--by chỉ nhận: district, ownership, industrial_zone, status.",
        ),
    ],
)
def test_command_refuses_a_grouping_it_does_not_know(
    db, tmp_path: Path, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("export_report", *args, "--output", str(tmp_path / "x"))
