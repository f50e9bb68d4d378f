"""CSV, XLSX and PDF writers over plain rows, and the registry of reports they export.

A report is a query (``reports.queries``) and the columns to show of its rows; the writers
know nothing of any one report, so a new report is one ``Report`` entry in ``REPORTS``.
Values that a spreadsheet would read as a formula are defused (``defuse``).

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
from participants.models import Employer
from reports import coverage, queries

# text: as is (defused); count and money: whole numbers (money with thousands separators in
# XLSX); month: a period written YYYY-MM; percent: a fraction (0.267), written 26.7 in CSV and
# as a number formatted 26.7% in XLSX; date: a day, written YYYY-MM-DD (dd/mm/yyyy in PDF).
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
CHIEF_ACCOUNTANT = gettext_lazy("KẾ TOÁN TRƯỞNG")


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
    options: tuple[str, ...] = ()  # further parameters its rows take ("by")
    liaisons: bool = False  # a liaison may read it (scoped to their agency)
    countersign: str | Promise = HEAD_OF_DEPARTMENT  # the PDF's middle signature

    def heading(self, on: date, details: Sequence[str] = ()) -> tuple[str, ...]:
        """The title, the as-of date and any ``details`` (the filters chosen)."""
        as_of = _("Tính đến ngày %(on)s") % {"on": on.strftime("%d/%m/%Y")}
        return (str(self.title), as_of, *details)


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
        return f"{value * 100:.1f}"
    if kind == "date":
        return value.isoformat()
    return defuse(str(value))


def csv_chunks(
    columns: Sequence[Column], rows: Iterable[Any], *, lines: int = 500
) -> Iterator[bytes]:
    """The CSV as chunks of bytes: the BOM and header first (before ``rows`` is consumed, so
    a lazy iterable's query runs after the first byte has gone), then ``lines`` rows at a
    time."""
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
    line per row. ``heading``, ``totals`` and ``note`` are not written: a CSV is for
    machines, its first line the header, every line a row of the same kind."""
    for chunk in csv_chunks(columns, rows):
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
    numbers = {"count": "0", "money": "#,##0", "percent": "0.0%"}
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
    """A cell as Vietnamese documents write it: 1.234.567, 26,7 %, 07/2026."""
    if value is None:
        return ""
    if kind in ("count", "money"):
        return grouped(int(value))
    if kind == "percent":
        return f"{value * 100:.1f}".replace(".", ",") + "\u00a0%"
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
    """A4 landscape: the letterhead (settings.OFFICE_NAME), the heading, the table (its
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
            "office": settings.OFFICE_NAME,
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
            "countersign": str(countersign or _("TRƯỞNG PHÒNG")),
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
) -> None:
    """Write ``rows`` of ``report`` as of ``on`` in format ``fmt`` (a key of WRITERS), with
    the report's heading (and ``details``), totals (computed only for XLSX and PDF) and
    note."""
    if fmt != "csv" and report.totals is not None:
        rows = list(rows)
        totals = report.totals(rows)
    else:
        totals = None
    WRITERS[fmt](
        out,
        report.columns,
        rows,
        heading=report.heading(on, details),
        totals=totals,
        note=report.note,
        countersign=report.countersign,
    )


STATUSES = dict(Employer.Status.choices)
BUCKETS = queries.BUCKET_LABELS


def _balance_totals(rows: Sequence[Any]) -> dict[str, Any]:
    return {
        "name": _("Tổng cộng"),
        "employees": sum(r.employees for r in rows),
        "arrears": sum(r.arrears for r in rows),
        "interest": sum(r.interest for r in rows),
    }


def _publication_totals(rows: Sequence[Any]) -> dict[str, Any]:
    return {"name": _("Tổng cộng"), "arrears": sum(r.arrears for r in rows)}


def _money(key: str, label: Promise, width: int = 18) -> Column:
    return Column(key, label, "money", width)


def _count(key: str, label: Promise, width: int = 10) -> Column:
    return Column(key, label, "count", width)


def _rate(key: str, label: Promise, width: int = 11) -> Column:
    return Column(key, label, "percent", width)


REPORTS: dict[str, Report] = {
    "employer_balances": Report(
        title=gettext_lazy("Số tiền chậm đóng BHXH, BHYT, BHTN theo đơn vị"),
        columns=(
            Column("unit_code", gettext_lazy("Mã đơn vị"), width=12),
            Column("name", gettext_lazy("Tên đơn vị"), width=40),
            Column("district", gettext_lazy("Quận/huyện"), width=20),
            Column("status", gettext_lazy("Trạng thái"), width=14, labels=STATUSES),
            Column("employees", gettext_lazy("Số lao động"), "count", width=10),
            Column("arrears", gettext_lazy("Số tiền chậm đóng (đồng)"), "money", width=18),
            Column("months_in_arrears", gettext_lazy("Số tháng chậm đóng"), "count", width=10),
            Column("oldest_unpaid_period", gettext_lazy("Kỳ nợ sớm nhất"), "month", width=12),
            Column("interest", gettext_lazy("Tiền lãi chậm đóng (đồng)"), "money", width=18),
            Column("bucket", gettext_lazy("Nhóm tuổi nợ"), width=10, labels=BUCKETS),
        ),
        rows=queries.employer_balances,
        totals=_balance_totals,
        size=queries.employer_count,
        slug="no-theo-don-vi",
        note=gettext_lazy(
            "Số tiền chậm đóng: phần chưa nộp của các khoản phải đóng đã quá hạn, tính các "
            "khoản nộp đến hết ngày báo cáo. Số lao động: theo kỳ phải đóng gần nhất. Nhóm tuổi "
            "nợ theo số tháng chậm đóng: under_3 dưới 3 tháng, 3_to_6, 6_to_12, 12_plus từ 12 "
            "tháng trở lên."
        ),
        countersign=CHIEF_ACCOUNTANT,
    ),
    "aging": Report(
        title=gettext_lazy("Tuổi nợ chậm đóng BHXH, BHYT, BHTN"),
        columns=(
            Column("group", gettext_lazy("Nhóm"), width=26),
            _count("employers_in_arrears", gettext_lazy("Số đơn vị nợ")),
            _count("workers", gettext_lazy("Số lao động bị ảnh hưởng"), 12),
            _money("under_3", gettext_lazy("Nợ dưới 3 tháng (đồng)")),
            _money("from_3_to_6", gettext_lazy("Nợ từ 3 đến dưới 6 tháng (đồng)")),
            _money("from_6_to_12", gettext_lazy("Nợ từ 6 đến dưới 12 tháng (đồng)")),
            _money("over_12", gettext_lazy("Nợ từ 12 tháng trở lên (đồng)")),
            _money("arrears", gettext_lazy("Tổng số nợ (đồng)")),
            _money("interest", gettext_lazy("Tiền lãi chậm đóng (đồng)")),
        ),
        rows=queries.aging,
        totals=queries.aging_totals,
        slug="tuoi-no",
        options=("by",),
        note=gettext_lazy(
            "Mỗi đơn vị nợ xếp vào một nhóm tuổi nợ theo số tháng chậm đóng. Số lao động bị ảnh "
            "hưởng: lao động của các đơn vị đang nợ, theo kỳ phải đóng gần nhất. Tiền lãi: của "
            "mọi đơn vị trong nhóm (cả đơn vị đã nộp đủ nhưng nộp chậm)."
        ),
        countersign=CHIEF_ACCOUNTANT,
    ),
    "recovery_by_agency": Report(
        title=gettext_lazy("Kết quả thu hồi nợ qua phối hợp với các cơ quan"),
        columns=(
            Column("agency", gettext_lazy("Mã cơ quan"), width=20),
            Column("agency_name", gettext_lazy("Cơ quan phối hợp"), width=36),
            _count("units", gettext_lazy("Số đơn vị")),
            _count("workers", gettext_lazy("Số lao động")),
            _money("arrears_at_referral", gettext_lazy("Số nợ khi chuyển (đồng)")),
            _money("recovered", gettext_lazy("Số đã thu hồi (đồng)")),
            _rate("recovery_rate", gettext_lazy("Tỷ lệ thu hồi")),
        ),
        rows=queries.recovery_by_agency,
        totals=queries.recovery_totals,
        slug="thu-hoi-theo-co-quan",
        liaisons=True,
        note=gettext_lazy(
            "Các hồ sơ đã chuyển đến ngày báo cáo. Số nợ khi chuyển: số tiền chậm đóng tại ngày "
            "chuyển. Số đã thu hồi: với mỗi lần chuyển, số nhỏ hơn giữa số nợ khi chuyển và số "
            "đơn vị đã nộp sau ngày chuyển đến ngày báo cáo. Số lao động: theo lần chuyển gần "
            "nhất của mỗi đơn vị."
        ),
    ),
    "case_pipeline": Report(
        title=gettext_lazy("Hồ sơ thu nợ theo bước xử lý và quận/huyện"),
        columns=(
            Column("district", gettext_lazy("Quận/huyện"), width=22),
            Column("stage", gettext_lazy("Mã bước"), width=16),
            Column("stage_name", gettext_lazy("Bước"), width=24),
            _count("cases", gettext_lazy("Số hồ sơ")),
            _money("arrears_at_opening", gettext_lazy("Số nợ khi mở hồ sơ (đồng)")),
            _money("recovered", gettext_lazy("Đã thu hồi từ khi mở (đồng)")),
            _rate("recovery_rate", gettext_lazy("Tỷ lệ thu hồi")),
        ),
        rows=queries.case_pipeline,
        totals=queries.pipeline_totals,
        slug="ho-so-theo-buoc",
        note=gettext_lazy(
            "Các hồ sơ mở đến ngày báo cáo, theo bước hiện tại. Đã thu hồi: với mỗi hồ sơ, số "
            "nhỏ hơn giữa số nợ khi mở và số đơn vị đã nộp sau ngày mở đến ngày báo cáo."
        ),
    ),
    "reminders": Report(
        title=gettext_lazy("Thông báo đôn đốc và giấy mời làm việc trong tuần"),
        columns=(
            Column("cycle", gettext_lazy("Tuần"), width=10),
            Column("unit_code", gettext_lazy("Mã đơn vị"), width=12),
            Column("name", gettext_lazy("Tên đơn vị"), width=36),
            Column("district", gettext_lazy("Quận/huyện"), width=18),
            Column("kind", gettext_lazy("Loại"), width=18),
            Column("channel", gettext_lazy("Hình thức"), width=12),
            Column("status", gettext_lazy("Tình trạng"), width=10),
            _money("arrears", gettext_lazy("Số nợ (đồng)")),
            _count("months_in_arrears", gettext_lazy("Số tháng nợ")),
            _money("interest", gettext_lazy("Tiền lãi (đồng)")),
            Column("sent_on", gettext_lazy("Ngày gửi"), "date", 12),
        ),
        rows=queries.reminders,
        size=queries.reminder_count,
        slug="thong-bao-tuan",
        note=gettext_lazy(
            "Các thông báo đôn đốc và giấy mời làm việc của tuần (theo ISO) chứa ngày báo cáo, "
            "với số liệu nêu trong văn bản."
        ),
    ),
    "publication": Report(
        title=gettext_lazy("Danh sách đơn vị chậm đóng, trốn đóng BHXH, BHYT, BHTN"),
        columns=(
            Column("unit_code", gettext_lazy("Mã đơn vị"), width=12),
            Column("name", gettext_lazy("Tên đơn vị"), width=40),
            Column("tax_code", gettext_lazy("Mã số thuế"), width=14),
            Column("address", gettext_lazy("Địa chỉ"), width=32),
            Column("district", gettext_lazy("Quận/huyện"), width=18),
            _money("arrears", gettext_lazy("Số tiền chậm đóng (đồng)")),
            _count("months_in_arrears", gettext_lazy("Số tháng chậm đóng")),
            Column("oldest_unpaid_period", gettext_lazy("Kỳ nợ sớm nhất"), "month", 12),
            Column("violation", gettext_lazy("Hành vi"), width=12),
            _count("evasion_months", gettext_lazy("Số kỳ trốn đóng")),
        ),
        rows=queries.publication,
        totals=_publication_totals,
        size=queries.employer_count,
        slug="cong-khai",
        note=gettext_lazy(
            "Công khai theo Nghị định 274/2025/NĐ-CP. Trốn đóng: có khoản quá hạn hơn 60 ngày "
            "vẫn chưa nộp sau khi đã được đôn đốc bằng văn bản (trừ trường hợp bất khả kháng đã "
            "được chấp nhận); còn lại là chậm đóng."
        ),
    ),
    "union_suits": Report(
        title=gettext_lazy("Danh sách đơn vị đề nghị Công đoàn khởi kiện"),
        columns=(
            Column("unit_code", gettext_lazy("Mã đơn vị"), width=12),
            Column("name", gettext_lazy("Tên đơn vị"), width=36),
            Column("tax_code", gettext_lazy("Mã số thuế"), width=14),
            Column("address", gettext_lazy("Địa chỉ"), width=30),
            Column("reference", gettext_lazy("Số văn bản chuyển"), width=14),
            Column("sent_on", gettext_lazy("Ngày chuyển"), "date", 12),
            _count("workers", gettext_lazy("Số lao động")),
            _money("amount_due", gettext_lazy("Số phải đóng (đồng)")),
            _money("arrears", gettext_lazy("Số chậm đóng (đồng)")),
            _count("months_in_arrears", gettext_lazy("Thời gian chậm đóng (tháng)")),
            Column("oldest_unpaid_period", gettext_lazy("Chậm từ kỳ"), "month", 12),
            _money("interest", gettext_lazy("Tiền lãi chậm đóng (đồng)")),
        ),
        rows=queries.union_suits,
        slug="cong-doan-khoi-kien",
        liaisons=True,
        note=gettext_lazy(
            "Các đơn vị đã chuyển Liên đoàn Lao động tỉnh để khởi kiện thay người lao động: số "
            "phải đóng đã quá hạn, số chậm đóng, thời gian chậm đóng và tiền lãi đến ngày báo cáo."
        ),
    ),
    "late_rate": Report(
        title=gettext_lazy("Tỷ lệ chậm đóng và số nợ có khả năng thu"),
        columns=(
            Column("area", gettext_lazy("Địa bàn"), width=24),
            _money("receivable", gettext_lazy("Số phải thu từ đầu năm (đồng)")),
            _money("arrears", gettext_lazy("Số tiền chậm đóng (đồng)")),
            _rate("late_rate", gettext_lazy("Tỷ lệ chậm đóng")),
            _money("under_one_month", gettext_lazy("Nợ dưới 1 tháng (đồng)")),
            _money("hard_to_collect", gettext_lazy("Nợ khó thu (đồng)")),
            _money("actionable", gettext_lazy("Nợ có khả năng thu (đồng)")),
            _rate("actionable_rate", gettext_lazy("Tỷ lệ nợ có khả năng thu")),
        ),
        rows=queries.late_rate,
        totals=queries.late_rate_totals,
        slug="ty-le-cham-dong",
        note=gettext_lazy(
            "Tỷ lệ chậm đóng = số tiền chậm đóng / số phải thu từ đầu năm (các khoản có hạn đóng "
            "từ 31/12 năm trước đến trước ngày báo cáo). Nợ có khả năng thu = tổng nợ trừ nợ "
            "dưới 1 tháng (phần chưa nộp của các khoản quá hạn chưa đủ 1 tháng) và nợ khó thu "
            "(đơn vị tạm ngừng, chờ giải thể, đã giải thể, phá sản, chủ bỏ trốn)."
        ),
        countersign=CHIEF_ACCOUNTANT,
    ),
    "effectiveness": Report(
        title=gettext_lazy("Hiệu quả các biện pháp thu hồi nợ"),
        columns=(
            Column("section", gettext_lazy("Phân theo"), width=16),
            Column("group", gettext_lazy("Nhóm"), width=36),
            _count("units", gettext_lazy("Số hồ sơ, đơn vị"), 12),
            _money("arrears_at_start", gettext_lazy("Số nợ ban đầu (đồng)")),
            _money("recovered", gettext_lazy("Đã thu hồi (đồng)")),
            _rate("recovery_rate", gettext_lazy("Tỷ lệ thu hồi")),
            _rate("paid_in_full_30", gettext_lazy("Nộp đủ trong 30 ngày"), 12),
            _rate("paid_in_full_90", gettext_lazy("Nộp đủ trong 90 ngày"), 12),
        ),
        rows=queries.effectiveness,
        slug="hieu-qua",
        note=gettext_lazy(
            "Theo cán bộ, quận/huyện, bước: các hồ sơ mở đến ngày báo cáo; số nợ ban đầu là số "
            "nợ khi mở. Theo biện pháp: mỗi đơn vị tính một lần, ở lần đầu áp dụng biện pháp khi "
            "đang nợ; số nợ ban đầu là số nợ ngày đó. Đã thu hồi: số nhỏ hơn giữa số nợ ban đầu "
            "và số đã nộp sau đó đến ngày báo cáo. Nộp đủ trong 30 (90) ngày: tỷ lệ đơn vị nộp "
            "đủ số nợ ban đầu trong 30 (90) ngày sau đó, trong số đã qua đủ 30 (90) ngày."
        ),
    ),
    "coverage": Report(
        title=coverage.TITLE,
        columns=tuple(Column(*spec) for spec in coverage.COLUMNS),
        rows=coverage.coverage_rows,
    ),
}
