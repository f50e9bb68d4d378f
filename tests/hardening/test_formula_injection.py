"""No export of any report in the registry (reports.registry.REPORTS) carries a cell that a
spreadsheet would run as a formula, whatever the names it holds: employers, offices,
industrial zones and officers named like formulas come out as text (CSV: with a leading
apostrophe; XLSX: as written, a string cell with the quote prefix). The quarterly list has
its own test in tests/desk/test_spreadsheets.py."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import openpyxl
import pytest

from arrears.cases import services as cases
from arrears.jobs.cycles import week_cycle
from arrears.models import ReferralPurpose, Reminder
from participants.models import CoverageFigure
from reports.exports import Request
from reports.exports import write as write_report
from reports.registry import REPORTS
from tests.factories import (
    ContributionFactory,
    EmployerFactory,
    OfficeFactory,
    UserFactory,
    agency,
)

pytestmark = pytest.mark.django_db

HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
ON = date(2026, 1, 19)  # a Monday


@pytest.fixture
def hostile_province(db):  # type: ignore[no-untyped-def]
    officer = UserFactory(username="officer_f", first_name='=HYPERLINK("x")', last_name="+1")
    for n, text in enumerate(HOSTILE):
        office = OfficeFactory(name=text)
        officer.offices.add(office)
        employer = EmployerFactory(
            name=text,
            office=office,
            industrial_zone=text,
            legal_representative=text,
            status="suspended" if n == 0 else "active",  # a line of the hard-to-collect
        )
        for month in (6, 7, 8, 9, 10):
            ContributionFactory(employer=employer, period=date(2025, month, 1))
        cases.open_case(employer=employer, by=officer, on=date(2025, 12, 1))
        cases.record_imported_referral(
            employer=employer,
            agency=agency("police" if n % 2 else "labour_federation"),
            purpose=ReferralPurpose.INVESTIGATE,
            reference=f"{text}/{n}",
            sent_on=date(2025, 12, 15),
        )
        Reminder.objects.create(
            employer=employer,
            cycle=week_cycle(ON),
            kind=Reminder.Kind.NOTICE,
            channel=Reminder.Channel.LETTER,
            as_of=ON,
            arrears=5_000_000,
            interest=0,
            months_in_arrears=5,
        )
        CoverageFigure.objects.create(
            office=office,
            year=2025,
            compulsory_si=10,
            voluntary_si=5,
            ui=8,
            hi=90,
            labour_force=40,
            population=100,
        )


def _requests() -> list[tuple[str, dict[str, str]]]:
    return [
        (name, {"by": by} if by else {})
        for name, report in REPORTS.items()
        for by in (report.groupings or [None])
    ]


def _unsafe(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text)


def _csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def _xlsx_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_every_export_defuses_formulas(hostile_province) -> None:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    for name, options in _requests():
        request = Request(name, ON, {}, options)
        for fmt in ("csv", "xlsx"):
            out = io.BytesIO()
            rows = write_report(request, fmt, out, user=None)
            assert rows, f"{name} {options}: no rows, so nothing was tested"
            data = out.getvalue()
            if fmt == "csv":
                texts = _csv_cells(data)
                unsafe = [text for text in texts if _unsafe(text)]
                seen.update((fmt, t) for t in texts if t.lstrip("'") in HOSTILE)
            else:
                # XLSX: the text as written, a string cell with its quote prefix.
                cells = _xlsx_cells(data)
                formulas = [c.coordinate for c in cells if c.data_type == "f"]
                assert not formulas, f"{name}.xlsx {options}: formulas in {formulas}"
                texts = [c for c in cells if isinstance(c.value, str)]
                unsafe = [c.value for c in texts if _unsafe(c.value) and not c.quotePrefix]
                seen.update((fmt, c.value) for c in texts if c.value in HOSTILE)
            assert not unsafe, f"{name}.{fmt} {options}: {unsafe}"
    # Each hostile text went out somewhere, and only as text.
    assert seen == {("csv", f"'{text}") for text in HOSTILE} | {("xlsx", t) for t in HOSTILE}
