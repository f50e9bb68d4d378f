"""reports/summary/documents.py and ``manage.py province_summary``: the summary as DOCX
(read back with python-docx) and PDF (read with poppler's pdftotext), the same figures in
both; and the demo province's summary kept in docs/samples."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command

from reports.models import ExportRecord
from reports.summary import documents
from reports.summary.periods import SummaryPeriod
from reports.summary.sections import province_summary
from tests.reports.export_files import pdf_layout
from tests.samples import SAMPLE_DAY, SampleProvince

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"
TITLE = "BÁO CÁO TÌNH HÌNH THU, NỢ ĐÓNG BHXH, BHYT, BHTN"
SECTIONS = [
    "1. Thu so với kế hoạch",
    "2. Nợ đóng và tỷ lệ chậm đóng",
    "3. Nợ khó thu",
    "4. Làm việc với đơn vị và cam kết trả nợ",
    "5. Phối hợp thu hồi nợ theo loại cơ quan",
    "6. Thanh tra, kiểm tra và xử phạt",
    "7. Chuyển cơ quan công an, khởi tố",
    "8. Hồ sơ thu nợ",
    "9. Bao phủ BHXH, BHTN, BHYT",
]


def _headings(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def _table(document: docx.document.Document, index: int) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in document.tables[index].rows]


def test_docx_and_pdf_carry_the_figures(referred: SampleProvince, tmp_path: Path) -> None:
    summary = province_summary(SummaryPeriod(date(2026, 10, 1), SAMPLE_DAY))
    out = io.BytesIO()
    documents.write(summary, "docx", out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    assert _headings(document) == [TITLE, *SECTIONS]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert document.core_properties.title.upper() == TITLE
    assert document.core_properties.author == "Bảo hiểm xã hội tỉnh Phú Thọ"
    # The letterhead, then one table per section: the plan's, then the arrears'.
    arrears = _table(document, 2)
    assert arrears[0] == ["Chỉ tiêu", "01/10/2026 – 16/11/2026", "01/08/2026 – 16/09/2026",
                          "01/10/2025 – 16/11/2025"]  # fmt: skip
    assert arrears[2][:2] == ["Số tiền chậm đóng (đồng)", "8.548.089.600"]

    path = tmp_path / "summary.pdf"
    with path.open("wb") as pdf:
        documents.write(summary, "pdf", pdf)
    text = pdf_layout(path)
    assert TITLE in text and "Kỳ báo cáo: 01/10/2026 – 16/11/2026" in text
    line = next(line for line in text.splitlines() if "Số tiền chậm đóng (đồng)" in line)
    assert "8.548.089.600" in line


def test_the_command_writes_and_records(referred: SampleProvince, tmp_path: Path) -> None:
    path = tmp_path / "q4.docx"
    out = io.StringIO()
    call_command(
        "province_summary", "--from", "2025-10-01", "--to", "2025-12-31",
        "--format", "docx", "--output", str(path), stdout=out,
    )  # fmt: skip
    assert out.getvalue().strip() == f"Đã ghi báo cáo tổng hợp Quý 4/2025 vào {path}."
    assert _headings(docx.Document(path))[0] == TITLE
    entry = ExportRecord.objects.get()
    assert (entry.report, entry.format, entry.source, entry.params) == (
        "province_summary",
        "docx",
        "command",
        {"from": "2025-10-01", "to": "2025-12-31"},
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-10-01", "--to", "2025-12-31", "--format", "odt"], "Không có định dạng"),
        (["--from", "01/10/2025", "--to", "2025-12-31"], "Ngày phải có dạng YYYY-MM-DD."),
        (["--from", "2025-12-31", "--to", "2025-10-01"], "--from phải trước hoặc bằng --to."),
    ],
)
def test_the_command_refuses_bad_arguments(
    db, tmp_path: Path, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message):
        call_command("province_summary", *args, "--output", str(tmp_path / "x"))


def test_the_demo_summary_in_docs_samples() -> None:
    """docs/samples holds the demo province's summary for Q3/2026 (``make run``'s data:
    ``manage.py province_summary --from 2026-07-01 --to 2026-09-30``): python-docx reads the
    DOCX back, pdftotext shows the Vietnamese of the PDF intact, the figures are the same."""
    document = docx.Document(SAMPLES / "bao-cao-tong-hop-quy-3-2026.docx")
    assert _headings(document) == [TITLE, *SECTIONS]
    letterhead = [cell.text for cell in document.tables[0].rows[0].cells]
    assert letterhead[0] == "BẢO HIỂM XÃ HỘI VIỆT NAM\nBẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ"
    arrears = _table(document, 2)
    assert arrears[0] == ["Chỉ tiêu", "Quý 3/2026", "Quý 2/2026", "Quý 3/2025"]
    labels = [row[0] for row in arrears[1:]]
    assert labels[:3] == ["Số phải thu từ đầu năm (đồng)", "Số tiền chậm đóng (đồng)",
                          "Tỷ lệ chậm đóng"]  # fmt: skip
    assert all(cell[-1].isdigit() for cell in arrears[2][1:])  # money, grouped: 433.811.791.800

    text = pdf_layout(SAMPLES / "bao-cao-tong-hop-quy-3-2026.pdf")
    for words in (TITLE, *SECTIONS, "Kỳ báo cáo: Quý 3/2026", "Tỷ lệ chậm đóng",
                  "NGƯỜI LẬP BÁO CÁO", "GIÁM ĐỐC", "Phú Thọ, ngày"):  # fmt: skip
        assert words in text, words
    # Each figure of the DOCX's tables is in the PDF, on the line of its label.
    lines = text.splitlines()
    for index in range(1, len(document.tables)):
        for label, *figures in _table(document, index)[1:]:
            line = next((line for line in lines if line.strip().startswith(label)), None)
            if line is None:  # a long label wraps in the PDF: its figures are on its line
                line = next(line for line in lines if line.strip() and label.startswith(
                    line.strip().split("  ")[0]))  # fmt: skip
            for figure in figures:
                assert figure.replace("\xa0", " ") in line.replace("\xa0", " "), (label, line)
