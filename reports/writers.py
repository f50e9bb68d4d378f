"""CSV, XLSX and PDF writers over plain rows.

A report is a query (``reports.queries``) and the columns to show of its rows; the writers
know nothing of any one report, so a new report is one ``Report`` entry in
``reports.registry.REPORTS``. Values that a spreadsheet would read as a formula are defused
(``defuse``).

- CSV: for machines. UTF-8 with a BOM, the column keys as header, plain integers, no totals
  row; produced as chunks (``csv_chunks``) so a page streams it: the header goes out before
  the query has run.
- XLSX: for people. Title and as-of date in Vietnamese, labels frozen, đồng formatted, a
  totals row, column widths; written row by row in constant memory.
- PDF: for signing. A4 landscape with the office's letterhead, page numbers, the totals, the
  report's definitions and the signature block.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, Literal

import xlsxwriter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from desk.pdf import render_pdf
from desk.text import grouped
from participants.letterhead import letterhead

# text: as is (defused); count and money: whole numbers (money with thousands separators in
# XLSX); month: a period written YYYY-MM; percent: a fraction (0.5582), written 55.82 in CSV
# and as a number formatted 55.82% in XLSX; date: a day, written YYYY-MM-DD (dd/mm/yyyy in PDF).
Kind = Literal["text", "count", "money", "month", "percent", "date"]

# A cell starting with one of these is a formula to Excel and LibreOffice (OWASP "CSV
# injection"); a leading apostrophe makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # the row's attribute (or key) and the CSV header
    label: str | Promise  # the XLSX header
    kind: Kind = "text"
    width: int = 14  # XLSX column width, in characters
    # For a code: its label on screen and in the PDF (files for machines keep the code).
    labels: Mapping[str, str | Promise] | None = None

    def shown(self, value: Any) -> Any:
        """The value as people read it: a code's label."""
        return self.labels.get(value, value) if self.labels and value is not None else value


HEAD_OF_DEPARTMENT = gettext_lazy("TRƯỞNG PHÒNG")


@dataclass(frozen=True)
class Report:
    title: str | Promise
    columns: tuple[Column, ...]
    rows: Callable[..., Sequence[Any]]  # rows(on=date, user=User | None, **filters)
    # The totals row of the page, the XLSX and the PDF (never the CSV), from the rows.
    totals: Callable[[Sequence[Any]], Any] | None = None
    # How many rows it will have (same arguments as ``rows``, no date needed): pages export
    # larger ones in the background. None: always small.
    size: Callable[..., int] | None = None
    slug: str = ""  # its page: /bao-cao/<slug>/ ("" when it has a page of its own)
    note: str | Promise = ""  # what its figures mean, under the table and in the PDF
    # The values of its ``by`` option (how its rows are grouped) and their names; None: it
    # has no such option.
    groupings: Mapping[str, str | Promise] | None = None
    liaisons: bool = False  # a liaison may read it (scoped to their agency)
    countersign: str | Promise = HEAD_OF_DEPARTMENT  # the PDF's middle signature
    # It counts events, so it also runs for a period: its rows take ``start`` (the period's
    # first day; ``on`` its last).
    period: bool = False
    # Its CSV ends with the totals row too (recovery_by_agency's contract with the province).
    csv_totals: bool = False

    @property
    def options(self) -> tuple[str, ...]:
        """The parameters its rows take beyond the date and filters ("by")."""
        return ("by",) if self.groupings else ()

    def heading(
        self, on: date, details: Sequence[str] = (), start: date | None = None
    ) -> tuple[str, ...]:
        """The title, the as-of date (or the period from ``start`` to ``on``) and any
        ``details`` (the filters chosen)."""
        return (str(self.title), when(on, start), *details)


def when(on: date, start: date | None = None) -> str:
    """ "Tính đến ngày 16/11/2026", or "Từ ngày 01/01/2026 đến ngày 30/06/2026"."""
    if start is None:
        return _("Tính đến ngày %(on)s") % {"on": on.strftime("%d/%m/%Y")}
    return _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": on.strftime("%d/%m/%Y"),
    }


def defuse(text: str) -> str:
    """Text that no spreadsheet will evaluate: ``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def cell_value(row: Any, key: str) -> Any:
    """A row's value in a column: rows are dataclasses, or mappings (totals rows, where a
    missing key is an empty cell)."""
    return row.get(key) if isinstance(row, Mapping) else getattr(row, key)


def _text(value: Any, kind: Kind) -> str:
    """A cell as text: empty for None, whole numbers plain, months YYYY-MM, days ISO."""
    if value is None:
        return ""
    if kind in ("count", "money"):
        return str(int(value))
    if kind == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if kind == "percent":
        return f"{value * 100:.2f}"
    if kind == "date":
        return value.isoformat()
    return defuse(str(value))


def csv_chunks(
    columns: Sequence[Column], rows: Iterable[Any], *, lines: int = 500, totals: Any = None
) -> Iterator[bytes]:
    """The CSV as chunks of bytes: the BOM and header first (before ``rows`` is consumed, so
    a lazy iterable's query runs after the first byte has gone), then ``lines`` rows at a
    time, then ``totals`` if given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.writerow(column.key for column in columns)
    yield b"\xef\xbb\xbf" + flush()
    for count, row in enumerate(rows, start=1):
        writer.writerow(_text(cell_value(row, column.key), column.kind) for column in columns)
        if count % lines == 0:
            yield flush()
    if totals is not None:
        writer.writerow(_text(cell_value(totals, column.key), column.kind) for column in columns)
    rest = flush()
    if rest:
        yield rest


def write_csv(
    out: BinaryIO,
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    heading: Sequence[str] = (),
    totals: Any = None,
    note: str = "",
    countersign: str = "",
) -> None:
    """UTF-8 with a BOM (so Excel reads the diacritics), the column keys as header, then one
    line per row, and the ``totals`` row when given (only for a report with ``csv_totals``).
    ``heading`` and ``note`` are not written: a CSV is for machines, its first line the
    header."""
    for chunk in csv_chunks(columns, rows, totals=totals):
        out.write(chunk)


def write_xlsx(
    out: BinaryIO,
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    heading: Sequence[str] = (),
    totals: Any = None,
    note: str = "",
    countersign: str = "",
) -> None:
    """One sheet: the heading lines (title, as-of date), the column labels (frozen), the
    rows, then the totals row in bold and the note (what the figures mean).

    Streams rows to disk as it goes (``constant_memory``), so a province fits in little
    memory. Every value is written with its type, never parsed: text stays text.
    """
    workbook = xlsxwriter.Workbook(
        out,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = workbook.add_worksheet(_("Báo cáo"))
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True})
    numbers = {"count": "0", "money": "#,##0", "percent": "0.00%"}
    plain = {kind: workbook.add_format({"num_format": shown}) for kind, shown in numbers.items()}
    # The totals row: bold, a rule above.
    bold = {
        kind: workbook.add_format({"num_format": shown, "bold": True, "top": 1})
        for kind, shown in {**numbers, "text": "General"}.items()
    }
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    for line, text in enumerate(heading):
        sheet.write_string(line, 0, text, title if line == 0 else None)
    header_row = len(heading)
    for index, column in enumerate(columns):
        sheet.write_string(header_row, index, str(column.label), header)
    sheet.freeze_panes(header_row + 1, 0)
    number = header_row
    for number, row in enumerate(rows, start=header_row + 1):
        _xlsx_row(sheet, number, columns, row, plain)
    if totals is not None:
        number += 1
        _xlsx_row(sheet, number, columns, totals, bold, blank=bold["text"])
    if note:
        sheet.write_string(number + 2, 0, str(note))
    workbook.close()


def _xlsx_row(
    sheet: Any,
    number: int,
    columns: Sequence[Column],
    row: Any,
    formats: Mapping[str, Any],
    blank: Any = None,
) -> None:
    for index, column in enumerate(columns):
        value = cell_value(row, column.key)
        if value is None:
            if blank is not None:
                sheet.write_blank(number, index, None, blank)
            continue
        if column.kind in ("count", "money"):
            sheet.write_number(number, index, int(value), formats[column.kind])
        elif column.kind == "percent":
            sheet.write_number(number, index, float(value), formats["percent"])
        else:
            sheet.write_string(number, index, _text(value, column.kind), formats.get("text"))


def _pdf_cell(value: Any, kind: Kind) -> str:
    """A cell as Vietnamese documents write it: 1.234.567, 55,82 %, 07/2026."""
    if value is None:
        return ""
    if kind in ("count", "money"):
        return grouped(int(value))
    if kind == "percent":
        return f"{value * 100:.2f}".replace(".", ",") + "\u00a0%"
    if kind == "month":
        return f"{value.month:02d}/{value.year}"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_pdf(
    out: BinaryIO,
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    heading: Sequence[str] = (),
    totals: Any = None,
    note: str = "",
    countersign: str = "",
) -> None:
    """A4 landscape: the provincial office's letterhead, the heading, the table (its
    header repeated on every page) with the totals, the note, the place and date, and the
    signatures of the preparer, the head of department (or chief accountant) and the
    director; "Trang x/y" at the foot of each page."""

    def cells(row: Any) -> list[tuple[str, bool]]:
        return [
            (
                _pdf_cell(c.shown(cell_value(row, c.key)), c.kind),
                c.kind in ("count", "money", "percent"),
            )
            for c in columns
        ]

    html = render_to_string(
        "reports/pdf.html",
        {
            "letterhead": letterhead(),
            "province": settings.PROVINCE_NAME,
            "title": heading[0] if heading else "",
            "subtitles": heading[1:],
            # Each column's share of the width after the row number's, from its XLSX width.
            "columns": [
                (str(c.label), f"{94 * c.width / sum(c.width for c in columns):.1f}%")
                for c in columns
            ],
            "rows": [cells(row) for row in rows],
            "totals": cells(totals) if totals is not None else None,
            "note": str(note),
            "countersign": str(countersign or HEAD_OF_DEPARTMENT),
            "today": timezone.localdate(),
        },
    )
    out.write(render_pdf(html))


WRITERS: dict[str, Callable[..., None]] = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export(
    report: Report,
    fmt: str,
    out: BinaryIO,
    rows: Iterable[Any],
    on: date,
    details: Sequence[str] = (),
    start: date | None = None,
) -> None:
    """Write ``rows`` of ``report`` as of ``on`` (or for the period from ``start`` to ``on``)
    in format ``fmt`` (a key of WRITERS), with the report's heading (and ``details``), totals
    (computed for XLSX and PDF, and for the CSV of a report with ``csv_totals``) and note."""
    if report.totals is not None and (fmt != "csv" or report.csv_totals):
        rows = list(rows)
        totals = report.totals(rows)
    else:
        totals = None
    WRITERS[fmt](
        out,
        report.columns,
        rows,
        heading=report.heading(on, details, start),
        totals=totals,
        note=report.note,
        countersign=report.countersign,
    )
