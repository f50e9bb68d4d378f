"""Reading a statement: the header (any case, order, spacing, BOM; wrong ones named), CSV with
commas or semicolons, and every kind of file that cannot be read, refused with its reason. Read
through the employer import, whose layout has the most columns."""

import csv
import io
from datetime import date, datetime

import pytest

from desk.statements.reading import _cell_text, check_header
from desk.statements.results import Layout, StatementRefused
from participants.imports.employers import import_employers
from participants.models import Employer
from tests.participants.imports.test_employers import (
    COLUMNS,
    HEADER,
    employer_line,
    reasons,
    refused,
)
from tests.statements import statement, xlsx

pytestmark = pytest.mark.django_db


def test_header_ignores_case_spaces_and_order_and_bom(office_a):  # type: ignore[no-untyped-def]
    columns = list(reversed(COLUMNS))
    header = ",".join(f" {c.replace('_', ' ').upper()} " for c in columns)
    values = next(csv.reader([employer_line("HB00001")]))
    row = dict(zip(COLUMNS, values, strict=True))
    line = ",".join(f'"{row[c]}"' for c in columns)
    result = import_employers(statement(header, line, "", ",,,,,,,,,,,,", bom=True))
    assert result.created == 1
    assert Employer.objects.get().address == "Số 1, Cù Chính Lan"


def test_semicolon_separated_csv(office_a):  # type: ignore[no-untyped-def]
    line = employer_line("HB00001", address="Số 1 Cù Chính Lan").replace(",", ";")
    assert import_employers(statement(HEADER.replace(",", ";"), line)).created == 1


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (HEADER.replace(",email", ""), "Thiếu cột: email."),
        (HEADER + ",ghi_chu", "Cột không xác định: ghi_chu."),
        (HEADER + ",Email", "Cột lặp lại: email."),
        (HEADER.replace("phone", ""), "Tiêu đề trống ở cột thứ 11."),
    ],
)
def test_wrong_header_is_refused_naming_the_columns(header, reason, office_a):  # type: ignore[no-untyped-def]
    refusal = refused(statement(header, employer_line("HB00001")))
    assert any(line == 1 and message.startswith(reason) for line, _c, message in reasons(refusal))
    assert not Employer.objects.exists()


OPTIONAL = Layout(
    columns=("code", "name", "kind", "note", "old_code"),
    optional=frozenset({"note"}),
    older=(("old_code", "code"),),
)


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        (["code", "name", "kind", "note"], ["code", "name", "kind", "note"]),
        (["Kind", "name", "code"], ["kind", "name", "code"]),  # the optional one left out
        (["old_code", "name", "kind"], ["old_code", "name", "kind"]),  # the older format
    ],
)
def test_header_may_leave_out_optional_columns(header, columns) -> None:  # type: ignore[no-untyped-def]
    assert check_header(header, OPTIONAL) == columns
    assert OPTIONAL.required == ("code", "name", "kind")


@pytest.mark.parametrize(
    ("header", "reasons_"),
    [
        (["name", "note"], ["Thiếu cột: kind.", "Thiếu cột code (hoặc cột old_code của mẫu cũ)."]),
        (
            ["code", "old_code", "name", "kind"],
            ["Cột old_code (mẫu cũ) thay cho cột code: tệp chỉ được có một trong hai cột."],
        ),
    ],
)
def test_header_missing_a_required_column_or_with_both_formats_is_refused(header, reasons_) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatementRefused) as caught:
        check_header(header, OPTIONAL)
    assert [(e.line, e.message) for e in caught.value.errors] == [(1, r) for r in reasons_]


def test_data_without_header_is_refused(office_a):  # type: ignore[no-untyped-def]
    refusal = refused(statement(employer_line("HB00001"), employer_line("HB00002")))
    assert {e.line for e in refusal.errors} == {1}
    assert any(e.message.startswith("Cột không xác định: hb00001") for e in refusal.errors)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "Tệp rỗng."),
        (b"\xef\xbb\xbf\r\n", "Tệp rỗng."),
        (HEADER.encode() + b"\n", "Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề)."),
        (
            HEADER.encode() + b"\n" + employer_line("HB00001").encode("cp1258", "replace"),
            "Tệp không phải mã UTF-8 (lỗi ở dòng 2)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Tệp không phải CSV hay XLSX"),
        (b"PK\x03\x04 this is no workbook", "Tệp XLSX bị hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "Tệp Excel cũ (.xls)"),
        ("a,b\n".encode("utf-16"), "Tệp mã UTF-16"),
    ],
)
def test_unreadable_files_are_refused(content, reason, office_a):  # type: ignore[no-untyped-def]
    refusal = refused(io.BytesIO(content))
    assert refusal.errors[0].message.startswith(reason), refusal.errors[0].message
    assert not Employer.objects.exists()


def test_broken_xlsx_sheet_is_refused(office_a):  # type: ignore[no-untyped-def]
    good = xlsx([list(COLUMNS)]).getvalue()
    cut = io.BytesIO(good[: len(good) // 2])  # a truncated upload
    assert refused(cut).errors[0].message.startswith("Tệp XLSX bị hỏng")


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (date(2026, 12, 2), {}, "2026-12-02"),
        (datetime(2026, 12, 2), {}, "2026-12-02"),
        (date(2026, 12, 2), {"month": True}, "2026-12"),
        (1000000, {"number": True}, "1000000"),
        (1000000.0, {"number": True}, "1000000"),
        # A fraction keeps the decimal comma, which no thousands reading takes (1.234 would).
        (1.234, {"number": True}, "1,234"),
        (10000000.5, {"number": True}, "10000000,5"),
        (12.5, {}, "12.5"),
        (None, {"number": True}, ""),
    ],
)
def test_xlsx_cells_as_a_csv_would_hold_them(value, kind, text) -> None:  # type: ignore[no-untyped-def]
    assert _cell_text(value, **kind) == text
