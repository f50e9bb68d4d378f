"""The insured lookup: by number or name without diacritics, month by month, the PDF, and who
may see whom; and the employer page's section of insured persons with unconfirmed months (the
``employer_insured`` tag of arrears/templatetags/insured.py)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from arrears.models import RecoveryCase, Referral
from arrears.worker_months import MonthStatus
from participants.models import InsuredPerson
from tests.arrears.insured.conftest import employer_paid_until_may, month, person
from tests.factories import EmployerFactory

LOOKUP = reverse("insured_lookup")


def test_lookup_by_number_opens_the_person_and_shows_each_month(
    huong, officer_a, client_as, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    response = client.get(LOOKUP, {"q": " 1700000001 "})
    detail = reverse("insured_detail", args=["1700000001"])
    assert response.status_code == 302 and response["Location"] == detail

    # Session and user, the person with employer and office (scope included), the
    # employer's contributions and payments, and the session saved (3): no query per month.
    with django_assert_max_num_queries(8):
        response = client.get(detail, {"on": "15/10/2025"})
    assert response.status_code == 200
    insured = response.context["insured"]
    assert [status for _month, status in insured.months] == [MonthStatus.PAID] * 3 + [
        MonthStatus.UNPAID
    ] * 3
    assert insured.unpaid == [(date(2025, 6, 1), date(2025, 8, 1))]
    html = response.content.decode()
    assert "Bùi Thị Hương" in html
    assert "<strong>06/2025–08/2025</strong>" in html
    assert html.count('<span class="badge text-bg-danger">Nợ</span>') == 3 + 1  # and the legend


def test_on_an_earlier_day_august_is_not_yet_due(huong, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(
        reverse("insured_detail", args=["1700000001"]), {"on": "15/09/2025"}
    )
    assert dict(response.context["insured"].months)[date(2025, 8, 1)] is MonthStatus.NOT_DUE


def test_lookup_by_name_without_diacritics(huong, employer_a, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    person(employer_a, "1700000002", "Bùi Thị Hường", born=date(1985, 1, 1))
    person(employer_a, "1700000003", "Bùi Thị Hải")
    client = client_as(officer_a)

    response = client.get(LOOKUP, {"q": "bui thi huong"})
    assert response.status_code == 200
    assert [p.full_name for p in response.context["found"]] == ["Bùi Thị Hương", "Bùi Thị Hường"]
    assert reverse("insured_detail", args=["1700000002"]) in response.content.decode()

    # Words in any order, with the year of birth: one match opens the person.
    response = client.get(LOOKUP, {"q": "HUONG Bui 1985"})
    assert response["Location"] == reverse("insured_detail", args=["1700000002"])
    # Whole words: "ha" is not a part of "Hải".
    assert client.get(LOOKUP, {"q": "bui ha"}).context["found"] == []


def test_a_wrong_number_says_so_and_no_match_says_so(huong, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    assert "Mã số BHXH gồm đúng 10 chữ số." in client.get(LOOKUP, {"q": "17000"}).content.decode()
    response = client.get(LOOKUP, {"q": "1799999999"})
    assert response.context["found"] == []
    assert "Không tìm thấy người lao động nào" in response.content.decode()


def test_officer_of_another_office_finds_nothing_and_gets_404(huong, officer_b, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_b)
    assert client.get(LOOKUP, {"q": "1700000001"}).context["found"] == []
    assert client.get(LOOKUP, {"q": "bui thi huong"}).context["found"] == []
    assert client.get(reverse("insured_detail", args=["1700000001"])).status_code == 404
    assert client.get(reverse("insured_pdf", args=["1700000001"])).status_code == 404


@pytest.mark.parametrize("liaison", ["police", "federation"])
def test_liaisons_get_404(huong, liaison, request, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(request.getfixturevalue(liaison))
    assert client.get(LOOKUP).status_code == 404
    assert client.get(reverse("insured_detail", args=["1700000001"])).status_code == 404
    assert client.get(reverse("insured_pdf", args=["1700000001"])).status_code == 404


def test_pdf_for_the_person(huong, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(officer_a).get(
        reverse("insured_pdf", args=["1700000001"]), {"on": "15/10/2025"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Bùi Thị Hương" in text
    assert "1700000001" in text
    assert "06/2025 – 08/2025" in text
    assert "Tính đến ngày 15/10/2025" in text
    assert "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ" in text and "BHXH CƠ SỞ LƯƠNG SƠN" in text


def test_nav_link_for_staff_only(huong, officer_a, police, client_as) -> None:  # type: ignore[no-untyped-def]
    home = reverse("home")
    assert LOOKUP in client_as(officer_a).get(home).content.decode()
    assert LOOKUP not in client_as(police).get(home).content.decode()


def test_a_person_of_an_employer_in_another_office_is_404_for_the_officer(
    office_b, officer_a, client_as
) -> None:  # type: ignore[no-untyped-def]
    elsewhere = EmployerFactory(office=office_b)
    person(elsewhere, "1700000009", "Lò Văn Sơn", sex="male")
    response = client_as(officer_a).get(reverse("insured_detail", args=["1700000009"]))
    assert response.status_code == 404


# --------------------------------------------------------------------------------------------
# The employer page's insured section


def test_employer_page_shows_the_workers_section(office_a, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(office_a)
    InsuredPerson.objects.create(
        social_insurance_number="1700000001",
        full_name="Bùi Thị Hương",
        date_of_birth=date(1990, 1, 1),
        sex="female",
        employer=employer,
        from_period=month(3),
        to_period=month(8),
    )
    url = reverse("employer_detail", args=[employer.unit_code])
    html = client_as(officer_a).get(url, {"on": "15/10/2025"}).content.decode()
    assert "Người lao động có tháng chưa xác nhận" in html
    assert "1 người (3 tháng), trong 1 người lao động đã nạp" in html
    assert "06/2025–08/2025" in html
    assert reverse("insured_detail", args=["1700000001"]) in html


def test_a_liaison_sees_the_workers_of_an_employer_referred_to_them_without_links(
    office_a, police, client_as
) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(office_a)
    InsuredPerson.objects.create(
        social_insurance_number="1700000001",
        full_name="Bùi Thị Hương",
        date_of_birth=date(1990, 1, 1),
        sex="female",
        employer=employer,
        from_period=month(3),
        to_period=month(8),
    )
    case = RecoveryCase.objects.create(
        employer=employer, stage="criminal_referral", opened_on=date(2025, 9, 1)
    )
    Referral.objects.create(
        case=case, agency=police.agency, purpose="investigate", sent_on=date(2025, 10, 1)
    )
    url = reverse("employer_detail", args=[employer.unit_code])
    html = client_as(police).get(url, {"on": "15/10/2025"}).content.decode()
    assert "Bùi Thị Hương" in html and "06/2025–08/2025" in html
    assert reverse("insured_detail", args=["1700000001"]) not in html
