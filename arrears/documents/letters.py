"""The office's letters: reminder notice, working-session invitation, referral letter and the
monthly formal request (Decree 274). Their wording is a DocumentTemplate managers edit; the
layout (letterhead, place and date, signature) is templates/documents/letter.html.

The body is a Django template over plain values only (strings and numbers already formatted),
so an edited template cannot reach into models.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.template import Context, Engine, Template
from django.template.loader import render_to_string

from arrears import ledger
from arrears.law import EVASION_DAYS
from arrears.models import DocumentTemplate, InterestRate
from desk import letter_pdf as direct
from desk.pdf import render_each_and_merged
from desk.text import grouped
from participants.letterhead import Letterhead, letterhead
from participants.models import Employer

Kind = DocumentTemplate.Kind

DEFAULTS: dict[str, tuple[str, str]] = {
    Kind.REMINDER_NOTICE: (
        "THÔNG BÁO\nVề việc đôn đốc đóng BHXH, BHYT, BHTN",
        "Kính gửi: {{ ten_don_vi }} (mã đơn vị {{ ma_don_vi }}, mã số thuế {{ ma_so_thue }}).\n\n"
        "Tính đến ngày {{ ngay_so_lieu }}, đơn vị còn nợ tiền đóng bảo hiểm xã hội, bảo hiểm "
        "y tế, bảo hiểm thất nghiệp số tiền {{ so_no }} đồng, tương ứng {{ so_thang_no }} tháng "
        "(từ kỳ {{ ky_no_som_nhat }}); tiền lãi chậm đóng tính đến ngày trên là {{ tien_lai }} "
        "đồng, theo mức {{ lai_suat }} mỗi ngày trên số tiền chậm đóng (đã nộp "
        "{{ tien_lai_da_nop }} đồng, còn nợ {{ tien_lai_con_no }} đồng).\n\n"
        "Đề nghị đơn vị nộp ngay số tiền còn nợ và tiền lãi chậm đóng vào tài khoản chuyên thu "
        "của cơ quan bảo hiểm xã hội. Quá 60 ngày kể từ hạn đóng mà đơn vị vẫn chưa đóng sau "
        "khi đã được đôn đốc, hành vi chậm đóng bị xác định là trốn đóng "
        "(khoản nợ sớm nhất: từ ngày {{ ngay_tron_dong }}) và bị xử lý theo quy định.",
    ),
    Kind.SESSION_INVITATION: (
        "GIẤY MỜI\nLàm việc về việc chậm đóng BHXH, BHYT, BHTN",
        "Kính gửi: {{ ten_don_vi }} (mã đơn vị {{ ma_don_vi }}).\n\n"
        "Đơn vị đang nợ {{ so_no }} đồng tiền đóng bảo hiểm, {{ so_thang_no }} tháng "
        "(từ kỳ {{ ky_no_som_nhat }}), tiền lãi chậm đóng {{ tien_lai }} đồng (đã nộp "
        "{{ tien_lai_da_nop }} đồng, còn nợ {{ tien_lai_con_no }} đồng) tính đến ngày "
        "{{ ngay_so_lieu }}.\n\n"
        "{{ co_quan }} trân trọng mời người đại diện theo pháp luật của đơn vị "
        "({{ nguoi_dai_dien }}) đến làm việc {{ thoi_gian_dia_diem }} để giải trình và "
        "cam kết lộ trình trả nợ.\n\n"
        "Khi đến, đề nghị mang theo {{ mang_theo }}. Cán bộ liên hệ: {{ can_bo_lien_he }}.",
    ),
    Kind.REFERRAL_LETTER: (
        "VĂN BẢN ĐỀ NGHỊ PHỐI HỢP\nXử lý đơn vị chậm đóng, trốn đóng BHXH, BHYT, BHTN",
        "Kính gửi: {{ co_quan_nhan }}.\n\n"
        "{{ co_quan }} đề nghị Quý cơ quan phối hợp {{ muc_dich }} đối với {{ ten_don_vi }} "
        "(mã số thuế {{ ma_so_thue }}, địa chỉ {{ dia_chi }}).\n\n"
        "Tính đến ngày {{ ngay_so_lieu }}, đơn vị nợ {{ so_no }} đồng, {{ so_thang_no }} tháng "
        "(từ kỳ {{ ky_no_som_nhat }}), tiền lãi chậm đóng {{ tien_lai }} đồng (còn nợ "
        "{{ tien_lai_con_no }} đồng); số người lao động "
        "bị ảnh hưởng: {{ so_lao_dong }}.\n\n{{ noi_dung }}",
    ),
    Kind.FORMAL_REQUEST: (
        "VĂN BẢN ĐỀ NGHỊ\nĐóng số tiền chậm đóng BHXH, BHYT, BHTN tháng {{ thang }}",
        "Kính gửi: {{ ten_don_vi }} (mã đơn vị {{ ma_don_vi }}).\n\n"
        "Căn cứ Nghị định 274/2025/NĐ-CP, {{ co_quan }} thông báo: tính đến ngày "
        "{{ ngay_so_lieu }}, đơn vị chậm đóng số tiền {{ so_no }} đồng, đã chậm {{ so_ngay_cham }} "
        "ngày kể từ hạn đóng của kỳ {{ ky_no_som_nhat }}. Tiền lãi chậm đóng được tính "
        "{{ lai_suat }} mỗi ngày trên số tiền chậm đóng; đến ngày trên là {{ tien_lai }} đồng, đã "
        "nộp {{ tien_lai_da_nop }} đồng, còn nợ {{ tien_lai_con_no }} đồng.\n\n"
        "Nếu không đóng, cơ quan bảo hiểm xã hội sẽ áp dụng các biện pháp: mời làm việc, đề nghị "
        "thanh tra, xử phạt vi phạm hành chính, công khai trên cổng thông tin, chuyển cơ quan "
        "công an xem xét xử lý hình sự. Từ ngày {{ ngay_tron_dong }}, khoản chậm đóng sớm nhất "
        "được xác định là trốn đóng theo Điều 39 Luật Bảo hiểm xã hội.",
    ),
    Kind.MINUTES: (
        "BIÊN BẢN LÀM VIỆC\nVề việc chậm đóng BHXH, BHYT, BHTN",
        "Ngày {{ ngay_lam_viec }}, {{ co_quan }} làm việc với {{ ten_don_vi }} (mã đơn vị "
        "{{ ma_don_vi }}, mã số thuế {{ ma_so_thue }}); người đại diện của đơn vị: "
        "{{ nguoi_dai_dien }}.\n\n"
        "Tính đến ngày {{ ngay_so_lieu }}, đơn vị nợ {{ so_no }} đồng, {{ so_thang_no }} tháng "
        "(từ kỳ {{ ky_no_som_nhat }}), tiền lãi chậm đóng {{ tien_lai }} đồng.\n\n"
        "Nội dung làm việc:\n\n{{ bien_ban }}",
    ),
}

# What an employer brings to a working session.
TO_BRING = "bảng đối chiếu C12-TS, bảng lương và chứng từ nộp tiền (nếu có)"

_engine = Engine()


@dataclass(frozen=True)
class Letter:
    kind: str
    title: str
    paragraphs: list[str]
    on: date
    recipient: str
    letterhead: Letterhead
    # The register's number once issued ("123/TB-BHXH"); a preview has none.
    number: str = ""


def wording(kind: str) -> tuple[str, str]:
    """The title and body in force: the managers' edited template, else the default."""
    template = DocumentTemplate.objects.filter(kind=kind).first()
    if template is not None:
        return template.title, template.body
    return DEFAULTS[kind]


def employer_context(
    employer: Employer,
    balance: ledger.EmployerBalance,
    *,
    oldest_due_on: date | None = None,
    rates: Sequence[ledger.Rate] | None = None,
    interest_paid: int = 0,
    head: Letterhead | None = None,
) -> dict[str, str]:
    """The plain values a letter about one employer's arrears may use. It comes from the
    employer's managing office (``co_quan``), under ``co_quan_cap_tren``: the letterhead
    (``head``, when the caller already has the office's). The daily rate stated is the rate
    table's (``rates``, else InterestRate's) in force on the letter's date;
    ``interest_paid``: of the interest charged, what was paid (rule 12)."""
    if head is None:
        head = letterhead(employer.office if employer.office_id else None)
    rates = rates or InterestRate.table() or ledger.DEFAULT_RATES
    rate = ledger.rate_sum(balance.on, balance.on, rates) * 100
    context = {
        "ten_don_vi": employer.name,
        "ma_don_vi": employer.unit_code,
        "ma_so_thue": employer.tax_code,
        "dia_chi": employer.address,
        "nguoi_dai_dien": employer.legal_representative or "—",
        "so_no": grouped(balance.arrears),
        "tien_lai": grouped(balance.interest),
        "tien_lai_da_nop": grouped(interest_paid),
        "tien_lai_con_no": grouped(balance.interest - interest_paid),
        "so_thang_no": str(balance.months_in_arrears),
        "ky_no_som_nhat": (
            f"{balance.oldest_unpaid_period:%m/%Y}" if balance.oldest_unpaid_period else "—"
        ),
        "ngay_so_lieu": f"{balance.on:%d/%m/%Y}",
        "thang": f"{balance.on:%m/%Y}",
        "lai_suat": f"{rate.normalize():f}".replace(".", ",") + " %",
        "co_quan": head.issuer,
        "co_quan_cap_tren": head.superior,
        "so_ngay_cham": "0",
        "ngay_tron_dong": "—",
        # An invitation's session; a booked one's date, place and officer replace these
        # (arrears.sessions.selectors.invitation_context).
        "thoi_gian_dia_diem": "tại trụ sở cơ quan trong tuần này",
        "mang_theo": TO_BRING,
        "can_bo_lien_he": "—",
    }
    if oldest_due_on is not None:
        context["so_ngay_cham"] = str(max(0, (balance.on - oldest_due_on).days))
        context["ngay_tron_dong"] = f"{oldest_due_on + timedelta(days=EVASION_DAYS + 1):%d/%m/%Y}"
    return context


@functools.lru_cache(maxsize=64)
def _compiled(text: str) -> Template:
    # Keyed by the text itself, so a manager's edit is a new entry, never a stale one.
    return _engine.from_string(text)


def compose(
    kind: str,
    context: dict[str, str],
    *,
    on: date,
    recipient: str,
    words: tuple[str, str] | None = None,
) -> Letter:
    """The letter in force's wording (``words``, when the caller already has it) over
    ``context``, under the letterhead of the office it names (``co_quan`` under
    ``co_quan_cap_tren``; the provincial office's without them)."""
    title, body = words or wording(kind)
    # A browser sends its line ends as CRLF: paragraphs are split on blank lines whatever
    # the line ends.
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    # Plain text: letter.html and the e-mails escape what they need themselves (escaping here
    # too printed an employer's "&" as "&amp;").
    ctx = Context(context, autoescape=False)
    rendered_title = _compiled(title).render(ctx)
    rendered_body = _compiled(body).render(ctx)
    paragraphs = [p.strip() for p in rendered_body.split("\n\n") if p.strip()]
    if "co_quan" in context and "co_quan_cap_tren" in context:
        head = Letterhead(context["co_quan_cap_tren"], context["co_quan"])
    else:
        head = letterhead()
    return Letter(kind, rendered_title, paragraphs, on, recipient, head)


def _place(letter: Letter) -> str:
    return f"{settings.PROVINCE_NAME}, ngày {letter.on:%d} tháng {letter.on:%m} năm {letter.on:%Y}"


def letter_html(letter: Letter) -> str:
    return render_to_string(
        "documents/letter.html",
        {
            "letter": letter,
            "title_lines": letter.title.splitlines(),
            "document_title": document_title(letter),
            "letterhead": letter.letterhead,
            "place": _place(letter),
        },
    )


def document_title(letter: Letter) -> str:
    return " – ".join(letter.title.splitlines())


def _sheet(letter: Letter) -> direct.Sheet:
    """The letter as letter.html prints it, for the direct renderer."""
    lines = [*letter.title.splitlines(), "", ""]
    return direct.Sheet(
        superior=letter.letterhead.superior_line,
        issuer=letter.letterhead.issuer_line,
        number=letter.number,
        place=_place(letter),
        title=lines[0],
        subtitle=lines[1],
        paragraphs=letter.paragraphs,
        recipient=letter.recipient,
        document_title=document_title(letter),
    )


def _pages(letter: Letter) -> direct.Pages | None:
    """The letter's pages set directly, or None for WeasyPrint (see desk.letter_pdf)."""
    try:
        return direct.page_streams(direct.layout(_sheet(letter)))
    except direct.Unsupported:
        return None


def letters_pdfs(letters: Sequence[Letter], *, merged: bool = False) -> tuple[list[bytes], bytes]:
    """Each letter's PDF and, with ``merged``, all of them in one (for the post), else b"".

    Letters are set directly (desk.letter_pdf), each laid out once for both; one it cannot
    set goes through WeasyPrint, and the merged PDF is then joined from the letters' own."""
    pages = [_pages(letter) for letter in letters]
    pdfs = _each(letters, pages)
    if not merged:
        return pdfs, b""
    whole = _together(pages)
    return pdfs, _joined(pdfs) if whole is None else whole


def _each(letters: Sequence[Letter], pages: list[direct.Pages | None]) -> list[bytes]:
    pdfs = [
        b"" if page is None else direct.write(page, document_title(letter))
        for letter, page in zip(letters, pages, strict=True)
    ]
    others = [i for i, page in enumerate(pages) if page is None]
    if others:
        rendered, _whole = render_each_and_merged(letter_html(letters[i]) for i in others)
        for i, pdf in zip(others, rendered, strict=True):
            pdfs[i] = pdf
    return pdfs


def _together(pages: list[direct.Pages | None]) -> bytes | None:
    """The letters' pages in one PDF if all were set directly, else None."""
    if not pages:
        return b""
    if any(page is None for page in pages):
        return None
    return direct.write(direct.joined([page for page in pages if page]), "")


def _joined(pdfs: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def letter_pdf(letter: Letter) -> bytes:
    return letters_pdfs([letter])[0][0]


def letters_pdf(letters: Iterable[Letter]) -> bytes:
    """Many letters in one PDF, for the post (one letter per page or more)."""
    letters = list(letters)
    pages = [_pages(letter) for letter in letters]
    whole = _together(pages)
    return _joined(_each(letters, pages)) if whole is None else whole
