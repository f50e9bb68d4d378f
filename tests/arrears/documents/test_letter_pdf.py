"""Letters set directly (desk/letter_pdf.py) give the page WeasyPrint gives from
templates/documents/letter.html: the same text on each line of each page, the words where
WeasyPrint puts them (within a point), the Vietnamese letters as they are; and a letter the
direct renderer does not set goes through WeasyPrint."""

import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from arrears.documents import letters as documents
from desk import letter_pdf as direct
from desk.pdf import render_pdf
from participants.letterhead import Letterhead

pytestmark = pytest.mark.django_db

CONTEXT = {
    "ten_don_vi": "Công ty TNHH Xây dựng và Thương mại Quyết Thắng Hòa Bình",
    "ma_don_vi": "TA0123456",
    "ma_so_thue": "5400123456",
    "dia_chi": "Số 12, đường Cù Chính Lan, phường Đồng Tiến",
    "nguoi_dai_dien": "Nguyễn Thị Hồng Nhung",
    "so_no": "1.234.567.890",
    "tien_lai": "12.345.678",
    "tien_lai_da_nop": "0",
    "tien_lai_con_no": "12.345.678",
    "so_thang_no": "7",
    "ky_no_som_nhat": "04/2026",
    "ngay_so_lieu": "16/11/2026",
    "thang": "11/2026",
    "lai_suat": "0,03 %",
    "co_quan": "BHXH cơ sở Lương Sơn",
    "co_quan_cap_tren": "Bảo hiểm xã hội tỉnh Hòa Bình",
    "so_ngay_cham": "200",
    "ngay_tron_dong": "01/06/2026",
    "thoi_gian_dia_diem": "tại trụ sở cơ quan, 8 giờ ngày 20/11/2026",
    "mang_theo": documents.TO_BRING,
    "can_bo_lien_he": "—",
    "co_quan_nhan": "Thanh tra Sở Nội vụ",
    "muc_dich": "thanh tra, kiểm tra",
    "so_lao_dong": "35",
    "noi_dung": "Đề nghị Quý cơ quan thông báo kết quả (Nghị định 274/2025/NĐ-CP).",
    "ngay_lam_viec": "20/11/2026",
    "bien_ban": "Đơn vị cam kết trả nợ trong 3 tháng.",
}
DAY = date(2026, 11, 16)
# Pieces Pango breaks a line after (a hyphen or a slash before a letter) or not.
PIECES = ["NĐ-CP", "274/2025/NĐ-CP", "C12-TS", "(—)", "“trích yếu”", "0,03 %", "đ/c", "x-y-z"]


def _letter(kind: str, **context: str) -> documents.Letter:
    letter = documents.compose(kind, {**CONTEXT, **context}, on=DAY, recipient="Công ty A")
    return replace(letter, number="123/TB-BHXH")


def _direct(letter: documents.Letter) -> bytes:
    sheet = documents._sheet(letter)
    return direct.write(direct.page_streams(direct.layout(sheet)), sheet.document_title)


def _pdftotext(pdf: bytes, mode: str) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "poppler-utils (pdftotext) is needed"
    done = subprocess.run(  # noqa: S603 (a fixed tool on the PDF the test made)
        [tool, mode, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def _pages(pdf: bytes) -> list[list[str]]:
    """Each page's lines (pdftotext -layout), their spacing collapsed."""
    text = _pdftotext(pdf, "-layout")
    return [
        [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        for page in text.split("\f")
        if page.strip()
    ]


def _words(pdf: bytes) -> list[tuple[str, float, float]]:
    out = _pdftotext(pdf, "-bbox")
    return [
        (m[2], float(m[0]), float(m[1]))
        for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<', out)
    ]


def _raster(pdf: bytes) -> list[bytes]:
    """Each page in grey at 50 dpi (PGM pixels)."""
    tool = shutil.which("pdftoppm")
    assert tool, "poppler-utils (pdftoppm) is needed"
    done = subprocess.run(  # noqa: S603 (a fixed tool on the PDF the test made)
        [tool, "-r", "50", "-gray", "-"], input=pdf, capture_output=True, check=True
    )
    out, pages = done.stdout, []
    while out:
        _magic, size, _depth, out = out.split(b"\n", 3)  # P5, "width height", 255
        width, height = map(int, size.split())
        pages.append(out[: width * height])
        out = out[width * height :]
    return pages


def _assert_same_page(letter: documents.Letter) -> bytes:
    woven, ours = render_pdf(documents.letter_html(letter)), _direct(letter)
    assert _pages(ours) == _pages(woven)
    # The glyphs drawn, not only named: the pages look alike to the pixel, but for shading.
    for theirs, mine in zip(_raster(woven), _raster(ours), strict=True):
        assert len(theirs) == len(mine)
        apart = sum(abs(a - b) > 128 for a, b in zip(theirs, mine, strict=True))
        assert apart < len(mine) / 1000
    theirs, mine = _words(woven), _words(ours)
    assert [w for w, _x, _y in mine] == [w for w, _x, _y in theirs]
    for (word, x1, y1), (_, x2, y2) in zip(theirs, mine, strict=True):
        assert abs(x1 - x2) < 1 and abs(y1 - y2) < 1, word  # in points
    return ours


@pytest.mark.parametrize("kind", list(documents.DEFAULTS))
def test_each_letter_is_the_page_weasyprint_sets(kind: str) -> None:
    _assert_same_page(_letter(kind))
    _assert_same_page(replace(_letter(kind), number=""))


def test_lines_break_where_weasyprint_breaks_them() -> None:
    """Hyphens and slashes inside words, justified lines, a recipient over two lines, a
    letterhead line wider than its column (it starts at the column's edge)."""
    for shift in range(6):
        words = (PIECES[shift:] + ["đơn vị còn nợ tiền đóng bảo hiểm"] * 3 + PIECES) * 3
        letter = _letter("referral_letter", noi_dung=" ".join(words))
        letter = replace(
            letter,
            recipient=" ".join([*PIECES[:shift], "Công ty Cổ phần Xây lắp-Thương mại Sông Đà"]),
            letterhead=Letterhead("Bảo hiểm xã hội tỉnh Thừa Thiên Huế", "BHXH cơ sở A Lưới"),
        )
        _assert_same_page(letter)


def test_a_long_letter_breaks_its_pages_as_weasyprint_does() -> None:
    """Orphans and widows of two lines, the page numbers, the signature block kept whole on
    the next page when it does not fit."""
    minutes = _letter("minutes")
    for count in (8, 12, 14, 17, 30):
        paragraphs = [
            " ".join(["Đơn vị trình bày khó khăn về tài chính"] * (1 + (i * 7) % 9))
            for i in range(count)
        ]
        ours = _assert_same_page(replace(minutes, paragraphs=minutes.paragraphs + paragraphs))
        pages = _pages(ours)
        numbers = [f"{n}/{len(pages)}" for n in range(1, len(pages) + 1)]
        assert [page[-1] for page in pages] == numbers
        assert "GIÁM ĐỐC" in " ".join(pages[-1])


def test_vietnamese_letters_are_extracted_as_written() -> None:
    letter = _letter("formal_request", ten_don_vi="Công ty Bảo hiểm xã hội Đông Á")
    text = " ".join(" ".join(page) for page in _pages(_direct(letter)))
    for words in ("Nghị định 274/2025/NĐ-CP", "trốn đóng", "Điều 39 Luật Bảo hiểm xã hội"):
        assert words in text
    assert "Công ty Bảo hiểm xã hội Đông Á" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    # Letters written with combining marks print as the same letters.
    decomposed = unicodedata.normalize("NFD", "Quyết định của Ủy ban")
    letter = replace(letter, paragraphs=[decomposed])
    assert "Quyết định của Ủy ban" in " ".join(" ".join(p) for p in _pages(_direct(letter)))


def test_letters_are_set_directly_and_merged_for_the_post() -> None:
    letters = [_letter(kind) for kind in documents.DEFAULTS]
    pdfs, whole = documents.letters_pdfs(letters, merged=True)
    assert len(pdfs) == len(letters)
    merged = PdfReader(BytesIO(whole))
    assert len(merged.pages) == len(letters)
    for pdf, page in zip(pdfs, merged.pages, strict=True):
        reader = PdfReader(BytesIO(pdf))
        assert reader.metadata.producer == "Arrears desk"
        assert [p.extract_text() for p in reader.pages] == [page.extract_text()]
    assert PdfReader(BytesIO(pdfs[0])).metadata.title == (
        "THÔNG BÁO – Về việc đôn đốc đóng BHXH, BHYT, BHTN"
    )


def test_a_letter_the_direct_renderer_does_not_set_goes_through_weasyprint() -> None:
    """A letter outside the embedded alphabet (an employer named in German) is WeasyPrint's,
    in its place among the others, in the merged PDF too."""
    foreign = _letter("reminder_notice", ten_don_vi="Müller Straße GmbH")
    with pytest.raises(direct.Unsupported):
        direct.layout(documents._sheet(foreign))
    letters = [_letter("session_invitation"), foreign, _letter("formal_request")]

    pdfs, whole = documents.letters_pdfs(letters, merged=True)

    producers = [PdfReader(BytesIO(pdf)).metadata.producer for pdf in pdfs]
    assert producers[0] == producers[2] == "Arrears desk"
    assert producers[1].startswith("WeasyPrint")
    assert "Müller Straße GmbH" in " ".join(_pages(pdfs[1])[0])
    merged = _pages(whole)
    assert [page[5] for page in merged] == [_pages(pdf)[0][5] for pdf in pdfs]
    assert "GIẤY MỜI" in merged[0] and "Müller Straße GmbH" in " ".join(merged[1])
