"""The employer_balances report: its query, scoping, and `export_report` to CSV and XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from participants.models import Employer
from reports import queries
from reports.exports import REPORTS, defuse, write_csv, write_xlsx
from tests.factories import EmployerFactory
from tests.samples import SAMPLE_DAY, SampleProvince

HEADER = [
    "unit_code",
    "name",
    "district",
    "status",
    "employees",
    "arrears",
    "months_in_arrears",
    "oldest_unpaid_period",
    "interest",
    "bucket",
]


def _export(tmp_path: Path, fmt: str) -> Path:
    path = tmp_path / f"balances.{fmt}"
    out = io.StringIO()
    call_command(
        "export_report",
        "employer_balances",
        "--as-of",
        "2026-11-16",
        "--format",
        fmt,
        "--output",
        str(path),
        stdout=out,
    )
    assert out.getvalue().strip() == f"Đã ghi 40 dòng vào {path}."
    return path


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _xlsx_rows(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_matches_expected(sample_province: SampleProvince, tmp_path: Path) -> None:
    header, *rows = _csv_rows(_export(tmp_path, "csv"))
    assert header == HEADER
    expected = sample_province.expected["employers"]
    assert len(rows) == len(expected) == 40
    for row in rows:
        record = dict(zip(HEADER, row, strict=True))
        want = expected[record["unit_code"]]
        assert record["name"] == sample_province.employers[record["unit_code"]].name
        assert (
            record["status"],
            record["employees"],
            record["arrears"],
            record["months_in_arrears"],
            record["oldest_unpaid_period"],
            record["interest"],
        ) == (
            want["status"],
            str(want["employees"]),
            str(want["arrears"]),
            str(want["months_in_arrears"]),
            want["oldest_unpaid_period"] or "",
            str(want["interest"]),
        )
    totals = sample_province.expected["totals"]
    assert sum(int(r[5]) for r in rows) == totals["arrears"]
    assert sum(int(r[8]) for r in rows) == totals["interest"]
    # Largest arrears first; plain integers, no separators.
    assert rows[0][:1] + rows[0][5:] == [
        "HB00018D",
        "2914560000",
        "3",
        "2026-07",
        "834243840",
        "3_to_6",
    ]


def test_xlsx_reads_back_as_the_csv(sample_province: SampleProvince, tmp_path: Path) -> None:
    csv_rows = _csv_rows(_export(tmp_path, "csv"))
    path = _export(tmp_path, "xlsx")
    title, as_of, labels, *rows, totals, _gap, note = _xlsx_rows(path)
    assert title[0] == "Số tiền chậm đóng BHXH, BHYT, BHTN theo đơn vị"
    assert as_of[0] == "Tính đến ngày 16/11/2026"
    assert labels == [str(column.label) for column in REPORTS["employer_balances"].columns]
    assert labels[0] == "Mã đơn vị"
    as_text = [["" if cell is None else str(cell) for cell in row] for row in rows]
    assert as_text == csv_rows[1:]
    # Then the totals (not in the CSV) and what the figures mean.
    employees = sum(int(row[4]) for row in csv_rows[1:])
    assert totals[:6] == [None, "Tổng cộng", None, None, employees, 8_548_089_600]
    assert totals[6:] == [None, None, 1_277_264_801, None]
    assert note[0].startswith("Số tiền chậm đóng: phần chưa nộp")

    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A4"
    assert sheet["F4"].value == 2_914_560_000  # a number, shown in đồng
    assert sheet["F4"].number_format == "#,##0"
    assert sheet["H4"].data_type == "s"  # the period stays text: 2026-07


def test_formula_injection_is_defused(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    payload = '=HYPERLINK("http://evil.example","Bấm vào đây")'
    EmployerFactory(unit_code="HB0000X1", name=payload)
    EmployerFactory(unit_code="HB0000X2", name="+84 Công ty", address="-")

    path = tmp_path / "balances.csv"
    call_command("export_report", "employer_balances", "--output", str(path), stdout=io.StringIO())
    names = {row[0]: row[1] for row in _csv_rows(path)[1:]}
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
    cells = {sheet.cell(row, 1).value: sheet.cell(row, 2) for row in (4, 5)}
    assert cells["HB0000X1"].value == "'" + payload
    assert cells["HB0000X1"].data_type == "s"  # text, never a formula


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Công ty = 1", "Công ty = 1"),
        ("", ""),
    ],
)
def test_defuse(text: str, safe: str) -> None:
    assert defuse(text) == safe


def test_writers_are_generic() -> None:
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
        ["Tiêu đề", None],
        ["Mã đơn vị", "Tên đơn vị"],
        ["A1", None],
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], f"Không có báo cáo “nope”. Các báo cáo: {', '.join(REPORTS)}."),
        (["employer_balances", "--format", "ods"], "Các định dạng: csv, xlsx, pdf."),
        (["employer_balances", "--as-of", "16/11/2026"], "Ngày phải có dạng YYYY-MM-DD."),
    ],
)
def test_command_refuses_what_it_does_not_know(
    db, tmp_path: Path, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("export_report", *args, "--output", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_query_is_scoped_and_filtered(
    sample_province: SampleProvince, officer_a, officer_b, manager, police
) -> None:  # type: ignore[no-untyped-def]
    def units(**kwargs: object) -> set[str]:
        return {r.unit_code for r in queries.employer_balances(on=SAMPLE_DAY, **kwargs)}

    everyone = set(sample_province.employers)
    assert units(user=None) == units(user=manager) == everyone
    luong_son = set(
        Employer.objects.filter(district__name="Lương Sơn").values_list("unit_code", flat=True)
    )
    assert units(user=officer_a) == luong_son == {"HB00000A", "HB00012C", "HB00037C"}
    assert units(user=police) == set()
    assert units(user=officer_b, district=sample_province.employers["HB00000A"].district) == set()
    suspended = units(user=None, status="suspended")
    assert suspended == {
        unit
        for unit, want in sample_province.expected["employers"].items()
        if want["status"] == "suspended"
    }
    assert units(user=officer_a, status="", ownership=None) == luong_son
