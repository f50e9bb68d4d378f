"""The register page and its files (arrears/register/views.py), and issuing a case's letter
from its page: scoped, filtered, the same bytes each download."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from arrears.cases import services as cases
from arrears.models import IssuedDocument
from tests.arrears.cases.helpers import ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(client_as, employer_a, employer_b, officer_a, officer_b):  # type: ignore[no-untyped-def]
    """A notice and an invitation issued from case A's page, a notice from case B's."""
    case_a = cases.open_case(employer=ledger(employer_a), by=officer_a, on=date(2026, 1, 15))
    case_b = cases.open_case(employer=ledger(employer_b), by=officer_b, on=date(2026, 1, 15))
    for user, case, kind in (
        (officer_a, case_a, "reminder_notice"),
        (officer_a, case_a, "session_invitation"),
        (officer_b, case_b, "reminder_notice"),
    ):
        response = client_as(user).post(reverse("case_issue_document", args=[case.pk, kind]))
        assert response.status_code == 302
    return case_a, case_b


def _listed(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.code for d in response.context["page"].object_list]


def test_issuing_from_the_case_page_gives_the_kept_pdf(client_as, issued, officer_a):  # type: ignore[no-untyped-def]
    case_a, _case_b = issued
    client = client_as(officer_a)
    response = client.post(reverse("case_issue_document", args=[case_a.pk, "reminder_notice"]))
    document = IssuedDocument.objects.get(case=case_a, number=3)
    assert response.url == reverse("register_file", args=[document.pk])
    first = b"".join(client.get(response.url).streaming_content)
    second = b"".join(client.get(response.url).streaming_content)
    assert first == second and first.startswith(b"%PDF")
    with document.file.open("rb") as kept:
        assert kept.read() == first
    # Each letter issued is on the case's timeline, with its number.
    logged = case_a.events.filter(kind="letter").values_list("text", flat=True)
    assert f"Ban hành {document.get_kind_display()} số {document.code}" in logged
    assert logged.count() == 3  # the fixture's notice and invitation, and this notice
    # Not a letter the case page offers: 404.
    url = reverse("case_issue_document", args=[case_a.pk, "referral_letter"])
    assert client.post(url).status_code == 404


def test_the_register_is_scoped_and_filtered(
    client_as, issued, officer_a, officer_b, manager, police
):  # type: ignore[no-untyped-def]
    _case_a, case_b = issued
    url = reverse("document_register")
    assert _listed(client_as(officer_a).get(url)) == ["2/GM-BHXH", "1/TB-BHXH"]
    assert _listed(client_as(officer_b).get(url)) == ["1/TB-BHXH"]
    assert len(_listed(client_as(manager).get(url))) == 3
    assert client_as(police).get(url).status_code == 404
    client = client_as(manager)
    by_office = client.get(url, {"office": case_b.employer.office_id})
    assert [d.employer for d in by_office.context["page"].object_list] == [case_b.employer]
    assert _listed(client.get(url, {"kind": "invitation"})) == ["2/GM-BHXH"]
    assert _listed(client.get(url, {"year": "2026", "kind": "notice"})) == [
        "1/TB-BHXH",
        "1/TB-BHXH",
    ]
    assert _listed(client.get(url, {"year": "2025"})) == []
    # A bad filter is named on the page, not a 500.
    bad = client.get(url, {"year": "năm ngoái", "kind": "letter"})
    assert bad.status_code == 200 and _listed(bad) == []
    assert set(bad.context["form"].errors) == {"year", "kind"}
    # Another office's document: 404 to an officer, as is any file to a liaison.
    other = IssuedDocument.objects.get(case=case_b)
    assert client_as(officer_a).get(reverse("register_file", args=[other.pk])).status_code == 404
    assert client_as(police).get(reverse("register_file", args=[other.pk])).status_code == 404
    assert client_as(officer_b).get(reverse("register_file", args=[other.pk])).status_code == 200


def test_a_working_sessions_minutes_are_issued_once(client_as, employer_a, officer_a, police):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=ledger(employer_a), by=officer_a, on=date(2026, 1, 15))
    session = cases.log_event(
        case=case,
        kind="working_session",
        by=officer_a,
        occurred_on=date(2026, 1, 20),
        text="Làm việc với giám đốc",
        minutes="Đơn vị cam kết nộp 1.000.000 đồng trước 31/01/2026.",
    )
    note = cases.log_event(case=case, kind="note", by=officer_a, text="Không có biên bản")
    client = client_as(officer_a)
    url = reverse("case_issue_minutes", args=[case.pk, session.pk])
    first = client.post(url)
    document = IssuedDocument.objects.get(event=session)
    assert first.url == reverse("register_file", args=[document.pk])
    assert (document.code, document.kind, document.issued_on) == (
        "1/BB-BHXH",
        "minutes",
        date(2026, 1, 20),
    )
    assert client.post(url).url == first.url  # once: the kept one again
    assert IssuedDocument.objects.count() == 1
    text = b"".join(client.get(first.url).streaming_content)
    from io import BytesIO

    from pypdf import PdfReader

    words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(text)).pages)
    assert "BIÊN BẢN LÀM VIỆC" in words and "Số: 1/BB-BHXH" in words
    assert "Đơn vị cam kết nộp 1.000.000 đồng trước 31/01/2026." in words
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Biên bản số 1/BB-BHXH (PDF)" in page
    # An event without minutes has none to issue; a liaison issues nothing.
    assert client.post(reverse("case_issue_minutes", args=[case.pk, note.pk])).status_code == 404
    assert client_as(police).post(url).status_code == 404
