"""The letters (arrears/documents/letters.py) of a case as PDF: reminder notice, session
invitation, a referral's letter, with the employer's figures on the date asked; the wording
managers edit is used; the letterhead reads the provincial office over the employer's
managing office."""

from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from arrears import ledger
from arrears.cases import services as cases
from arrears.documents import letters as documents
from arrears.models import DocumentTemplate, ReferralPurpose
from desk.pdf import render_each, render_pdf
from participants.models import Office
from tests.factories import ContributionFactory, PaymentFactory, agency

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 15)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def case_a(employer_a, officer_a):  # type: ignore[no-untyped-def]
    """1,234,567 đ a month for 07-10/2025, July paid: 3,703,701 đ in arrears once October is
    past due (30/11/2025), 2,469,134 đ on 15/11/2025."""
    for month in (7, 8, 9, 10):
        ContributionFactory(
            employer=employer_a, period=date(2025, month, 1), si=1_000_000, hi=234_567, ui=0, oaod=0
        )
    PaymentFactory(employer=employer_a, paid_on=date(2025, 8, 20), amount=1_234_567)
    return cases.open_case(employer=employer_a, by=officer_a, on=DAY)


def test_reminder_notice_has_the_employer_and_its_arrears(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    url = reverse("case_document", args=[case_a.pk, "reminder_notice"])
    response = client_as(officer_a).get(url, {"on": "2026-01-15"})
    assert 'filename="reminder_notice-' in response["Content-Disposition"]
    text = _text(response)
    assert "THÔNG BÁO" in text
    assert "Công ty TNHH Minh Phát" in text
    assert "3.703.701 đồng" in text
    assert "15/01/2026" in text
    # Another date, another figure (October not yet due on 15/11/2025).
    text = _text(client_as(officer_a).get(url, {"on": "15/11/2025"}))
    assert "2.469.134 đồng" in text


def test_session_invitation(client_as, case_a, manager):  # type: ignore[no-untyped-def]
    url = reverse("case_document", args=[case_a.pk, "session_invitation"])
    text = _text(client_as(manager).get(url, {"on": "2026-01-15"}))
    assert "GIẤY MỜI" in text and "Công ty TNHH Minh Phát" in text and "3.703.701" in text


def test_referral_letter_per_referral(client_as, case_a, officer_a, police, federation):  # type: ignore[no-untyped-def]
    referral = cases.create_referral(
        case=case_a,
        agency=agency("labour_inspectorate"),
        purpose=ReferralPurpose.INSPECT,
        by=officer_a,
        note="Đề nghị thanh tra đột xuất.",
    )
    cases.send_referral(referral=referral, by=officer_a, reference="21/BHXH-QLT", sent_on=DAY)
    url = reverse("case_referral_letter", args=[case_a.pk, referral.pk])
    text = _text(client_as(officer_a).get(url))  # as of the date it was sent
    assert agency("labour_inspectorate").name in text
    assert "thanh tra, kiểm tra" in text
    assert "Công ty TNHH Minh Phát" in text and "3.703.701" in text
    assert "Đề nghị thanh tra đột xuất." in text
    # Only the agency it went to may read it.
    assert client_as(police).get(url).status_code == 404


def test_edited_wording_is_used(client_as, case_a, officer_a, manager):  # type: ignore[no-untyped-def]
    DocumentTemplate.objects.create(
        kind="reminder_notice",
        title="THÔNG BÁO NỢ\nMẫu của tỉnh",
        body="Đơn vị {{ ten_don_vi }} còn nợ {{ so_no }} đồng đến ngày {{ ngay_so_lieu }}.",
        updated_by=manager,
    )
    url = reverse("case_document", args=[case_a.pk, "reminder_notice"])
    text = _text(client_as(officer_a).get(url, {"on": "2026-01-15"}))
    assert "Đơn vị Công ty TNHH Minh Phát còn nợ 3.703.701 đồng đến ngày 15/01/2026." in text


def test_documents_are_for_staff_in_scope(client_as, case_a, officer_b, police):  # type: ignore[no-untyped-def]
    url = reverse("case_document", args=[case_a.pk, "reminder_notice"])
    assert client_as(officer_b).get(url).status_code == 404
    assert client_as(police).get(url).status_code == 404
    other = reverse("case_document", args=[case_a.pk, "formal_request"])
    assert client_as(officer_b).get(other).status_code == 404


# --------------------------------------------------------------------------------------------
# The letterhead: the provincial office over the employer's managing office


def _invitation(employer) -> documents.Letter:  # type: ignore[no-untyped-def]
    balance = ledger.EmployerBalance(
        on=DAY,
        arrears=3_703_701,
        months_in_arrears=3,
        oldest_unpaid_period=date(2025, 8, 1),
        interest=0,
        bucket=ledger.Bucket.FROM_3_TO_6,
    )
    context = documents.employer_context(employer, balance)
    return documents.compose("session_invitation", context, on=DAY, recipient=employer.name)


def test_letterhead_names_the_provincial_office_then_the_managing_office(employer_a) -> None:  # type: ignore[no-untyped-def]
    html = documents.letter_html(_invitation(employer_a))
    head = html[html.index('<table class="head">') : html.index("</table>")]
    assert "<div>BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ</div>" in head
    assert '<div class="upper">BHXH CƠ SỞ LƯƠNG SƠN</div>' in head
    assert "VIỆT NAM</div><div" not in head  # not the provincial office's own letterhead
    # The office that writes is the one that invites.
    assert "BHXH cơ sở Lương Sơn trân trọng mời người đại diện" in html


def test_letterhead_of_an_employer_the_province_manages(employer_a) -> None:  # type: ignore[no-untyped-def]
    province = Office.objects.get(kind=Office.Kind.PROVINCE)
    province.name = "Bảo hiểm xã hội tỉnh Phú Thọ"
    province.save()
    employer_a.office = province
    employer_a.save()
    letter = _invitation(employer_a)
    assert (letter.letterhead.superior_line, letter.letterhead.issuer_line) == (
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ",
    )
    html = documents.letter_html(letter)
    assert "CƠ SỞ" not in html
    assert "Bảo hiểm xã hội tỉnh Phú Thọ trân trọng mời" in html


def test_letterhead_falls_back_on_the_settings(employer_b, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OFFICE_NAME = "Bảo hiểm xã hội tỉnh Vĩnh Phúc"
    Office.objects.filter(kind=Office.Kind.PROVINCE).delete()
    head = _invitation(employer_b).letterhead
    assert (head.superior_line, head.issuer_line) == (
        "BẢO HIỂM XÃ HỘI TỈNH VĨNH PHÚC",
        "BHXH CƠ SỞ TÂN LẠC",
    )


def test_the_pdf_carries_the_letterhead(client_as, case_a, officer_a) -> None:  # type: ignore[no-untyped-def]
    url = reverse("case_document", args=[case_a.pk, "reminder_notice"])
    text = _text(client_as(officer_a).get(url, {"on": "2026-01-15"}))
    assert "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ" in text
    assert "BHXH CƠ SỞ LƯƠNG SƠN" in text


def test_letters_state_the_rate_in_force_on_their_date(case_a):  # type: ignore[no-untyped-def]
    """The daily rate a letter states is the rate table's on the letter's date, not a fixed
    figure: a new decree's rate from 01/03/2026 shows on letters from that day."""
    from arrears.cases.selectors import case_letter
    from arrears.models import InterestRate

    InterestRate.objects.create(valid_from=date(2026, 3, 1), daily_rate="0.00025", note="NĐ mới")
    kind = DocumentTemplate.Kind.REMINDER_NOTICE
    before = " ".join(case_letter(case_a, kind, on=date(2026, 2, 28)).paragraphs)
    after = " ".join(case_letter(case_a, kind, on=date(2026, 3, 1)).paragraphs)
    assert "theo mức 0,03 % mỗi ngày" in before
    assert "theo mức 0,025 % mỗi ngày" in after


# --------------------------------------------------------------------------------------------
# Many letters rendered together, as delivery does


def _fonts(reader: PdfReader) -> list[str]:
    """The fonts each page uses, without the subset's random prefix."""
    return [
        sorted(str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts.values())
        for fonts in (page["/Resources"]["/Font"] for page in reader.pages)
    ]


def test_letters_rendered_together_are_each_the_letter_rendered_alone(employer_a, employer_b):  # type: ignore[no-untyped-def]
    """desk.pdf.render_each writes one PDF for all the letters (the fonts subset once) and cuts
    each letter's pages out of it: each is the letter as render_pdf makes it alone, page for
    page (a long letter keeps its "1/2", "2/2"), with its title and fonts."""
    balance = ledger.EmployerBalance(
        on=DAY,
        arrears=12_345_678,
        months_in_arrears=4,
        oldest_unpaid_period=date(2025, 9, 1),
        interest=54_321,
        bucket=ledger.Bucket.FROM_3_TO_6,
    )
    notices = [
        documents.compose(
            "reminder_notice",
            documents.employer_context(employer, balance),
            on=DAY,
            recipient=employer.name,
        )
        for employer in (employer_a, employer_b)
    ]
    long = replace(_invitation(employer_b), paragraphs=["Nội dung làm việc dài. " * 60] * 4)
    htmls = [documents.letter_html(letter) for letter in (*notices, _invitation(employer_a), long)]

    together = render_each(htmls)

    assert len(together) == len(htmls)
    for html, pdf in zip(htmls, together, strict=True):
        alone, cut = PdfReader(BytesIO(render_pdf(html))), PdfReader(BytesIO(pdf))
        assert [p.extract_text() for p in cut.pages] == [p.extract_text() for p in alone.pages]
        assert cut.metadata.title == alone.metadata.title
        assert _fonts(cut) == _fonts(alone)
    first, second, _invited, cut_long = (PdfReader(BytesIO(pdf)) for pdf in together)
    assert "Công ty TNHH Minh Phát" in first.pages[0].extract_text()
    assert "Công ty TNHH Minh Phát" not in second.pages[0].extract_text()
    assert "12.345.678 đồng" in second.pages[0].extract_text()
    pages = len(cut_long.pages)
    assert pages > 1
    assert [page.extract_text().split()[-1] for page in cut_long.pages] == [
        f"{number}/{pages}" for number in range(1, pages + 1)
    ]


def test_wording_is_plain_text_escaped_once(case_a):  # type: ignore[no-untyped-def]
    """An employer's "&" prints as "&" in a letter's paragraphs and PDF (it was escaped twice:
    by the wording's rendering, then by letter.html)."""
    from arrears.cases.selectors import case_letter

    case_a.employer.name = "Công ty A & B <Việt>"
    case_a.employer.save()
    letter = case_letter(case_a, DocumentTemplate.Kind.REMINDER_NOTICE, on=DAY)
    assert "Công ty A & B <Việt>" in " ".join(letter.paragraphs)
    html = documents.letter_html(letter)
    assert "A &amp; B &lt;Việt&gt;" in html and "&amp;amp;" not in html


def test_wording_saved_by_a_browser_keeps_its_paragraphs(case_a):  # type: ignore[no-untyped-def]
    """A form posts CRLF line ends: the letter's paragraphs are still split on blank lines."""
    from arrears.cases.selectors import case_letter

    kind = DocumentTemplate.Kind.REMINDER_NOTICE
    DocumentTemplate.objects.create(
        kind=kind, title="THÔNG BÁO", body="Kính gửi {{ ten_don_vi }}.\r\n\r\nĐề nghị nộp ngay."
    )
    letter = case_letter(case_a, kind, on=DAY)
    assert letter.paragraphs == [f"Kính gửi {case_a.employer.name}.", "Đề nghị nộp ngay."]
