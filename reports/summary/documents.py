"""The province's summary as DOCX (python-docx: the office edits it before signing) and PDF
(WeasyPrint through ``desk.pdf``), from the same ``Summary``: the letterhead, the title and
period, each section as a table of lines with the period, the period before and the same
period a year earlier, then the place, date and signatures."""

from __future__ import annotations

from typing import Any, BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.pdf import render_pdf
from desk.templatetags.desk import percent
from desk.text import grouped
from participants.letterhead import letterhead
from reports.summary.sections import Line, Summary

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def shown(value: Any, kind: str) -> str:
    """A figure as the documents write it: 1.234.567, 26,70 %, "–" for none."""
    if value is None:
        return "–"
    if kind == "percent":
        return percent(value, 2)
    return grouped(int(value))


def header(summary: Summary) -> list[str]:
    """The table's header: the figure, then each column's period."""
    return [_("Chỉ tiêu"), *(column.label for column in summary.columns)]


def cells(line: Line) -> list[str]:
    return [line.label, *(shown(value, line.kind) for value in line.values)]


def subtitle(summary: Summary) -> str:
    period = summary.period
    return _("Kỳ báo cáo: %(label)s (từ ngày %(start)s đến ngày %(end)s)") % {
        "label": period.label,
        "start": f"{period.start:%d/%m/%Y}",
        "end": f"{period.end:%d/%m/%Y}",
    }


def write_pdf(summary: Summary, out: BinaryIO) -> None:
    html = render_to_string(
        "reports/summary_pdf.html",
        {
            "summary": summary,
            "letterhead": letterhead(),
            "subtitle": subtitle(summary),
            "header": header(summary),
            "sections": [(s, [cells(line) for line in s.lines]) for s in summary.sections],
            "province": settings.PROVINCE_NAME,
            "today": timezone.localdate(),
        },
    )
    out.write(render_pdf(html))


def write_docx(summary: Summary, out: BinaryIO) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    document = Document()
    # python-docx's blank document is US Letter and signed by "python-docx" in 2013.
    properties = document.core_properties
    properties.title, properties.author = summary.title, summary.office
    properties.created = properties.modified = timezone.now()
    properties.last_modified_by, properties.revision = summary.office, 1
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, as the PDF
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)

    head = letterhead()
    top = document.add_table(rows=1, cols=2)
    left, right = top.rows[0].cells
    left.paragraphs[0].add_run(head.superior_line)
    left.add_paragraph().add_run(head.issuer_line).bold = True
    right.paragraphs[0].add_run(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).bold = True
    right.add_paragraph().add_run(_("Độc lập - Tự do - Hạnh phúc")).bold = True
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    title = document.add_heading(summary.title.upper(), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(subtitle(summary))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    columns = header(summary)
    for number, part in enumerate(summary.sections, start=1):
        document.add_heading(f"{number}. {part.title}", level=2)
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, columns, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for line in part.lines:
            row = table.add_row().cells
            for index, text in enumerate(cells(line)):
                row[index].text = text
                if index:
                    row[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row in table.rows:
            row.cells[0].width = Cm(7.5)
        if part.note:
            document.add_paragraph(part.note).runs[0].italic = True

    today = timezone.localdate()
    place = document.add_paragraph(
        _("%(province)s, ngày %(day)s tháng %(month)s năm %(year)s")
        % {
            "province": settings.PROVINCE_NAME,
            "day": f"{today:%d}",
            "month": f"{today:%m}",
            "year": today.year,
        }
    )
    place.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signatures = document.add_table(rows=1, cols=2)
    for cell, (signer, hint) in zip(
        signatures.rows[0].cells,
        (
            (_("NGƯỜI LẬP BÁO CÁO"), _("(Ký, ghi rõ họ tên)")),
            (_("GIÁM ĐỐC"), _("(Ký, họ tên, đóng dấu)")),
        ),
        strict=True,
    ):
        cell.paragraphs[0].add_run(signer).bold = True
        cell.add_paragraph().add_run(hint).italic = True
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(out)


WRITERS = {"docx": write_docx, "pdf": write_pdf}


def write(summary: Summary, fmt: str, out: BinaryIO) -> None:
    WRITERS[fmt](summary, out)


def filename(summary: Summary, fmt: str) -> str:
    period = summary.period
    return f"bao-cao-tong-hop-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
