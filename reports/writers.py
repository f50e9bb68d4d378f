"""CSV, XLSX and PDF writers over plain rows.

A report is a query (``reports.queries``) and the columns to show of its rows; the writers
know nothing of any one report, so a new report is one ``Report`` entry in
``reports.registry.REPORTS``. Every spreadsheet cell goes through ``desk.spreadsheets``, so
no text is ever a formula.

- CSV: for machines. UTF-8 with a BOM, the column keys as header, codes as codes, plain
  integers, rates as percentages with two decimals (55.82), no totals row (an empty report:
  the header alone); produced as chunks (``csv_chunks``) so a page streams it: the header goes
  out before the query has run. Text starting with ``=``, ``+``, ``-``, ``@`` gets a leading
  apostrophe (numbers and codes never start so, so the machine-readable values are exact).
- XLSX: for people. The office, title, as-of date or period and scope at the top; codes as
  their Vietnamese labels; labels frozen with filters; đồng and counts with thousands
  separators, rates as percentages with two decimals; a totals row; column widths; written
  row by row in constant memory.
- PDF: for signing. A4 (landscape when wide) with the office's letterhead, page numbers, the
  totals, the report's definitions and the signature block.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, Literal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from desk.pdf import render_pdf
from desk.spreadsheets import Book, CsvWriter
from desk.templatetags.desk import percent
from desk.text import grouped
from participants.letterhead import letterhead

# text: as is (defused); count and money: whole numbers (with thousands separators in XLSX
# and PDF); month: a period written YYYY-MM (mm/yyyy in XLSX and PDF); percent: a fraction
# (0.2675), written 26.75 in CSV and as a number formatted 26.75% in XLSX; date: a day,
# written YYYY-MM-DD (dd/mm/yyyy in XLSX and PDF).
Kind = Literal["text", "count", "money", "month", "percent", "date"]


@dataclass(frozen=True)
class Column:
    key: str  # the row's attribute (or key) and the CSV header
    label: str | Promise  # the XLSX header
    kind: Kind = "text"
    width: int = 14  # XLSX column width, in characters
    # For a code: its label on screen, in the XLSX and the PDF (the CSV keeps the code).
    labels: Mapping[str, str | Promise] | None = None
    # A code whose label is another column: in the CSV only.
    for_machines: bool = False

    def shown(self, value: Any) -> Any:
        """The value as people read it: a code's label."""
        return self.labels.get(value, value) if self.labels and value is not None else value


HEAD_OF_DEPARTMENT = gettext_lazy("TRƯỞNG PHÒNG")
# What the page, the XLSX and the PDF of a report with no rows say.
EMPTY = gettext_lazy("Không có số liệu nào khớp điều kiện đã chọn.")


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
    # A report of every employer: its rows one at a time (same arguments as ``rows``), and
    # the columns its totals row adds up (``totals`` is their sums, under "name"), so that its
    # CSV and XLSX are written as the rows stream past, in constant memory.
    stream: Callable[..., Iterable[Any]] | None = None
    sums: tuple[str, ...] = ()

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


def summed(rows: Iterable[Any], keys: Sequence[str]) -> dict[str, Any]:
    """A totals row of the sums of ``keys`` over ``rows``, named "Tổng cộng"."""
    sums = dict.fromkeys(keys, 0)
    for row in rows:
        for key in keys:
            sums[key] += getattr(row, key)
    return {"name": _("Tổng cộng"), **sums}


class Summing:
    """``rows`` passed through once, their ``keys`` added up on the way: after the last,
    ``totals()`` is ``summed(rows, keys)`` (None when there were none), without holding
    them."""

    def __init__(self, rows: Iterable[Any], keys: Sequence[str]) -> None:
        self.rows, self.keys = rows, keys
        self.sums = dict.fromkeys(keys, 0)
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        sums, keys = self.sums, self.keys
        for row in self.rows:
            self.count += 1
            for key in keys:
                sums[key] += getattr(row, key)
            yield row

    def totals(self) -> dict[str, Any] | None:
        return {"name": _("Tổng cộng"), **self.sums} if self.count else None


def cell_value(row: Any, key: str) -> Any:
    """A row's value in a column: rows are dataclasses, or mappings (totals rows, where a
    missing key is an empty cell)."""
    return row.get(key) if isinstance(row, Mapping) else getattr(row, key)


def _text(value: Any, kind: Kind) -> str | int:
    """A CSV cell: empty for None, whole numbers plain, months YYYY-MM, days ISO, text as is
    (``CsvWriter`` defuses it)."""
    if value is None:
        return ""
    if kind in ("count", "money"):
        return int(value)
    if kind == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if kind == "percent":
        return f"{value * 100:.2f}"
    if kind == "date":
        return value.isoformat()
    return str(value)


def csv_chunks(
    columns: Sequence[Column], rows: Iterable[Any], *, lines: int = 500, totals: Any = None
) -> Iterator[bytes]:
    """The CSV as chunks of bytes: the BOM and header first (before ``rows`` is consumed, so
    a lazy iterable's query runs after the first byte has gone), then ``lines`` rows at a
    time, then ``totals`` if given."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)

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


def people_columns(columns: Sequence[Column]) -> list[Column]:
    """The columns of the files for people (XLSX, PDF): a code shown by its label elsewhere
    (``for_machines``) is left out."""
    return [column for column in columns if not column.for_machines]


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
    """One sheet: the office, the heading lines (title, as-of date or period, scope), the
    column labels (frozen, with filters), the rows with codes as their Vietnamese labels
    (or a line saying there are none), the totals row in bold and the note.

    Streams rows to disk as it goes (``constant_memory``), so a province fits in little
    memory. Every value is written through ``desk.spreadsheets.Book``: text stays text.
    """
    columns = people_columns(columns)
    book = Book(out, constant_memory=True)
    sheet = book.sheet(_("Báo cáo"))
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    lines = [letterhead().issuer_line, *heading]
    for line, text in enumerate(lines):
        book.write(sheet, line, 0, text, _TITLE if line == 1 else {"bold": True})
    header_row = len(lines)
    for index, column in enumerate(columns):
        book.write(sheet, header_row, index, str(column.label), _HEADER)
    sheet.freeze_panes(header_row + 1, 0)
    # Each column's key, labels (as text, once) and cell writer, looked up once for all rows.
    cells = [
        (
            index,
            column.key,
            {code: str(label) for code, label in column.labels.items()} if column.labels else None,
            column.kind,
            book.writer(_FORMATS[column.kind]),
        )
        for index, column in enumerate(columns)
    ]
    number = header_row
    for number, row in enumerate(rows, start=header_row + 1):
        mapping = isinstance(row, Mapping)
        for index, key, labels, kind, write in cells:
            value = row.get(key) if mapping else getattr(row, key)
            if labels and value is not None:
                value = labels.get(value, value)
            write(sheet, number, index, _xlsx_value(value, kind))
    if callable(totals):  # totalled while the rows were written (``Summing``)
        totals = totals()
    if number == header_row:
        number += 1
        book.write(sheet, number, 0, str(EMPTY))
    else:
        sheet.autofilter(header_row, 0, number, len(columns) - 1)
    if totals is not None:
        number += 1
        for index, column in enumerate(columns):
            value = column.shown(cell_value(totals, column.key))
            bold = {**_FORMATS[column.kind], "bold": True, "top": 1}
            book.write(sheet, number, index, _xlsx_value(value, column.kind), bold)
    if note:
        book.write(sheet, number + 2, 0, str(note))
    book.close()


# A report's lines as they are shown in XLSX, by kind: đồng and counts grouped by thousands,
# rates as percentages with two decimals, months mm/yyyy and days dd/mm/yyyy as dates.
_FORMATS: dict[str, dict[str, Any]] = {
    "text": {},
    "count": {"num_format": "#,##0"},
    "money": {"num_format": "#,##0"},
    "percent": {"num_format": "0.00%"},
    "month": {"num_format": "mm/yyyy"},
    "date": {"num_format": "dd/mm/yyyy"},
}
_TITLE = {"bold": True, "font_size": 14}
_HEADER = {"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "valign": "top", "border": 1}


def _xlsx_value(value: Any, kind: Kind) -> Any:
    """A cell's value for ``Book.write``: numbers as numbers, text as text."""
    if value is None:
        return None
    if kind in ("count", "money"):
        return int(value)
    if kind == "percent":
        return float(value)
    if kind in ("month", "date"):
        return value
    return str(value)


def _pdf_cell(value: Any, kind: Kind) -> str:
    """A cell as Vietnamese documents write it: 1.234.567, 26,70 %, 07/2026."""
    if value is None:
        return ""
    if kind in ("count", "money"):
        return grouped(int(value))
    if kind == "percent":
        return percent(value, 2)
    if kind == "month":
        return f"{value.month:02d}/{value.year}"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# Tables wider than this (in XLSX characters) are printed landscape, wider than the second
# in a smaller type.
_LANDSCAPE_WIDTH = 110
_SMALL_TYPE_WIDTH = 200
_NUMBER_WIDTH = 5  # the PDF's row number column: up to 99999, written plain


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
    """A4, landscape when the table is wide: the provincial office's letterhead, the
    heading, the table (its header repeated on every page; rows of one or two lines, about
    25 to a page for the balances) with the totals on one line per cell, or a line saying
    there are no rows, the note, the place and date, and the signatures of the preparer, the
    head of department (or chief accountant) and the director; "Trang x/y" at the foot."""
    columns = people_columns(columns)

    def cells(row: Any) -> list[tuple[str, bool]]:
        return [
            (
                _pdf_cell(c.shown(cell_value(row, c.key)), c.kind),
                c.kind not in ("text",),
            )
            for c in columns
        ]

    width = _NUMBER_WIDTH + sum(c.width for c in columns)
    html = render_to_string(
        "reports/pdf.html",
        {
            "letterhead": letterhead(),
            "province": settings.PROVINCE_NAME,
            "title": heading[0] if heading else "",
            "subtitles": heading[1:],
            "landscape": width > _LANDSCAPE_WIDTH,
            "small": width > _SMALL_TYPE_WIDTH,
            # Each column's share of the width, from its XLSX width.
            "number_width": f"{100 * _NUMBER_WIDTH / width:.1f}%",
            "columns": [(str(c.label), f"{100 * c.width / width:.1f}%") for c in columns],
            "rows": [cells(row) for row in rows],
            "totals": cells(totals) if totals is not None else None,
            "empty": EMPTY,
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
    totals: Any
    if report.sums and fmt == "xlsx":
        # Added up as the rows are written: write_xlsx asks for them after the last row.
        rows = summing = Summing(rows, report.sums)
        totals = summing.totals
    elif report.totals is not None and (fmt != "csv" or report.csv_totals):
        rows = list(rows)
        totals = report.totals(rows) if rows else None
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
