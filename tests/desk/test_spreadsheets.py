"""desk/spreadsheets.py: the one writer of spreadsheets. Text that looks like a formula stays
text (XLSX: as written with the quote prefix; CSV: an apostrophe before it), numbers and days
keep their type, and no other module of the application writes a spreadsheet itself."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desk.spreadsheets import Book, CsvWriter, defuse

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "desk", "accounts", "audit", "participants", "arrears", "reports", "demo")


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("Công ty = 1", "Công ty = 1"),
        ("", ""),
    ],
)
def test_defuse(text: str, safe: str) -> None:
    assert defuse(text) == safe


def test_csv_defuses_text_and_keeps_numbers() -> None:
    out = io.StringIO()
    CsvWriter(out).writerow(['=HYPERLINK("http://x","y")', -5, "police", "26.70", ""])
    assert out.getvalue() == '"\'=HYPERLINK(""http://x"",""y"")",-5,police,26.70,\r\n'


def test_book_writes_by_type_and_never_a_formula() -> None:
    out = io.BytesIO()
    book = Book(out)
    sheet = book.sheet("x")
    values = [
        '=HYPERLINK("http://x","y")',
        "-1",
        "Công ty",
        12_374,
        Decimal("0.5582"),
        date(2026, 7, 1),
        None,
        "http://example.vn",
        "1.000.000",
    ]
    for col, value in enumerate(values):
        book.write(sheet, 0, col, value, {"num_format": "mm/yyyy"} if col == 5 else None)
    book.write(sheet, 1, 0, None, {"bold": True})
    book.close()
    cells = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active[1]
    formula, minus, name, count, rate, month, empty, link, grouped = cells
    assert (formula.value, formula.data_type, formula.quotePrefix) == (values[0], "s", True)
    assert (minus.value, minus.quotePrefix) == ("-1", True)
    assert (name.value, name.quotePrefix) == ("Công ty", False)
    assert (count.value, count.data_type) == (12_374, "n")
    assert rate.value == pytest.approx(0.5582)
    assert month.is_date and month.number_format == "mm/yyyy"
    assert empty.value is None
    assert (link.value, link.hyperlink) == ("http://example.vn", None)  # not made a link
    assert (grouped.value, grouped.data_type) == ("1.000.000", "s")  # not made a number


def test_every_spreadsheet_goes_through_the_one_writer() -> None:
    """XlsxWriter and csv.writer appear in desk/spreadsheets.py only: a new spreadsheet (the
    statement templates, another list for partners) uses Book or CsvWriter."""
    direct = re.compile(r"\bimport xlsxwriter\b|\bfrom xlsxwriter\b|\bcsv\.writer\(|DictWriter\(")
    found = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path != ROOT / "desk" / "spreadsheets.py" and direct.search(path.read_text())
    ]
    assert found == []
